"""What happened in a thread, announced after the transaction that did it commits.

Every write in comments.services ends by calling `announce`, which (1) bumps `Thread.version` inside the
same transaction, so any cache keyed on it is stale the moment the write is visible, and (2) sends a
`ThreadEvent` on `thread_changed`. Receivers (the thread-page cache, live updates over SSE, reply
notifications, webhooks) connect to the channel, so the services never import them.

Most receivers run in the request that made the change, after commit: they must be quick and must not
raise (a failure there cannot undo the saved comment, so log and carry on; talkies.lib.events logs for
them). Those whose row must exist exactly when the change does (the live-event log, queued emails and
webhooks) run inside the transaction instead (EventChannel.connect_in_transaction).
"""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from django.db import connection

from talkies.lib.events import EventChannel

if TYPE_CHECKING:
    from .models import Comment


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
    # The comment exactly as this write saved it, when the service holds all of it (a comment just
    # created): an in-transaction receiver may render it rather than read it back. Not part of the event's
    # value, and None once the write is anything but the comment's creation.
    saved: "Comment | None" = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.kind.is_about_a_comment != (self.comment_id is not None):
            raise ValueError(f"a {self.kind} event names a comment if and only if it is about one")


thread_changed: EventChannel[ThreadEvent] = EventChannel("comments.thread_changed")


def announce(
    *,
    kind: ThreadEventKind,
    site_id: int,
    thread_id: int,
    comment_id: int | None = None,
    saved: "Comment | None" = None,
) -> int:
    """Bump the thread's version and send `thread_changed` (in-transaction receivers now, the others after
    commit). Call inside the write's transaction; `saved` is a comment this write created (ThreadEvent).

    Returns the new version.
    """
    event = ThreadEvent(
        kind=kind,
        site_id=site_id,
        thread_id=thread_id,
        version=bump_version(thread_id),
        comment_id=comment_id,
        saved=saved,
    )
    thread_changed.send_on_commit(event)
    return event.version


def bump_version(thread_id: int) -> int:
    """Add one to the thread's version and return it: one statement where the database can return what it
    updated (SQLite 3.35+, PostgreSQL), else an update and a read, both under the write's lock."""
    from .models import Thread

    if connection.features.can_return_columns_from_insert:  # the same RETURNING clause, on UPDATE
        table, version, pk = (connection.ops.quote_name(name) for name in (Thread._meta.db_table, "version", "id"))
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {version} = {version} + 1 WHERE {pk} = %s RETURNING {version}", [thread_id]
            )
            row = cursor.fetchone()
        if row is None:
            raise Thread.DoesNotExist(f"no thread {thread_id} to announce a change in")
        return int(row[0])
    from django.db.models import F

    Thread.objects.filter(pk=thread_id).update(version=F("version") + 1)
    return Thread.objects.values_list("version", flat=True).get(pk=thread_id)
