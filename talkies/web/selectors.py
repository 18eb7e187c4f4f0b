"""Reads for the standalone pages that span stories, ratings and comments.

Each function costs a fixed number of queries whatever the number of films, reviews or comments, so a
page's query count is a constant (asserted in the tests).
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from talkies.accounts.models import Site, User
from talkies.catalogue.models import Film
from talkies.comments.models import Vote
from talkies.lib.scoring import AudienceScore
from talkies.ratings.models import Rating
from talkies.ratings.permissions import rating_opens_on
from talkies.ratings.selectors import film_audience_scores
from talkies.stories.models import CriticReview, Story
from talkies.stories.selectors import MIN_REVIEWS_FOR_AVERAGE, CriticSide, published_stories

# Whoever is reading the page: a signed-in reader or an anonymous visitor.
Reader = User | AnonymousUser

FILMS_WITH_DATES = Prefetch("films", queryset=Film.objects.prefetch_related("release_dates"))


def latest_stories(*, site: Site, limit: int = 10) -> list[Story]:
    # The thread comes along in the same query so each card can show its comment count.
    return list(published_stories(site).select_related("thread")[:limit])


def story_for_page(*, site: Site, slug: str) -> Story:
    """A published story of `site` with its films and thread loaded, or 404 (drafts and other sites' too)."""
    return get_object_or_404(
        Story.published.filter(site=site)
        .select_related("author", "thread__site", "thread__film")
        .prefetch_related(FILMS_WITH_DATES),
        slug=slug,
    )


def stories_about_film(*, site: Site, film: Film) -> QuerySet[Story]:
    return Story.published.filter(site=site, films=film).select_related("author", "thread")


@dataclass(frozen=True)
class FilmScores:
    """Everything the critic-vs-audience panel and the rating widget show for one film."""

    film: Film
    critic: CriticSide
    audience: AudienceScore
    my_rating: int | None
    # The day rating opens on this site, when that is still in the future; None when readers may rate.
    rating_opens_on: datetime.date | None


def film_scores(*, site: Site, films: list[Film], user: Reader, today: datetime.date) -> list[FilmScores]:
    """Critic and audience scores for each film, and the reader's own rating, in three queries.

    `films` must have their release dates prefetched (rating windows are derived from them).
    """
    critic = _critic_sides(site=site, films=films)
    audience = film_audience_scores(site=site, films=films)
    mine = _user_ratings(site=site, films=films, user=user)
    result = []
    for film in films:
        opens = rating_opens_on(site=site, film=film)
        result.append(
            FilmScores(
                film=film,
                critic=critic[film.pk],
                audience=audience[film.pk],
                my_rating=mine.get(film.pk),
                rating_opens_on=opens if opens is not None and today < opens else None,
            )
        )
    return result


def _critic_sides(*, site: Site, films: list[Film]) -> dict[int, CriticSide]:
    """stories.selectors.film_critic_side for many films at once (it asks once per film)."""
    reviews = (
        CriticReview.objects.filter(film__in=films, story__in=Story.published.filter(site=site))
        .select_related("story")
        .order_by("-story__published_at", "-id")
    )
    by_film: dict[int, list[CriticReview]] = {film.pk: [] for film in films}
    for review in reviews:
        by_film[review.film_id].append(review)
    sides = {}
    for film_id, film_reviews in by_film.items():
        average = None
        if len(film_reviews) >= MIN_REVIEWS_FOR_AVERAGE:
            average = float(sum(r.normalised for r in film_reviews)) / len(film_reviews)
        sides[film_id] = CriticSide(reviews=film_reviews, average=average)
    return sides


def _user_ratings(*, site: Site, films: list[Film], user: Reader) -> dict[int, int]:
    if not user.is_authenticated or not films:
        return {}
    return dict(Rating.objects.filter(site=site, user=user, film__in=films).values_list("film_id", "value"))


def user_votes(*, user: Reader, comment_ids: list[int], guest_key: str = "") -> dict[int, int]:
    """{comment_id: +1 or -1} for the reader's votes on the comments shown: an account's, or else the
    votes of the guest known by `guest_key`."""
    if not comment_ids:
        return {}
    if user.is_authenticated:
        votes = Vote.objects.filter(user=user)
    elif guest_key:
        votes = Vote.objects.filter(user=None, guest_key=guest_key)
    else:
        return {}
    return dict(votes.filter(comment_id__in=comment_ids).values_list("comment_id", "value"))
