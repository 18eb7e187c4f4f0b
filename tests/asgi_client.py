"""Calling Talkies' ASGI application directly in tests, as a server would, one request at a time.

Blocking lookups run on the test's thread (run_inline) so they see the test's transaction, and Django's
close-connection receivers are held off around each call (connection_kept_open_for_tests), exactly as
Django's own test client does, so a PostgreSQL test transaction survives the request.
"""

import asyncio
import contextlib
import gzip
import json
from collections.abc import Iterator
from typing import Any

from asgiref.sync import async_to_sync, sync_to_async
from django.core.asgi import get_asgi_application
from django.core.signals import request_finished, request_started
from django.db import close_old_connections


class Response:
    def __init__(self, messages: list[dict[str, Any]]) -> None:
        start = messages[0]
        self.status: int = start["status"]
        self.header_list = [(bytes(k).lower(), bytes(v)) for k, v in start["headers"]]
        self.headers = {k.decode(): v.decode() for k, v in self.header_list}
        self.body = b"".join(m.get("body", b"") for m in messages[1:])

    def json(self) -> Any:
        body = gzip.decompress(self.body) if self.headers.get("content-encoding") == "gzip" else self.body
        return json.loads(body)


class CountingApp:
    """Django's ASGI app, counting the requests that reach it (the fast path's misses)."""

    def __init__(self) -> None:
        self.django = get_asgi_application()
        self.calls = 0

    async def __call__(self, scope, receive, send) -> None:
        self.calls += 1
        await self.django(scope, receive, send)


def run_inline(function, *args):
    # Under async_to_sync, thread-sensitive calls run on the calling (test) thread and its connection.
    return sync_to_async(function)(*args)


def scope_for(url: str, *, host: str = "testserver", headers: dict[str, str] | None = None) -> dict[str, Any]:
    path, _, query = url.partition("?")
    all_headers = {"host": host, **(headers or {})}
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(k.encode(), v.encode()) for k, v in all_headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }


@contextlib.contextmanager
def connection_kept_open_for_tests() -> Iterator[None]:
    """Django's handlers close the database connection when a request starts and finishes; inside a test's
    transaction that would end the transaction (on PostgreSQL, mid-test). Django's test client disconnects
    the same receiver around each of its requests (and reconnects it after), so this does the same."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


async def call(app, scope: dict[str, Any]) -> Response:
    messages: list[dict[str, Any]] = []
    request_sent = False

    async def receive() -> dict[str, Any]:
        nonlocal request_sent
        if not request_sent:
            request_sent = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # the client stays connected; Django cancels this when it is done
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    await app(scope, receive, send)
    return Response(messages)


def get(app, url: str, **kwargs: Any) -> Response:
    with connection_kept_open_for_tests():
        return async_to_sync(call)(app, scope_for(url, **kwargs))
