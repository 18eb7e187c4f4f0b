"""A client speaking raw ASGI to the live stream gate, in-process: to open streams, refuse them, end them."""

import asyncio
from collections.abc import MutableMapping
from typing import Any

from django.core.asgi import get_asgi_application

from talkies.live.admission import LiveStreamGate
from talkies.live.limits import StreamCounts


def stream_gate(counts: StreamCounts) -> LiveStreamGate:
    """The gate as talkies/asgi.py builds it, in front of Django, counting in `counts`."""
    return LiveStreamGate(get_asgi_application(), counts=lambda: counts)


class RawStream:
    """One GET under /live/ through `gate`, from `address` (and X-Forwarded-For `forwarded_for`)."""

    def __init__(
        self, gate: LiveStreamGate, path: str, *, address: str = "203.0.113.7", forwarded_for: str = ""
    ) -> None:
        headers = [(b"host", b"testserver"), (b"accept", b"text/event-stream")]
        if forwarded_for:
            headers.append((b"x-forwarded-for", forwarded_for.encode()))
        path, _, query = path.partition("?")
        self.scope: dict[str, Any] = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": headers,
            "client": (address, 50000),
            "server": ("testserver", 80),
        }
        self._to_app: asyncio.Queue[dict] = asyncio.Queue()
        self._from_app: asyncio.Queue[MutableMapping[str, Any]] = asyncio.Queue()
        self._to_app.put_nowait({"type": "http.request", "body": b"", "more_body": False})
        self.task = asyncio.ensure_future(gate(self.scope, self._to_app.get, self._from_app.put))
        self.status = 0
        self.headers: dict[str, str] = {}
        self.received = b""
        self.ended = False

    async def start(self, timeout: float = 5.0) -> int:
        """Wait for the response to start; its status."""
        async with asyncio.timeout(timeout):
            message = await self._from_app.get()
        assert message["type"] == "http.response.start"
        self.status = message["status"]
        self.headers = {name.decode(): value.decode() for name, value in message["headers"]}
        return self.status

    async def read_until(self, marker: bytes, timeout: float = 5.0) -> bytes:
        async with asyncio.timeout(timeout):
            while marker not in self.received:
                await self._next_body()
        return self.received

    async def read_to_end(self, timeout: float = 5.0) -> bytes:
        async with asyncio.timeout(timeout):
            while not self.ended:
                await self._next_body()
            await self.task
        return self.received

    async def disconnect(self, timeout: float = 5.0) -> None:
        """Go away as a browser does: the server is told the connection closed."""
        self._to_app.put_nowait({"type": "http.disconnect"})
        async with asyncio.timeout(timeout):
            await self.task

    async def _next_body(self) -> None:
        message = await self._from_app.get()
        assert message["type"] == "http.response.body"
        self.received += message.get("body", b"")
        self.ended = not message.get("more_body", False)
