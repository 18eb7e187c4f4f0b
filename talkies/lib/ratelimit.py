"""Limits on how fast one account, guest or network address may write, with errors readers can act on.

django-ratelimit does the counting, in fixed windows in the cache settings.RATELIMIT_USE_CACHE names: Redis
when REDIS_URL is set, else the database (lib/dbcounters.py), so every worker process and node counts the
same attempts. This module decides whose counters a request uses, reads the limits from
settings.RATE_LIMITS, and turns "too many" into a RateLimited error that says when to try again.

The client address is REMOTE_ADDR unless that is a proxy listed in settings.TRUSTED_PROXIES; only then is
X-Forwarded-For believed (see client_ip).
"""

import ipaddress
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage

from .errors import ServiceError

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# What the reader is doing too fast, as the error puts it: "you are posting too fast".
DOING = {
    "comment": "posting",
    "vote": "voting",
    "guest_token": "asking for guest tokens",
    "register": "creating accounts",
    "verification_email": "asking for confirmation emails",
    "rating": "rating films",
    "login": "trying to sign in",
    "report": "reporting",
    "spoiler_check": "checking comments for spoilers",
}
# When REMOTE_ADDR is empty (a proxy talking over a Unix socket) every request shares this counter.
UNKNOWN_ADDRESS = "0.0.0.0"


class RateLimited(ServiceError):
    """Too many attempts at one kind of write. `retry_after` is in seconds (for the Retry-After header)."""

    status_code = 429

    def __init__(self, field: str, *, doing: str, retry_after: int) -> None:
        super().__init__(field, f"you are {doing} too fast: try again in {retry_after} seconds")
        self.retry_after = retry_after


def enforce_rate_limit(request: HttpRequest, action: str, *, actor: str | None, field: str) -> None:
    """Count one attempt at `action` (a key of settings.RATE_LIMITS) by `actor` and by the client address.

    `actor` identifies the account ("user:12") or guest ("guest:<key>"; see actor_key) or is None for
    actions that precede one (registering, asking for a guest token). Raises RateLimited naming `field`
    when any limit is exceeded, with the longest wait among them. Attempts that are refused still count,
    so hammering does not shorten the wait.
    """
    limits = settings.RATE_LIMITS[action]
    waits = []
    for scope, key in (("account", actor), ("ip", "ip")):
        if key is None:
            continue
        for rate in _rates(limits.get(scope, "")):
            usage = get_usage(
                request,
                group=f"talkies.{action}.{scope}",
                key=key if scope == "ip" else _constant(key),
                rate=rate,
                increment=True,
            )
            if usage is not None and usage["should_limit"]:
                waits.append(max(1, usage["time_left"]))
    if waits:
        raise RateLimited(field, doing=DOING.get(action, "writing"), retry_after=max(waits))


def actor_key(*, user_id: int | None = None, guest_key: str = "") -> str | None:
    if user_id is not None:
        return f"user:{user_id}"
    return f"guest:{guest_key}" if guest_key else None


def _constant(value: str) -> Callable[[str, HttpRequest], str]:
    return lambda group, request: value


def _rates(spec: str) -> list[str]:
    return [rate.strip() for rate in spec.split(",") if rate.strip()]


# --- The client's address ------------------------------------------------------------------------


def client_ip(request: HttpRequest) -> str:
    """The address to count a request against.

    REMOTE_ADDR, unless it is a trusted proxy: then X-Forwarded-For is read from the right, skipping
    trusted proxies, and the first address that is not one is the client. Reading from the right matters
    because a client can send its own X-Forwarded-For, which most proxies extend rather than replace: the
    left end is whatever the client wrote, and believing it would let anyone dodge the per-address limits.
    With one proxy that replaces the header, this is simply the header's first (and only) address.
    """
    remote = _parse(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return UNKNOWN_ADDRESS
    client = remote
    if _is_trusted(client):
        hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        for hop in reversed(hops):
            address = _parse(hop)
            if address is None:
                break  # a garbled header: trust nothing beyond the last proxy we believe
            client = address
            if not _is_trusted(address):
                break
    return str(client)


def _parse(value: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _is_trusted(address: IPAddress) -> bool:
    return any(address in network for network in _trusted_networks(tuple(settings.TRUSTED_PROXIES)))


@lru_cache(maxsize=4)
def _trusted_networks(proxies: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)
