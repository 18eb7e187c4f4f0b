"""POST /api/v1/embed/sso: the host site vouches for its user; Talkies trusts it for that site only."""

import time

import pytest

from talkies.accounts.models import User
from talkies.embed.models import SsoIdentity
from talkies.embed.tokens import encode_sso, read_reader_token

from .conftest import ORIGIN, OTHER_SSO_SECRET, SSO_SECRET


def signed(secret=SSO_SECRET, **overrides):
    payload = {"id": "42", "name": "Sam Host", "email": "sam@reelnews.example", "exp": int(time.time()) + 600}
    return encode_sso({**payload, **overrides}, secret)


def exchange(client, sso, site="reelnews", origin=ORIGIN):
    headers = {"Origin": origin} if origin else {}
    return client.post(f"/api/v1/embed/sso?site={site}", {"sso": sso}, content_type="application/json", headers=headers)


def test_a_signed_user_gets_a_reader_token_and_a_local_account_for_this_site(embedded, browser):
    response = exchange(browser, signed())

    assert response.status_code == 200, response.content
    body = response.json()
    user = User.objects.get(username="sso-reelnews-42")
    assert (user.display_name, user.email, user.has_usable_password()) == ("Sam Host", "sam@reelnews.example", False)
    assert body["user"] == {"username": "sso-reelnews-42", "name": "Sam Host"}
    grant = read_reader_token(body["token"])
    assert (grant.user_id, grant.site_id, grant.origin) == (user.pk, embedded.pk, ORIGIN)
    assert response["Access-Control-Allow-Origin"] == ORIGIN


def test_the_token_posts_a_comment_as_the_sso_user(embedded, thread, browser):
    token = exchange(browser, signed()).json()["token"]

    response = browser.post(
        f"/api/v1/threads/{thread.pk}/comments?site=reelnews",
        {"body": "Signed in from the host site."},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Origin": ORIGIN},
    )

    assert response.status_code == 201, response.content
    assert response.json()["author_name"] == "Sam Host"


def test_signing_in_again_updates_the_same_account(embedded, browser):
    exchange(browser, signed())

    exchange(browser, signed(name="Samantha Host", email="samantha@reelnews.example"))

    user = SsoIdentity.objects.get(site=embedded, external_id="42").user
    assert (user.display_name, user.email) == ("Samantha Host", "samantha@reelnews.example")
    assert User.objects.filter(username__startswith="sso-").count() == 1


@pytest.mark.parametrize(
    ("sso", "message"),
    [
        (lambda: signed(exp=int(time.time()) - 5), "expired"),
        (lambda: signed(secret="not-the-secret"), "signature"),
        (lambda: signed().replace(".", "x.", 1), "signature"),  # payload changed after signing
        (lambda: signed()[:-2], "signature"),
        (lambda: "no-dot-here", "sso must be"),
        (lambda: signed(exp=int(time.time()) + 3 * 24 * 3600), "24 hours"),
        (lambda: signed(exp="tomorrow"), "exp"),
        (lambda: signed(id="../admin"), "id"),
        (lambda: signed(name=""), "name"),
    ],
)
def test_expired_forged_or_malformed_payloads_are_refused_naming_sso(embedded, browser, sso, message):
    response = exchange(browser, sso())

    assert response.status_code == 401, response.content
    assert response.json()["field"] == "sso"
    assert message in response.json()["error"]
    assert not User.objects.filter(username__startswith="sso-").exists()


def test_another_sites_secret_does_not_sign_in_here(embedded, other_embedded, browser):
    response = exchange(browser, signed(secret=OTHER_SSO_SECRET))

    assert response.status_code == 401
    assert response.json()["field"] == "sso"


def test_the_same_host_id_on_two_sites_is_two_accounts(embedded, other_embedded, browser):
    exchange(browser, signed())
    exchange(browser, signed(secret=OTHER_SSO_SECRET), site="otherreel", origin="https://otherreel.example")

    assert set(User.objects.filter(username__startswith="sso-").values_list("username", flat=True)) == {
        "sso-reelnews-42",
        "sso-otherreel-42",
    }


def test_a_registered_account_named_like_an_sso_user_is_never_handed_over(embedded, browser):
    squatter = User.objects.create_user(username="sso-reelnews-42", password="squatter password 1")

    response = exchange(browser, signed())

    assert response.status_code == 200
    assert response.json()["user"]["username"] != "sso-reelnews-42"
    assert SsoIdentity.objects.get(site=embedded, external_id="42").user != squatter


def test_a_site_without_an_sso_secret_refuses_sso(embedded, browser):
    embedded.embed_settings.sso_secret = ""
    embedded.embed_settings.save()

    response = exchange(browser, encode_sso({"id": "1", "name": "x", "exp": int(time.time()) + 60}, ""))

    assert response.status_code == 401
    assert response.json()["field"] == "sso"


@pytest.mark.parametrize("origin", ["https://evil.example", None])
def test_sso_from_a_page_off_the_list_is_refused_naming_origin(embedded, browser, origin):
    response = exchange(browser, signed(), origin=origin)

    assert response.status_code == 403
    assert response.json()["field"] == "origin"


def test_a_short_sso_secret_is_refused_in_the_admin(embedded):
    from django.core.exceptions import ValidationError

    settings_row = embedded.embed_settings
    settings_row.sso_secret = "hunter2"
    with pytest.raises(ValidationError, match="at least 32 characters"):
        settings_row.full_clean()
