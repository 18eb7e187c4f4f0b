from dataclasses import dataclass

from django.db.models import QuerySet

from talkies.accounts.models import Site
from talkies.catalogue.models import Film

from .models import CriticReview, Story

MIN_REVIEWS_FOR_AVERAGE = 2


def published_stories(site: Site) -> QuerySet[Story]:
    return Story.published.filter(site=site).select_related("author").prefetch_related("films")


@dataclass(frozen=True)
class CriticSide:
    reviews: list[CriticReview]
    average: float | None  # 0–100, shown once there are MIN_REVIEWS_FOR_AVERAGE reviews

    @property
    def minimum_for_average(self) -> int:
        return MIN_REVIEWS_FOR_AVERAGE

    @property
    def headline(self) -> CriticReview | None:
        return self.reviews[0] if self.reviews else None

    @property
    def figure(self) -> float | None:
        """The one 0–100 number to set beside the audience: the average once shown, else the latest review."""
        if self.average is not None:
            return self.average
        return float(self.headline.normalised) if self.headline is not None else None


def critic_sides(*, site: Site, films: list[Film]) -> dict[int, CriticSide]:
    """{film id: its critic side on `site`} for every film given, in one query.

    The only place reviews are ordered for the critic side: newest published first, and among reviews
    published in the same instant the later one, so the headline review is the same on every page,
    in the API and in the widgets.
    """
    reviews = (
        CriticReview.objects.filter(film__in=films, story__in=Story.published.filter(site=site))
        .select_related("story")
        .order_by("-story__published_at", "-id")
    )
    by_film: dict[int, list[CriticReview]] = {film.pk: [] for film in films}
    for review in reviews:
        by_film[review.film_id].append(review)
    return {film_id: _critic_side(film_reviews) for film_id, film_reviews in by_film.items()}


def film_critic_side(*, site: Site, film: Film) -> CriticSide:
    return critic_sides(site=site, films=[film])[film.pk]


def _critic_side(reviews: list[CriticReview]) -> CriticSide:
    average = None
    if len(reviews) >= MIN_REVIEWS_FOR_AVERAGE:
        average = float(sum(r.normalised for r in reviews)) / len(reviews)
    return CriticSide(reviews=reviews, average=average)
