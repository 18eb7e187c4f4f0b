from django.conf import settings
from django.core.cache import cache

from .models import Site, SiteMembership, User

SITE_CACHE_SECONDS = 60


def site_for_host(host: str) -> Site | None:
    """The Site whose domain is `host`, else the configured default site, else the first site.

    Cached briefly because every request asks; a site's settings change rarely and the cache entry is
    cleared when a Site is saved (see signals in apps that edit sites).
    """
    key = f"site-for-host:{host}"
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


def user_roles_on_site(*, user: User, site: Site) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(SiteMembership.objects.filter(user=user, site=site).values_list("role", flat=True))
