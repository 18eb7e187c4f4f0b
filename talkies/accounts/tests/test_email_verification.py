"""Registering sends a signed, expiring link that confirms the address; a page sends a new one."""

import re

import pytest
from django.core import mail, signing

from talkies.accounts.models import User
from talkies.accounts.tokens import VERIFY_SALT, email_verification_token
from talkies.tasks.queue import run_pending_tasks

PASSWORD = "a sturdy passphrase 42"


def register(client, **overrides):
    data = {"username": "newreader", "email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD}
    return client.post("/accounts/register/", {**data, **overrides})


def link_in(message) -> str:
    match = re.search(r"http://testserver/accounts/verify/\S+/", message.body)
    assert match, message.body
    return match.group(0).removeprefix("http://testserver")


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "http://testserver"


def test_registering_emails_a_link_that_confirms_the_address(client, site):
    register(client)
    assert mail.outbox == []  # queued with the new account, for the worker
    run_pending_tasks()

    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new@example.com"]
    assert not User.objects.get(username="newreader").email_verified
    page = client.get(link_in(mail.outbox[0]))

    assert page.status_code == 200 and "new@example.com is confirmed" in page.content.decode()
    assert User.objects.get(username="newreader").email_verified


def test_the_register_form_offers_reply_emails_off_by_default(client, site):
    page = client.get("/accounts/register/").content.decode()
    assert 'name="notify_replies"' in page and 'name="notify_replies" checked' not in page

    register(client, notify_replies="on")

    assert User.objects.get(username="newreader").notify_replies


def test_a_tampered_link_fails_with_a_clear_page(client, site, reader):
    token = email_verification_token(reader)

    response = client.get(f"/accounts/verify/{token[:-3]}xyz/")

    assert response.status_code == 400
    assert "this link is not one we sent" in response.content.decode()
    reader.refresh_from_db()
    assert not reader.email_verified


def test_an_expired_link_is_refused(client, site, reader, settings):
    settings.EMAIL_VERIFICATION_MAX_AGE_DAYS = 0
    token = email_verification_token(reader)

    response = client.get(f"/accounts/verify/{token}/")

    assert response.status_code == 400 and "expired" in response.content.decode()


def test_a_link_for_an_old_address_does_not_confirm_the_new_one(client, site, reader):
    token = email_verification_token(reader)
    reader.email = "changed@example.com"
    reader.save()

    assert client.get(f"/accounts/verify/{token}/").status_code == 400
    reader.refresh_from_db()
    assert not reader.email_verified


def test_a_link_signed_for_another_purpose_is_refused(client, site, reader):
    token = signing.dumps({"u": reader.pk, "e": reader.email}, salt="something-else")

    assert client.get(f"/accounts/verify/{token}/").status_code == 400
    assert signing.loads(email_verification_token(reader), salt=VERIFY_SALT)["u"] == reader.pk


def test_the_resend_page_sends_a_new_link(client, site, reader):
    client.force_login(reader)
    assert "reader@example.com" in client.get("/accounts/verify/resend/").content.decode()

    client.post("/accounts/verify/resend/")
    run_pending_tasks()

    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["reader@example.com"]
    assert client.get(link_in(mail.outbox[0])).status_code == 200


def test_resending_is_limited(client, site, reader, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "verification_email": {"account": "1/h", "ip": ""}}
    client.force_login(reader)

    client.post("/accounts/verify/resend/")
    response = client.post("/accounts/verify/resend/", follow=True)
    run_pending_tasks()

    assert len(mail.outbox) == 1
    assert "you are asking for confirmation emails too fast" in response.content.decode()


def test_registering_too_often_from_one_address_is_refused_keeping_the_form(client, site, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "register": {"account": "", "ip": "1/h"}}
    register(client)
    client.logout()

    response = register(client, username="another", email="another@example.com")

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    page = response.content.decode()
    assert "you are creating accounts too fast: try again in" in page and 'value="another"' in page
    assert not User.objects.filter(username="another").exists()
