"""The database counter cache rate limits use without Redis: its cache semantics, expiry and purging.

Increments racing from several processes are proved in test_ratelimit_across_processes.py (a SQLite file,
as deployed); racing threads here, where the test database lets several connections write at once.
"""

import threading
import time

import pytest
from django.core.cache import caches
from django.db import connection, connections
from django.test import RequestFactory

from talkies.lib.dbcounters import DatabaseCounterCache
from talkies.lib.ratelimit import RateLimited, enforce_rate_limit

TABLE = "talkies_rate_limit_counts"


@pytest.fixture
def counters(db) -> DatabaseCounterCache:
    store = caches["ratelimit"]
    assert isinstance(store, DatabaseCounterCache)
    return store


class Clock:
    """time.time() for the backend and Django's cache timeouts, moved on by the test."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(time, "time", clock)
    return clock


def rows() -> list[tuple[str, int]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key, value FROM {TABLE} ORDER BY cache_key")
        return list(cursor.fetchall())


def test_add_starts_a_counter_once_and_incr_counts_on(counters):
    assert counters.add("k", 1, 60) is True
    assert counters.add("k", 1, 60) is False  # live: left as it is

    assert counters.incr("k") == 2
    assert counters.incr("k", 5) == 7
    assert counters.decr("k") == 6
    assert counters.get("k") == 6


def test_incr_of_a_missing_or_expired_key_is_an_error_as_in_every_django_cache(counters, clock):
    with pytest.raises(ValueError, match="not found"):
        counters.incr("never-added")
    counters.add("gone", 3, 60)
    clock.advance(61)

    with pytest.raises(ValueError, match="not found"):
        counters.incr("gone")


def test_an_expired_counter_reads_as_absent_and_starts_again_on_add(counters, clock):
    counters.add("window", 9, 60)
    clock.advance(61)

    assert counters.get("window", "absent") == "absent"
    assert counters.has_key("window") is False
    assert counters.add("window", 1, 60) is True
    assert counters.get("window") == 1


def test_starting_a_counter_purges_the_expired_rows_and_keeps_the_live_ones(counters, clock):
    counters.add("live", 4, 600)
    for n in range(5):
        counters.add(f"ended-{n}", 1, 60)
    clock.advance(61)
    assert len(rows()) == 6  # nothing deletes a row until a counter starts

    counters.add("another", 1, 60)

    keys = [key for key, _ in rows()]
    assert len(keys) == 2 and not any("ended" in key for key in keys)
    assert counters.get("live") == 4


def test_purge_expired_says_how_many_rows_it_deleted(counters, clock):
    counters.set("a", 1, 60)
    counters.set("b", 1, 60)
    counters.set("c", 1, None)  # never expires
    clock.advance(61)

    assert counters.purge_expired() == 2
    assert counters.get("c") == 1


def test_set_touch_delete_and_clear(counters):
    counters.set("k", 5, 60)
    counters.set("k", 8, 60)
    assert counters.get("k") == 8
    assert counters.touch("k", 120) is True
    assert counters.touch("missing", 120) is False

    assert counters.delete("k") is True
    assert counters.delete("k") is False
    counters.set("x", 1, 60)
    counters.clear()
    assert rows() == []


def test_it_stores_whole_numbers_only_and_says_so(counters):
    with pytest.raises(TypeError, match="whole numbers"):
        counters.set("k", "five", 60)
    with pytest.raises(TypeError, match="whole numbers"):
        counters.add("k", 1.5, 60)


def test_rate_limits_counted_in_it_refuse_the_attempt_past_the_limit(counters, settings):
    settings.RATELIMIT_USE_CACHE = "ratelimit"
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "comment": {"account": "3/m", "ip": ""}}
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    for _ in range(3):
        enforce_rate_limit(request, "comment", actor="user:1", field="body")

    with pytest.raises(RateLimited):
        enforce_rate_limit(request, "comment", actor="user:1", field="body")
    assert [value for _, value in rows()] == [4]  # the refused attempt counted too


@pytest.mark.django_db(transaction=True)
def test_increments_from_racing_threads_add_up_exactly():
    if connection.vendor == "sqlite":
        # The SQLite test database lives in shared memory, where a second writer is refused outright rather
        # than made to wait; the deployed file database is raced by processes in the other test.
        pytest.skip("racing writers need a file database: see test_ratelimit_across_processes.py")
    counters = caches["ratelimit"]
    threads, each = 8, 25
    start = threading.Barrier(threads)
    errors: list[BaseException] = []

    def count() -> None:
        try:
            start.wait()
            for _ in range(each):
                if not counters.add("raced", 1, 60):
                    counters.incr("raced")
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=count) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert errors == []
    assert counters.get("raced") == threads * each
    counters.clear()
