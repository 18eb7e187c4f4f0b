"""Reading and writing the live-event log. Synchronous ORM code: async callers run it in a thread."""

import datetime
import json
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from talkies.comments.events import ThreadEvent

from .models import LiveEvent
from .payloads import Payload

# How long events stay replayable. A reader whose connection drops for longer is told to reload.
RETENTION = datetime.timedelta(seconds=getattr(settings, "LIVE_EVENT_RETENTION_SECONDS", 3600))
# A reconnecting page is sent at most this many missed events; further behind, reloading is quicker.
REPLAY_LIMIT = 500


# Events for a site's moderation screens, not for readers' pages: their kinds start with this.
MODERATION_KIND_PREFIX = "moderation."


def moderation_channel(site_id: int) -> int:
    """The broker channel of a site's moderation screens. Threads' channels are their (positive) ids."""
    return -site_id


@dataclass(frozen=True)
class StreamEvent:
    """One event as the streams send it, its JSON already serialised once for every reader."""

    id: int
    thread_id: int
    kind: str
    data: str
    # Which streams get it: the thread's readers, or (moderation events) the site's moderation screens.
    channel: int = 0

    @classmethod
    def from_row(cls, row: LiveEvent) -> "StreamEvent":
        moderation = row.kind.startswith(MODERATION_KIND_PREFIX)
        return cls(
            id=row.pk,
            thread_id=row.thread_id,
            kind=row.kind,
            data=json.dumps(row.payload, separators=(",", ":")),
            channel=moderation_channel(row.site_id) if moderation else row.thread_id,
        )


def record_event(event: ThreadEvent, payload: Payload) -> LiveEvent:
    return LiveEvent.objects.create(
        site_id=event.site_id,
        thread_id=event.thread_id,
        version=event.version,
        kind=event.kind,
        comment_id=event.comment_id,
        payload=payload,
    )


def record_moderation_event(*, site_id: int, thread_id: int, kind: str, payload: Payload) -> LiveEvent:
    assert kind.startswith(MODERATION_KIND_PREFIX)
    version = 0  # moderation events do not change the thread readers see
    return LiveEvent.objects.create(
        site_id=site_id,
        thread_id=thread_id,
        version=version,
        kind=kind,
        comment_id=payload.get("comment_id"),
        payload=payload,
    )


def moderation_events_after(*, site_id: int, after_id: int | None) -> list[StreamEvent] | None:
    """The site's moderation events a screen has missed since `after_id`; None when too many."""
    if after_id is None:
        return []
    rows = LiveEvent.objects.filter(site_id=site_id, kind__startswith=MODERATION_KIND_PREFIX, id__gt=after_id)
    found = list(rows.order_by("id")[: REPLAY_LIMIT + 1])
    if len(found) > REPLAY_LIMIT:
        return None
    return [StreamEvent.from_row(row) for row in found]


def latest_event_id() -> int:
    return LiveEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def oldest_event_id() -> int | None:
    return LiveEvent.objects.order_by("id").values_list("id", flat=True).first()


def events_after(last_id: int, also: frozenset[int] = frozenset(), limit: int = 1000) -> list[StreamEvent]:
    """Every thread's events with an id above `last_id` or listed in `also`, oldest first."""
    rows = LiveEvent.objects.filter(id__gt=last_id)
    if also:
        rows = rows | LiveEvent.objects.filter(id__in=also)
    return [StreamEvent.from_row(row) for row in rows.order_by("id")[:limit]]


def thread_events_after(
    *, thread_id: int, after_id: int | None = None, after_version: int | None = None
) -> list[StreamEvent] | None:
    """The thread's events a page has missed, oldest first; None when there are too many to replay.

    `after_id` is the last event the page received (its Last-Event-ID); `after_version` the thread
    version the page was rendered at, for a page opening its stream for the first time.
    """
    rows = LiveEvent.objects.filter(thread_id=thread_id).exclude(kind__startswith=MODERATION_KIND_PREFIX)
    if after_id is not None:
        rows = rows.filter(id__gt=after_id)
    elif after_version is not None:
        rows = rows.filter(version__gt=after_version)
    else:
        return []
    found = list(rows.order_by("id")[: REPLAY_LIMIT + 1])
    if len(found) > REPLAY_LIMIT:
        return None
    return [StreamEvent.from_row(row) for row in found]


def prune_events(*, now: datetime.datetime | None = None) -> int:
    """Delete events older than RETENTION. Returns how many were deleted."""
    cutoff = (now or timezone.now()) - RETENTION
    deleted, _ = LiveEvent.objects.filter(created_at__lt=cutoff).delete()
    return deleted
