"""Writes to ratings. Every change to a Rating updates its FilmScore in the same transaction, and is
announced on events.rating_changed once that transaction commits."""

import logging
import math

from django.db import transaction
from django.utils import timezone

from talkies.accounts.models import Site, User
from talkies.catalogue.models import Film
from talkies.lib.errors import PermissionDenied, ServiceError

from . import bombs
from .events import RatingEvent, RatingEventKind, rating_changed
from .models import RATING_MAX, RATING_MIN, FilmScore, Rating
from .permissions import rating_refusal

logger = logging.getLogger(__name__)

# What each display scale means in canonical 1–10 points: value * factor.
SCALE_FACTORS = {5: 2, 10: 1, 100: 0.1}


def rating_value_from_scale(value: float, scale: int) -> int:
    """Convert a rating given on a 5-star, 10-point or 100-point scale to canonical 1–10.

    Raises ServiceError for a scale we do not know or a value that is not on the scale, e.g. 3.25 stars.
    """
    if scale not in SCALE_FACTORS:
        raise ServiceError("scale", f"scale must be 5, 10 or 100, not {scale}")
    if not math.isfinite(value):  # JSON clients can send NaN and Infinity, which round() cannot take
        raise ServiceError("value", f"value {value} is not a finite number: send a rating such as 3.5")
    canonical = value * SCALE_FACTORS[scale]
    if abs(canonical - round(canonical)) > 1e-9:
        steps = {5: "half stars (0.5 to 5)", 10: "whole points (1 to 10)", 100: "tens (10 to 100)"}[scale]
        raise ServiceError("value", f"value {value:g} is not on the {scale}-point scale: use {steps}")
    canonical_int = round(canonical)
    if not RATING_MIN <= canonical_int <= RATING_MAX:
        low, high = RATING_MIN / SCALE_FACTORS[scale], RATING_MAX / SCALE_FACTORS[scale]
        raise ServiceError("value", f"value {value:g} is outside the scale: use {low:g} to {high:g}")
    return canonical_int


def _locked_score(*, site: Site, film: Film) -> FilmScore:
    """The film's score row, created if needed and locked until the transaction ends.

    Must be called inside transaction.atomic(). On PostgreSQL the row lock serialises concurrent raters
    of the same film; on SQLite the IMMEDIATE transaction already holds the database write lock.
    """
    FilmScore.objects.get_or_create(site=site, film=film, defaults={"histogram": [0] * RATING_MAX})
    return FilmScore.objects.select_for_update().get(site=site, film=film)


def _apply(score: FilmScore, *, add: int | None = None, remove: int | None = None) -> None:
    histogram = list(score.histogram)
    if remove is not None:
        score.count -= 1
        score.total -= remove
        histogram[remove - 1] -= 1
    if add is not None:
        score.count += 1
        score.total += add
        histogram[add - 1] += 1
    score.histogram = histogram
    score.updated_at = timezone.now()
    score.save(update_fields=["count", "total", "histogram", "updated_at"])


def _refresh_held_if_needed(score: FilmScore, *, site: Site, film: Film, rating: Rating) -> None:
    """Keep the held counters exact when the changed rating sits inside a suspect window.

    Films with nothing held (nearly all) pay nothing here: the check is on the locked score row.
    """
    if score.held_count == 0:
        return
    windows = bombs.SuspectWindow.objects.filter(site=site, film=film).exclude(
        status=bombs.SuspectWindow.Status.DISMISSED
    )
    if any(w.starts_at <= rating.created_at <= w.ends_at for w in windows):
        bombs.refresh_held(site=site, film=film)


def _check_for_bomb_after_commit(*, site: Site, film: Film) -> None:
    def check() -> None:
        try:
            bombs.check_recent_burst(site=site, film=film)
        except Exception:  # the rating is saved; a failed check must not turn it into an error page
            logger.exception("review-bomb check failed for film %s on site %s", film.pk, site.pk)

    transaction.on_commit(check)


def _event(kind: RatingEventKind, rating: Rating, *, value: int | None) -> RatingEvent:
    return RatingEvent(
        kind=kind,
        site_id=rating.site_id,
        film_id=rating.film_id,
        user_id=rating.user_id,
        rating_id=rating.pk,
        value=value,
        created_at=rating.created_at,
    )


def rating_set(*, site: Site, film: Film, user: User, value: int) -> Rating:
    """Create or change `user`'s rating of `film` on `site` (canonical 1–10)."""
    if not isinstance(value, int) or isinstance(value, bool) or not RATING_MIN <= value <= RATING_MAX:
        raise ServiceError("value", f"value must be a whole number from {RATING_MIN} to {RATING_MAX}, not {value!r}")
    if not user.is_authenticated:
        raise PermissionDenied("user", "log in to rate this film")
    if not user.is_active:
        raise PermissionDenied("user", "this account has been deactivated and cannot rate films")
    now = timezone.now()
    refusal = rating_refusal(site=site, film=film, today=now.date())
    if refusal is not None:
        raise PermissionDenied("film", refusal)

    with transaction.atomic():
        score = _locked_score(site=site, film=film)
        rating = Rating.objects.filter(site=site, film=film, user=user).first()
        if rating is None:
            rating = Rating.objects.create(site=site, film=film, user=user, value=value, created_at=now, updated_at=now)
            _apply(score, add=value)
            rating_changed.send_on_commit(_event(RatingEventKind.CREATED, rating, value=value))
        elif rating.value != value:
            _apply(score, add=value, remove=rating.value)
            rating.value = value
            rating.updated_at = now
            rating.save(update_fields=["value", "updated_at"])
            rating_changed.send_on_commit(_event(RatingEventKind.CHANGED, rating, value=value))
        _refresh_held_if_needed(score, site=site, film=film, rating=rating)
        _check_for_bomb_after_commit(site=site, film=film)
    return rating


def rating_remove(*, site: Site, film: Film, user: User) -> bool:
    """Withdraw `user`'s rating of `film`. Returns whether there was one."""
    if not user.is_authenticated:
        raise PermissionDenied("user", "log in to remove your rating")
    if not Rating.objects.filter(site=site, film=film, user=user).exists():
        return False  # nothing to withdraw: do not create an empty score row either
    with transaction.atomic():
        score = _locked_score(site=site, film=film)
        rating = Rating.objects.filter(site=site, film=film, user=user).first()
        if rating is None:
            return False
        _apply(score, remove=rating.value)
        removed = _event(RatingEventKind.REMOVED, rating, value=None)  # before delete() forgets the id
        rating.delete()
        rating_changed.send_on_commit(removed)
        _refresh_held_if_needed(score, site=site, film=film, rating=rating)
    return True
