"""Remembering the fast path's lookups between commits, so an unchanged page costs no query at all.

Every request the fast path answers needs the key of its page: the thread's version or the site's
generation, read with one indexed query on the lookup thread (fast_path.DedicatedThread). The query is
quick; the trip to that thread and back is not (two thread wake-ups and the event loop's self-pipe), and
both together are most of what a stored page costs in Python.

A key can only change when something commits to the database. SQLite counts that for us: `PRAGMA
data_version` on a connection returns a new value whenever any other connection, in this process or
another, has committed since it last asked (https://www.sqlite.org/pragma.html#pragma_data_version). The
pragma reads the WAL index in shared memory: about 4 µs, cheap enough to ask on the event loop itself, on
every request. While it is unchanged, a lookup made earlier still holds, and the request is answered
without leaving the loop; the first request after any commit (a comment, a vote, a session write) asks
the database again.

What no commit changes is bounded by a time to live instead: a story scheduled for later becomes
visible when its time comes, and route keys carry the day (routes.RouteKey.day). Each remembered lookup
is used for at most LOOKUP_TTL_SECONDS, so such a page is at most that late.

PostgreSQL has no such counter (a commit on another node is invisible here without asking), so there
every request still makes its query, as before; the deployment in front (nginx's proxy_cache, a CDN) is
what takes that load on several nodes (docs/caching.md).
"""

import logging
import sqlite3
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, Protocol, TypeVar

from django.db import connections

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Long enough that a page read hundreds of times a second costs one query a second at most; short enough
# that a scheduled story, or a new day, shows within the second.
LOOKUP_TTL_SECONDS = 1.0
# Lookups differ by thread, sort, page size and page route: far fewer than this on a real site. Past it,
# the oldest is dropped, so a crawler walking every page cannot grow the process.
MAX_REMEMBERED_LOOKUPS = 10_000


class CommitCounter(Protocol):
    def value(self) -> int:
        """A number that changes whenever anything has been committed to the database since the last call."""
        ...


class SQLiteDataVersion:
    """The database file's `PRAGMA data_version`, on a connection of its own that never writes.

    Opened on first use, from the thread that uses it (the event loop's); check_same_thread is off only so
    that it may be closed from another.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._connection: sqlite3.Connection | None = None

    def value(self) -> int:
        if self._connection is None:
            self._connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        return int(self._connection.execute("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def commit_counter_for(alias: str = "default") -> CommitCounter | None:
    """The commit counter of the database Django uses, or None where there is none to read (PostgreSQL, or
    an SQLite database in memory, which no other process or connection shares)."""
    connection = connections[alias]
    name = str(connection.settings_dict.get("NAME") or "")
    if connection.vendor != "sqlite" or not name or name == ":memory:" or "mode=memory" in name:
        return None
    return SQLiteDataVersion(name)


class LookupMemo:
    """Lookups remembered until the next commit (or for LOOKUP_TTL_SECONDS, whichever comes first)."""

    def __init__(
        self,
        counter: CommitCounter | None,
        *,
        ttl: float = LOOKUP_TTL_SECONDS,
        max_entries: int = MAX_REMEMBERED_LOOKUPS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.counter = counter
        self.ttl = ttl
        self.max_entries = max_entries
        self.clock = clock
        self._commits: int | None = None
        self._entries: dict[Hashable, tuple[float, Any]] = {}

    async def get(self, key: Hashable, compute: Callable[[], T], run_blocking: Callable[..., Awaitable[Any]]) -> T:
        """What `compute` (blocking, run by `run_blocking`) returns for `key`: remembered, or computed now."""
        commits = self._read_counter()
        if commits is None:
            return await run_blocking(compute)
        if commits != self._commits:
            self._entries.clear()
            self._commits = commits
        now = self.clock()
        remembered = self._entries.get(key)
        if remembered is not None and remembered[0] > now:
            return remembered[1]
        # Read before the lookup, so a commit that lands while it runs makes the next request ask again.
        value = await run_blocking(compute)
        if self._commits == commits:
            self._entries.pop(key, None)  # re-inserted last: the dict's order is the order to drop them in
            self._entries[key] = (now + self.ttl, value)
            if len(self._entries) > self.max_entries:
                del self._entries[next(iter(self._entries))]
        return value

    def _read_counter(self) -> int | None:
        if self.counter is None:
            return None
        try:
            return self.counter.value()
        except sqlite3.Error:
            # Unreadable for now (the file replaced, the disk full): remember nothing until it reads again.
            logger.warning("page lookups: the commit counter could not be read", exc_info=True)
            self._entries.clear()
            self._commits = None
            return None
