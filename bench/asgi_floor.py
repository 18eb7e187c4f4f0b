"""The least any ASGI application can cost: granian sending bytes it holds in memory, nothing else.

bench/full.py serves the fast path's own pages with it, beside nginx, so the table shows where a request
answered in Python stops and the server it runs on begins: the fast path can come close to this row, but
never pass it, however little it does per request.

Run by granian (`granian --interface asginl bench.asgi_floor:app`), with BENCH_FLOOR_DIR naming a
directory whose files are served at /<name>, read once at start.
"""

import os
from pathlib import Path

SERVED = Path(os.environ.get("BENCH_FLOOR_DIR", "."))
FILES = {f"/{path.name}": path.read_bytes() for path in SERVED.iterdir() if path.is_file()}
NOT_FOUND = [(b"content-type", b"text/plain"), (b"content-length", b"0")]


async def app(scope, receive, send) -> None:
    if scope["type"] != "http":
        return
    body = FILES.get(scope["path"])
    if body is None:
        await send({"type": "http.response.start", "status": 404, "headers": NOT_FOUND})
        await send({"type": "http.response.body", "body": b""})
        return
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})
