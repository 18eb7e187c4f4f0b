"""`Idempotency-Key`: a write retried with the same key is answered, not done again.

A client that loses its connection after sending a write cannot tell whether the write landed; without a
key its retry posts the comment twice. With one, the first successful answer (its status, body and content
type) is stored under the key, **in the same transaction as the write**, so a crash either keeps both or
neither: a retry after a `kill -9` finds the key exactly when the write was committed.

- Keys are scoped per actor and per site: the site API key presented, else the signed-in account, else the
  guest token, else the client address. Another actor sending the same key starts a write of their own and
  never sees this one's answer.
- The same key with a different request (method, path, query or body) is refused, 422 naming the header.
- Two retries racing with one key do not both write: the key is claimed first, under a unique constraint.
  On PostgreSQL the second claim waits for the first transaction and then finds its answer; on SQLite
  (transactions begin IMMEDIATE) the second cannot begin until the first has committed.
- Only successes (2xx) are kept: an error wrote nothing, so its retry is a new attempt (a 429 retried later
  may well succeed).
- Answers are kept for settings.IDEMPOTENCY_KEY_HOURS (24 h), then forgotten; each process purges the
  expired ones now and then, after a write commits, rather than on every write. An actor keeps at most
  settings.IDEMPOTENCY_KEYS_PER_ACTOR keys: a new one past that forgets their oldest, so no one actor can
  grow the table without bound (the write rate limits bound it further).

The whole operation runs in that one transaction, its rate-limit counting included. With counters in the
database (no REDIS_URL) on PostgreSQL, a counter's row then stays locked until the write commits, so one
actor's, or one address's, keyed writes go one after another; on SQLite writes do anyway.

Apply it with `@idempotent` under the route decorator of every write (talkies/lib/tests/test_idempotency.py
sweeps the API for writes without it). The key table is created by accounts' migration 0005; like the
rate-limit counters (lib/dbcounters.py) it is read with SQL, because lib imports no app.
"""

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from ninja.decorators import decorate_view
from ninja.operation import Operation
from ninja.utils import contribute_operation_callback

from .guests import GUEST_TOKEN_HEADER, guest_key_from_cookie
from .ratelimit import client_ip

HEADER = "Idempotency-Key"
# Set on an answer that was stored by an earlier request with the same key, so a client can tell.
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
TABLE = "talkies_idempotency_keys"
# Marks the run of an operation wrapped by `idempotent` (the sweep in the tests looks for it).
MARK = "talkies_idempotent"
# How often, at most, one process deletes expired keys.
PURGE_EVERY_SECONDS = 300

OPENAPI_PARAMETER = {
    "in": "header",
    "name": HEADER,
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
    "description": "A new key (a UUID) per write, sent again with its retries: a retry is answered with the "
    "first result instead of being done twice. Kept a day by default, per actor. See docs/api.md.",
}

ViewT = TypeVar("ViewT", bound=Callable[..., Any])
Run = Callable[..., HttpResponseBase]

_last_purge = 0.0


@dataclass(frozen=True)
class StoredAnswer:
    fingerprint: str
    status: int
    content_type: str
    body: str

    def response(self) -> HttpResponse:
        response = HttpResponse(self.body, status=self.status, content_type=self.content_type)
        response[REPLAYED_HEADER] = "true"
        return response


def idempotent(view: ViewT) -> ViewT:
    """Make a Ninja write operation honour `Idempotency-Key` (see the module's docstring).

    Put it under `@router.post(...)`: it wraps the operation's whole run (authentication, input, the view and
    the serialised answer), so what is stored is exactly the bytes the client was sent.
    """
    contribute_operation_callback(view, document_header)
    return decorate_view(answer_once)(view)


def document_header(operation: Operation) -> None:
    """List the optional header among the operation's parameters in the OpenAPI schema."""
    extra = dict(operation.openapi_extra or {})
    extra["parameters"] = [*extra.get("parameters", []), OPENAPI_PARAMETER]
    operation.openapi_extra = extra


def answer_once(run: Run) -> Run:
    @wraps(run)
    def run_once(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        key = request.headers.get(HEADER)
        if key is None:
            return run(request, *args, **kwargs)
        problem = key_problem(key)
        if problem:
            return refusal(problem)
        scope, fingerprint = actor_scope(request), request_fingerprint(request)
        with transaction.atomic():
            stored = claim(scope=scope, key=key, fingerprint=fingerprint)
            if stored is not None:
                if stored.fingerprint != fingerprint:
                    return refusal(
                        f"{HEADER} {key!r} was already used for a different request: send a new key for a new write"
                    )
                return stored.response()
            response = run(request, *args, **kwargs)
            if 200 <= response.status_code < 300 and isinstance(response, HttpResponse):
                remember(scope=scope, key=key, response=response)
            else:
                release(scope=scope, key=key)
            transaction.on_commit(purge_now_and_then)
        return response

    setattr(run_once, MARK, True)
    return run_once


def is_idempotent(run: Callable[..., Any]) -> bool:
    return getattr(run, MARK, False) is True


def key_problem(key: str) -> str:
    """Why `key` cannot be used, or "" when it can: 1 to 255 printable ASCII characters (a UUID is ideal)."""
    if not key or len(key) > MAX_KEY_LENGTH or not all(" " < char <= "~" for char in key):
        return f"{HEADER} must be 1 to {MAX_KEY_LENGTH} printable ASCII characters without spaces, such as a UUID"
    return ""


def refusal(message: str) -> JsonResponse:
    return JsonResponse({"error": message, "field": HEADER}, status=422)


# --- Whose key, and for what ------------------------------------------------------------------------


def actor_scope(request: HttpRequest) -> str:
    """The site and the actor a key belongs to, worked out from the credentials the request presents.

    Before authentication runs, so a credential is taken as presented: a forged one fails authentication,
    its write fails, and nothing is stored under it.
    """
    site = getattr(request, "site", None)
    site_part = f"site:{site.pk if site is not None else '-'}"
    authorization = request.headers.get("Authorization", "")
    if authorization.startswith("Api-Key "):
        return f"{site_part}|api-key:{_digest(authorization.encode())}"
    if request.user.is_authenticated:
        return f"{site_part}|user:{request.user.pk}"
    guest_token = request.headers.get(GUEST_TOKEN_HEADER, "") or _body_guest_token(request)
    # Guest tokens are bound to the site that issued them: without a site there is no guest to scope by.
    guest_key = guest_key_from_cookie(guest_token, site_id=site.pk) if site is not None else ""
    if guest_key:
        return f"{site_part}|guest:{guest_key}"
    return f"{site_part}|address:{client_ip(request)}"


def _body_guest_token(request: HttpRequest) -> str:
    # Guests send their token in the body when posting and reporting (talkies.comments.api_auth). A body
    # that is not JSON will be refused by the operation itself; here it only means "no guest token".
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return ""
    token = body.get("guest_token") if isinstance(body, dict) else None
    return token if isinstance(token, str) else ""


def request_fingerprint(request: HttpRequest) -> str:
    """What the key promises to mean: this method on this path and query, with this body."""
    digest = hashlib.sha256()
    for part in (request.method or "", request.get_full_path()):
        digest.update(part.encode())
        digest.update(b"\n")
    digest.update(request.body)
    return digest.hexdigest()


def _digest(value: bytes) -> str:
    return hashlib.sha256(value).hexdigest()


# --- The table --------------------------------------------------------------------------------------


def claim(*, scope: str, key: str, fingerprint: str) -> StoredAnswer | None:
    """Claim `key` for this transaction, or the answer stored under it. Call inside transaction.atomic().

    The claim is an insert under the (scope, key) unique constraint that no other transaction sees until
    this one commits, by which time it holds the answer (remember) or is gone (release). A concurrent
    claim of the same key waits on that constraint (PostgreSQL) or on the write lock (SQLite), then finds
    the answer. A key whose time is up is taken over as if it were new.
    """
    table = connection.ops.quote_name(TABLE)
    now = time.time()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (scope, idem_key, fingerprint, status, content_type, body, created) "
            "VALUES (%s, %s, %s, 0, '', '', %s) ON CONFLICT (scope, idem_key) DO NOTHING",
            [scope, key, fingerprint, now],
        )
        if cursor.rowcount == 1:
            forget_oldest_past_the_cap(cursor, table=table, scope=scope)
            return None
        cursor.execute(
            f"SELECT fingerprint, status, content_type, body, created FROM {table} WHERE scope = %s AND idem_key = %s",
            [scope, key],
        )
        found_fingerprint, status, content_type, body, created = cursor.fetchone()
        if created > now - _kept_seconds():
            return StoredAnswer(fingerprint=found_fingerprint, status=status, content_type=content_type, body=body)
        cursor.execute(
            f"UPDATE {table} SET fingerprint = %s, status = 0, content_type = '', body = '', created = %s "
            "WHERE scope = %s AND idem_key = %s",
            [fingerprint, now, scope, key],
        )
    return None


def forget_oldest_past_the_cap(cursor: CursorWrapper, *, table: str, scope: str) -> None:
    """Delete the scope's keys older than its newest IDEMPOTENCY_KEYS_PER_ACTOR: one indexed look, which
    finds nothing until an actor reaches the cap."""
    cap = int(settings.IDEMPOTENCY_KEYS_PER_ACTOR)
    cursor.execute(
        f"SELECT created FROM {table} WHERE scope = %s ORDER BY created DESC LIMIT 1 OFFSET %s", [scope, cap]
    )
    row = cursor.fetchone()
    if row is not None:
        cursor.execute(f"DELETE FROM {table} WHERE scope = %s AND created <= %s", [scope, row[0]])


def remember(*, scope: str, key: str, response: HttpResponse) -> None:
    table = connection.ops.quote_name(TABLE)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s, content_type = %s, body = %s WHERE scope = %s AND idem_key = %s",
            [
                response.status_code,
                response.get("Content-Type", ""),
                response.content.decode(response.charset or "utf-8"),
                scope,
                key,
            ],
        )


def release(*, scope: str, key: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {connection.ops.quote_name(TABLE)} WHERE scope = %s AND idem_key = %s", [scope, key]
        )


def purge_expired_keys(*, now: float | None = None) -> int:
    """Delete the keys whose time is up; how many there were."""
    cutoff = (time.time() if now is None else now) - _kept_seconds()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(TABLE)} WHERE created <= %s", [cutoff])
        return cursor.rowcount


def purge_now_and_then() -> None:
    """purge_expired_keys, at most once per PURGE_EVERY_SECONDS in this process: one indexed delete."""
    global _last_purge
    now = time.monotonic()
    if now - _last_purge >= PURGE_EVERY_SECONDS:
        _last_purge = now
        purge_expired_keys()


def _kept_seconds() -> float:
    return float(settings.IDEMPOTENCY_KEY_HOURS) * 3600
