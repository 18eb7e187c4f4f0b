"""The SQLite backend keeps each process's connections open between requests, and hands them back clean."""

import pytest
from django.db import connection

from talkies.lib.sqlite import base
from talkies.lib.sqlite.base import DatabaseWrapper, close_pooled_connections

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backend's own behaviour")


@pytest.fixture
def database(tmp_path, django_db_blocker):
    """A wrapper on a database file of its own (the suite's database is in memory, which is never pooled)."""
    settings = {**connection.settings_dict, "NAME": str(tmp_path / "pooled.sqlite3"), "TEST": {}}
    settings["OPTIONS"] = {**settings.get("OPTIONS", {}), "transaction_mode": "IMMEDIATE"}
    with django_db_blocker.unblock():
        yield lambda: DatabaseWrapper(settings, alias="pooled")
        close_pooled_connections()


def test_a_closed_connection_is_reused_by_the_next_request_instead_of_reopened(database):
    first = database()
    with first.cursor() as cursor:
        cursor.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
    raw = first.connection
    first.close()

    second = database()  # another request, on another wrapper (Django has one per thread)
    second.ensure_connection()
    assert second.connection is raw
    with second.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM t")
        assert cursor.fetchone() == (0,)
    second.close()


def test_a_connection_closed_inside_a_transaction_comes_back_rolled_back(database):
    setup = database()
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
    setup.close()

    failed = database()
    failed.set_autocommit(False)
    with failed.cursor() as cursor:
        cursor.execute("INSERT INTO t (id) VALUES (1)")
    assert failed.connection.in_transaction
    failed.close()  # the request failed half-way: nothing it wrote may be committed by the next one

    after = database()
    with after.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM t")
        assert cursor.fetchone() == (0,)
    assert not after.connection.in_transaction
    after.close()


def test_the_pool_keeps_at_most_its_size_and_closes_the_rest(database, monkeypatch):
    monkeypatch.setattr(base, "POOL_SIZE", 1)
    one, two = database(), database()
    one.ensure_connection()
    two.ensure_connection()
    kept, extra = one.connection, two.connection
    one.close()
    two.close()

    with pytest.raises(Exception, match="closed"):
        extra.execute("SELECT 1")
    kept.execute("SELECT 1")  # still open, in the pool
    assert close_pooled_connections() == 1
