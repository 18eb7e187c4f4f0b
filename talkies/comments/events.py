"""What happened in a thread, announced after the transaction that did it commits.

Every write in comments.services ends by calling `announce`, which (1) bumps `Thread.version` inside the
same transaction, so any cache keyed on it is stale the moment the write is visible, and (2) sends
`thread_changed` once the transaction commits. Receivers (the thread-page cache, live updates over SSE,
reply notifications) hang off the signal, so the services never import them.

Receivers run in the request that made the change, after commit: they must be quick and must not raise
(a failure there cannot undo the saved comment, so log and carry on).
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.dispatch import Signal

# Sent with event=ThreadEvent.
thread_changed = Signal()


@dataclass(frozen=True)
class ThreadEvent:
    kind: str  # "comment.created" | "comment.edited" | "comment.removed" | "comment.voted"
    #            | "comment.featured" | "comment.unfeatured" | "thread.closed" | "thread.opened"
    site_id: int
    thread_id: int
    version: int  # the thread's version after this change
    comment_id: int | None = None


def announce(*, kind: str, site_id: int, thread_id: int, comment_id: int | None = None) -> int:
    """Bump the thread's version and send `thread_changed` after commit. Call inside the write's transaction.

    Returns the new version.
    """
    from .models import Thread

    Thread.objects.filter(pk=thread_id).update(version=F("version") + 1)
    version = Thread.objects.values_list("version", flat=True).get(pk=thread_id)
    event = ThreadEvent(kind=kind, site_id=site_id, thread_id=thread_id, version=version, comment_id=comment_id)
    transaction.on_commit(lambda: thread_changed.send_robust(sender=ThreadEvent, event=event))
    return version
