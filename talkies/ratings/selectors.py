from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Sum

from talkies.accounts.models import Site, User
from talkies.catalogue.models import Film
from talkies.lib.scoring import AudienceScore, audience_score

from .models import LIKED_THRESHOLD, RATING_MAX, FilmScore, Rating

DEFAULT_PRIOR_MEAN = 6.0  # used until a site has ratings of its own


def site_mean_rating(site: Site) -> float:
    """C in the Bayesian average: the mean of every rating on the site. Cached; it moves slowly."""
    key = f"site-mean-rating:{site.pk}"
    mean = cache.get(key)
    if mean is None:
        totals = FilmScore.objects.filter(site=site).aggregate(count=Sum("count"), total=Sum("total"))
        mean = totals["total"] / totals["count"] if totals["count"] else DEFAULT_PRIOR_MEAN
        cache.set(key, mean, 300)
    return mean


def score_from_row(site: Site, row: FilmScore | None, *, include_held: bool = False) -> AudienceScore:
    """The audience score from a film's counters.

    By default ratings held in suspect windows (possible review bombs) are left out, and `held` says how
    many; include_held=True is the "all ratings" view.
    """
    count, total = (row.count, row.total) if row else (0, 0)
    histogram = list(row.histogram) if row and row.histogram else [0] * RATING_MAX
    held = row.held_count if row else 0
    if held and not include_held and row is not None:
        count, total = count - row.held_count, total - row.held_total
        histogram = [all_ - kept for all_, kept in zip(histogram, row.held_histogram, strict=True)]
    return audience_score(
        count=count,
        total=total,
        histogram=histogram,
        minimum=site.min_ratings_to_show,
        prior_mean=site_mean_rating(site),
        prior_weight=site.bayesian_prior_weight,
        liked_threshold=LIKED_THRESHOLD,
        held=0 if include_held else held,
    )


def film_audience_score(*, site: Site, film: Film, include_held: bool = False) -> AudienceScore:
    row = FilmScore.objects.filter(site=site, film=film).first()
    return score_from_row(site, row, include_held=include_held)


def film_audience_scores(*, site: Site, films: list[Film], include_held: bool = False) -> dict[int, AudienceScore]:
    """Scores for many films in one query, keyed by film id."""
    rows = {row.film_id: row for row in FilmScore.objects.filter(site=site, film__in=films)}
    return {film.pk: score_from_row(site, rows.get(film.pk), include_held=include_held) for film in films}


def ratings_of_reader(*, site: Site, films: list[Film], reader: User | AnonymousUser) -> dict[int, int]:
    """{film id: the reader's rating (1–10)} for those of `films` they rated on `site`; {} when anonymous."""
    if not reader.is_authenticated or not films:
        return {}
    return dict(Rating.objects.filter(site=site, user=reader, film__in=films).values_list("film_id", "value"))


def user_rating(*, site: Site, film: Film, user: User | AnonymousUser) -> Rating | None:
    if not user.is_authenticated:
        return None
    return Rating.objects.filter(site=site, film=film, user=user).first()


def ratings_by_users(*, site: Site, film: Film, user_ids: set[int]) -> dict[int, int]:
    """{user_id: value} for the given readers' ratings of the film (the badges on comments)."""
    if not user_ids:
        return {}
    return dict(Rating.objects.filter(site=site, film=film, user_id__in=user_ids).values_list("user_id", "value"))
