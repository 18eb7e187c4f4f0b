"""The thread_changed receiver: records each change in the live-event log and wakes the brokers."""

import logging
import time

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
    """Log `event` for every process's live streams, then ring this process's brokers and Redis.

    Runs after the write committed, in the request that made it: the comment is saved whatever happens
    here, so a failure is logged, never raised into that request.
    """
    try:
        payload = event_payload(event)
        if payload is None:
            return
        row = record_event(event, payload)
    except Exception:
        logger.exception("live updates: could not record %s in thread %s", event.kind, event.thread_id)
        return
    wake_local_brokers()
    redis_doorbell.ring(row.pk)
    _prune_now_and_then()


def record_moderation_event(event: ModerationEvent) -> None:
    """Log a queue arrival for the site's open moderation screens: ids only, never the comment itself
    (a screen fetches the item through its moderator's session)."""
    try:
        row = record_moderation_event_row(
            site_id=event.site_id,
            thread_id=event.thread_id,
            kind=f"moderation.{event.queue}",
            payload={"comment_id": event.comment_id, "queue": event.queue},
        )
    except Exception:
        logger.exception("live updates: could not record a moderation event for comment %s", event.comment_id)
        return
    wake_local_brokers()
    redis_doorbell.ring(row.pk)


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
