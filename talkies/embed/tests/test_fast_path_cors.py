"""The thread-page fast path (comments.fast_path) and CORS: cached pages never answer another origin."""

import asyncio
import json
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.core.asgi import get_asgi_application

from talkies.comments.cache import PageStore
from talkies.comments.fast_path import ThreadPageFastPath
from talkies.comments.models import Thread
from talkies.comments.services import comment_create

from .conftest import ORIGIN


class CountingApp:
    """Django's ASGI app, counting the requests that reach it (the fast path's misses)."""

    def __init__(self) -> None:
        self.django = get_asgi_application()
        self.calls = 0

    async def __call__(self, scope, receive, send) -> None:
        self.calls += 1
        await self.django(scope, receive, send)


class Response:
    def __init__(self, messages: list[dict[str, Any]]) -> None:
        self.headers = {bytes(k).decode().lower(): bytes(v).decode() for k, v in messages[0]["headers"]}
        self.body = b"".join(m.get("body", b"") for m in messages[1:])

    def json(self) -> Any:
        return json.loads(self.body)


def run_inline(function, *args):
    # Thread-sensitive, so the lookups run on the test's thread and see its transaction.
    return sync_to_async(function)(*args)


def get(app, url: str, *, headers: dict[str, str] | None = None) -> Response:
    path, _, query = url.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(k.encode(), v.encode()) for k, v in {"host": "testserver", **(headers or {})}.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
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

    async_to_sync(app)(scope, receive, send)
    return Response(messages)


def page_url(thread: Thread) -> str:
    return f"/api/v1/threads/{thread.pk}/comments?sort=old"


@pytest.fixture
def django_app() -> CountingApp:
    return CountingApp()


@pytest.fixture
def app(django_app) -> ThreadPageFastPath:
    return ThreadPageFastPath(django_app, store=PageStore(), run_blocking=run_inline)


def test_a_request_from_an_embedding_origin_gets_django_and_its_cors_headers(embedded, app, django_app, thread, reader):
    comment_create(thread=thread, author=reader, body="Loved it.")
    url = page_url(thread)
    get(app, url)  # stored, for readers without an Origin
    assert get(app, url).headers.get("access-control-allow-origin") is None
    calls = django_app.calls

    embedded_read = get(app, url, headers={"origin": ORIGIN})
    evil_read = get(app, url, headers={"origin": "https://evil.example"})

    assert django_app.calls == calls + 2
    assert embedded_read.headers["access-control-allow-origin"] == ORIGIN
    assert "access-control-allow-origin" not in evil_read.headers
    assert embedded_read.json()["comments"][0]["body_html"].strip() == "<p>Loved it.</p>"
    # and the origin's answer was not stored for everyone else
    assert "access-control-allow-origin" not in get(app, url).headers
    assert django_app.calls == calls + 2
