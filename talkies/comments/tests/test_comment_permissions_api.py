"""Each comment the API shows a reader says what that reader may do with it, decided on the server."""

import datetime

import pytest
from django.test import Client

from talkies.accounts.actors import Actor
from talkies.comments.models import Comment
from talkies.comments.permissions import can_report_comment
from talkies.comments.services import comment_create, comment_remove
from talkies.lib.guests import guest_key_from_token, new_guest_token

VIEWER_FIELDS = {"can_edit", "can_remove", "can_report", "editable_until"}
NOTHING = {"can_edit": False, "can_remove": False, "can_report": False, "editable_until": None}


def viewer(comment: dict) -> dict:
    return {name: comment[name] for name in VIEWER_FIELDS}


def page(client: Client, thread, **headers) -> list[dict]:
    response = client.get(f"/api/v1/threads/{thread.pk}/comments?sort=old", headers=headers)
    assert response.status_code == 200
    return response.json()["comments"]


@pytest.fixture
def mine(thread, reader):
    return comment_create(thread=thread, author=reader, body="Mine")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_author_may_edit_and_remove_until_the_window_closes_but_not_report(thread, reader, mine):
    [shown] = page(signed_in(reader), thread)
    window = datetime.timedelta(minutes=thread.site.comment_edit_window_minutes)

    assert {k: shown[k] for k in ("can_edit", "can_remove", "can_report")} == {
        "can_edit": True,
        "can_remove": True,
        "can_report": False,
    }
    # The API's JSON gives times to the millisecond.
    deadline = datetime.datetime.fromisoformat(shown["editable_until"])
    assert abs(deadline - (mine.created_at + window)) < datetime.timedelta(milliseconds=1)


def test_another_reader_may_only_report(thread, second_reader, mine):
    [shown] = page(signed_in(second_reader), thread)
    assert viewer(shown) == {**NOTHING, "can_report": True}


def test_a_reader_nobody_knows_may_do_nothing(client, thread, mine):
    [shown] = page(client, thread)
    assert viewer(shown) == NOTHING


def test_past_the_window_the_author_may_still_remove_but_no_longer_edit(thread, reader, mine):
    Comment.objects.filter(pk=mine.pk).update(created_at=mine.created_at - datetime.timedelta(days=1))
    [shown] = page(signed_in(reader), thread)
    assert viewer(shown) == {**NOTHING, "can_remove": True}


def test_a_removed_comment_offers_nothing_to_anyone(thread, reader, second_reader, mine):
    comment_create(thread=thread, author=second_reader, body="Reply", parent=mine)
    comment_remove(comment=mine, actor=reader)
    for who in (reader, second_reader):
        [shown] = page(signed_in(who), thread)
        assert viewer(shown) == NOTHING


def test_a_guest_learns_what_they_may_do_by_sending_their_token(thread, reader):
    thread.site.allow_guest_comments = True
    thread.site.save()
    token = new_guest_token(site_id=thread.site_id)
    guest = Actor.guest(guest_key_from_token(token, site_id=thread.site_id))
    comment_create(thread=thread, author=guest, guest_name="Eve", body="Hi")
    comment_create(thread=thread, author=reader, body="Theirs")

    own, theirs = page(Client(), thread, **{"X-Talkies-Guest-Token": token})

    assert own["can_edit"] and own["can_remove"] and not own["can_report"]
    assert viewer(theirs) == {**NOTHING, "can_report": True}


def test_a_posted_comment_tells_its_author_they_may_edit_it(thread, reader):
    response = signed_in(reader).post(
        f"/api/v1/threads/{thread.pk}/comments", {"body": "Fresh"}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["can_edit"] is True and response.json()["editable_until"] is not None


def test_replies_pages_carry_the_readers_permissions_too(thread, reader, second_reader, mine):
    comment_create(thread=thread, author=second_reader, body="Reply", parent=mine)
    response = signed_in(second_reader).get(f"/api/v1/comments/{mine.pk}/replies")
    [reply] = response.json()["replies"]
    assert reply["can_edit"] is True and reply["can_report"] is False


def test_an_inactive_account_may_not_report(thread, second_reader, mine):
    second_reader.is_active = False
    assert not can_report_comment(Actor(user=second_reader), mine)
