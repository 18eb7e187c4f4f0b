"""Recompute film scores from raw ratings and report (or repair) any drift from the running counters.

FilmScore is maintained incrementally by ratings.services; this is the independent check that it stayed
exact. It reads every rating once, grouped in the database, so it is cheap enough to run nightly.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from .models import RATING_MAX, FilmScore, Rating


@dataclass(frozen=True)
class Drift:
    site_id: int
    film_id: int
    stored: tuple[int, int, list[int]]  # count, total, histogram as kept
    actual: tuple[int, int, list[int]]  # recomputed from Rating rows

    def describe(self) -> str:
        return (
            f"site {self.site_id} film {self.film_id}: stored count={self.stored[0]} total={self.stored[1]} "
            f"histogram={self.stored[2]}, actual count={self.actual[0]} total={self.actual[1]} "
            f"histogram={self.actual[2]}"
        )


def recomputed_scores() -> dict[tuple[int, int], tuple[int, int, list[int]]]:
    """{(site_id, film_id): (count, total, histogram)} from the Rating rows themselves."""
    histograms: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0] * RATING_MAX)
    rows = Rating.objects.values("site_id", "film_id", "value").annotate(n=Count("id")).order_by()
    for row in rows:
        histograms[(row["site_id"], row["film_id"])][row["value"] - 1] = row["n"]
    return {
        key: (sum(hist), sum((value + 1) * n for value, n in enumerate(hist)), hist) for key, hist in histograms.items()
    }


def find_drift() -> list[Drift]:
    """Films whose running counters differ from a recount (the held counters are checked separately)."""
    actual = recomputed_scores()
    drift = []
    seen = set()
    for score in FilmScore.objects.all().order_by("site_id", "film_id"):
        key = (score.site_id, score.film_id)
        seen.add(key)
        stored = (score.count, score.total, list(score.histogram or [0] * RATING_MAX))
        expected = actual.get(key, (0, 0, [0] * RATING_MAX))
        if stored != expected:
            drift.append(Drift(score.site_id, score.film_id, stored, expected))
    for key in sorted(set(actual) - seen):
        drift.append(Drift(key[0], key[1], (0, 0, [0] * RATING_MAX), actual[key]))
    return drift


def repair(drift: list[Drift]) -> None:
    """Overwrite drifted counters with the recomputed values."""
    with transaction.atomic():
        for item in drift:
            count, total, histogram = item.actual
            FilmScore.objects.update_or_create(
                site_id=item.site_id,
                film_id=item.film_id,
                defaults={"count": count, "total": total, "histogram": histogram, "updated_at": timezone.now()},
            )


def find_held_drift() -> list[str]:
    """Films whose held counters differ from a recount of the ratings in their held windows."""
    from .bombs import held_windows_filter
    from .models import SuspectWindow

    problems = []
    for score in FilmScore.objects.all().order_by("site_id", "film_id"):
        windows = list(
            SuspectWindow.objects.filter(site_id=score.site_id, film_id=score.film_id).exclude(
                status=SuspectWindow.Status.DISMISSED
            )
        )
        held = Rating.objects.none()
        if windows:
            held = Rating.objects.filter(held_windows_filter(windows), site_id=score.site_id, film_id=score.film_id)
        expected = [0] * RATING_MAX
        for value in held.values_list("value", flat=True):
            expected[value - 1] += 1
        stored = list(score.held_histogram or [0] * RATING_MAX)
        if stored != expected or score.held_count != sum(expected):
            problems.append(
                f"site {score.site_id} film {score.film_id}: held histogram {stored} (count {score.held_count}), "
                f"actual {expected}"
            )
    return problems
