from dataclasses import dataclass

from django.db.models import Avg, QuerySet

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
    def headline(self) -> CriticReview | None:
        return self.reviews[0] if self.reviews else None

    @property
    def figure(self) -> float | None:
        """The one 0–100 number to set beside the audience: the average once shown, else the latest review."""
        if self.average is not None:
            return self.average
        return float(self.headline.normalised) if self.headline is not None else None


def film_critic_side(*, site: Site, film: Film) -> CriticSide:
    reviews = list(
        CriticReview.objects.filter(film=film, story__site=site, story__in=Story.published.all())
        .select_related("story")
        .order_by("-story__published_at")
    )
    average = None
    if len(reviews) >= MIN_REVIEWS_FOR_AVERAGE:
        average = float(sum(r.normalised for r in reviews)) / len(reviews)
    return CriticSide(reviews=reviews, average=average)


def site_critic_average(site: Site) -> float | None:
    """The mean normalised score (0–100) of the site's published reviews; drafts and embargoes stay out."""
    average = CriticReview.objects.filter(story__in=Story.published.filter(site=site)).aggregate(avg=Avg("normalised"))[
        "avg"
    ]
    return None if average is None else float(average)  # Avg of a DecimalField is a Decimal
