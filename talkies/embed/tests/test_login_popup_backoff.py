"""The sign-in popup goes through the login page's form: the same growing waits, and the reset link."""

import time

import pytest

from talkies.accounts.models import User

from .conftest import ORIGIN

PASSWORD = "right password here"


@pytest.fixture
def backoff(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": {"account": "", "ip": ""}}
    settings.LOGIN_BACKOFF_AFTER_FAILURES = 2
    settings.LOGIN_BACKOFF_FIRST_SECONDS = 10


def test_the_popup_waits_after_failures_and_offers_the_reset_link(embedded, client, backoff, monkeypatch):
    User.objects.create_user(username="target", password=PASSWORD)
    url = f"/embed/login/?site={embedded.slug}&origin={ORIGIN}"
    for _ in range(3):
        client.post(url, {"username": "target", "password": "wrong"})

    refused = client.post(url, {"username": "target", "password": PASSWORD})

    assert refused.status_code == 429
    wait = int(refused["Retry-After"])
    page = refused.content.decode()
    assert f"try again in {wait} seconds" in page
    assert 'href="/accounts/password-reset/"' in page
    assert "talkies-message" not in page
    later = time.time() + wait
    monkeypatch.setattr(time, "time", lambda: later)
    assert "talkies-message" in client.post(url, {"username": "target", "password": PASSWORD}).content.decode()
