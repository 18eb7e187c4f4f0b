"""Reading and bumping SiteGeneration: the version that keys a site's stored pages (models.SiteGeneration)."""

from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.db.models import F

from talkies.accounts.models import Site
from talkies.lib.keyed_value import read_keyed_value

from .models import SiteGeneration


def site_generation(site_id: int) -> int:
    """The site's current generation (0 before anything was bumped). One primary-key read, in SQL written
    once per process, because it runs on every request the fast path answers.

    Blocking: runs on the calling thread's database connection.
    """
    value = read_keyed_value(SiteGeneration, "value", "site_id", site_id)
    return int(value) if value is not None else 0


def bump_sites(site_ids: Iterable[int]) -> None:
    """Give these sites' stored pages new keys."""
    ids = set(site_ids)
    if not ids:
        return
    updated = SiteGeneration.objects.filter(site_id__in=ids).update(value=F("value") + 1)
    if updated < len(ids):
        # Every site gets its row when it is made (dependencies.editorial_change) or by the migration, so a
        # missing one is a site being deleted in this very transaction, or one made behind the ORM's back.
        # Made after the commit, for the sites that still exist then: made now, a row for a site being
        # deleted would outlive it.
        transaction.on_commit(partial(_make_missing_rows, ids))


def _make_missing_rows(site_ids: set[int]) -> None:
    missing = Site.objects.filter(pk__in=site_ids).exclude(pk__in=SiteGeneration.objects.values("site_id"))
    # 0 -> 1 is a change of key; two processes doing it at once both mean "changed".
    rows = [SiteGeneration(site_id=pk, value=1) for pk in missing.values_list("pk", flat=True)]
    SiteGeneration.objects.bulk_create(rows, ignore_conflicts=True)


def start_site(site_id: int) -> None:
    """A new site's row, in the transaction that makes the site."""
    SiteGeneration.objects.get_or_create(site_id=site_id)


def bump_every_site() -> None:
    """For changes every site's pages may show: the shared film catalogue, a reader's name."""
    bump_sites(Site.objects.values_list("pk", flat=True))
