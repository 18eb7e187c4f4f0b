"""Fan-out of live events to the streams this process holds, one broker per event loop.

A granian worker process runs one event loop, so one broker serves every stream of the process. While at
least one stream is open, the broker runs a single task that reads new events from the log and offers
each to the streams watching that event's thread: one query per read, whatever the number of streams.

The broker reads when it is woken, and otherwise on a timer:
- a write made in this process wakes it at once (publisher.py calls wake_local_brokers);
- with REDIS_URL, a write anywhere rings a Redis doorbell that wakes it, and the timer is only a safety
  net for lost rings;
- without Redis, the timer (POLL_SECONDS) is how an event written by one process reaches the others.

When its last stream closes the broker stops its task, closes its database connection and leaves the
registry; the next stream starts a fresh one. Nothing outlives the streams that need it.
"""

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from django.db import DatabaseError, connection

from . import log, redis_doorbell
from .log import StreamEvent

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.25
POLL_SECONDS_WITH_REDIS = 5.0
# A stream this far behind is closed rather than buffered without bound; its browser reconnects and
# catches up from the log with Last-Event-ID.
QUEUE_LIMIT = 1000
# On PostgreSQL, ids are handed out at insert and become visible at commit, so id 41 can appear after
# id 42 has been read. An id skipped over is re-checked for this long before it is taken for a rollback.
GAP_GRACE_SECONDS = 5.0
MAX_TRACKED_GAPS = 1000
READY_TIMEOUT_SECONDS = 10.0

T = TypeVar("T")


class Subscription:
    """One stream's inbox: the events of one thread, in the order the broker read them."""

    def __init__(self, thread_id: int) -> None:
        self.thread_id = thread_id
        self._queue: asyncio.Queue[StreamEvent | None] = asyncio.Queue()
        self._closed = False

    def offer(self, event: StreamEvent) -> None:
        if self._closed:
            return
        if self._queue.qsize() >= QUEUE_LIMIT:
            logger.info("live updates: closing a stream of thread %s that fell behind", self.thread_id)
            self.close()
            return
        self._queue.put_nowait(event)

    def close(self) -> None:
        """End the stream after the events already queued (the browser reconnects and resumes)."""
        if not self._closed:
            self._closed = True
            self._queue.put_nowait(None)

    async def next(self) -> StreamEvent | None:
        """The next event, waiting for it; None once the subscription has been closed."""
        return await self._queue.get()


class LogCursor:
    """How far the broker has read the log, remembering ids it skipped that may still commit."""

    def __init__(self, last_id: int) -> None:
        self.last_id = last_id
        self._gaps: dict[int, float] = {}  # skipped id -> monotonic time after which it is given up

    def gaps(self, now: float) -> frozenset[int]:
        """Skipped ids still worth asking for."""
        self._gaps = {gap: until for gap, until in self._gaps.items() if until > now}
        return frozenset(self._gaps)

    def advance(self, events: Iterable[StreamEvent], now: float) -> list[StreamEvent]:
        """The events not seen before, noting any ids skipped over on the way."""
        fresh = []
        for event in sorted(events, key=lambda e: e.id):
            if event.id in self._gaps:
                del self._gaps[event.id]
            elif event.id <= self.last_id:
                continue
            else:
                skipped = range(self.last_id + 1, event.id)
                if len(skipped) + len(self._gaps) <= MAX_TRACKED_GAPS:
                    self._gaps.update(dict.fromkeys(skipped, now + GAP_GRACE_SECONDS))
                self.last_id = event.id
            fresh.append(event)
        return fresh


class Broker:
    """Reads the log for one event loop's streams and hands each event to the streams of its thread.

    Create it through `subscribe`; it runs from its first subscription to its last.
    """

    def __init__(
        self,
        *,
        latest_id: Callable[[], int] | None = None,
        events_after: Callable[[int, frozenset[int]], list[StreamEvent]] | None = None,
        redis_url: str = "",
    ) -> None:
        self._latest_id = latest_id or log.latest_event_id
        self._events_after = events_after or log.events_after
        self._redis_url = redis_url
        self._poll_seconds = POLL_SECONDS_WITH_REDIS if redis_url else POLL_SECONDS
        self._subscriptions: dict[int, set[Subscription]] = {}
        self._loop = asyncio.get_running_loop()
        self._wakeup = asyncio.Event()
        self._ready = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def subscription_count(self) -> int:
        return sum(len(subs) for subs in self._subscriptions.values())

    def add(self, thread_id: int) -> Subscription:
        subscription = Subscription(thread_id)
        self._subscriptions.setdefault(thread_id, set()).add(subscription)
        if self._task is None or self._task.done():  # first subscription, or the last run failed
            self._ready.clear()
            self._task = self._loop.create_task(self._run(), name="talkies-live-broker")
        return subscription

    def remove(self, subscription: Subscription) -> bool:
        """Forget a subscription. Returns True, having stopped the broker, when it was the last one."""
        watchers = self._subscriptions.get(subscription.thread_id, set())
        watchers.discard(subscription)
        if not watchers:
            self._subscriptions.pop(subscription.thread_id, None)
        if self._subscriptions or self._task is None:
            return False
        self._task.cancel()
        return True

    async def ready(self) -> None:
        """Wait until the broker knows where the log ends: every event after that reaches its streams."""
        async with asyncio.timeout(READY_TIMEOUT_SECONDS):
            await self._ready.wait()

    def wake(self) -> None:
        """Read the log now. Call from the broker's own event loop."""
        self._wakeup.set()

    def wake_threadsafe(self) -> None:
        with contextlib.suppress(RuntimeError):  # the loop has closed: nothing is listening any more
            self._loop.call_soon_threadsafe(self._wakeup.set)

    async def _run(self) -> None:
        # One thread owns the broker's database connection for its whole life, so the connection is
        # opened once and closed with the broker, not once per poll.
        db_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="talkies-live-broker")
        try:
            async with asyncio.TaskGroup() as tasks:
                if self._redis_url:
                    tasks.create_task(redis_doorbell.listen(self._redis_url, self.wake))
                await self._pump(db_thread)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("live updates: the broker stopped; its streams will reconnect")
        finally:
            # Streams end and their browsers reconnect, to a fresh broker, resuming from Last-Event-ID.
            for watchers in self._subscriptions.values():
                for subscription in watchers:
                    subscription.close()
            db_thread.submit(_close_db_connection)
            db_thread.shutdown(wait=False)

    async def _pump(self, db_thread: ThreadPoolExecutor) -> None:
        async def in_db_thread(function: Callable[..., T], *args: Any) -> T:
            return await self._loop.run_in_executor(db_thread, function, *args)

        cursor = LogCursor(await self._retrying(in_db_thread, self._latest_id))
        self._ready.set()
        while True:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._poll_seconds):
                    await self._wakeup.wait()
            # Cleared before reading: a wake-up that arrives during the read causes another read.
            self._wakeup.clear()
            events = await self._retrying(
                in_db_thread, self._events_after, cursor.last_id, cursor.gaps(time.monotonic())
            )
            for event in cursor.advance(events, time.monotonic()):
                for subscription in self._subscriptions.get(event.channel or event.thread_id, ()):
                    subscription.offer(event)

    async def _retrying(self, in_db_thread: Callable[..., Any], function: Callable[..., T], *args: Any) -> T:
        """Run a read in the database thread, waiting out a database that is restarting or unreachable."""
        while True:
            try:
                return await in_db_thread(function, *args)
            except DatabaseError as error:
                logger.warning("live updates: reading the event log failed (%s); retrying", error)
                # A broken connection is not reopened by Django outside a request; close it here so the
                # next read opens a fresh one.
                await in_db_thread(_close_db_connection)
                await asyncio.sleep(1)


def _close_db_connection() -> None:
    # Looked up when called, in the calling thread: Django's connections are per thread.
    connection.close()


# --- The registry: one broker per running event loop -----------------------------------------------
# Written from event loops, read by publisher.py from whichever thread saved a comment: hence the lock.
_brokers: dict[asyncio.AbstractEventLoop, Broker] = {}
_brokers_lock = threading.Lock()


@contextlib.asynccontextmanager
async def subscribe(thread_id: int) -> AsyncIterator[Subscription]:
    """Receive the events of thread `thread_id` logged from now on, for as long as the block runs."""
    loop = asyncio.get_running_loop()
    with _brokers_lock:
        broker = _brokers.get(loop)
        if broker is None:
            broker = _brokers[loop] = Broker(redis_url=redis_doorbell.redis_url())
        subscription = broker.add(thread_id)
    try:
        await broker.ready()
        yield subscription
    finally:
        with _brokers_lock:
            if broker.remove(subscription):
                _brokers.pop(loop, None)


def wake_local_brokers() -> None:
    """Make every broker in this process read the log now. Safe from any thread."""
    with _brokers_lock:
        brokers = list(_brokers.values())
    for broker in brokers:
        broker.wake_threadsafe()


def active_subscriptions() -> int:
    """Open streams in this process (for tests and health checks)."""
    with _brokers_lock:
        return sum(broker.subscription_count for broker in _brokers.values())
