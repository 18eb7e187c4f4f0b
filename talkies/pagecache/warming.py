"""First pages rendered again after a write, before the next reader asks for them.

Without this, the first reader after a comment pays for the render (and everyone reading that thread at
that moment waits for it). The fast path remembers, per thread, the first-page requests readers made
recently (each sort and page size: the embed's `sort=best&limit=20&site=…`, the first-party default, …);
when a write to the thread commits in this process, it renders those again under the thread's new version
and stores them, off the request that wrote.

Bounded three ways, so that a burst of writes cannot turn into a burst of renders: at most
FIRST_PAGES_PER_THREAD requests are remembered per thread and THREADS_REMEMBERED threads in all; one warm-up
per thread runs at a time, and a write that lands during one only marks the thread for one more; and a
thread is warmed at most once per MIN_INTERVAL_SECONDS (readers in between render on a miss, as before).

A write warms the store of the process that made it, and, with REDIS_URL, every process that fetches the
shared copy. Other processes render on their next read.
"""

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from talkies.comments.events import ThreadEvent, thread_changed

logger = logging.getLogger(__name__)

FIRST_PAGES_PER_THREAD = 6
THREADS_REMEMBERED = 2048
MIN_INTERVAL_SECONDS = 0.5

Scope = dict[str, Any]
# Renders and stores the page a scope asks for (the fast path's warm_one).
WarmOne = Callable[[Scope], Awaitable[None]]
# A remembered request carries only what its answer can depend on: never a reader's headers.
KEPT_HEADERS = frozenset({b"host", b"accept-encoding"})


class FirstPageWarmer:
    def __init__(self, warm_one: WarmOne) -> None:
        self.warm_one = warm_one
        self._first_pages: OrderedDict[int, OrderedDict[tuple[str, bytes], Scope]] = OrderedDict()
        self._running: set[int] = set()
        self._again: set[int] = set()
        self._last_run: dict[int, float] = {}
        self._loop: asyncio.AbstractEventLoop | None = None

    def remember(self, thread_id: int, scope: Scope) -> None:
        """Note a first-page request a reader made (called on the event loop, for each one served)."""
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
        pages = self._first_pages.get(thread_id)
        if pages is None:
            pages = self._first_pages[thread_id] = OrderedDict()
            while len(self._first_pages) > THREADS_REMEMBERED:
                forgotten, _ = self._first_pages.popitem(last=False)
                self._last_run.pop(forgotten, None)
        else:
            self._first_pages.move_to_end(thread_id)
        shape = (scope["path"], scope.get("query_string", b""))
        if shape in pages:
            pages.move_to_end(shape)
            return
        pages[shape] = {
            **scope,
            "headers": [(name, value) for name, value in scope["headers"] if name in KEPT_HEADERS],
        }
        while len(pages) > FIRST_PAGES_PER_THREAD:
            pages.popitem(last=False)

    def thread_written(self, event: ThreadEvent) -> None:
        """The thread_changed receiver: runs on the writing request's thread, after commit."""
        loop = self._loop
        if loop is None or event.thread_id not in self._first_pages:
            return
        with contextlib.suppress(RuntimeError):  # the loop has closed: the process is stopping
            loop.call_soon_threadsafe(self._schedule, event.thread_id)

    def _schedule(self, thread_id: int) -> None:
        if thread_id in self._running:
            self._again.add(thread_id)
            return
        self._running.add(thread_id)
        asyncio.get_running_loop().create_task(self._warm(thread_id))

    async def _warm(self, thread_id: int) -> None:
        try:
            while True:
                wait = self._last_run.get(thread_id, 0.0) + MIN_INTERVAL_SECONDS - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                self._last_run[thread_id] = time.monotonic()
                self._again.discard(thread_id)
                for scope in list(self._first_pages.get(thread_id, {}).values()):
                    try:
                        await self.warm_one(scope)
                    except Exception:  # a failed warm-up costs the next reader a render, nothing more
                        logger.exception("could not warm a page of thread %s", thread_id)
                if thread_id not in self._again:
                    return
        finally:
            self._running.discard(thread_id)

    def connect(self) -> None:
        thread_changed.connect(self.thread_written, dispatch_uid=("talkies.pagecache.warming", id(self)))

    def disconnect(self) -> None:
        thread_changed.disconnect(self.thread_written, dispatch_uid=("talkies.pagecache.warming", id(self)))
