"""Past a run of wrong passwords for one name, each next one doubles the wait, capped; the reset link ends it."""

import re
import time

import pytest
from django.core import mail

PASSWORD = "correct horse battery staple"  # the personas' password (see /conftest.py)


@pytest.fixture
def backoff(settings):
    # Windows off, so only the growing waits refuse: from the 2nd failure on, 10 s, then 20, 40, capped at 60.
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": {"account": "", "ip": ""}}
    settings.LOGIN_BACKOFF_AFTER_FAILURES = 2
    settings.LOGIN_BACKOFF_FIRST_SECONDS = 10
    settings.LOGIN_BACKOFF_MAX_SECONDS = 60


class Clock:
    def __init__(self, monkeypatch):
        self.now = time.time()
        monkeypatch.setattr(time, "time", lambda: self.now)

    def wait(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def log_in(client, username="reader", password="wrong", url="/accounts/login/"):
    return client.post(url, {"username": username, "password": password})


def test_each_failure_from_the_threshold_on_doubles_the_wait_up_to_the_cap(client, site, reader, backoff, clock):
    assert log_in(client).status_code == 200  # the first failure: no wait yet
    waits = []
    for _ in range(5):
        assert log_in(client).status_code == 200  # a wrong password, checked: any wait had ended
        refused = log_in(client, password=PASSWORD)
        assert refused.status_code == 429
        waits.append(int(refused["Retry-After"]))
        clock.wait(waits[-1])

    # Retry-After is whole seconds rounded up, so a wait may read one second long.
    assert all(expected <= wait <= expected + 1 for wait, expected in zip(waits, [10, 20, 40, 60, 60], strict=True))


def test_the_right_password_is_refused_while_waiting_and_accepted_after(client, site, reader, backoff, clock):
    for _ in range(3):
        log_in(client)

    refused = log_in(client, password=PASSWORD)
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    page = refused.content.decode()
    wait = int(refused["Retry-After"])
    assert f"Too many failed sign-ins to this account: try again in {wait} seconds" in page
    assert 'href="/accounts/password-reset/"' in page

    clock.wait(wait)
    assert log_in(client, password=PASSWORD).status_code == 302


def test_attempts_refused_while_waiting_do_not_lengthen_the_wait(client, site, reader, backoff, clock):
    for _ in range(3):
        log_in(client)
    for _ in range(20):
        assert log_in(client).status_code == 429

    clock.wait(10)
    assert log_in(client, password=PASSWORD).status_code == 302


def test_a_successful_sign_in_starts_the_count_again(client, site, reader, backoff, clock):
    log_in(client)
    log_in(client, password=PASSWORD)
    client.logout()

    assert log_in(client).status_code == 200
    assert log_in(client, password=PASSWORD).status_code == 302  # one failure since: no wait


def test_the_emailed_reset_link_signs_the_owner_in_and_clears_the_wait(client, site, reader, backoff, clock):
    for _ in range(5):
        log_in(client)
        clock.wait(60)
    log_in(client)
    assert log_in(client, password=PASSWORD).status_code == 429

    client.post("/accounts/password-reset/", {"email": reader.email})
    link = re.search(r"https?://[^/\s]+(/accounts/password-reset/\S+/)", str(mail.outbox[0].body))
    assert link is not None
    path = link.group(1)
    form_url = client.get(path)["Location"]
    new = "a new sturdy passphrase"
    done = client.post(form_url, {"new_password1": new, "new_password2": new})

    assert done.status_code == 302
    assert client.session["_auth_user_id"] == str(reader.pk)
    client.logout()
    assert log_in(client, password=new).status_code == 302  # no wait left


def test_the_case_of_the_name_does_not_escape_the_wait(client, site, reader, backoff, clock):
    for name in ("reader", "Reader", "READER"):
        log_in(client, name)

    assert log_in(client, "rEaDeR", PASSWORD).status_code == 429
