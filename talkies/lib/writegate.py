"""Writes (and renders) queue in front of the database instead of piling onto it; past the queue they are told
to retry.

SQLite lets one transaction write at a time. Without a gate every writing request a process accepts runs
at once, on a thread of its own, and all of them wait for the write lock in SQLite's busy handler, which
sleeps and retries rather than queueing: the lucky ones get through, the others wait longer each try,
and at 128 writers some wait past the busy timeout and fail with "database is locked" (a 500).

So each process lets at most WRITE_CONCURRENCY writing requests (POST, PUT, PATCH, DELETE) into Django
at a time and holds the others, in order of arrival, in a queue of at most WRITE_QUEUE_LENGTH. A request
that finds the queue full, or waits in it longer than WRITE_WAIT_SECONDS, is answered 503 at once, with a
Retry-After header and a JSON error that says what happened: refused, not failed, and nothing was saved.
Reads never wait behind writes.

Reads that Django renders (whatever the page store could not answer: a signed-in reader's page, a first
render after a write) queue the same way in a gate of their own, READ_CONCURRENCY at a time. Rendering is
CPU work under one interpreter lock: sixteen renders at once in one process finish no sooner than two
after another, but each holds its queries' rows and its half-built page meanwhile, and the process keeps
the memory of the busiest moment for good (measured: 303 MB over a two-worker node unbounded, 223 MB
one at a time, at the same throughput). Live streams (`/live/`) never queue here.

A request holds its place until Django starts its response: by then the view has run, its transaction
has committed, and sending the bytes to a slow client costs the process nothing it needs to bound.

Two pieces: `RequestGate`, the ASGI wrapper that queues (talkies/asgi.py puts one for writes and one for
reads around Django), and
`DatabaseBusyMiddleware`, which answers the same 503 when the database itself gives up waiting for its
lock (SQLite's busy timeout, or no free PostgreSQL connection in the pool's timeout), so that a busy
database is never a 500.
"""

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from django.conf import settings
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
API_PREFIX = "/api/"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
# Loosely typed: Django's ASGIHandler and other wrappers each declare scope and messages their own way.
ASGIApp = Callable[[Any, Any, Any], Awaitable[None]]

# What the database says when it gave up waiting: SQLite's busy timeout, PostgreSQL's connection pool.
_BUSY_MESSAGES = ("database is locked", "database table is locked", "couldn't get a connection")


READ_METHODS = frozenset({"GET", "HEAD"})
LIVE_PREFIX = "/live/"


def busy_message(retry_after: int, why: str, *, busy_with: str = "saving other writes") -> str:
    consequence = "nothing was saved, " if busy_with == "saving other writes" else ""
    return f"the server is busy {busy_with} ({why}): {consequence}try again in {retry_after} seconds"


def _busy_body(path: str, message: str) -> tuple[bytes, bytes]:
    """The 503's body and its content type: the API's error shape under /api/, plain text elsewhere."""
    if path.startswith(API_PREFIX):
        return json.dumps({"error": message, "field": None}).encode(), b"application/json"
    return f"503 Service Unavailable: {message}.\n".encode(), b"text/plain; charset=utf-8"


class RequestGate:
    """An ASGI wrapper letting at most `concurrency` requests of `methods` through at once, per process.

    Others wait, first come first served, in a queue of at most `queue_length`, for at most `wait_seconds`;
    beyond either they are answered 503 with `Retry-After: retry_after`. Paths under `bypass_prefix` pass
    untouched. Not thread-safe: one event loop (granian's, in each worker process) runs it.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        concurrency: int,
        queue_length: int,
        wait_seconds: float,
        retry_after: int,
        methods: frozenset[str] = WRITE_METHODS,
        busy_with: str = "saving other writes",
        noun: str = "write",
        bypass_prefix: str | None = None,
    ) -> None:
        if concurrency < 1 or queue_length < 0 or wait_seconds < 0 or retry_after < 1:
            raise ValueError("concurrency and retry_after must be at least 1; queue_length and wait_seconds 0 or more")
        self.app = app
        self.methods, self.busy_with, self.noun, self.bypass_prefix = methods, busy_with, noun, bypass_prefix
        self.concurrency, self.queue_length = concurrency, queue_length
        self.wait_seconds, self.retry_after = wait_seconds, retry_after
        self.running = 0
        self.waiters: list[asyncio.Future[None]] = []  # in order of arrival
        self.refused = 0  # since the process started, for logs and tests

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope.get("method") not in self.methods
            or (self.bypass_prefix is not None and scope.get("path", "").startswith(self.bypass_prefix))
        ):
            await self.app(scope, receive, send)
            return
        why = await self._enter()
        if why is not None:
            self.refused += 1
            await self._refuse(scope, send, why)
            return
        inside = True

        def leave_once() -> None:
            nonlocal inside
            if inside:
                inside = False
                self._leave()

        async def send_leaving_at_start(message: Message) -> None:
            if message["type"] == "http.response.start":
                leave_once()  # the view has run: the next request may start while this one's bytes go out
            await send(message)

        try:
            await self.app(scope, receive, send_leaving_at_start)
        finally:
            leave_once()

    async def _enter(self) -> str | None:
        """Wait for a place; None once inside, else why not."""
        if self.running < self.concurrency and not self.waiters:
            self.running += 1
            return None
        if len(self.waiters) >= self.queue_length:
            return f"{self.queue_length} {self.noun}s are already waiting in this process"
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiters.append(turn)
        try:
            # On time-out wait_for cancels `turn`, unless _leave handed it its place first: then it returns.
            await asyncio.wait_for(turn, self.wait_seconds)
            return None  # _leave handed its place to us: `running` already counts us
        except TimeoutError:
            return f"a {self.noun} waited {self.wait_seconds:g} seconds for its turn"
        except BaseException:
            # The client went away while waiting: give back a place handed over meanwhile.
            if turn.done() and not turn.cancelled():
                self._leave()
            raise
        finally:
            if turn in self.waiters:
                self.waiters.remove(turn)

    def _leave(self) -> None:
        """Hand our place to the longest waiter, if any, else give it up."""
        while self.waiters:
            turn = self.waiters.pop(0)
            if not turn.done():  # a waiter whose wait ran out (cancelled) is skipped
                turn.set_result(None)
                return
        self.running -= 1

    async def _refuse(self, scope: Scope, send: Send, why: str) -> None:
        message = busy_message(self.retry_after, why, busy_with=self.busy_with)
        body, content_type = _busy_body(scope.get("path", ""), message)
        await send(
            {
                "type": "http.response.start",
                "status": 503,
                "headers": [
                    (b"content-type", content_type),
                    (b"content-length", str(len(body)).encode()),
                    (b"retry-after", str(self.retry_after).encode()),
                    (b"cache-control", b"no-store"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def write_gate(app: ASGIApp) -> RequestGate:
    """The gate for writes, with the limits in settings (WRITE_CONCURRENCY and the rest)."""
    return RequestGate(
        app,
        concurrency=settings.WRITE_CONCURRENCY,
        queue_length=settings.WRITE_QUEUE_LENGTH,
        wait_seconds=settings.WRITE_WAIT_SECONDS,
        retry_after=settings.WRITE_RETRY_AFTER_SECONDS,
    )


def read_gate(app: ASGIApp) -> RequestGate:
    """The gate for the reads Django renders, with the limits in settings (READ_CONCURRENCY and the rest)."""
    return RequestGate(
        app,
        concurrency=settings.READ_CONCURRENCY,
        queue_length=settings.READ_QUEUE_LENGTH,
        wait_seconds=settings.READ_WAIT_SECONDS,
        retry_after=settings.WRITE_RETRY_AFTER_SECONDS,
        methods=READ_METHODS,
        busy_with="answering other requests",
        noun="read",
        bypass_prefix=LIVE_PREFIX,
    )


def is_database_busy(exc: BaseException) -> bool:
    return isinstance(exc, OperationalError) and any(text in str(exc).lower() for text in _BUSY_MESSAGES)


class DatabaseBusyMiddleware:
    """A view that failed because the database stayed busy past its timeout is answered 503, not 500.

    The view's transaction rolled back, so nothing it meant to save was saved, and the client may retry.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_busy(exception):
            return None
        retry_after = settings.WRITE_RETRY_AFTER_SECONDS
        logger.warning("database busy, answered 503: %s %s: %s", request.method, request.path, exception)
        message = busy_message(retry_after, "the database stayed locked past its timeout")
        response: HttpResponse
        if request.path.startswith(API_PREFIX):
            response = JsonResponse({"error": message, "field": None}, status=503)
        else:
            response = HttpResponse(f"503 Service Unavailable: {message}.\n", status=503, content_type="text/plain")
        response["Retry-After"] = str(retry_after)
        response["Cache-Control"] = "no-store"
        return response
