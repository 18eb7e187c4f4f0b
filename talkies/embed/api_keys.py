"""Site API keys, for the publication's own servers: made once (only a hash is kept) and looked up per call."""

import hashlib
import secrets

from django.utils import timezone

from talkies.accounts.models import Site
from talkies.lib.errors import ServiceError

from .models import ApiKey

API_KEY_PREFIX = "tk_"


def hash_api_key(key: str) -> str:
    # A plain SHA-256 is right here, unlike for passwords: the key is 256 random bits, so there is nothing
    # to guess, and a fast hash keeps the per-request lookup cheap.
    return hashlib.sha256(key.encode()).hexdigest()


def api_key_create(*, site: Site, name: str) -> tuple[ApiKey, str]:
    """A new key for `site`'s servers: the ApiKey row (holding only a hash) and the key, shown this once."""
    name = name.strip()
    if not name:
        raise ServiceError("name", "name is empty: say what will use the key, e.g. wp")
    key = API_KEY_PREFIX + secrets.token_urlsafe(32)
    api_key = ApiKey.objects.create(site=site, name=name[:80], prefix=key[:10], key_hash=hash_api_key(key))
    return api_key, key


def api_key_authenticate(key: str) -> ApiKey | None:
    """The live key matching `key`, its use recorded; None for an unknown or revoked key."""
    api_key = ApiKey.objects.select_related("site").filter(key_hash=hash_api_key(key), revoked_at=None).first()
    if api_key is not None:
        now = timezone.now()
        # Recorded at most once a minute: a busy integration should not write on every call.
        if api_key.last_used_at is None or (now - api_key.last_used_at).total_seconds() > 60:
            ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    return api_key
