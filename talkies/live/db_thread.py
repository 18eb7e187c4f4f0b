"""The one thread per process in which streams do their database work (finding the thread, the replay).

Not Django's sync_to_async: under Django's ASGI handler each request's sync code gets a thread of its own,
kept until the response ends, which for a stream is when the reader leaves: 10,000 open pages would be
10,000 idle threads. Here a stream borrows this thread for its few milliseconds of queries and holds
nothing afterwards; each call hands its connection back (to the pool) before returning, so an idle
stream holds no database connection either. One thread also means a burst of reconnecting pages (after a
restart, say) queues its lookups instead of opening a connection each.
"""

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from django.db import connection

T = TypeVar("T")

_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="talkies-live-db")


def _run_and_close(function: Callable[[], T]) -> T:
    try:
        return function()
    finally:
        # Looked up in this thread (Django's connections are per thread): closing hands it back to the pool.
        connection.close()


async def in_live_db_thread(function: Callable[[], T]) -> T:
    """Run `function` (ORM code) in the streams' database thread and wait for it."""
    return await asyncio.get_running_loop().run_in_executor(_executor, _run_and_close, function)
