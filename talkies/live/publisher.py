"""The thread_changed receiver: records each change in the live-event log and wakes the brokers.

The event's row is written inside the transaction of the write it describes (an in-transaction receiver,
talkies.lib.events), so a saved comment always has its event and a rolled-back one never does: nothing
that happens after the commit can lose it. Only the wake-up, which carries nothing, waits for the commit;
were it lost, brokers would still find the row on their next look (broker.py polls the log too).
"""

import logging
import time
from functools import partial

from django.db import transaction

from talkies.comments.events import ThreadEvent
from talkies.moderation.events import ModerationEvent

from . import redis_doorbell
from .broker import wake_local_brokers
from .log import prune_events, record_event
from .log import record_moderation_event as record_moderation_event_row
from .payloads import event_payload

logger = logging.getLogger(__name__)

# Pruning is one indexed DELETE; once a minute per process keeps the log near an hour's worth of events
# without a scheduler (`talkies prune_live_events` does the same from cron).
PRUNE_EVERY_SECONDS = 60.0
_next_prune_at = 0.0


def record_thread_event(event: ThreadEvent) -> None:
    """Log `event` for every process's live streams, in the write's transaction; ring this process's
    brokers and Redis once it commits.

    Runs in the transaction that made the change: an exception here rolls the change back with it, as a
    failure to save the comment itself would, rather than saving a comment whose event is lost.
    """
    payload = event_payload(event)
    if payload is None:
        return
    row = record_event(event, payload)
    transaction.on_commit(partial(_ring, row.pk, prune=True))


def record_moderation_event(event: ModerationEvent) -> None:
    """Log a queue arrival for the site's open moderation screens, in the transaction that queued it: ids
    only, never the comment itself (a screen fetches the item through its moderator's session)."""
    row = record_moderation_event_row(
        site_id=event.site_id,
        thread_id=event.thread_id,
        kind=f"moderation.{event.queue}",
        payload={"comment_id": event.comment_id, "queue": event.queue},
    )
    transaction.on_commit(partial(_ring, row.pk, prune=False))


def _ring(event_id: int, *, prune: bool) -> None:
    """After commit: wake the brokers of this process and, through Redis, of the others. Never raises
    (the write is saved; a broker that misses the ring finds the row when it next reads the log)."""
    try:
        wake_local_brokers()
        redis_doorbell.ring(event_id)
    except Exception:
        logger.exception("live updates: could not ring for event %s", event_id)
    if prune:
        _prune_now_and_then()


def _prune_now_and_then() -> None:
    global _next_prune_at
    now = time.monotonic()
    if now < _next_prune_at:
        return
    _next_prune_at = now + PRUNE_EVERY_SECONDS
    try:
        prune_events()
    except Exception:
        logger.exception("live updates: could not prune the event log")
