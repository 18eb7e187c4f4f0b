"""Readers' ratings under /api/v1/films/{slug}/rating. Reads are public; writes need a logged-in reader.

Ratings belong to the film on the current site, whichever story the reader rated it from.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from talkies.accounts.models import Site, User
from talkies.api_common import READ_ERRORS, WRITE_ERRORS, LoggedIn, current_site
from talkies.catalogue.api import get_film_or_404
from talkies.catalogue.models import Film
from talkies.lib.scoring import AudienceScore

from .models import Rating
from .schemas import RatingChangeOut, RatingIn, RatingOut
from .selectors import film_audience_score, user_rating
from .services import SCALE_FACTORS, rating_remove, rating_set, rating_value_from_scale

router = Router(tags=["ratings"])
rating_auth = LoggedIn("rate films")

# Site.rating_display names the scale a site shows scores on; the API gives figures on it as a number.
DISPLAY_SCALES: dict[str, int] = {
    Site.RatingDisplay.STARS: 5,
    Site.RatingDisplay.POINTS: 10,
    Site.RatingDisplay.PERCENT: 100,
}


def display_scale(site: Site) -> int:
    return DISPLAY_SCALES.get(site.rating_display, 10)


def on_scale(canonical: float | None, scale: int) -> float | None:
    """A canonical 1–10 figure on a 5, 10 or 100 scale; rounded because 7 / 0.1 is 70.00000000000001."""
    return None if canonical is None else round(canonical / SCALE_FACTORS[scale], 2)


def audience_out(score: AudienceScore, site: Site) -> dict[str, Any]:
    scale = display_scale(site)
    return {
        "count": score.count,
        "histogram": score.histogram,
        "mean": score.mean,
        "median": score.median,
        "bayesian": score.bayesian,
        "liked": score.liked,
        "liked_share": score.liked_share,
        "liked_low": score.liked_low,
        "liked_high": score.liked_high,
        "enough": score.enough,
        "minimum": score.minimum,
        "held": score.held,
        "display": {
            "scale": scale,
            "mean": on_scale(score.mean, scale),
            "median": on_scale(score.median, scale),
            "bayesian": on_scale(score.bayesian, scale),
        },
    }


def rating_out(rating: Rating | None, site: Site) -> dict[str, Any] | None:
    if rating is None:
        return None
    scale = display_scale(site)
    return {
        "value": rating.value,
        "display_scale": scale,
        "display_value": on_scale(rating.value, scale),
        "created_at": rating.created_at,
        "updated_at": rating.updated_at,
    }


def rating_change(site: Site, film: Film, rating: Rating | None) -> dict[str, Any]:
    return {
        "rating": rating_out(rating, site),
        "audience": audience_out(film_audience_score(site=site, film=film), site),
    }


@router.get("/films/{slug}/rating", response={200: RatingOut | None, **READ_ERRORS})
def get_my_rating(request: HttpRequest, slug: str) -> dict[str, Any] | None:
    """The current reader's rating of the film, or null (also for visitors who are not logged in)."""
    site = current_site(request)
    film = get_film_or_404(slug)
    return rating_out(user_rating(site=site, film=film, user=request.user), site)  # type: ignore[arg-type]


@router.put("/films/{slug}/rating", response={200: RatingChangeOut, **WRITE_ERRORS}, auth=rating_auth)
def put_my_rating(request: HttpRequest, slug: str, payload: RatingIn) -> dict[str, Any]:
    """Rate the film, or change your rating: {"value": 3.5, "scale": 5} is stored as 7/10."""
    site = current_site(request)
    film = get_film_or_404(slug)
    user: User = request.auth  # type: ignore[attr-defined]
    value = rating_value_from_scale(payload.value, payload.scale)
    rating = rating_set(site=site, film=film, user=user, value=value)
    return rating_change(site, film, rating)


@router.delete("/films/{slug}/rating", response={200: RatingChangeOut, **WRITE_ERRORS}, auth=rating_auth)
def delete_my_rating(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Withdraw your rating. Succeeds when there was none, so a retried request is harmless."""
    site = current_site(request)
    film = get_film_or_404(slug)
    rating_remove(site=site, film=film, user=request.auth)  # type: ignore[attr-defined]
    return rating_change(site, film, None)
