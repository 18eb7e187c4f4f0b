"""Django's SQLite backend, with each process keeping its database connections open between requests.

Under ASGI every request's sync code runs on a thread made for it, and Django closes the thread's
connection when the request ends (CONN_MAX_AGE must be 0 there; see settings.py). On SQLite that made
every request open a connection, run the PRAGMAs of settings' init_command, read the schema again, and
on closing the process's last connection check-point the write-ahead log into the database and delete
it, only for the next request's first write to create it again: several milliseconds a request, half of
them inside the write lock, which every other writer waits for.

So closing hands the connection back to a small per-process pool, and opening takes one from it: the
sqlite3 module's connections may move between threads (Django opens them with check_same_thread off and
gives each to one thread at a time, as here). A connection comes back to the pool only outside any
transaction: one that is closed inside a transaction (the request failed) is rolled back first. An
in-memory database (the test suite's) is never closed by Django at all, so the pool leaves it alone.

Point settings.DATABASES at it with ENGINE "talkies.lib.sqlite".
"""

import os
import sqlite3
import threading
from typing import Any

from django.db.backends.sqlite3 import base

# Idle connections kept per process and database file: more than the requests a process writes at once
# (talkies.lib.writegate), and few enough that a burst of reads does not leave dozens open.
POOL_SIZE = 16


class _Pool:
    """Idle connections to one database file, for this process only (never across a fork)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.idle: list[sqlite3.Connection] = []
        self.pid = os.getpid()

    def take(self) -> sqlite3.Connection | None:
        with self.lock:
            return self.idle.pop() if self.idle else None

    def give_back(self, connection: sqlite3.Connection) -> bool:
        """Keep `connection` for the next request; False when the pool is full (the caller closes it)."""
        with self.lock:
            if len(self.idle) >= POOL_SIZE:
                return False
            self.idle.append(connection)
            return True


_pools: dict[str, _Pool] = {}
_pools_lock = threading.Lock()
# Connections a parent process left in its pools when it forked: a child must neither use nor close them
# (closing would touch the parent's locks and log), so they are kept here, untouched, for the child's life.
_inherited: list[_Pool] = []


def _pool_for(name: str) -> _Pool:
    with _pools_lock:
        pool = _pools.get(name)
        if pool is None or pool.pid != os.getpid():
            if pool is not None:
                _inherited.append(pool)
            pool = _pools[name] = _Pool()
        return pool


def close_pooled_connections() -> int:
    """Close every idle pooled connection of this process (tests, and before deleting a database file)."""
    closed = 0
    with _pools_lock:
        pools = [pool for pool in _pools.values() if pool.pid == os.getpid()]
    for pool in pools:
        with pool.lock:
            idle, pool.idle = pool.idle, []
        for connection in idle:
            connection.close()
            closed += 1
    return closed


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params: dict[str, Any]) -> sqlite3.Connection:
        if not self.is_in_memory_db():
            pooled = _pool_for(self.settings_dict["NAME"]).take()
            if pooled is not None:
                # Whatever the last user did (loaddata turns it off for a while), every request starts
                # with foreign keys enforced, as a fresh connection does.
                pooled.execute("PRAGMA foreign_keys = ON")
                return pooled
        return super().get_new_connection(conn_params)

    def _close(self) -> None:
        connection = self.connection
        if connection is None or self.is_in_memory_db():
            super()._close()  # type: ignore[misc]  # django-stubs leaves out the private method overridden here
            return
        with self.wrap_database_errors:
            if connection.in_transaction:
                connection.rollback()
            if not _pool_for(self.settings_dict["NAME"]).give_back(connection):
                connection.close()
