"""Sign-in attempts are limited per account name tried and per address, for a window and never for good."""

import time

import pytest

from talkies.lib.ratelimit import DOING

PASSWORD = "correct horse battery staple"  # the personas' password (see /conftest.py)


@pytest.fixture
def three_tries(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": {"account": "3/5m", "ip": ""}}


def log_in(client, username, password="wrong"):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_past_the_limit_the_form_says_when_to_try_again_with_429(client, site, reader, three_tries):
    for _ in range(3):
        assert log_in(client, "reader").status_code == 200  # refused: wrong password

    response = log_in(client, "reader")

    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert 1 <= wait <= 300
    page = response.content.decode()
    assert f"You are trying to sign in too fast: try again in {wait} seconds." in page
    assert 'value="reader"' in page  # the name typed is kept
    assert "Please enter a correct username and password" not in page  # the password was never checked


def test_once_the_limit_is_reached_the_right_password_is_refused_too(client, site, reader, three_tries):
    for _ in range(3):
        log_in(client, "reader")

    response = log_in(client, "reader", PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_refusal_ends_with_the_window(client, site, reader, three_tries, monkeypatch):
    for _ in range(4):
        log_in(client, "reader")
    later = time.time() + 5 * 60 + 1
    monkeypatch.setattr(time, "time", lambda: later)

    response = log_in(client, "reader", PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(reader.pk)


def test_other_account_names_are_counted_apart(client, site, reader, second_reader, three_tries):
    for _ in range(4):
        log_in(client, "reader")

    assert log_in(client, "second", PASSWORD).status_code == 302


def test_the_case_of_the_name_tried_does_not_give_more_tries(client, site, reader, three_tries):
    for name in ("reader", "Reader", "READER"):
        log_in(client, name)

    assert log_in(client, "rEaDeR").status_code == 429


def test_the_address_is_limited_across_account_names(client, site, reader, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": {"account": "", "ip": "2/5m"}}
    log_in(client, "someone")
    log_in(client, "someone-else")

    assert log_in(client, "reader", PASSWORD).status_code == 429


def test_login_rating_and_report_limits_are_configured_with_what_the_reader_is_told():
    from django.conf import settings

    for action, doing in (("login", "trying to sign in"), ("rating", "rating films"), ("report", "reporting")):
        assert set(settings.RATE_LIMITS[action]) == {"account", "ip"}
        assert DOING[action] == doing
    assert settings.RATE_LIMITS["report"] == {"account": "10/h", "ip": "30/h"}
