"""What happened in a thread, announced after the transaction that did it commits.

Every write in comments.services ends by calling `announce`, which (1) bumps `Thread.version` inside the
same transaction, so any cache keyed on it is stale the moment the write is visible, and (2) sends a
`ThreadEvent` on `thread_changed` once the transaction commits. Receivers (the thread-page cache, live
updates over SSE, reply notifications, webhooks) connect to the channel, so the services never import them.

Receivers run in the request that made the change, after commit: they must be quick and must not raise
(a failure there cannot undo the saved comment, so log and carry on; talkies.lib.events logs for them).
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import F

from talkies.lib.events import EventChannel


class ThreadEventKind(StrEnum):
    """Every kind of thread event, spelled once. The values are stored (LiveEvent.kind, a webhook's list
    of events) and sent (live updates, webhook envelopes): never change one."""

    COMMENT_CREATED = "comment.created"
    COMMENT_HELD = "comment.held"  # posted, but not published: pending, shadowed or rejected on arrival
    COMMENT_APPROVED = "comment.approved"  # a held or rejected comment published by a moderator
    COMMENT_REJECTED = "comment.rejected"  # a comment taken off the thread by a moderator
    COMMENT_EDITED = "comment.edited"
    COMMENT_REMOVED = "comment.removed"
    COMMENT_VOTED = "comment.voted"
    COMMENT_FEATURED = "comment.featured"
    COMMENT_UNFEATURED = "comment.unfeatured"
    THREAD_CLOSED = "thread.closed"
    THREAD_OPENED = "thread.opened"

    @property
    def is_about_a_comment(self) -> bool:
        return self.value.startswith("comment.")


@dataclass(frozen=True)
class ThreadEvent:
    kind: ThreadEventKind
    site_id: int
    thread_id: int
    version: int  # the thread's version after this change
    comment_id: int | None = None  # set exactly when kind.is_about_a_comment

    def __post_init__(self) -> None:
        if self.kind.is_about_a_comment != (self.comment_id is not None):
            raise ValueError(f"a {self.kind} event names a comment if and only if it is about one")


thread_changed: EventChannel[ThreadEvent] = EventChannel("comments.thread_changed")


def announce(*, kind: ThreadEventKind, site_id: int, thread_id: int, comment_id: int | None = None) -> int:
    """Bump the thread's version and send `thread_changed` after commit. Call inside the write's transaction.

    Returns the new version.
    """
    from .models import Thread

    Thread.objects.filter(pk=thread_id).update(version=F("version") + 1)
    version = Thread.objects.values_list("version", flat=True).get(pk=thread_id)
    event = ThreadEvent(kind=kind, site_id=site_id, thread_id=thread_id, version=version, comment_id=comment_id)
    thread_changed.send_on_commit(event)
    return version
