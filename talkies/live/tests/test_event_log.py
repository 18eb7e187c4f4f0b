"""The live-event log: what each comment write records, what it never reveals, replay and pruning."""

import datetime
import json

import pytest
from django.db import transaction
from django.utils import timezone

from talkies.comments.events import ThreadEvent, ThreadEventKind
from talkies.comments.models import Comment, Thread
from talkies.comments.services import comment_create, comment_edit, comment_remove, comment_vote
from talkies.live.log import REPLAY_LIMIT, prune_events, thread_events_after
from talkies.live.models import LiveEvent
from talkies.live.publisher import record_thread_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """Run on_commit callbacks (the thread_changed receivers) as the test's writes 'commit'."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_each_comment_write_is_logged_with_what_the_page_needs(thread, reader, second_reader, committing):
    with committing():
        comment = comment_create(thread=thread, author=reader, body="First! >!Winston knew!<")
    with committing():
        comment_vote(comment=comment, actor=second_reader, value=1)
    with committing():
        comment_edit(comment=comment, actor=reader, body="First, edited")
    with committing():
        comment_remove(comment=comment, actor=reader)

    created, voted, edited, removed = LiveEvent.objects.order_by("id")
    assert [e.kind for e in (created, voted, edited, removed)] == [
        "comment.created",
        "comment.voted",
        "comment.edited",
        "comment.removed",
    ]
    assert [e.version for e in (created, voted, edited, removed)] == [1, 2, 3, 4]
    assert {e.thread_id for e in (created, voted, edited, removed)} == {thread.pk}
    assert created.site_id == thread.site_id and created.comment_id == comment.pk

    shown = created.payload["comment"]
    assert shown["id"] == comment.pk and shown["parent_id"] is None and shown["depth"] == 0
    assert shown["author_name"] == "Rita Reader"
    assert shown["is_spoiler"] is False and shown["upvotes"] == 0 and shown["edited_at"] is None
    assert created.payload["version"] == 1 and created.payload["thread_id"] == thread.pk
    assert voted.payload == {
        "kind": "comment.voted",
        "thread_id": thread.pk,
        "version": 2,
        "id": comment.pk,
        "upvotes": 1,
        "downvotes": 0,
    }
    assert edited.payload["comment"]["body_html"] == "<p>First, edited</p>\n"
    assert edited.payload["comment"]["edited_at"] is not None
    assert removed.payload == {
        "kind": "comment.removed",
        "thread_id": thread.pk,
        "version": 4,
        "id": comment.pk,
        "has_replies": False,
    }


def test_spoiler_text_travels_only_inside_the_spoiler_span_of_body_html(thread, reader, committing):
    with committing():
        comment_create(thread=thread, author=reader, body="Great ending. >!Winston knew all along!<")
    with committing():
        comment_create(thread=thread, author=reader, body="Whole thing is a spoiler: Eve wins", is_spoiler=True)

    inline, whole = LiveEvent.objects.order_by("id")
    inline_json = json.dumps(inline.payload)
    assert inline_json.count("Winston knew all along") == 1
    assert '<span class=\\"spoiler\\" data-spoiler=\\"\\">Winston knew all along</span>' in inline_json
    assert whole.payload["comment"]["is_spoiler"] is True
    for event in (inline, whole):
        assert "body_source" not in event.payload["comment"]
        assert "guest_key" not in json.dumps(event.payload)


def test_a_comment_the_public_cannot_see_is_not_announced(thread, reader, committing):
    with committing():
        comment = comment_create(thread=thread, author=reader, body="Awaiting moderation")
    LiveEvent.objects.all().delete()
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.PENDING)

    for kind in (ThreadEventKind.COMMENT_CREATED, ThreadEventKind.COMMENT_EDITED, ThreadEventKind.COMMENT_VOTED):
        event = ThreadEvent(kind=kind, site_id=thread.site_id, thread_id=thread.pk, version=9, comment_id=comment.pk)
        record_thread_event(event)

    assert not LiveEvent.objects.exists()


def test_changes_pages_do_not_show_are_not_logged(thread):
    event = ThreadEvent(
        kind=ThreadEventKind.THREAD_CLOSED, site_id=thread.site_id, thread_id=thread.pk, version=9, comment_id=None
    )
    record_thread_event(event)
    gone = ThreadEvent(
        kind=ThreadEventKind.COMMENT_CREATED, site_id=thread.site_id, thread_id=thread.pk, version=9, comment_id=0
    )
    record_thread_event(gone)

    assert not LiveEvent.objects.exists()


def test_a_removed_comment_with_replies_is_announced_as_keeping_its_place(thread, reader, second_reader, committing):
    with committing():
        parent = comment_create(thread=thread, author=reader, body="Parent")
        comment_create(thread=thread, author=second_reader, body="Reply", parent=parent)
    with committing():
        comment_remove(comment=parent, actor=reader)

    removed = LiveEvent.objects.get(kind="comment.removed")
    assert removed.payload["has_replies"] is True
    reply = LiveEvent.objects.filter(kind="comment.created").order_by("id").last()
    assert reply is not None and reply.payload["comment"]["parent_id"] == parent.pk
    assert reply.payload["comment"]["depth"] == 1


def test_a_page_replays_what_it_missed_by_event_id_or_by_the_version_it_was_rendered_at(thread, reader, committing):
    with committing():
        comments = [comment_create(thread=thread, author=reader, body=f"Comment {n}") for n in range(3)]
    first, second, third = LiveEvent.objects.order_by("id")

    after_first = thread_events_after(thread_id=thread.pk, after_id=first.pk)
    assert after_first is not None and [e.id for e in after_first] == [second.pk, third.pk]
    assert json.loads(after_first[0].data)["comment"]["id"] == comments[1].pk

    after_version_2 = thread_events_after(thread_id=thread.pk, after_version=2)
    assert after_version_2 is not None and [e.id for e in after_version_2] == [third.pk]

    assert thread_events_after(thread_id=thread.pk) == []  # nothing to resume from: nothing to replay


def test_replay_gives_up_on_a_page_too_far_behind(thread, reader):
    LiveEvent.objects.bulk_create(
        LiveEvent(site=thread.site, thread=thread, version=n, kind="comment.voted", payload={})
        for n in range(1, REPLAY_LIMIT + 2)
    )
    assert thread_events_after(thread_id=thread.pk, after_version=0) is None
    assert thread_events_after(thread_id=thread.pk, after_version=1) is not None


def test_replay_never_returns_another_threads_events(thread, other_site, reader, committing):
    from talkies.comments.models import Thread

    elsewhere = Thread.objects.create(site=other_site, key="page:1")
    with committing():
        comment_create(thread=elsewhere, author=reader, body="Elsewhere")

    assert thread_events_after(thread_id=thread.pk, after_id=0) == []


def test_pruning_deletes_events_older_than_an_hour_only(thread):
    now = timezone.now()
    old = LiveEvent.objects.create(
        site=thread.site, thread=thread, version=1, kind="comment.voted", payload={}, created_at=now
    )
    LiveEvent.objects.filter(pk=old.pk).update(created_at=now - datetime.timedelta(minutes=61))
    recent = LiveEvent.objects.create(
        site=thread.site,
        thread=thread,
        version=2,
        kind="comment.voted",
        payload={},
        created_at=now - datetime.timedelta(minutes=59),
    )

    assert prune_events(now=now) == 1
    assert list(LiveEvent.objects.values_list("id", flat=True)) == [recent.pk]


def test_the_event_is_recorded_in_the_transaction_of_the_write(thread, reader):
    """Issue 13: an event written after the commit could be lost (a busy database, a crash) once the
    comment was saved, and open pages would never hear of it. In the write's transaction, the two go
    together: a comment that rolls back leaves no event, a comment that commits has one."""

    class RolledBack(Exception):
        pass

    with pytest.raises(RolledBack), transaction.atomic():
        comment = comment_create(thread=thread, author=reader, body="Never saved")
        # Before any commit, inside the write's own transaction: the row is there already.
        assert LiveEvent.objects.filter(comment_id=comment.pk, kind="comment.created").exists()
        raise RolledBack

    assert not Comment.objects.exists()
    assert not LiveEvent.objects.exists()

    saved = comment_create(thread=thread, author=reader, body="Saved")  # no on_commit callback is run here
    assert LiveEvent.objects.filter(comment_id=saved.pk, kind="comment.created").count() == 1


def test_a_failing_log_write_fails_the_comment_with_it(thread, reader, committing, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("talkies.live.publisher.record_event", broken)
    with pytest.raises(RuntimeError, match="disk full"), committing():
        comment_create(thread=thread, author=reader, body="Not saved without its event")

    assert not Comment.objects.exists()
    assert Thread.objects.get(pk=thread.pk).comment_count == 0


def test_a_failing_doorbell_never_fails_the_comment(thread, reader, committing, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("redis down")

    monkeypatch.setattr("talkies.live.publisher.wake_local_brokers", broken)
    with committing():
        comment = comment_create(thread=thread, author=reader, body="Still saved")

    assert LiveEvent.objects.filter(comment_id=comment.pk).exists()
    assert "could not ring" in caplog.text
