"""Reply depth, closing by hand and by age, featured comments, and the inline-spoiler flag."""

import datetime

import pytest
from django.utils import timezone

from talkies.comments.models import Comment
from talkies.comments.permissions import thread_closes_at, thread_is_open
from talkies.comments.services import (
    comment_create,
    comment_edit,
    comment_set_featured,
    thread_set_closed,
)
from talkies.lib.errors import PermissionDenied, ServiceError


def test_replies_stop_at_the_sites_maximum_depth(site, thread, reader):
    site.max_reply_depth = 2
    site.save()
    top = comment_create(thread=thread, author=reader, body="0")
    one = comment_create(thread=thread, author=reader, body="1", parent=top)
    two = comment_create(thread=thread, author=reader, body="2", parent=one)
    with pytest.raises(ServiceError) as error:
        comment_create(thread=thread, author=reader, body="3", parent=two)
    assert error.value.field == "parent" and "at most 2 deep" in error.value.message


def test_an_editor_closes_a_thread_and_it_stays_readable_but_takes_no_comments(thread, editor, reader):
    comment_create(thread=thread, author=reader, body="Before")
    thread_set_closed(thread=thread, user=editor, closed=True)
    with pytest.raises(PermissionDenied, match="closed"):
        comment_create(thread=thread, author=reader, body="After")
    thread_set_closed(thread=thread, user=editor, closed=False)
    comment_create(thread=thread, author=reader, body="Reopened")
    assert thread.comments.count() == 2


def test_readers_and_other_sites_staff_cannot_close_or_feature(thread, reader, outsider):
    comment = comment_create(thread=thread, author=reader, body="Hello")
    for who in (reader, outsider):
        with pytest.raises(PermissionDenied):
            thread_set_closed(thread=thread, user=who, closed=True)
        with pytest.raises(PermissionDenied):
            comment_set_featured(comment=comment, user=who, featured=True)


def test_a_thread_closes_itself_the_configured_days_after_the_story_is_published(site, story, thread, reader):
    site.auto_close_after_days = 7
    site.save()
    thread.refresh_from_db()
    assert thread_closes_at(thread) == story.published_at + datetime.timedelta(days=7)
    assert thread_is_open(thread)
    assert not thread_is_open(thread, now=story.published_at + datetime.timedelta(days=7, seconds=1))
    story.published_at = timezone.now() - datetime.timedelta(days=8)
    story.save()
    thread.refresh_from_db()
    with pytest.raises(PermissionDenied, match="closed"):
        comment_create(thread=thread, author=reader, body="Too late")


def test_a_moderator_features_a_comment_and_unfeatures_it(thread, moderator, reader):
    comment = comment_create(thread=thread, author=reader, body="Great catch about the Ruska Roma")
    comment_set_featured(comment=comment, user=moderator, featured=True)
    stored = Comment.objects.get(pk=comment.pk)
    assert stored.is_featured and stored.featured_by == moderator and stored.featured_at is not None
    comment_set_featured(comment=comment, user=moderator, featured=False)
    stored.refresh_from_db()
    assert not stored.is_featured and stored.featured_by is None


def test_the_inline_spoiler_flag_follows_the_body_through_edits(thread, reader):
    comment = comment_create(thread=thread, author=reader, body="No spoilers here")
    assert not comment.has_inline_spoiler
    comment = comment_edit(comment=comment, actor=reader, body="Well, >!Winston survives!<")
    assert Comment.objects.get(pk=comment.pk).has_inline_spoiler
