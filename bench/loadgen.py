"""A small HTTP/1.1 keep-alive load generator on asyncio, for benchmarks on loopback. No dependencies.

    result = asyncio.run(run_load("http://127.0.0.1:8000/api/v1/…", connections=32, duration=10, warmup=2))

Each of `connections` clients holds one keep-alive connection and sends its next GET as soon as the
previous response is complete (a closed loop, like wrk). Requests that *start* during the warm-up are
not recorded. The run is bounded twice: it stops at the deadline and after `max_requests`, whichever
comes first, so a hung server cannot hold it forever (each request also has a timeout).

What it measures, and what it cannot: latency runs from writing the request to reading the last body
byte, on one event loop in one process. When that process is itself short of CPU the time a response
waits to be read is counted as latency, so `client_cpu_cores` is reported beside every result: near
1.0 means the generator, not the server, set the pace.
"""

import asyncio
import contextlib
import ipaddress
import math
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

LOOPBACK_NAMES = {"localhost"}
MAX_ERROR_SAMPLES = 5


class LoadError(Exception):
    """The generator refused its arguments (not a failed request: those are counted as errors)."""


@dataclass
class LoadResult:
    url: str
    connections: int
    duration_s: float  # wall time of the measured window
    requests: int  # completed with the expected status
    errors: int  # wrong status, malformed response, timeout or connection failure
    error_kinds: dict[str, int]
    latencies_s: list[float] = field(repr=False)
    bytes_received: int
    client_cpu_s: float  # CPU this process used during the measured window

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.duration_s if self.duration_s else 0.0

    @property
    def client_cpu_cores(self) -> float:
        return self.client_cpu_s / self.duration_s if self.duration_s else 0.0

    def percentile_ms(self, percent: float) -> float | None:
        return percentile(self.latencies_s, percent) * 1000 if self.latencies_s else None

    def summary(self) -> dict:
        """The figures a report shows, rounded; the raw latencies stay out of it."""

        def ms(value: float | None) -> float | None:
            return None if value is None else round(value, 2)

        return {
            "url": self.url,
            "connections": self.connections,
            "duration_s": round(self.duration_s, 3),
            "requests": self.requests,
            "errors": self.errors,
            "error_kinds": self.error_kinds,
            "requests_per_second": round(self.requests_per_second, 1),
            "p50_ms": ms(self.percentile_ms(50)),
            "p90_ms": ms(self.percentile_ms(90)),
            "p99_ms": ms(self.percentile_ms(99)),
            "max_ms": ms(max(self.latencies_s) * 1000 if self.latencies_s else None),
            "mean_response_bytes": round(self.bytes_received / self.requests) if self.requests else None,
            "client_cpu_cores": round(self.client_cpu_cores, 2),
        }


def percentile(samples: list[float], percent: float) -> float:
    """Nearest-rank percentile: the smallest sample with at least `percent`% of samples at or below it."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class _Tally:
    """What every connection adds to while the run lasts. One event loop, so no locking is needed."""

    record_from: float  # perf_counter() at the end of the warm-up
    stop_at: float
    budget: int  # requests still allowed to start, warm-up included
    expected_status: int
    latencies: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    bytes_received: int = 0

    def may_start(self) -> bool:
        if self.budget <= 0 or time.perf_counter() >= self.stop_at:
            return False
        self.budget -= 1
        return True

    def record(self, started: float, *, latency: float, body_bytes: int, error: str | None) -> None:
        if started < self.record_from:
            return
        if error is None:
            self.latencies.append(latency)
            self.bytes_received += body_bytes
        else:
            self.errors[error] += 1


class MalformedResponse(Exception):
    """Bytes that are not an HTTP/1.x response we can frame; the connection cannot be trusted after it."""


# Whatever can go wrong between writing a request and reading its last byte, short of a timeout.
# ValueError covers a Content-Length or chunk size that is not a number.
FAILED_EXCHANGE = (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, MalformedResponse, ValueError)


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, int, bool]:
    """(status, body length, server wants to close) for one response; the body is read and dropped."""
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    parts = status_line.split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
        raise MalformedResponse(f"bad status line {status_line[:40]!r}")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        if name:
            headers[name.strip().lower()] = value.strip()
    closing = headers.get("connection", "").lower() == "close" or parts[0] == "HTTP/1.0"
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return int(parts[1]), await _read_chunked(reader), closing
    if "content-length" in headers:
        length = int(headers["content-length"])
        await reader.readexactly(length)
        return int(parts[1]), length, closing
    raise MalformedResponse("response has neither Content-Length nor chunked encoding")


async def _read_chunked(reader: asyncio.StreamReader) -> int:
    total = 0
    while True:
        size_line = await reader.readuntil(b"\r\n")
        size = int(size_line.split(b";", 1)[0].strip(), 16)
        await reader.readexactly(size + 2)  # the chunk and its CRLF
        total += size
        if size == 0:
            return total


class _Connection:
    """One keep-alive connection, opened lazily and dropped whenever its state is in doubt."""

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, request: bytes) -> tuple[int, int]:
        """(status, body bytes) of one request; raises on timeout or any transport or protocol failure."""
        # asyncio.timeout, not wait_for: wait_for wraps every call in a new task, which at thousands of
        # requests a second costs the generator CPU it should not spend.
        async with asyncio.timeout(self.timeout):
            if self.reader is None or self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            self.writer.write(request)
            status, body_bytes, closing = await _read_response(self.reader)
        if closing:
            self.close()
        return status, body_bytes

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def aclose(self) -> None:
        """Close and wait until the socket really is closed.

        close() only schedules it; if the event loop ends first (an interrupted run), the socket stays
        open until this process exits, and a server shutting down gracefully waits on it meanwhile.
        """
        writer = self.writer
        self.close()
        if writer is not None:
            with contextlib.suppress(Exception):
                await writer.wait_closed()


async def _client(host: str, port: int, request: bytes, tally: _Tally, timeout: float) -> None:
    """One connection sending requests back to back until the tally says stop."""
    connection = _Connection(host, port, timeout)
    try:
        while tally.may_start():
            started = time.perf_counter()
            body_bytes, error = 0, None
            try:
                status, body_bytes = await connection.get(request)
                if status != tally.expected_status:
                    error = f"status {status}"
            except TimeoutError:
                connection.close()  # a late response would be read as the answer to the next request
                error = "timeout"
            except FAILED_EXCHANGE as e:
                connection.close()
                error = type(e).__name__
            tally.record(started, latency=time.perf_counter() - started, body_bytes=body_bytes, error=error)
    finally:
        await connection.aclose()


def _loopback_target(url: str) -> tuple[str, int, str]:
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise LoadError(f"{url!r}: only plain http:// URLs are supported")
    host = parts.hostname
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host in LOOPBACK_NAMES
    if not loopback:
        # A closed-loop generator at full speed is a denial-of-service tool; keep it pointed at ourselves.
        raise LoadError(f"{url!r}: the load generator only targets loopback addresses (127.0.0.1, ::1)")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return host, parts.port or 80, path


async def run_load(
    url: str,
    *,
    connections: int = 32,
    duration: float = 10.0,
    warmup: float = 0.0,
    max_requests: int = 5_000_000,
    timeout: float = 10.0,
    expected_status: int = 200,
    headers: dict[str, str] | None = None,
    method: str = "GET",
    body: bytes | None = None,
) -> LoadResult:
    """GET `url` from `connections` keep-alive connections for `warmup` + `duration` seconds, with any
    extra request `headers` (an Origin, say, to read as the embed does; an Accept replaces the default).

    With `method` and `body` every request is that one instead (a POST of the same JSON, say): the body
    goes as application/json unless `headers` name another Content-Type.
    """
    if connections < 1 or duration <= 0 or warmup < 0 or max_requests < 1:
        raise LoadError("connections and max_requests must be at least 1, duration above 0, warmup 0 or more")
    host, port, path = _loopback_target(url)
    fields = {"Accept": "application/json", **(headers or {})}
    if body is not None:
        fields = {"Content-Type": "application/json", **fields, "Content-Length": str(len(body))}
    extra = "".join(f"{name}: {value}\r\n" for name, value in fields.items())
    request = (
        f"{method} {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"User-Agent: talkies-bench-loadgen\r\n{extra}Connection: keep-alive\r\n\r\n"
    ).encode("ascii") + (body or b"")
    start = time.perf_counter()
    tally = _Tally(
        record_from=start + warmup,
        stop_at=start + warmup + duration,
        budget=max_requests,
        expected_status=expected_status,
    )
    clients = [asyncio.create_task(_client(host, port, request, tally, timeout)) for _ in range(connections)]
    # CPU is sampled at the warm-up boundary so it covers the same window as the recorded requests.
    await asyncio.sleep(max(0.0, tally.record_from - time.perf_counter()))
    cpu_start, window_start = time.process_time(), time.perf_counter()
    await asyncio.gather(*clients)
    cpu_used, window = time.process_time() - cpu_start, time.perf_counter() - window_start
    return LoadResult(
        url=url,
        connections=connections,
        duration_s=window,
        requests=len(tally.latencies),
        errors=sum(tally.errors.values()),
        error_kinds=dict(tally.errors),
        latencies_s=tally.latencies,
        bytes_received=tally.bytes_received,
        client_cpu_s=cpu_used,
    )
