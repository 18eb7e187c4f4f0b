"""Readers' ratings under /api/v1/films/{slug}/rating. Reads are public; writes need a logged-in reader.

Ratings belong to the film on the current site, whichever story the reader rated it from.
"""

from dataclasses import dataclass

from ninja import Router

from talkies.accounts.api_auth import LoggedIn, current_site
from talkies.accounts.models import Site
from talkies.accounts.requests import SignedInRequest, SiteRequest
from talkies.catalogue.models import Film
from talkies.catalogue.selectors import film_by_slug
from talkies.lib.api import READ_ERRORS, WRITE_ERRORS
from talkies.lib.idempotency import idempotent
from talkies.lib.ratelimit import actor_key, enforce_rate_limit
from talkies.lib.scoring import AudienceScore
from talkies.lib.text import Text

from .models import Rating
from .schemas import RatingChangeOut, RatingIn, RatingOut
from .selectors import film_audience_score, user_rating
from .services import rating_remove, rating_set, rating_value_from_scale

router = Router(tags=["ratings"])
rating_auth = LoggedIn("rate films")


@dataclass(frozen=True)
class RatingChange:
    """What a rating write answers (RatingChangeOut): the reader's rating now and the film's new score."""

    rating: Rating | None
    audience: AudienceScore

    @classmethod
    def after(cls, site: Site, film: Film, rating: Rating | None) -> "RatingChange":
        return cls(rating=rating, audience=film_audience_score(site=site, film=film))


@router.get("/films/{slug}/rating", response={200: RatingOut | None, **READ_ERRORS})
def get_my_rating(request: SiteRequest, slug: Text) -> Rating | None:
    """The current reader's rating of the film, or null (also for visitors who are not logged in)."""
    site = current_site(request)
    film = film_by_slug(slug)
    return user_rating(site=site, film=film, user=request.user)


@router.put("/films/{slug}/rating", response={200: RatingChangeOut, **WRITE_ERRORS}, auth=rating_auth)
@idempotent
def put_my_rating(request: SignedInRequest, slug: Text, payload: RatingIn) -> RatingChange:
    """Rate the film, or change your rating: {"value": 3.5, "scale": 5} is stored as 7/10."""
    site = current_site(request)
    film = film_by_slug(slug)
    enforce_rate_limit(request, "rating", actor=actor_key(user_id=request.auth.pk), field="value")
    value = rating_value_from_scale(payload.value, payload.scale)
    rating = rating_set(site=site, film=film, user=request.auth, value=value)
    return RatingChange.after(site, film, rating)


@router.delete("/films/{slug}/rating", response={200: RatingChangeOut, **WRITE_ERRORS}, auth=rating_auth)
@idempotent
def delete_my_rating(request: SignedInRequest, slug: Text) -> RatingChange:
    """Withdraw your rating. Succeeds when there was none, so a retried request is harmless."""
    site = current_site(request)
    film = film_by_slug(slug)
    enforce_rate_limit(request, "rating", actor=actor_key(user_id=request.auth.pk), field="value")
    rating_remove(site=site, film=film, user=request.auth)
    return RatingChange.after(site, film, None)
