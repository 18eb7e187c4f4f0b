"""A site's embed policy: which origins may embed it and whether pages open threads, and the site an
embed names by slug. Both are read on every embed request, so both are cached.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from talkies.accounts.models import Site

from .models import EmbedSettings
from .page_urls import BadUrl, normalise_origin

POLICY_CACHE_SECONDS = 60


@dataclass(frozen=True)
class EmbedPolicy:
    origins: frozenset[str]
    create_threads_on_first_use: bool


NO_EMBEDDING = EmbedPolicy(origins=frozenset(), create_threads_on_first_use=False)


def _policy_key(site_id: int) -> str:
    return f"embed-policy:{site_id}"


def embed_policy(site: Site) -> EmbedPolicy:
    """Which origins may embed `site`, and whether pages open threads. Cached: every embed request asks.

    Saving the settings drops the cached copy (below); other processes with a local-memory cache see the
    change within POLICY_CACHE_SECONDS. The SSO secret is deliberately not in here, so it never sits in a
    shared cache.
    """
    policy = cache.get(_policy_key(site.pk))
    if policy is None:
        row = EmbedSettings.objects.filter(site=site).first()
        policy = (
            EmbedPolicy(origins=row.origins, create_threads_on_first_use=row.create_threads_on_first_use)
            if row is not None
            else NO_EMBEDDING
        )
        cache.set(_policy_key(site.pk), policy, POLICY_CACHE_SECONDS)
    return policy


def _forget_policy(sender: type[EmbedSettings], instance: EmbedSettings, **kwargs: object) -> None:
    cache.delete(_policy_key(instance.site_id))


def connect_receivers() -> None:
    """Saving or deleting a site's embed settings drops its cached policy. Called in EmbedConfig.ready()."""
    post_save.connect(_forget_policy, sender=EmbedSettings, dispatch_uid="talkies.embed.policy.forget_saved")
    post_delete.connect(_forget_policy, sender=EmbedSettings, dispatch_uid="talkies.embed.policy.forget_deleted")


def is_allowed_origin(site: Site, origin: str | None) -> bool:
    """Whether `origin` (an Origin header or a popup's origin parameter, any spelling) may embed `site`."""
    if not origin:
        return False
    try:
        return normalise_origin(origin) in embed_policy(site).origins
    except BadUrl:
        return False
