"""One column of one row, read by its key in SQL written once per process and database vendor.

For the few values read on every request or every comment (a site's page generation, its moderation
settings' version), where building the ORM query would cost more than running it.
"""

from typing import Any

from django.db import connection, models

_SQL: dict[tuple[str, str, str, str], str] = {}


def read_keyed_value(model: type[models.Model], column: str, key_column: str, key: int | str) -> Any:
    """`column` of the row of `model` whose `key_column` is `key`, or None when there is no such row.

    Blocking: runs on the calling thread's database connection.
    """
    cache_key = (connection.vendor, model._meta.db_table, column, key_column)
    sql = _SQL.get(cache_key)
    if sql is None:
        q = connection.ops.quote_name
        sql = _SQL[cache_key] = f"SELECT {q(column)} FROM {q(model._meta.db_table)} WHERE {q(key_column)} = %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [key])
        # fetchall: SQLite keeps a statement's snapshot open until it has stepped past the last row.
        rows = cursor.fetchall()
    return rows[0][0] if rows else None
