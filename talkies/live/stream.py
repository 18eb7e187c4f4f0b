"""One page's Server-Sent Events stream: the events it missed, then each new event of its thread.

Wire format (https://html.spec.whatwg.org/multipage/server-sent-events.html):

    id: 1234                      <- the event log id; the browser sends it back as Last-Event-ID
    event: comment.created
    data: {"kind": "comment.created", "thread_id": 7, "version": 42, "comment": {...}}

A comment line (": keep-alive") every HEARTBEAT_SECONDS keeps proxies from timing the stream out and
lets the server notice a vanished client. A stream that has carried no event for
settings.LIVE_STREAM_IDLE_SECONDS ends with a `retry:` line: the browser comes back after that delay with
Last-Event-ID and is sent whatever it missed meanwhile. An `event: reload` tells the page it has missed more than the
log still holds; the page then offers to reload rather than show a thread with holes in it.
"""

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from functools import partial

from django.conf import settings

from . import log
from .broker import subscribe
from .db_thread import in_live_db_thread
from .log import StreamEvent

HEARTBEAT_SECONDS = 15.0
# Streams end now and then (the browser reconnects at once, losing nothing), so that connections spread
# again over workers and nodes that were restarted or added since they opened.
MAX_STREAM_SECONDS = 15 * 60.0
RECONNECT_DELAY_MS = 2000


def sse_event(event: StreamEvent) -> bytes:
    # Payload JSON is serialised without newlines, so it is always a single data: line.
    return f"id: {event.id}\nevent: {event.kind}\ndata: {event.data}\n\n".encode()


def sse_reload(reason: str) -> bytes:
    return f"event: reload\ndata: {json.dumps({'reason': reason})}\n\n".encode()


KEEP_ALIVE = b": keep-alive\n\n"


def _missed_events(*, thread_id: int, after_id: int | None, after_version: int | None) -> list[StreamEvent] | None:
    """The thread's events since the page's last one; None when some are no longer in the log."""
    if after_id is not None:
        oldest = log.oldest_event_id()
        if oldest is not None and after_id + 1 < oldest:
            return None
    return log.thread_events_after(thread_id=thread_id, after_id=after_id, after_version=after_version)


async def thread_stream(*, thread_id: int, after_id: int | None, after_version: int | None) -> AsyncIterator[bytes]:
    """The SSE byte stream for one page of thread `thread_id`. Ends when the client goes away."""
    missed = partial(_missed_events, thread_id=thread_id, after_id=after_id, after_version=after_version)
    async for chunk in _stream(channel=thread_id, load_missed=missed):
        yield chunk


def _missed_moderation_events(*, site_id: int, after_id: int | None) -> list[StreamEvent] | None:
    if after_id is not None:
        oldest = log.oldest_event_id()
        if oldest is not None and after_id + 1 < oldest:
            return None
    return log.moderation_events_after(site_id=site_id, after_id=after_id)


async def moderation_stream(*, site_id: int, after_id: int | None) -> AsyncIterator[bytes]:
    """The SSE byte stream of a site's moderation screen: an event for each comment entering a queue."""
    missed = partial(_missed_moderation_events, site_id=site_id, after_id=after_id)
    async for chunk in _stream(channel=log.moderation_channel(site_id), load_missed=missed):
        yield chunk


async def _stream(*, channel: int, load_missed: Callable[[], list[StreamEvent] | None]) -> AsyncIterator[bytes]:
    """Subscribes before reading what the page missed, so an event logged in between comes through one
    or the other (or both: replayed ids are not sent twice). The first bytes (`retry:`) are sent once
    subscribed: from then on, every new event of the channel reaches this stream.
    """
    async with subscribe(channel) as subscription:
        missed = await in_live_db_thread(load_missed)
        yield f"retry: {RECONNECT_DELAY_MS}\n\n".encode()
        if missed is None:
            yield sse_reload("This conversation has changed more than can be caught up: reload to see it.")
            return
        replayed = {event.id for event in missed}
        for replay in missed:
            yield sse_event(replay)

        loop = asyncio.get_running_loop()
        idle_seconds = float(settings.LIVE_STREAM_IDLE_SECONDS)
        closes_at = loop.time() + MAX_STREAM_SECONDS
        idle_at = loop.time() + idle_seconds
        while (left := min(closes_at, idle_at) - loop.time()) > 0:
            try:
                async with asyncio.timeout(min(HEARTBEAT_SECONDS, left)):
                    event = await subscription.next()
            except TimeoutError:
                if loop.time() < idle_at:
                    yield KEEP_ALIVE
                continue
            if event is None:  # the broker closed the subscription; the browser will reconnect and resume
                return
            if event.id not in replayed:
                yield sse_event(event)
                idle_at = loop.time() + idle_seconds
        # Said again at the end, so a client that overrode the first hint still waits before coming back.
        yield f"retry: {RECONNECT_DELAY_MS}\n\n".encode()
