"""Guests commenting from the story page where the site allows it: known by a cookie, never by address.

`guest` is a browser that has never commented; once it posts, it holds the `talkies_guest` cookie and is
the guest who wrote that comment. A second browser (`stranger`) stands for anyone else: no cookie, or a
guest token of its own.
"""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from talkies.comments.models import Comment, Vote
from talkies.comments.services import comment_create
from talkies.lib.guests import guest_key_from_token, new_guest_token
from talkies.web.guests import GUEST_COOKIE, GUEST_NAME_COOKIE

from .helpers import page_queries, tags_in, text_of
from .test_hostile_input_in_the_page import assert_page_is_inert

PAGE = "/stories/what-did-you-think-of-ballerina/"
POST = f"{PAGE}comments/"
YEAR = 365 * 24 * 60 * 60


@pytest.fixture
def guest(guest_site) -> Client:
    return Client()


@pytest.fixture
def stranger(guest_site) -> Client:
    return Client()


def post_as_guest(client: Client, body: str = "Loved it", name: str = "Eve", parent: int | None = None, **request):
    """Post the story page's comment form (a reply to `parent`); `request` as for Client.post (secure=…)."""
    data = {"body": body, "guest_name": name, "sort": "new", **({"parent": parent} if parent else {})}
    return client.post(POST, data, **request)


def name_fields(page: str) -> list[dict[str, str | None]]:
    return [attrs for tag, attrs in tags_in(page) if tag == "input" and attrs.get("name") == "guest_name"]


def edit_link(comment: Comment) -> str:
    return f'href="/comments/{comment.pk}/edit/'


def vote_form(comment: Comment) -> str:
    return f'action="/comments/{comment.pk}/vote/"'


def remove_form(comment: Comment) -> str:
    return f'action="/comments/{comment.pk}/remove/"'


# --- The form -------------------------------------------------------------------------------------


def test_a_logged_out_reader_gets_the_form_with_a_name_field_and_a_log_in_link(guest, story, thread, reader):
    comment_create(thread=thread, author=reader, body="Answer me")

    page = guest.get(PAGE).content.decode()

    assert "Log in to comment" not in page
    # The main form and the reply form under the one comment.
    assert [field["id"] for field in name_fields(page)] == [
        "comment-name-new",
        f"comment-name-{thread.comments.get().pk}",
    ]
    assert '<label for="comment-name-new" class="field-label">Your name</label>' in page
    assert "Commenting as a guest, or log in ." in text_of(page)
    assert f'href="/accounts/login/?next={PAGE}%3Fsort%3Dbest">log in</a>' in page
    assert "No comments yet" not in page


def test_a_logged_in_reader_on_the_same_site_posts_as_themselves(client, guest_site, story, reader):
    client.force_login(reader)

    assert name_fields(client.get(PAGE).content.decode()) == []
    client.post(POST, {"body": "Mine", "guest_name": "Someone else"})

    comment = Comment.objects.get()
    assert (comment.author, comment.guest_name, comment.guest_key) == (reader, "", "")


# --- Posting and the cookie -----------------------------------------------------------------------


def test_a_guests_first_comment_is_posted_under_their_name_and_gives_them_a_cookie(guest, story):
    response = post_as_guest(guest, name="Eve Moneypenny")

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}?sort=new#comment-{comment.pk}"
    assert (comment.author, comment.guest_name) == (None, "Eve Moneypenny")
    cookie = response.cookies[GUEST_COOKIE]
    assert guest_key_from_token(cookie.value, site_id=comment.thread.site_id) == comment.guest_key
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"
    assert cookie["max-age"] == YEAR
    assert not cookie["secure"]  # plain http in the test; see the next test
    page = guest.get(response["Location"]).content.decode()
    assert f'<span class="comment-author" id="comment-{comment.pk}-author">Eve Moneypenny</span>' in page


def test_the_guest_cookie_is_secure_when_the_page_is(guest, story):
    response = post_as_guest(guest, secure=True)

    assert response.cookies[GUEST_COOKIE]["secure"] is True
    assert response.cookies[GUEST_NAME_COOKIE]["secure"] is True


def test_later_comments_from_the_same_browser_are_by_the_same_guest(guest, story):
    post_as_guest(guest, body="First")
    response = post_as_guest(guest, body="Second")

    assert GUEST_COOKIE not in response.cookies  # kept, not replaced
    first, second = Comment.objects.order_by("id")
    assert first.guest_key == second.guest_key != ""


def test_a_guest_can_reply(guest, story, thread, reader):
    parent = comment_create(thread=thread, author=reader, body="What a film")

    response = post_as_guest(guest, body="Agreed", parent=parent.pk)

    reply = Comment.objects.get(parent=parent)
    assert reply.guest_name == "Eve"
    assert response["Location"] == f"{PAGE}?sort=new#comment-{reply.pk}"


def test_the_name_is_filled_in_next_time(guest, story):
    post_as_guest(guest, name="  Zoë   O'Neill ")

    page = guest.get(PAGE).content.decode()

    # The main form, and the reply form under the guest's own comment; the name as the thread shows it.
    assert [field["value"] for field in name_fields(page)] == ["Zoë O'Neill", "Zoë O'Neill"]


def test_the_guest_cookie_is_never_tied_to_the_address(guest, story):
    post_as_guest(guest, REMOTE_ADDR="203.0.113.9")

    same_address = Client(REMOTE_ADDR="203.0.113.9")
    page = same_address.get(PAGE).content.decode()

    assert edit_link(Comment.objects.get()) not in page
    assert name_fields(page)[0]["value"] == ""


# --- Refused posts --------------------------------------------------------------------------------


def test_an_empty_name_is_refused_beside_the_field_and_the_text_kept(guest, story):
    response = post_as_guest(guest, body="My careful words", name="   ")

    page = response.content.decode()
    assert response.status_code == 400
    assert not Comment.objects.exists()
    assert GUEST_COOKIE not in response.cookies  # nothing was posted, so no identity yet
    assert (
        '<p class="field-error" id="comment-name-new-error">Your name is empty: say what name to show with your'
        " comment</p>" in page
    )
    assert name_fields(page)[0]["aria-invalid"] == "true"
    assert ">My careful words</textarea>" in page


def test_a_name_that_is_too_long_is_refused_and_kept_as_typed(guest, story):
    long_name = "Eve " * 21

    response = post_as_guest(guest, body="Kept", name=long_name)

    page = response.content.decode()
    assert response.status_code == 400
    assert "Your name is too long (the maximum is 80 characters)" in page
    assert name_fields(page)[0]["value"] == long_name
    assert ">Kept</textarea>" in page


def test_a_refused_reply_keeps_the_name_and_text_in_its_reply_box(guest, story, thread, reader):
    parent = comment_create(thread=thread, author=reader, body="Reply to me")

    response = post_as_guest(guest, body="", name="Eve", parent=parent.pk)

    reply_box = response.content.decode().split(f'id="comment-{parent.pk}"')[1].split("</details>")[0]
    assert '<details class="reply-toggle" open>' in reply_box
    assert 'name="guest_name" autocomplete="nickname"\n        value="Eve"' in reply_box
    assert "Body is empty: write something before posting" in reply_box


def test_guests_are_limited_like_accounts(guest, story, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "comment": {"account": "1/m", "ip": ""}}
    post_as_guest(guest, body="First thoughts.")

    response = post_as_guest(guest, body="Second thoughts, typed with care.")

    assert response.status_code == 429
    page = response.content.decode()
    assert "You are posting too fast: try again in" in page
    assert "Second thoughts, typed with care.</textarea>" in page
    assert Comment.objects.count() == 1


def test_dropping_the_cookie_does_not_escape_the_limit_per_address(guest, stranger, story, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "comment": {"account": "", "ip": "1/m"}}
    post_as_guest(guest, body="First thoughts.")

    response = post_as_guest(stranger, body="A fresh identity, the same address.")

    assert response.status_code == 429
    assert Comment.objects.count() == 1


def test_the_guest_form_is_protected_against_cross_site_posts(guest_site, story):
    strict = Client(enforce_csrf_checks=True)

    assert post_as_guest(strict).status_code == 403
    assert not Comment.objects.exists()


# --- Editing, removing and voting from the same browser -------------------------------------------


@pytest.fixture
def guest_comment(guest, story) -> Comment:
    post_as_guest(guest, body="Typo")
    return Comment.objects.get(guest_name="Eve")


def test_a_guest_sees_edit_and_remove_on_their_comment_and_votes_on_others(guest, guest_comment, thread, reader):
    theirs = comment_create(thread=thread, author=reader, body="Vote on me")

    page = guest.get(PAGE).content.decode()

    assert edit_link(guest_comment) in page and remove_form(guest_comment) in page
    assert vote_form(guest_comment) not in page  # not on your own
    assert vote_form(theirs) in page
    assert edit_link(theirs) not in page and remove_form(theirs) not in page


def test_a_guest_edits_their_comment(guest, guest_comment):
    assert ">Typo</textarea>" in guest.get(f"/comments/{guest_comment.pk}/edit/").content.decode()

    response = guest.post(f"/comments/{guest_comment.pk}/edit/", {"body": "Fixed", "next": PAGE})

    assert response["Location"] == f"{PAGE}#comment-{guest_comment.pk}"
    guest_comment.refresh_from_db()
    assert guest_comment.body_source == "Fixed"
    assert guest_comment.edited_at is not None


def test_after_the_edit_window_the_guest_sees_no_edit_link(guest, guest_comment):
    Comment.objects.filter(pk=guest_comment.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))

    page = guest.get(PAGE).content.decode()

    assert edit_link(guest_comment) not in page
    assert remove_form(guest_comment) in page  # removing has no window


def test_a_guest_removes_their_comment(guest, guest_comment):
    response = guest.post(f"/comments/{guest_comment.pk}/remove/", {"next": PAGE}, follow=True)

    assert "Your comment was removed." in response.content.decode()
    guest_comment.refresh_from_db()
    assert guest_comment.status == Comment.Status.REMOVED


def test_a_guest_votes_on_someone_elses_comment(guest, guest_comment, thread, reader):
    theirs = comment_create(thread=thread, author=reader, body="Vote on me")

    response = guest.post(f"/comments/{theirs.pk}/vote/", {"value": 1, "next": PAGE})

    assert response["Location"] == f"{PAGE}#comment-{theirs.pk}"
    vote = Vote.objects.get()
    assert (vote.comment, vote.user, vote.guest_key, vote.value) == (theirs, None, guest_comment.guest_key, 1)
    buttons = guest.get(PAGE).content.decode().split(vote_form(theirs))[1].split("</form>")[0]
    assert 'value="0" class="vote vote-up" aria-pressed="true"' in buttons


def test_a_guest_cannot_vote_on_their_own_comment(guest, guest_comment):
    response = guest.post(f"/comments/{guest_comment.pk}/vote/", {"value": 1, "next": PAGE}, follow=True)

    assert "Your vote was not counted: you cannot vote on your own comment." in response.content.decode()
    assert not Vote.objects.exists()


# --- Other browsers -------------------------------------------------------------------------------


def test_a_browser_without_the_cookie_cannot_edit_or_remove_it(stranger, guest_comment):
    page = stranger.get(PAGE).content.decode()
    assert edit_link(guest_comment) not in page and remove_form(guest_comment) not in page
    assert vote_form(guest_comment) not in page  # no identity to vote with until they comment

    assert stranger.get(f"/comments/{guest_comment.pk}/edit/")["Location"].startswith("/accounts/login/")
    assert stranger.post(f"/comments/{guest_comment.pk}/edit/", {"body": "Hacked"})["Location"].startswith(
        "/accounts/login/"
    )
    assert stranger.post(f"/comments/{guest_comment.pk}/remove/")["Location"].startswith("/accounts/login/")
    guest_comment.refresh_from_db()
    assert (guest_comment.body_source, guest_comment.status) == ("Typo", Comment.Status.APPROVED)


def test_another_guest_cannot_edit_or_remove_it_but_may_vote_on_it(stranger, guest_comment):
    stranger.cookies[GUEST_COOKIE] = new_guest_token(site_id=guest_comment.thread.site_id)

    page = stranger.get(PAGE).content.decode()
    assert edit_link(guest_comment) not in page and remove_form(guest_comment) not in page
    assert vote_form(guest_comment) in page

    assert stranger.get(f"/comments/{guest_comment.pk}/edit/").status_code == 404
    assert stranger.post(f"/comments/{guest_comment.pk}/edit/", {"body": "Hacked"}).status_code == 404
    response = stranger.post(f"/comments/{guest_comment.pk}/remove/", {"next": PAGE}, follow=True)
    assert "The comment was not removed: you can only remove your own comments." in response.content.decode()
    guest_comment.refresh_from_db()
    assert (guest_comment.body_source, guest_comment.status) == ("Typo", Comment.Status.APPROVED)


@pytest.mark.parametrize("cookie", ["garbage", "tampered", "signed-for-something-else"])
def test_a_cookie_we_did_not_issue_is_no_identity_and_the_next_comment_gets_a_fresh_one(
    stranger, guest_comment, cookie
):
    from django.core import signing

    forged = {
        "garbage": "not-a-token",
        "tampered": new_guest_token(site_id=guest_comment.thread.site_id)[:-2] + "xx",
        "signed-for-something-else": signing.dumps("a" * 32, salt="another.purpose"),
    }[cookie]
    stranger.cookies[GUEST_COOKIE] = forged

    page = stranger.get(PAGE)
    assert page.status_code == 200
    assert edit_link(guest_comment) not in page.content.decode()
    assert stranger.post(f"/comments/{guest_comment.pk}/remove/")["Location"].startswith("/accounts/login/")

    response = post_as_guest(stranger, body="Still welcome", name="Mallory")

    assert response.status_code == 302
    fresh = response.cookies[GUEST_COOKIE].value
    assert fresh != forged
    assert Comment.objects.get(guest_name="Mallory").guest_key == guest_key_from_token(
        fresh, site_id=guest_comment.thread.site_id
    )


# --- Where guests are not welcome -----------------------------------------------------------------


def test_where_guests_are_not_allowed_the_page_asks_readers_to_log_in(client, site, story):
    page = client.get(PAGE).content.decode()

    assert name_fields(page) == []
    assert "Log in to comment" in page


def test_where_guests_are_not_allowed_their_writes_are_sent_to_log_in(client, site, story, thread, reader):
    theirs = comment_create(thread=thread, author=reader, body="Vote on me")
    client.cookies[GUEST_COOKIE] = new_guest_token(site_id=site.pk)

    posted = post_as_guest(client)
    voted = client.post(f"/comments/{theirs.pk}/vote/", {"value": 1})

    assert posted.status_code == 302 and posted["Location"].startswith("/accounts/login/?next=")
    assert voted["Location"].startswith("/accounts/login/?next=")
    assert GUEST_COOKIE not in posted.cookies
    assert Comment.objects.count() == 1 and not Vote.objects.exists()


# --- Hostile names and query counts ---------------------------------------------------------------

HOSTILE_NAME = '"><script>alert(1)</script>'


def test_a_hostile_guest_name_is_text_in_every_page_it_reaches(guest, site, story):
    post_as_guest(guest, name=HOSTILE_NAME)

    # The guest's own page: the name is in the thread and fills every name field.
    own = guest.get(PAGE).content.decode()
    assert HOSTILE_NAME not in own
    assert f'value="{escape(HOSTILE_NAME)}"' in own
    assert {field["value"] for field in name_fields(own)} == {HOSTILE_NAME}  # an attribute value, not markup
    assert [
        attrs.get("src")
        for tag, attrs in tags_in(own)
        if tag == "script" and attrs.get("type") != "application/ld+json"
    ] == [
        "/static/talkies/site.js",
        "/static/talkies/live.js",
    ]
    assert [(t, n) for t, attrs in tags_in(own) for n in attrs if n.startswith("on")] == []

    # Everyone else's, checked in full. (The whole check refuses any <form>, so it is made on a page with
    # none: the site has since stopped taking guest comments, and the name is still shown.)
    site.allow_guest_comments = False
    site.save()
    theirs = Client().get(PAGE).content.decode()
    assert_page_is_inert(theirs)
    assert HOSTILE_NAME not in theirs and HOSTILE_NAME in text_of(theirs)


def test_a_guests_page_costs_the_same_queries_with_2_or_30_comments(
    guest, story, thread, reader, django_assert_max_num_queries
):
    comment_create(thread=thread, author=reader, body="Theirs")
    post_as_guest(guest, body="Mine")
    # The logged-out page's 9, one for the guest's own votes and one for the comments they reported.
    few = page_queries(guest, PAGE, django_assert_max_num_queries, 11)
    for i in range(28):
        comment_create(thread=thread, author=reader, body=f"Comment {i}")
    many = page_queries(guest, PAGE, django_assert_max_num_queries, 11)

    assert few == many
