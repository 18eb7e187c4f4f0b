"""Review-bomb detection: find bursts of ratings that look coordinated and hold them out of the score.

A window of ratings is flagged when all three hold (thresholds below; the rule is written up for
editors in docs/ratings.md):

1. Volume: at least MIN_BURST ratings within WINDOW, and at least BURST_FACTOR times the film's usual
   rate over the BASELINE_SPAN before the window.
2. Skew: at least EXTREME_SHARE of those ratings sit at one extreme (1–2 or 9–10 out of 10).
3. Suspect raters: at least SUSPECT_RATER_SHARE of them come from accounts created less than
   NEW_ACCOUNT_AGE before they rated, or that have rated no other film on the site.

An opening weekend passes (1) but not (2) or (3): real audiences spread their ratings and are mostly
readers who were here before. A flagged window becomes a SuspectWindow; its ratings stay stored but are
left out of the displayed score until a moderator confirms (keep excluded) or dismisses (count them).
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from talkies.accounts.models import Site, User
from talkies.catalogue.models import Film

from .models import RATING_MAX, FilmScore, Rating, SuspectWindow

WINDOW = datetime.timedelta(hours=1)
BASELINE_SPAN = datetime.timedelta(days=7)
MIN_BURST = 25
BURST_FACTOR = 10
EXTREME_SHARE = 0.7
SUSPECT_RATER_SHARE = 0.6
NEW_ACCOUNT_AGE = datetime.timedelta(days=7)
LOW_EXTREME = (1, 2)
HIGH_EXTREME = (9, 10)


@dataclass(frozen=True)
class RatingEvent:
    created_at: datetime.datetime
    value: int
    user_id: int
    user_joined: datetime.datetime


@dataclass(frozen=True)
class Assessment:
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    count: int
    baseline_per_hour: float
    extreme: str  # "low" or "high"
    extreme_share: float
    suspect_rater_share: float
    is_bomb: bool
    reason: str


def assess(events: Sequence[RatingEvent], *, prior_count: int, raters_of_other_films: set[int]) -> Assessment:
    """Apply the three tests to the ratings of one window. Pure: no database access."""
    starts_at, ends_at = events[0].created_at, events[-1].created_at
    count = len(events)
    baseline = prior_count / (BASELINE_SPAN / datetime.timedelta(hours=1))
    volume_needed = max(MIN_BURST, BURST_FACTOR * baseline * (WINDOW / datetime.timedelta(hours=1)))
    low = sum(1 for e in events if e.value in LOW_EXTREME)
    high = sum(1 for e in events if e.value in HIGH_EXTREME)
    extreme, extreme_count = ("low", low) if low >= high else ("high", high)
    suspect = sum(
        1 for e in events if e.created_at - e.user_joined < NEW_ACCOUNT_AGE or e.user_id not in raters_of_other_films
    )
    extreme_share, suspect_share = extreme_count / count, suspect / count
    tests = {
        f"{count} ratings in an hour (needs {volume_needed:.0f}; usual rate {baseline:.1f}/hour)": count
        >= volume_needed,
        f"{extreme_share:.0%} at the {extreme} extreme (needs {EXTREME_SHARE:.0%})": extreme_share >= EXTREME_SHARE,
        f"{suspect_share:.0%} from new or single-film accounts (needs {SUSPECT_RATER_SHARE:.0%})": suspect_share
        >= SUSPECT_RATER_SHARE,
    }
    return Assessment(
        starts_at=starts_at,
        ends_at=ends_at,
        count=count,
        baseline_per_hour=baseline,
        extreme=extreme,
        extreme_share=extreme_share,
        suspect_rater_share=suspect_share,
        is_bomb=all(tests.values()),
        reason="; ".join(tests),
    )


def _events(queryset: QuerySet[Rating]) -> list[RatingEvent]:
    rows = queryset.order_by("created_at", "id").values_list("created_at", "value", "user_id", "user__date_joined")
    return [RatingEvent(*row) for row in rows]


def _raters_of_other_films(*, site: Site, film: Film, user_ids: set[int]) -> set[int]:
    others = Rating.objects.filter(site=site, user_id__in=user_ids).exclude(film=film)
    return set(others.values_list("user_id", flat=True).distinct())


def _prior_count(*, site: Site, film: Film, before: datetime.datetime) -> int:
    return Rating.objects.filter(
        site=site, film=film, created_at__gte=before - BASELINE_SPAN, created_at__lt=before
    ).count()


def check_recent_burst(*, site: Site, film: Film, now: datetime.datetime | None = None) -> SuspectWindow | None:
    """The check run after each rating: one cheap count, and a full assessment only during a burst."""
    now = now or timezone.now()
    recent = Rating.objects.filter(site=site, film=film, created_at__gt=now - WINDOW, created_at__lte=now)
    if recent.count() < MIN_BURST:
        return None
    events = _events(recent)
    assessment = assess(
        events,
        prior_count=_prior_count(site=site, film=film, before=events[0].created_at),
        raters_of_other_films=_raters_of_other_films(site=site, film=film, user_ids={e.user_id for e in events}),
    )
    return flag_window(site=site, film=film, assessment=assessment) if assessment.is_bomb else None


def audit_film(*, site: Site, film: Film) -> list[SuspectWindow]:
    """Scan a film's whole rating history hour by hour (the scheduled `talkies scores audit`)."""
    events = _events(Rating.objects.filter(site=site, film=film))
    others = _raters_of_other_films(site=site, film=film, user_ids={e.user_id for e in events})
    flagged: list[SuspectWindow] = []
    start, end = 0, 0
    while start < len(events):
        while end < len(events) and events[end].created_at - events[start].created_at < WINDOW:
            end += 1
        if end - start >= MIN_BURST:
            window = events[start:end]
            prior = sum(1 for e in events[:start] if e.created_at >= window[0].created_at - BASELINE_SPAN)
            assessment = assess(window, prior_count=prior, raters_of_other_films=others)
            if assessment.is_bomb:
                flagged.append(flag_window(site=site, film=film, assessment=assessment))
                start = end  # the whole burst is one window; carry on after it
                continue
        start += 1
    return flagged


def flag_window(*, site: Site, film: Film, assessment: Assessment) -> SuspectWindow:
    """Record a suspect window, merging it with one it overlaps or touches, and hold its ratings out.

    A burst that falls inside a window a moderator already dismissed is not flagged again.
    """
    near = Q(starts_at__lte=assessment.ends_at + WINDOW, ends_at__gte=assessment.starts_at - WINDOW)
    with transaction.atomic():
        dismissed = SuspectWindow.objects.filter(
            near, site=site, film=film, status=SuspectWindow.Status.DISMISSED,
            starts_at__lte=assessment.starts_at, ends_at__gte=assessment.ends_at,
        ).first()  # fmt: skip
        if dismissed is not None:
            return dismissed
        window = (
            SuspectWindow.objects.select_for_update()
            .filter(near, site=site, film=film)
            .exclude(status=SuspectWindow.Status.DISMISSED)
            .first()
        )
        if window is None:
            window = SuspectWindow(site=site, film=film, starts_at=assessment.starts_at, ends_at=assessment.ends_at)
        else:
            window.starts_at = min(window.starts_at, assessment.starts_at)
            window.ends_at = max(window.ends_at, assessment.ends_at)
        window.rating_count = Rating.objects.filter(
            site=site, film=film, created_at__gte=window.starts_at, created_at__lte=window.ends_at
        ).count()
        window.baseline_per_hour = assessment.baseline_per_hour
        window.extreme_share = assessment.extreme_share
        window.suspect_rater_share = assessment.suspect_rater_share
        window.reason = assessment.reason
        window.save()
        refresh_held(site=site, film=film)
    return window


def decide_window(*, window: SuspectWindow, moderator: User, confirm: bool) -> SuspectWindow:
    """A moderator's verdict: confirm (keep the ratings out of the score) or dismiss (count them again)."""
    with transaction.atomic():
        window.status = SuspectWindow.Status.CONFIRMED if confirm else SuspectWindow.Status.DISMISSED
        window.decided_by = moderator
        window.decided_at = timezone.now()
        window.save(update_fields=["status", "decided_by", "decided_at"])
        refresh_held(site=window.site, film=window.film)
    return window


def held_windows_filter(windows: Sequence[SuspectWindow]) -> Q:
    condition = Q(pk__in=[])
    for window in windows:
        condition |= Q(created_at__gte=window.starts_at, created_at__lte=window.ends_at)
    return condition


def refresh_held(*, site: Site, film: Film) -> None:
    """Recount the held counters of a film's score from the ratings inside its held windows.

    Runs only when windows change or a rating inside one changes, so its cost is the size of the windows,
    never the film's whole history. Must be called inside transaction.atomic().
    """
    windows = list(SuspectWindow.objects.filter(site=site, film=film).exclude(status=SuspectWindow.Status.DISMISSED))
    histogram = [0] * RATING_MAX
    if windows:
        rows = (
            Rating.objects.filter(held_windows_filter(windows), site=site, film=film)
            .values("value")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in rows:
            histogram[row["value"] - 1] = row["n"]
    score, _ = FilmScore.objects.select_for_update().get_or_create(site=site, film=film)
    score.held_histogram = histogram
    score.held_count = sum(histogram)
    score.held_total = sum((index + 1) * n for index, n in enumerate(histogram))
    score.save(update_fields=["held_count", "held_total", "held_histogram"])
