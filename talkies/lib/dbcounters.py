"""A cache backend that keeps counters in a database table, so that every worker process counts the same ones.

Rate limits (lib/ratelimit.py) count in a Django cache. Without REDIS_URL the default cache is in memory,
one per process, so each of `talkies serve --workers N` would allow the full rate on its own. The database
is the store every process (and, on PostgreSQL, every node) already shares, so settings point the rate
limits at this backend then, on the table LOCATION names (created by accounts' migration 0003).

Why not Django's DatabaseCache: its incr is BaseCache's get-then-set, so two processes counting at once can
both write the same total and one attempt goes uncounted; and once it holds MAX_ENTRIES rows it culls live
entries too, which would reset readers' limits on a busy site. Here:

- values are whole numbers in an integer column, and incr is one UPDATE adding to the stored value. The new
  total is read in the same transaction, after that UPDATE has taken the row's lock (PostgreSQL) or the
  database's write lock (SQLite), so no other increment can come between the two;
- add starts a key again when its row has expired (a window that ended), and otherwise inserts it only if
  it is absent, answering False when the key is live — also when another process inserted it first;
- whenever add starts a counter it deletes the rows whose time is up, so the table holds the live windows
  and the few that ended since. A live counter is never dropped to make room.

Database errors are not hidden: the database is the store the whole request relies on, so a failure here
(a missing table: run `talkies migrate`) is one the operator needs to see.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.db.backends.utils import CursorWrapper


class DatabaseCounterCache(BaseCache):
    """Whole-number values only (counters), in the table named by LOCATION on the default database."""

    def __init__(self, table: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        self._table = table
        self._using = DEFAULT_DB_ALIAS

    def add(self, key: Any, value: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        value = self._whole_number(value)
        expires = self.get_backend_timeout(timeout)
        now = time.time()
        try:
            with self._cursor(atomic=True) as (cursor, table):
                cursor.execute(
                    f"UPDATE {table} SET value = %s, expires = %s WHERE cache_key = %s AND expires <= %s",
                    [value, expires, key, now],
                )
                if cursor.rowcount == 0:
                    # Inserting only what is absent, rather than inserting and catching the duplicate, keeps
                    # the common case (the key is live) out of PostgreSQL's error log.
                    cursor.execute(
                        f"INSERT INTO {table} (cache_key, value, expires) SELECT %s, %s, %s "
                        f"WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE cache_key = %s)",
                        [key, value, expires, key],
                    )
                    if cursor.rowcount == 0:
                        return False
        except IntegrityError:
            return False  # another process inserted the key between our look and our insert
        self.purge_expired()
        return True

    def get(self, key: Any, default: Any | None = None, version: int | None = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        with self._cursor() as (cursor, table):
            cursor.execute(
                f"SELECT value FROM {table} WHERE cache_key = %s AND (expires IS NULL OR expires > %s)",
                [key, time.time()],
            )
            row = cursor.fetchone()
        return default if row is None else row[0]

    def set(self, key: Any, value: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        made_key = self.make_and_validate_key(key, version=version)
        value = self._whole_number(value)
        expires = self.get_backend_timeout(timeout)
        # Overwrite the row if there is one, else add it; if it vanishes between the two, try again.
        while not self.add(key, value, timeout, version=version):
            with self._cursor() as (cursor, table):
                cursor.execute(
                    f"UPDATE {table} SET value = %s, expires = %s WHERE cache_key = %s", [value, expires, made_key]
                )
                if cursor.rowcount:
                    return

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        key = self.make_and_validate_key(key, version=version)
        with self._cursor(atomic=True) as (cursor, table):
            cursor.execute(
                f"UPDATE {table} SET value = value + %s WHERE cache_key = %s AND (expires IS NULL OR expires > %s)",
                [self._whole_number(delta), key, time.time()],
            )
            if cursor.rowcount == 0:
                raise ValueError(f"Key '{key}' not found")
            cursor.execute(f"SELECT value FROM {table} WHERE cache_key = %s", [key])
            return cursor.fetchone()[0]

    def touch(self, key: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        with self._cursor() as (cursor, table):
            cursor.execute(
                f"UPDATE {table} SET expires = %s WHERE cache_key = %s AND (expires IS NULL OR expires > %s)",
                [self.get_backend_timeout(timeout), key, time.time()],
            )
            return cursor.rowcount > 0

    def delete(self, key: Any, version: int | None = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        with self._cursor() as (cursor, table):
            cursor.execute(f"DELETE FROM {table} WHERE cache_key = %s", [key])
            return cursor.rowcount > 0

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self.get(key, version=version) is not None

    def clear(self) -> None:
        with self._cursor() as (cursor, table):
            cursor.execute(f"DELETE FROM {table}")

    def purge_expired(self) -> int:
        """Delete the rows whose time is up; how many there were. `add` calls it whenever a counter starts."""
        with self._cursor() as (cursor, table):
            cursor.execute(f"DELETE FROM {table} WHERE expires <= %s", [time.time()])
            return cursor.rowcount

    @contextmanager
    def _cursor(self, *, atomic: bool = False) -> Iterator[tuple[CursorWrapper, str]]:
        connection = connections[self._using]
        table = connection.ops.quote_name(self._table)
        if atomic:
            with transaction.atomic(using=self._using), connection.cursor() as cursor:
                yield cursor, table
        else:
            with connection.cursor() as cursor:
                yield cursor, table

    def _whole_number(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{type(self).__name__} stores whole numbers (counters) only, not {value!r}")
        return value
