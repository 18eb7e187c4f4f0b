"""The ASGI wrapper every live stream comes in through: the caps (limits.py), and no thread per stream.

talkies/asgi.py puts it outermost, so a stream over a cap is answered before Django, its middleware or
the database see it: 429 or 503, with Retry-After and a line saying why. A stream let in is counted until
Django's handler returns, which it does however the stream ends (the reader leaves, the stream goes idle,
an error), so the counts stay exact.

Threads: Django runs each request's sync code (the middleware that is not async) on a thread made for that
request and kept until the response ends, which for a stream is when the reader leaves: 10,000 open pages
were 10,000 idle threads. Streams' requests share a few threads instead (asgiref's ThreadSensitiveContext
with an executor of ours): each stream needs one for the moments its middleware runs, then none at all.
"""

import itertools
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import ThreadSensitiveContext
from django.http import HttpRequest

from talkies.lib.writegate import ASGIApp, Receive, Scope, Send

from .limits import Refusal, StreamCounts, process_stream_counts, stream_address

LIVE_PREFIX = "/live/"
# Each executor runs one call at a time on one thread (ThreadSensitiveContext requires it); a few of them
# let streams that open together run their middleware side by side.
MIDDLEWARE_THREADS = 4
_executors = [
    ThreadPoolExecutor(max_workers=1, thread_name_prefix="talkies-live-middleware") for _ in range(MIDDLEWARE_THREADS)
]
_next_executor = itertools.cycle(_executors)


class LiveStreamGate:
    """Let a live stream (a GET under /live/) into `app` only within the caps; everything else passes."""

    def __init__(self, app: ASGIApp, *, counts: Callable[[], StreamCounts] = process_stream_counts) -> None:
        self.app = app
        self._counts = counts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET" or not scope.get("path", "").startswith(LIVE_PREFIX):
            await self.app(scope, receive, send)
            return
        counts = self._counts()
        address = stream_address(_addressing_request(scope))
        refusal = counts.admit(address)
        if refusal is not None:
            await _refuse(send, refusal)
            return
        try:
            async with ThreadSensitiveContext(executor=next(_next_executor)):
                await self.app(scope, receive, send)
        finally:
            counts.release(address)


def _addressing_request(scope: Scope) -> HttpRequest:
    """Just enough of a request for talkies.lib.ratelimit.client_ip: the peer and X-Forwarded-For."""
    request = HttpRequest()
    client = scope.get("client")
    request.META["REMOTE_ADDR"] = client[0] if client else ""
    forwarded = [value for name, value in scope.get("headers", ()) if name == b"x-forwarded-for"]
    if forwarded:
        # Several X-Forwarded-For headers mean the same as one header listing them all, in order.
        request.META["HTTP_X_FORWARDED_FOR"] = ",".join(value.decode("latin-1") for value in forwarded)
    return request


async def _refuse(send: Send, refusal: Refusal) -> None:
    # The API's error shape: EventSource ignores the body, but a person (or a script) reading it learns why.
    body = json.dumps({"error": refusal.message, "field": refusal.field}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": refusal.status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"retry-after", str(refusal.retry_after).encode()),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
