"""Growing waits after repeated failed sign-ins to one account name, that the emailed reset link ends.

The windowed limits (settings.RATE_LIMITS["login"], lib/ratelimit.py) cap how fast anyone may try; this
adds what they cannot: a guesser who keeps to the window's pace still meets a wait that doubles with each
further failure. From the settings.LOGIN_BACKOFF_AFTER_FAILURES-th failure in a row on, each failure makes
the name wait: LOGIN_BACKOFF_FIRST_SECONDS, then twice that, and so on up to LOGIN_BACKOFF_MAX_SECONDS.

The cap is what keeps this from being a weapon: an attacker who fails on purpose can make the owner wait
at most the cap at a time, never for good; and the password reset link (emailed to the owner only) signs
them in whatever the wait and clears the count, so the owner always has a way in that the attacker lacks.
A sign-in refused while waiting is not a failure (no password was checked), so hammering during a wait
does not lengthen it.

Counted in the cache RATELIMIT_USE_CACHE names, as the rate limits are: shared by every process and node.
The count is forgotten LOGIN_BACKOFF_FORGET_SECONDS after the last failure, and at a successful sign-in.
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import BaseCache, caches

from talkies.lib.errors import ServiceError


class SignInDelayed(ServiceError):
    """Sign-in to this account name is waiting out its failures. `retry_after` is in seconds."""

    status_code = 429

    def __init__(self, *, retry_after: int) -> None:
        super().__init__(
            "username",
            f"too many failed sign-ins to this account: try again in {retry_after} seconds, "
            "or reset your password to sign in straight away from the emailed link",
        )
        self.retry_after = retry_after


def check_sign_in_allowed(name: str) -> None:
    """Raise SignInDelayed if the account name `name` must still wait after its failures."""
    until = _cache().get(_key("until", name))
    if until is None:
        return
    left = math.ceil(until / 1000 - time.time())
    if left > 0:
        raise SignInDelayed(retry_after=left)


def record_failed_sign_in(name: str) -> None:
    """Count a wrong password for `name`; past the threshold, start the next (doubled) wait."""
    cache, key = _cache(), _key("failures", name)
    forget = settings.LOGIN_BACKOFF_FORGET_SECONDS
    failures = _increment(cache, key, timeout=forget)
    cache.touch(key, forget)  # a run of failures is remembered from its latest, not its first
    beyond = failures - settings.LOGIN_BACKOFF_AFTER_FAILURES
    if beyond < 0:
        return
    # 2**beyond would grow without bound for a name tried for days; the cap is reached long before 2**30.
    wait = min(settings.LOGIN_BACKOFF_FIRST_SECONDS * 2 ** min(beyond, 30), settings.LOGIN_BACKOFF_MAX_SECONDS)
    if wait > 0:
        # In milliseconds: the counter cache holds whole numbers, and whole seconds would round the wait up.
        cache.set(_key("until", name), round((time.time() + wait) * 1000), timeout=wait)


def clear_failed_sign_ins(name: str) -> None:
    """Forget `name`'s failures and any wait: it signed in, or its owner reset the password."""
    cache = _cache()
    cache.delete(_key("failures", name))
    cache.delete(_key("until", name))


def _increment(cache: BaseCache, key: str, *, timeout: int) -> int:
    # add-then-incr, because incr alone fails on a missing key; if the key expires between the two, start
    # again rather than lose the failure.
    while True:
        if cache.add(key, 1, timeout):
            return 1
        try:
            return cache.incr(key)
        except ValueError:
            continue


def _key(what: str, name: str) -> str:
    # Case-folded as the windowed limits count names; hashed because a name may hold any character, and
    # cache keys may not.
    digest = hashlib.sha256(name.casefold().encode()).hexdigest()[:32]
    return f"talkies.login-backoff.{what}.{digest}"


def _cache() -> BaseCache:
    return caches[settings.RATELIMIT_USE_CACHE]
