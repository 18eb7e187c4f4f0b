"""Guests comment and vote with a name and a signed secret their browser keeps; never by IP."""

import pytest

from talkies.accounts.actors import Actor
from talkies.comments.models import Comment, Vote
from talkies.comments.services import comment_create, comment_edit, comment_remove, comment_vote
from talkies.lib.errors import PermissionDenied, ServiceError
from talkies.lib.guests import guest_key_from_token, new_guest_token


@pytest.fixture
def guest_key(site):
    return guest_key_from_token(new_guest_token(site_id=site.pk), site_id=site.pk)


@pytest.fixture
def open_to_guests(site):
    site.allow_guest_comments = True
    site.save()
    return site


def test_a_guest_posts_with_a_name_where_the_site_allows_it(open_to_guests, thread, guest_key):
    comment = comment_create(thread=thread, author=Actor.guest(guest_key), guest_name="  Eve   M. ", body="Hi")
    assert (comment.author, comment.guest_name, comment.author_name) == (None, "Eve M.", "Eve M.")
    assert comment.guest_key == guest_key and len(guest_key) == 64


def test_a_guest_is_refused_where_the_site_wants_accounts(thread, guest_key):
    with pytest.raises(PermissionDenied) as error:
        comment_create(thread=thread, author=Actor.guest(guest_key), guest_name="Eve", body="Hi")
    assert error.value.field == "author"


@pytest.mark.parametrize(
    ("name", "key", "field"),
    [("", "k" * 64, "guest_name"), ("x" * 81, "k" * 64, "guest_name"), ("Eve", "", "guest_token")],
)
def test_it_names_what_a_guest_left_out(open_to_guests, thread, name, key, field):
    with pytest.raises(ServiceError) as error:
        comment_create(thread=thread, author=Actor.guest(key), guest_name=name, body="Hi")
    assert error.value.field == field


def test_a_forged_or_tampered_guest_token_is_refused(site):
    token = new_guest_token(site_id=site.pk)
    with pytest.raises(ServiceError, match="guest_token"):
        guest_key_from_token(token[:-2] + "xx", site_id=site.pk)
    with pytest.raises(ServiceError, match="guest_token"):
        guest_key_from_token("not-a-token", site_id=site.pk)


def test_only_the_same_guest_secret_edits_or_removes_the_comment(open_to_guests, thread, guest_key):
    comment = comment_create(thread=thread, author=Actor.guest(guest_key), guest_name="Eve", body="Hi")
    stranger = guest_key_from_token(new_guest_token(site_id=thread.site_id), site_id=thread.site_id)
    with pytest.raises(PermissionDenied):
        comment_edit(comment=comment, actor=Actor.guest(stranger), body="Hijacked")
    comment_edit(comment=comment, actor=Actor.guest(guest_key), body="Hi again")
    assert Comment.objects.get(pk=comment.pk).body_source == "Hi again"
    with pytest.raises(PermissionDenied):
        comment_remove(comment=comment, actor=Actor.guest(stranger))
    comment_remove(comment=comment, actor=Actor.guest(guest_key))
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.REMOVED


def test_guests_vote_once_each_and_not_on_their_own_comment(open_to_guests, thread, reader, guest_key):
    theirs = comment_create(thread=thread, author=Actor.guest(guest_key), guest_name="Eve", body="Mine")
    with pytest.raises(PermissionDenied, match="your own"):
        comment_vote(comment=theirs, actor=Actor.guest(guest_key), value=1)

    readers_comment = comment_create(thread=thread, author=reader, body="Reader's")
    comment_vote(comment=readers_comment, actor=Actor.guest(guest_key), value=1)
    comment_vote(comment=readers_comment, actor=Actor.guest(guest_key), value=-1)
    other_guest = guest_key_from_token(new_guest_token(site_id=thread.site_id), site_id=thread.site_id)
    voted = comment_vote(comment=readers_comment, actor=Actor.guest(other_guest), value=-1)
    assert (voted.upvotes, voted.downvotes) == (0, 2)
    assert Vote.objects.filter(comment=readers_comment, user=None).count() == 2


def test_guests_cannot_vote_where_the_site_wants_accounts(thread, reader, guest_key):
    comment = comment_create(thread=thread, author=reader, body="Hello")
    with pytest.raises(PermissionDenied, match="log in"):
        comment_vote(comment=comment, actor=Actor.guest(guest_key), value=1)
