"""Guest identity without accounts or IP addresses.

A guest's browser is given a random secret inside a signed token and keeps it (a cookie on our own pages,
the host page's storage when embedded). The server stores only the SHA-256 of the secret (`guest_key`) on
the guest's comments and votes, so a database leak does not let anyone act as the guest, and the same
guest on another device is, honestly, someone else.

A token is bound to the site it was issued for: one installation may serve several publications, and a
guest identity minted on one of them (by anyone, since minting needs no account) must not be usable to
post, edit or vote on another's threads, whose own limits and bans it never went through.
"""

import hashlib
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core import signing

from .errors import PermissionDenied, ServiceError

SALT = "talkies.guest-identity"
# On our own pages a guest's token is kept in this cookie (talkies.web.guests); the API never reads it.
GUEST_COOKIE = "talkies_guest"
# Where the API looks for a guest's token on requests without a body (talkies.comments.api_auth).
GUEST_TOKEN_HEADER = "X-Talkies-Guest-Token"


def new_guest_token(*, site_id: int) -> str:
    """A fresh guest identity for the site `site_id`: a random secret and the site, signed."""
    return signing.dumps({"k": secrets.token_urlsafe(24), "s": site_id}, salt=SALT, compress=False)


def guest_key_from_token(token: str, *, site_id: int) -> str:
    """The stored key for a token we issued for the site `site_id`.

    ServiceError naming `guest_token` for a token we did not issue (or issued before tokens named their
    site); PermissionDenied naming it for one issued for another site.
    """
    try:
        grant = signing.loads(token, salt=SALT)
    except signing.BadSignature as e:
        raise ServiceError("guest_token", "guest_token is not one we issued: ask for a new one") from e
    secret = grant.get("k") if isinstance(grant, dict) else None
    issued_for = grant.get("s") if isinstance(grant, dict) else None
    if not isinstance(secret, str) or len(secret) < 16 or not isinstance(issued_for, int):
        raise ServiceError("guest_token", "guest_token is not one we issued: ask for a new one")
    if issued_for != site_id:
        raise PermissionDenied(
            "guest_token",
            "guest_token was issued for another site: ask this site for its own (POST /api/v1/guest-token)",
        )
    return hashlib.sha256(secret.encode()).hexdigest()


def guest_key_from_cookie(token: str, *, site_id: int) -> str:
    """The guest_key of a guest cookie's token, or "" for none.

    A cookie we did not issue (forged, tampered with, or signed before SECRET_KEY changed), or issued for
    another site, counts as no identity at all: the guest's next comment issues a new one rather than failing.
    """
    if not token:
        return ""
    try:
        return guest_key_from_token(token, site_id=site_id)
    except ServiceError:
        return ""


def carries_credentials(headers: Iterable[tuple[bytes, bytes]]) -> bool:
    """Whether an ASGI request's headers name a reader: a session cookie, an Authorization header or a
    guest token.

    The thread page's fast path (talkies.pagecache) shares one stored page among readers, and what a
    reader may do with each comment differs from reader to reader (talkies.comments.read_models), so it
    answers only requests for which this is false and leaves the others to Django.
    """
    session_cookie = settings.SESSION_COOKIE_NAME.encode() + b"="
    guest_header = GUEST_TOKEN_HEADER.lower().encode()
    for name, value in headers:
        if name in (b"authorization", guest_header):
            return True
        if name == b"cookie" and any(part.strip().startswith(session_cookie) for part in value.split(b";")):
            return True
    return False


def carries_credential_headers(headers: Iterable[tuple[bytes, bytes]]) -> bool:
    """Whether an ASGI request names a reader by a header (Authorization, a guest token), not a cookie."""
    guest_header = GUEST_TOKEN_HEADER.lower().encode()
    return any(name in (b"authorization", guest_header) for name, _value in headers)
