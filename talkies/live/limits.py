"""How many live streams one client address, and one worker process, may hold open at once.

Each open stream costs a connection, a file descriptor and a little memory for as long as the page is open,
so without a bound one client could hold every connection granian lets a worker have (issue 13: ~1,024
`curl` streams from one address left the server answering nobody). A stream past a cap is refused before
any work is done for it: 429 when its address holds too many (that client should slow down), 503 when the
process does (the node is full: try again, perhaps elsewhere), both with Retry-After.

Counted per process, in memory: a stream lives and dies in one worker, so nothing is shared and nothing
can be left over in a cache when a worker dies. A client spread over N workers may hold up to N times the
per-address cap on one node; granian hands connections to workers in turn, so that is a bounded slack.
"""

import ipaddress
import threading
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

from talkies.lib.ratelimit import client_ip

# An IPv6 subscriber is usually given a whole /64, so counting single addresses would not bound one client.
IPV6_PREFIX = 64


@dataclass(frozen=True)
class Refusal:
    """Why a stream was not opened, as the response says it."""

    status: int
    retry_after: int
    field: str
    message: str


class StreamCounts:
    """The streams this process holds, by client address. `admit` a stream before it starts and `release`
    it exactly once when it ends, however it ends (callers do so in a `finally`)."""

    def __init__(self, *, per_address: int, per_process: int, retry_after: int) -> None:
        self.per_address, self.per_process, self.retry_after = per_address, per_process, retry_after
        self._by_address: Counter[str] = Counter()
        self._total = 0
        # One event loop per worker admits streams, but tests run several loops in one process.
        self._lock = threading.Lock()

    @property
    def total(self) -> int:
        return self._total

    def held_by(self, address: str) -> int:
        return self._by_address[address]

    def admit(self, address: str) -> Refusal | None:
        """Count one more stream for `address`, or say why not (nothing is counted then)."""
        with self._lock:
            if self._by_address[address] >= self.per_address:
                return Refusal(
                    status=429,
                    retry_after=self.retry_after,
                    field="client address",
                    message=f"{address} already holds {self.per_address} live streams, the most one address "
                    f"may: close some pages, or try again in {self.retry_after} seconds",
                )
            if self._total >= self.per_process:
                return Refusal(
                    status=503,
                    retry_after=self.retry_after,
                    field="live streams",
                    message=f"this server holds {self.per_process} live streams, as many as it takes: "
                    f"try again in {self.retry_after} seconds",
                )
            self._by_address[address] += 1
            self._total += 1
            return None

    def release(self, address: str) -> None:
        with self._lock:
            if self._by_address[address] <= 0:
                raise ValueError(f"no live stream of {address} to release")
            self._by_address[address] -= 1
            if not self._by_address[address]:
                del self._by_address[address]  # so the counter does not grow with every address ever seen
            self._total -= 1


def stream_address(request: HttpRequest) -> str:
    """The address a stream counts against: the rate limits' client address, an IPv6 one by its /64."""
    address = client_ip(request)
    parsed = ipaddress.ip_address(address)
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_PREFIX}", strict=False))
    return address


_process_counts: StreamCounts | None = None
_process_counts_lock = threading.Lock()


def process_stream_counts() -> StreamCounts:
    """This process's counts, with the caps in settings (read once, when the first stream arrives)."""
    global _process_counts
    with _process_counts_lock:
        if _process_counts is None:
            _process_counts = StreamCounts(
                per_address=settings.LIVE_STREAMS_PER_ADDRESS,
                per_process=settings.LIVE_STREAMS_PER_PROCESS,
                retry_after=settings.LIVE_STREAM_RETRY_AFTER_SECONDS,
            )
        return _process_counts
