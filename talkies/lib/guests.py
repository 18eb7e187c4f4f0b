"""Guest identity without accounts or IP addresses.

A guest's browser is given a random secret inside a signed token and keeps it (a cookie on our own pages,
the host page's storage when embedded). The server stores only the SHA-256 of the secret (`guest_key`) on
the guest's comments and votes, so a database leak does not let anyone act as the guest, and the same
guest on another device is, honestly, someone else.
"""

import hashlib
import secrets

from django.core import signing

from .errors import ServiceError

SALT = "talkies.guest-identity"


def new_guest_token() -> str:
    return signing.dumps(secrets.token_urlsafe(24), salt=SALT, compress=False)


def guest_key_from_token(token: str) -> str:
    """The stored key for a token we issued; ServiceError naming `guest_token` for anything else."""
    try:
        secret = signing.loads(token, salt=SALT)
    except signing.BadSignature as e:
        raise ServiceError("guest_token", "guest_token is not one we issued: ask for a new one") from e
    if not isinstance(secret, str) or len(secret) < 16:
        raise ServiceError("guest_token", "guest_token is not one we issued: ask for a new one")
    return hashlib.sha256(secret.encode()).hexdigest()
