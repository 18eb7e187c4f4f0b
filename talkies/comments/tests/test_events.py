import pytest

from talkies.comments.events import ThreadEvent, ThreadEventKind, thread_changed
from talkies.comments.models import Thread
from talkies.comments.services import comment_create, comment_edit, comment_remove, comment_vote


def test_every_write_bumps_the_thread_version_and_announces_itself_after_commit(
    thread, reader, second_reader, django_capture_on_commit_callbacks
):
    seen: list[ThreadEvent] = []

    def receiver(event: ThreadEvent) -> None:
        seen.append(event)

    thread_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            comment = comment_create(thread=thread, author=reader, body="First!")
            comment_vote(comment=comment, actor=second_reader, value=1)
            comment_edit(comment=comment, actor=reader, body="First, and edited")
            comment_remove(comment=comment, actor=reader)
    finally:
        thread_changed.disconnect(receiver)

    assert [e.kind for e in seen] == ["comment.created", "comment.voted", "comment.edited", "comment.removed"]
    assert [e.version for e in seen] == [1, 2, 3, 4]
    assert {e.thread_id for e in seen} == {thread.pk} and {e.comment_id for e in seen} == {comment.pk}
    assert Thread.objects.get(pk=thread.pk).version == 4


def test_nothing_is_announced_when_the_transaction_does_not_commit(thread, reader, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        comment_create(thread=thread, author=reader, body="Hello")
    # The event is queued for commit, not sent inside the transaction (the other callbacks are the
    # in-transaction receivers' own: a queued task, the live log's doorbell).
    sends = [c for c in callbacks if getattr(c, "func", None) == thread_changed.send]
    assert len(sends) == 1


def test_the_kinds_keep_the_names_stored_in_the_live_log_and_webhook_subscriptions():
    assert [kind.value for kind in ThreadEventKind] == [
        "comment.created",
        "comment.held",
        "comment.approved",
        "comment.rejected",
        "comment.edited",
        "comment.removed",
        "comment.voted",
        "comment.featured",
        "comment.unfeatured",
        "thread.closed",
        "thread.opened",
    ]


def test_an_event_names_a_comment_exactly_when_it_is_about_one():
    ThreadEvent(kind=ThreadEventKind.THREAD_CLOSED, site_id=1, thread_id=1, version=2)
    ThreadEvent(kind=ThreadEventKind.COMMENT_VOTED, site_id=1, thread_id=1, version=2, comment_id=3)
    with pytest.raises(ValueError):
        ThreadEvent(kind=ThreadEventKind.COMMENT_VOTED, site_id=1, thread_id=1, version=2)
    with pytest.raises(ValueError):
        ThreadEvent(kind=ThreadEventKind.THREAD_OPENED, site_id=1, thread_id=1, version=2, comment_id=3)
