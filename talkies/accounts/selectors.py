from django.conf import settings
from django.core.cache import cache

from .models import Site

SITE_CACHE_SECONDS = 60


SITE_GENERATION_KEY = "site-cache-generation"


def site_for_host(host: str) -> Site | None:
    """The Site whose domain is `host`, else the configured default site, else the first site.

    Cached because every request asks. Saving or deleting any Site bumps a generation number that is part
    of the key (see accounts.signals), so this process sees the change at once; other processes with their
    own local-memory cache see it within SITE_CACHE_SECONDS, or at once when REDIS_URL shares the cache.
    """
    generation = cache.get_or_set(SITE_GENERATION_KEY, 0)
    key = f"site-for-host:{generation}:{host}"
    site = cache.get(key)
    if site is None:
        site = (
            Site.objects.filter(domain=host).first()
            or Site.objects.filter(slug=settings.TALKIES_DEFAULT_SITE).first()
            or Site.objects.order_by("id").first()
        )
        if site is not None:
            cache.set(key, site, SITE_CACHE_SECONDS)
    return site


def site_for_slug(slug: str) -> Site | None:
    """The site named by an embed's ?site=, cached as site_for_host is (the same generation)."""
    generation = cache.get_or_set(SITE_GENERATION_KEY, 0)
    key = f"site-for-slug:{generation}:{slug}"
    site = cache.get(key)
    if site is None:
        site = Site.objects.filter(slug=slug).first()
        if site is not None:
            cache.set(key, site, SITE_CACHE_SECONDS)
    return site


def forget_cached_sites() -> None:
    try:
        cache.incr(SITE_GENERATION_KEY)
    except ValueError:  # not in the cache (evicted or never set): any new number does
        cache.set(SITE_GENERATION_KEY, 1)
