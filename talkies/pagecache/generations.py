"""Reading and bumping SiteGeneration: the version that keys a site's stored pages (models.SiteGeneration)."""

from collections.abc import Iterable

from django.db import connection
from django.db.models import F

from talkies.accounts.models import Site

from .models import SiteGeneration

_SELECT_SQL: dict[str, str] = {}


def site_generation(site_id: int) -> int:
    """The site's current generation (0 before anything was bumped). One primary-key read, in SQL written
    once per process, because it runs on every request the fast path answers.

    Blocking: runs on the calling thread's database connection.
    """
    if connection.vendor not in _SELECT_SQL:
        q = connection.ops.quote_name
        _SELECT_SQL[connection.vendor] = (
            f"SELECT {q('value')} FROM {q(SiteGeneration._meta.db_table)} WHERE {q('site_id')} = %s"
        )
    with connection.cursor() as cursor:
        cursor.execute(_SELECT_SQL[connection.vendor], [site_id])
        # fetchall: SQLite keeps a statement's snapshot open until it has stepped past the last row.
        rows = cursor.fetchall()
    return int(rows[0][0]) if rows else 0


def bump_sites(site_ids: Iterable[int]) -> None:
    """Give these sites' stored pages new keys."""
    ids = set(site_ids)
    if not ids:
        return
    updated = set(SiteGeneration.objects.filter(site_id__in=ids).values_list("site_id", flat=True))
    SiteGeneration.objects.filter(site_id__in=updated).update(value=F("value") + 1)
    # A site's first bump makes its row (0 -> 1). Two processes doing so at once both mean "changed".
    # Only for sites that exist: a site being deleted has no pages left to key.
    missing = Site.objects.filter(pk__in=ids - updated).values_list("pk", flat=True)
    SiteGeneration.objects.bulk_create([SiteGeneration(site_id=pk, value=1) for pk in missing], ignore_conflicts=True)


def bump_every_site() -> None:
    """For changes every site's pages may show: the shared film catalogue, a reader's name."""
    bump_sites(Site.objects.values_list("pk", flat=True))
