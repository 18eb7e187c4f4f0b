"""/embed/login/: the first-party popup that hands a reader token to the allowed origin only."""

import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from talkies.embed.models import SsoIdentity
from talkies.embed.tokens import read_reader_token

from .conftest import ORIGIN


def popup_url(origin=ORIGIN, site="reelnews"):
    return f"/embed/login/?site={site}&origin={origin}"


def posted_message(response) -> dict:
    match = re.search(r'<script id="talkies-message" type="application/json">(.*?)</script>', response.content.decode())
    assert match, "no message on the page"
    return json.loads(match[1])


def target_origin(response) -> str:
    match = re.search(
        r'<script id="talkies-target-origin" type="application/json">(.*?)</script>', response.content.decode()
    )
    assert match
    return json.loads(match[1])


def test_a_logged_in_reader_gets_a_token_posted_to_exactly_the_allowed_origin(embedded, reader, client):
    client.force_login(reader)

    response = client.get(popup_url(origin="HTTPS://ReelNews.Example"))

    assert response.status_code == 200
    assert target_origin(response) == ORIGIN
    # The script is a static file (the page's Content-Security-Policy allows no inline script).
    assert '<script src="/static/talkies/login_done.js"' in response.content.decode()
    script = finders.find("talkies/login_done.js")
    assert script and "postMessage(message, targetOrigin)" in Path(script).read_text()
    assert '"*"' not in Path(script).read_text()
    message = posted_message(response)
    assert message["type"] == "talkies:login"
    assert message["user"] == {"username": "reader", "name": "Rita Reader"}
    grant = read_reader_token(message["token"])
    assert (grant.user_id, grant.site_id, grant.origin) == (reader.pk, embedded.pk, ORIGIN)
    # Django's default Cross-Origin-Opener-Policy would cut the popup off from its opener.
    assert response["Cross-Origin-Opener-Policy"] == "unsafe-none"


@pytest.mark.parametrize("origin", ["https://evil.example", "https://reelnews.example.evil.example", "*", ""])
def test_an_origin_not_on_the_list_gets_a_refusal_and_no_token(embedded, reader, client, origin):
    client.force_login(reader)

    response = client.get(popup_url(origin=origin))

    assert response.status_code == 403
    assert "talkies-message" not in response.content.decode()
    assert "cannot sign you in" in response.content.decode()


def test_an_unknown_site_is_refused(embedded, reader, client):
    client.force_login(reader)

    response = client.get(popup_url(site="nope"))

    assert response.status_code == 404
    assert "talkies-message" not in response.content.decode()


def test_a_visitor_signs_in_inside_the_popup_and_then_gets_the_token(embedded, reader, client):
    form = client.get(popup_url())
    assert form.status_code == 200
    assert "talkies-message" not in form.content.decode()

    response = client.post(popup_url(), {"username": "reader", "password": "correct horse battery staple"})

    assert response.status_code == 200
    assert read_reader_token(posted_message(response)["token"]).user_id == reader.pk


def test_a_wrong_password_shows_the_form_again(embedded, reader, client):
    response = client.post(popup_url(), {"username": "reader", "password": "wrong"})

    assert response.status_code == 400
    assert "talkies-message" not in response.content.decode()


def test_the_popup_form_is_csrf_protected(embedded, reader):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        popup_url(), {"username": "reader", "password": "correct horse battery staple"}
    )

    assert response.status_code == 403


def test_an_sso_account_of_another_site_is_refused(embedded, other_embedded, reader, client):
    SsoIdentity.objects.create(site=other_embedded, external_id="7", user=reader)
    client.force_login(reader)

    response = client.get(popup_url())

    assert response.status_code == 403
    assert "talkies-message" not in response.content.decode()


def test_the_popup_counts_sign_in_attempts_as_the_login_page_does(embedded, client, settings):
    from talkies.accounts.models import User

    User.objects.create_user(username="target", password="right password here")
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": {"account": "3/m", "ip": ""}}
    url = popup_url()
    answers = [client.post(url, {"username": "target", "password": f"wrong {i}"}) for i in range(4)]
    assert [a.status_code for a in answers] == [400, 400, 400, 429]
    assert int(answers[-1]["Retry-After"]) > 0
    right = client.post(url, {"username": "target", "password": "right password here"})
    assert right.status_code == 429  # until the window ends, even the right password
