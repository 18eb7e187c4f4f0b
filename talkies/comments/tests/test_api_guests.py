"""Guests through the API: a token from POST /guest-token, sent in the body to post and in a header to
edit, remove and vote. No cookie is involved, so no CSRF token either; a logged-in reader still needs one."""

import pytest
from django.test import Client

from talkies.comments.models import Comment, Vote
from talkies.comments.services import comment_create
from talkies.lib.guests import guest_key_from_token

HEADER = "X-Talkies-Guest-Token"


@pytest.fixture
def open_to_guests(site):
    site.allow_guest_comments = True
    site.save()
    return site


@pytest.fixture
def browser() -> Client:
    """A client that enforces CSRF like a real browser would, with no session."""
    return Client(enforce_csrf_checks=True)


def guest_token(client: Client) -> str:
    response = client.post("/api/v1/guest-token")
    assert response.status_code == 201, response.content
    return response.json()["guest_token"]


def post_as_guest(client: Client, thread, token: str | None, **body):
    data = {"body": "Loved it.", "guest_name": "Eve", **body}
    if token is not None:
        data["guest_token"] = token
    return client.post(f"/api/v1/threads/{thread.pk}/comments", data, content_type="application/json")


def test_a_guest_gets_a_token_and_posts_with_a_name_without_any_csrf_token(open_to_guests, thread, browser):
    token = guest_token(browser)

    response = post_as_guest(browser, thread, token, guest_name="  Eve   M. ")

    assert response.status_code == 201, response.content
    assert response.json()["author_name"] == "Eve M."
    comment = Comment.objects.get(pk=response.json()["id"])
    assert comment.author is None and comment.guest_key == guest_key_from_token(token, site_id=thread.site_id)


def test_the_guest_token_endpoint_is_refused_where_the_site_wants_accounts(site, browser):
    response = browser.post("/api/v1/guest-token")

    assert response.status_code == 403
    assert response.json()["field"] == "guest_token"


def test_a_guest_post_is_refused_with_a_log_in_message_where_the_site_wants_accounts(thread, browser):
    response = post_as_guest(browser, thread, "whatever")

    assert response.status_code == 401
    assert response.json()["error"] == "log in to comment"
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("body", "token", "status", "field"),
    [
        ({"guest_name": ""}, "valid", 400, "guest_name"),
        ({"guest_name": "x" * 81}, "valid", 400, "guest_name"),
        ({}, None, 401, "guest_token"),
        ({}, "forged.token", 400, "guest_token"),
    ],
)
def test_guest_errors_name_the_field(open_to_guests, thread, browser, body, token, status, field):
    if token == "valid":
        token = guest_token(browser)

    response = post_as_guest(browser, thread, token, **body)

    assert response.status_code == status, response.content
    assert response.json()["field"] == field
    assert not Comment.objects.exists()


def test_a_guest_edits_and_removes_their_own_comment_with_the_header(open_to_guests, thread, browser):
    token = guest_token(browser)
    comment_id = post_as_guest(browser, thread, token).json()["id"]

    edited = browser.patch(
        f"/api/v1/comments/{comment_id}", {"body": "Loved it, twice."}, content_type="application/json",
        headers={HEADER: token},
    )  # fmt: skip
    removed = browser.delete(f"/api/v1/comments/{comment_id}", headers={HEADER: token})

    assert edited.status_code == 200 and "Loved it, twice." in edited.json()["body_html"]
    assert removed.status_code == 200
    assert Comment.objects.get(pk=comment_id).status == Comment.Status.REMOVED


def test_another_guests_token_cannot_edit_or_remove_the_comment(open_to_guests, thread, browser):
    comment_id = post_as_guest(browser, thread, guest_token(browser)).json()["id"]
    stranger = guest_token(browser)

    edited = browser.patch(
        f"/api/v1/comments/{comment_id}", {"body": "Hijacked"}, content_type="application/json",
        headers={HEADER: stranger},
    )  # fmt: skip
    removed = browser.delete(f"/api/v1/comments/{comment_id}", headers={HEADER: stranger})

    assert (edited.status_code, removed.status_code) == (403, 403)
    assert Comment.objects.get(pk=comment_id).body_source == "Loved it."


def test_editing_without_a_login_or_a_guest_token_asks_for_one_in_the_header(open_to_guests, thread, browser):
    comment_id = post_as_guest(browser, thread, guest_token(browser)).json()["id"]

    response = browser.delete(f"/api/v1/comments/{comment_id}")

    assert response.status_code == 401
    assert response.json()["field"] == "guest_token"
    assert HEADER in response.json()["error"]


def test_a_guest_votes_with_the_header_once_and_not_on_their_own_comment(open_to_guests, thread, reader, browser):
    token = guest_token(browser)
    own_id = post_as_guest(browser, thread, token).json()["id"]
    readers = comment_create(thread=thread, author=reader, body="Reader's")

    def vote(comment_id, value):
        return browser.post(
            f"/api/v1/comments/{comment_id}/vote", {"value": value}, content_type="application/json",
            headers={HEADER: token},
        )  # fmt: skip

    assert vote(readers.pk, 1).json()["upvotes"] == 1
    assert vote(readers.pk, 1).json()["upvotes"] == 1  # the same guest again: still one vote
    assert vote(own_id, 1).status_code == 403
    guest_key = guest_key_from_token(token, site_id=thread.site_id)
    assert Vote.objects.filter(comment=readers, guest_key=guest_key).count() == 1


def test_a_logged_in_reader_cannot_skip_csrf_by_sending_a_guest_token(open_to_guests, thread, reader, browser):
    token = guest_token(browser)
    browser.force_login(reader)

    response = post_as_guest(browser, thread, token)

    assert response.status_code == 403
    assert response.json()["error"].startswith("CSRF check failed")
    assert not Comment.objects.exists()


def test_a_logged_in_reader_posts_as_themselves_even_if_guest_fields_are_sent(open_to_guests, thread, reader):
    client = Client()
    client.force_login(reader)

    response = post_as_guest(client, thread, "ignored")

    assert response.status_code == 201
    assert Comment.objects.get().author == reader


# --- A guest token belongs to the site that issued it --------------------------------------------------


@pytest.fixture
def other_thread_open_to_guests(other_site):
    from talkies.comments.models import Thread

    other_site.allow_guest_comments = True
    other_site.save()
    return Thread.objects.create(site=other_site, key="https://other.example/ballerina", title="Elsewhere")


def test_a_guest_token_from_one_site_is_refused_on_another_sites_threads(
    open_to_guests, other_thread_open_to_guests, browser
):
    token = guest_token(browser)  # issued by Reel News, the host name's site
    thread = other_thread_open_to_guests

    response = browser.post(
        f"/api/v1/threads/{thread.pk}/comments?site=otherreel",
        {"body": "Posted with Reel News' token", "guest_name": "Eve", "guest_token": token},
        content_type="application/json",
    )

    assert response.status_code == 403, response.content
    assert response.json()["field"] == "guest_token"
    assert "issued for another site" in response.json()["error"]
    assert not Comment.objects.filter(thread=thread).exists()


def test_a_guest_token_from_one_site_cannot_vote_on_another_sites_comments(
    open_to_guests, other_thread_open_to_guests, reader, browser
):
    token = guest_token(browser)
    theirs = comment_create(thread=other_thread_open_to_guests, author=reader, body="Over here")

    response = browser.post(
        f"/api/v1/comments/{theirs.pk}/vote?site=otherreel",
        {"value": 1},
        content_type="application/json",
        headers={HEADER: token},
    )

    assert response.status_code == 403, response.content
    assert response.json()["field"] == "guest_token"
    assert not Vote.objects.exists()


def test_the_other_site_accepts_a_guest_token_it_issued_itself(open_to_guests, other_thread_open_to_guests, browser):
    thread = other_thread_open_to_guests
    token = browser.post("/api/v1/guest-token?site=otherreel").json()["guest_token"]

    posted = browser.post(
        f"/api/v1/threads/{thread.pk}/comments?site=otherreel",
        {"body": "Hello", "guest_name": "Eve", "guest_token": token},
        content_type="application/json",
    )
    assert posted.status_code == 201, posted.content
