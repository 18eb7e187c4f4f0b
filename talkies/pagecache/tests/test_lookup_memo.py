"""LookupMemo: a lookup is made again after any commit, after its time to live, and never past its bound."""

import asyncio
import sqlite3

import pytest

from talkies.pagecache.lookup_memo import LookupMemo, SQLiteDataVersion, commit_counter_for


class Counter:
    def __init__(self) -> None:
        self.commits = 0
        self.broken = False

    def value(self) -> int:
        if self.broken:
            raise sqlite3.OperationalError("disk I/O error")
        return self.commits


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def run_inline(function, *args):
    return function(*args)


class Lookups:
    """A lookup that counts how often it was really made."""

    def __init__(self) -> None:
        self.made = 0

    def __call__(self) -> int:
        self.made += 1
        return self.made


def get(memo: LookupMemo, key, lookup: Lookups) -> int:
    return asyncio.run(memo.get(key, lookup, run_inline))


def test_a_lookup_is_remembered_until_the_next_commit():
    counter, lookup = Counter(), Lookups()
    memo = LookupMemo(counter, clock=Clock())
    assert [get(memo, "page", lookup) for _ in range(5)] == [1, 1, 1, 1, 1]
    counter.commits += 1
    assert get(memo, "page", lookup) == 2
    assert get(memo, "page", lookup) == 2


def test_a_remembered_lookup_expires():
    clock, lookup = Clock(), Lookups()
    memo = LookupMemo(Counter(), ttl=1.0, clock=clock)
    assert get(memo, "page", lookup) == 1
    clock.now += 0.9
    assert get(memo, "page", lookup) == 1
    clock.now += 0.2
    assert get(memo, "page", lookup) == 2


def test_a_commit_during_the_lookup_is_not_remembered_past():
    counter, lookup = Counter(), Lookups()
    memo = LookupMemo(counter, clock=Clock())

    def lookup_while_someone_commits() -> int:
        counter.commits += 1  # the lookup may have read before or after this commit: it must not be kept
        return lookup()

    assert asyncio.run(memo.get("page", lookup_while_someone_commits, run_inline)) == 1
    assert get(memo, "page", lookup) == 2


def test_the_oldest_lookup_is_dropped_past_the_bound():
    lookup = Lookups()
    memo = LookupMemo(Counter(), max_entries=3, clock=Clock())
    for key in "abcd":
        get(memo, key, lookup)
    assert lookup.made == 4
    get(memo, "a", lookup)  # dropped to make room for d: made again
    get(memo, "d", lookup)  # still there
    assert lookup.made == 5


def test_without_a_readable_counter_every_lookup_is_made():
    counter, lookup = Counter(), Lookups()
    memo = LookupMemo(counter, clock=Clock())
    get(memo, "page", lookup)
    counter.broken = True
    assert [get(memo, "page", lookup) for _ in range(3)] == [2, 3, 4]
    counter.broken = False
    assert [get(memo, "page", lookup) for _ in range(2)] == [5, 5]
    assert [asyncio.run(LookupMemo(None).get("page", lookup, run_inline)) for _ in range(2)] == [6, 7]


def test_sqlite_data_version_changes_with_a_commit_on_any_other_connection(tmp_path):
    path = str(tmp_path / "db.sqlite3")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("CREATE TABLE t (x)")
    version = SQLiteDataVersion(path)
    first = version.value()
    assert version.value() == first  # nothing committed in between
    writer.execute("BEGIN")
    writer.execute("INSERT INTO t VALUES (1)")
    assert version.value() == first  # not yet committed
    writer.execute("COMMIT")
    assert version.value() != first
    version.close()
    writer.close()


@pytest.mark.django_db
def test_a_database_no_other_process_shares_or_postgresql_has_no_counter():
    # The suite's SQLite database lives in memory; PostgreSQL has no data_version. Both: ask every time.
    assert commit_counter_for() is None
