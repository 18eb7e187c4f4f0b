"""The two signed credentials of embedding: the reader token and the host site's SSO payload.

Reader token: what the sign-in popup and the SSO exchange hand to the embed, sent back as
`Authorization: Bearer <token>`. Django's signing (HMAC with SECRET_KEY, a salt of its own so no other
signed value of ours can pass for one) over the user, the site and the page origin it was issued for,
with a timestamp so it lapses after EMBED_TOKEN_MAX_AGE_SECONDS. It also carries a few characters of the
user's session-auth hash, so changing the password ends every token as it ends every session.

SSO payload: signed by the host site's server with the site's SSO secret; the format is the one
docs/embedding.md documents for publishers (base64url JSON "." hex HMAC-SHA256 of the base64url text).
"""

import base64
import binascii
import hashlib
import hmac
import json
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare

from talkies.accounts.models import Site, User
from talkies.lib.bounded_json import json_depth
from talkies.lib.text import unstorable_text_problem

READER_TOKEN_SALT = "talkies.embed.reader-token"
# An SSO payload may be signed at most this far ahead of its expiry: a leaked one must not work for long.
SSO_MAX_LIFETIME_SECONDS = 24 * 60 * 60
SSO_ID = re.compile(r"[A-Za-z0-9_.@+-]{1,64}")
# A payload is an id, a name, an email and a time: a few hundred characters, even with every character of
# the name escaped. Anything far longer is refused before it is hashed or read.
MAX_SSO_LENGTH = 4096
# How deep a payload's JSON may nest: its own fields are flat, and a host adding a list or an object of its
# own is fine; a bracket bomb that would exhaust the parser's recursion is not.
SSO_MAX_DEPTH = 4


class BadToken(Exception):
    """A credential we refuse; the message says why, for the 401 the client gets."""


@dataclass(frozen=True)
class ReaderGrant:
    user_id: int
    site_id: int
    origin: str
    auth_hash: str


def _auth_hash(user: User) -> str:
    return user.get_session_auth_hash()[:16]


def issue_reader_token(*, user: User, site: Site, origin: str) -> str:
    grant = {"u": user.pk, "s": site.pk, "o": origin, "h": _auth_hash(user)}
    return signing.dumps(grant, salt=READER_TOKEN_SALT, compress=False)


def reader_token_max_age() -> int:
    return settings.EMBED_TOKEN_MAX_AGE_SECONDS


def read_reader_token(token: str) -> ReaderGrant:
    """The grant inside a token we issued and that has not lapsed; BadToken otherwise."""
    try:
        grant = signing.loads(token, salt=READER_TOKEN_SALT, max_age=reader_token_max_age())
    except signing.SignatureExpired as e:
        raise BadToken("the sign-in token has expired: sign in again") from e
    except signing.BadSignature as e:
        raise BadToken("the sign-in token is not one we issued: sign in again") from e
    try:
        return ReaderGrant(
            user_id=int(grant["u"]), site_id=int(grant["s"]), origin=str(grant["o"]), auth_hash=grant["h"]
        )
    except (KeyError, TypeError, ValueError) as e:
        raise BadToken("the sign-in token is not one we issued: sign in again") from e


def grant_still_valid(grant: ReaderGrant, user: User) -> bool:
    """Whether the user's password (and so their session-auth hash) is what it was when the token was issued."""
    return constant_time_compare(grant.auth_hash, _auth_hash(user))


# --- SSO ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SsoUser:
    id: str
    name: str
    email: str


def sso_signature(encoded_payload: str, secret: str) -> str:
    return hmac.new(secret.encode(), encoded_payload.encode("ascii"), hashlib.sha256).hexdigest()


def encode_sso(payload: dict, secret: str) -> str:
    """What a host site's server sends (the Python snippet of docs/embedding.md; tests sign with it)."""
    encoded = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
    return f"{encoded}.{sso_signature(encoded, secret)}"


def read_sso(value: str, *, secret: str, now: float | None = None) -> SsoUser:
    """The user a host site vouches for, if `value` carries its valid, unexpired signature; BadToken otherwise.

    The signature is checked before anything in the payload is read, so nothing unsigned is ever parsed.
    """
    now = time.time() if now is None else now
    if len(value) > MAX_SSO_LENGTH:
        raise BadToken(f"sso is longer than {MAX_SSO_LENGTH} characters")
    encoded, dot, signature = value.strip().partition(".")
    if not dot or not encoded or not signature:
        raise BadToken("sso must be <base64url payload>.<hex signature>")
    try:
        encoded.encode("ascii")
    except UnicodeEncodeError as e:
        raise BadToken("sso payload is not base64url") from e
    if not constant_time_compare(sso_signature(encoded, secret), signature.lower()):
        raise BadToken("sso signature does not match: sign the payload with this site's SSO secret")
    try:
        text = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
        if json_depth(text) > SSO_MAX_DEPTH:
            raise BadToken(f"sso payload nests deeper than {SSO_MAX_DEPTH} levels: send a flat JSON object")
        payload = json.loads(text)
    except (binascii.Error, ValueError) as e:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise BadToken("sso payload is not base64url-encoded JSON") from e
    if not isinstance(payload, dict):
        raise BadToken("sso payload must be a JSON object")
    expires = payload.get("exp")
    if not isinstance(expires, int) or isinstance(expires, bool):
        raise BadToken("sso payload needs exp, a Unix time in whole seconds")
    if expires <= now:
        raise BadToken(f"sso payload expired {int(now - expires)} seconds ago: sign a fresh one")
    if expires > now + SSO_MAX_LIFETIME_SECONDS:
        raise BadToken("sso payload expires more than 24 hours ahead: sign it for a shorter time")
    user_id, name, email = payload.get("id"), payload.get("name"), payload.get("email", "")
    if isinstance(user_id, int) and not isinstance(user_id, bool):
        user_id = str(user_id)
    if not isinstance(user_id, str) or not SSO_ID.fullmatch(user_id):
        raise BadToken("sso id must be 1-64 letters, digits or @.+-_")
    if not isinstance(name, str) or not name.strip():
        raise BadToken("sso name must be a non-empty string")
    if not isinstance(email, str):
        raise BadToken("sso email must be a string")
    # Stored on the reader's account: refused here rather than failing in the database.
    for field, text in (("name", name), ("email", email)):
        if problem := unstorable_text_problem(text):
            raise BadToken(f"sso {field} {problem}")
    return SsoUser(id=user_id, name=" ".join(name.split())[:80], email=email.strip()[:254])
