"""Authorization: Bearer <reader token>: for one site, from one origin, without cookies or CSRF tokens."""

import pytest
from django.core import signing

from talkies.comments.models import Comment, Thread
from talkies.embed.tokens import issue_reader_token
from talkies.ratings.models import Rating

from .conftest import ORIGIN, OTHER_ORIGIN


def bearer(token: str, origin: str | None = ORIGIN) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token}"}
    if origin is not None:
        headers["Origin"] = origin
    return headers


def post_comment(browser, thread, headers, site="reelnews"):
    return browser.post(
        f"/api/v1/threads/{thread.pk}/comments?site={site}",
        {"body": "Loved it."},
        content_type="application/json",
        headers=headers,
    )


@pytest.fixture
def token(embedded, reader) -> str:
    return issue_reader_token(user=reader, site=embedded, origin=ORIGIN)


def test_a_reader_posts_with_the_token_and_no_cookie_or_csrf_token(token, reader, thread, browser):
    response = post_comment(browser, thread, bearer(token))

    assert response.status_code == 201, response.content
    assert Comment.objects.get().author == reader
    assert response["Access-Control-Allow-Origin"] == ORIGIN


def test_a_reader_rates_and_reads_their_rating_with_the_token(token, reader, film, browser):
    put = browser.put(
        "/api/v1/films/ballerina/rating?site=reelnews",
        {"value": 4, "scale": 5},
        content_type="application/json",
        headers=bearer(token),
    )
    assert put.status_code == 200, put.content
    assert Rating.objects.get().user == reader

    got = browser.get("/api/v1/films/ballerina/rating?site=reelnews", headers=bearer(token))
    assert got.json()["value"] == 8

    deleted = browser.delete("/api/v1/films/ballerina/rating?site=reelnews", headers=bearer(token))
    assert deleted.status_code == 200
    assert not Rating.objects.exists()


def test_the_embed_session_names_the_reader(token, browser):
    response = browser.get("/api/v1/embed/session?site=reelnews", headers=bearer(token))

    assert response.json() == {"user": {"username": "reader", "name": "Rita Reader"}}


def test_a_token_from_site_a_does_not_work_on_site_b(token, other_embedded, reader, browser):
    other_thread = Thread.objects.create(site=other_embedded, key=f"{OTHER_ORIGIN}/page", url=f"{OTHER_ORIGIN}/page")

    response = post_comment(browser, other_thread, bearer(token, origin=OTHER_ORIGIN), site="otherreel")

    assert response.status_code == 401
    assert response.json()["field"] == "authorization"
    assert not Comment.objects.exists()


@pytest.mark.parametrize("origin", ["https://evil.example", "http://localhost:8080", None])
def test_a_token_does_not_work_from_another_origin(token, thread, browser, origin):
    response = post_comment(browser, thread, bearer(token, origin=origin))

    assert response.status_code == 401
    assert response.json()["field"] == "authorization"
    assert not Comment.objects.exists()


def test_an_expired_token_is_refused(token, thread, browser, settings):
    settings.EMBED_TOKEN_MAX_AGE_SECONDS = -1

    response = post_comment(browser, thread, bearer(token))

    assert response.status_code == 401
    assert "expired" in response.json()["error"]


def test_a_tampered_or_foreign_token_is_refused(embedded, reader, thread, browser):
    forged = signing.dumps({"u": reader.pk, "s": embedded.pk, "o": ORIGIN, "h": "x"}, salt="something-else")
    for token in [forged, "not-a-token", issue_reader_token(user=reader, site=embedded, origin=ORIGIN) + "x"]:
        response = post_comment(browser, thread, bearer(token))
        assert response.status_code == 401, token
        assert response.json()["field"] == "authorization"


def test_changing_the_password_ends_the_token(token, reader, thread, browser):
    reader.set_password("a whole new password 42")
    reader.save()

    assert post_comment(browser, thread, bearer(token)).status_code == 401


def test_a_token_stops_working_when_its_origin_is_removed_from_the_list(token, embedded, thread, browser):
    settings_row = embedded.embed_settings
    settings_row.allowed_origins = "http://localhost:8080"
    settings_row.save()

    assert post_comment(browser, thread, bearer(token)).status_code == 401


def test_a_token_grants_nothing_outside_the_api(token, reader, client):
    response = client.get("/accounts/settings/", headers=bearer(token))

    assert response.status_code == 302  # to the login page: the token is no session


def test_a_session_still_needs_its_csrf_token(embedded, reader, thread, browser):
    browser.force_login(reader)

    response = post_comment(browser, thread, {"Origin": ORIGIN})

    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]
