import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from talkies.accounts.models import User
from talkies.catalogue.models import Film, ReleaseDate
from talkies.ratings.selectors import (
    DEFAULT_PRIOR_MEAN,
    film_audience_score,
    film_audience_scores,
    ratings_by_users,
    site_mean_rating,
    user_rating,
)
from talkies.ratings.services import rating_set


@pytest.fixture
def second_film(db) -> Film:
    film = Film.objects.create(title="John Wick", slug="john-wick")
    ReleaseDate.objects.create(film=film, region="US", date=datetime.date(2014, 10, 24))
    return film


def raters(n: int) -> list[User]:
    return [User.objects.create_user(username=f"rater{i}") for i in range(n)]


def rate(site, film, values: list[int], *, users: list[User]) -> None:
    for user, value in zip(users, values, strict=False):
        rating_set(site=site, film=film, user=user, value=value)


def test_an_unrated_film_has_an_empty_score_that_is_not_shown(site, film):
    score = film_audience_score(site=site, film=film)
    assert score.count == 0
    assert score.mean is None
    assert score.enough is False
    assert score.minimum == site.min_ratings_to_show


def test_a_film_score_reflects_its_ratings_and_the_sites_settings(site, film):
    site.min_ratings_to_show = 6
    site.bayesian_prior_weight = 10
    site.save()
    rate(site, film, [2, 6, 7, 8, 8, 9], users=raters(6))

    score = film_audience_score(site=site, film=film)

    assert score.count == 6
    assert score.mean == pytest.approx(40 / 6)
    assert score.median == 7.5
    assert score.liked == 4
    assert score.enough is True
    # The site's only film is its whole mean, so the prior pulls nowhere: (40 + 10·40/6) / 16 = 40/6.
    assert score.bayesian == pytest.approx(40 / 6)


def test_the_bayesian_prior_is_the_mean_of_every_rating_on_the_site(site, film, second_film):
    users = raters(4)
    rate(site, film, [10, 10], users=users)
    rate(site, second_film, [2, 4], users=users)

    # (10 + 10 + 2 + 4) / 4 = 6.5
    assert site_mean_rating(site) == 6.5
    # Film: mean 10 over 2 ratings, pulled toward 6.5 by 10: (2·10 + 10·6.5) / 12 = 85 / 12 = 7.0833
    assert film_audience_score(site=site, film=film).bayesian == pytest.approx(85 / 12)


def test_the_site_mean_ignores_other_sites_and_falls_back_to_a_default(site, other_site, film):
    rate(other_site, film, [1, 1], users=raters(2))
    assert site_mean_rating(site) == DEFAULT_PRIOR_MEAN


def test_the_site_mean_is_cached_because_it_moves_slowly(site, film, django_assert_num_queries):
    rate(site, film, [8], users=raters(1))
    assert site_mean_rating(site) == 8.0
    with django_assert_num_queries(0):
        assert site_mean_rating(site) == 8.0


def test_scores_for_many_films_come_from_one_query(site, film, second_film, django_assert_num_queries):
    users = raters(3)
    rate(site, film, [8, 9, 10], users=users)
    unrated = Film.objects.create(title="Unrated", slug="unrated")
    site_mean_rating(site)  # warm, as it is on a busy site

    with django_assert_num_queries(1):
        scores = film_audience_scores(site=site, films=[film, second_film, unrated])

    assert scores[film.pk].count == 3
    assert scores[film.pk].mean == 9.0
    assert scores[second_film.pk].count == 0
    assert scores[unrated.pk].count == 0


def test_a_readers_own_rating_is_theirs_on_this_site_only(site, other_site, film, reader, second_reader):
    rating_set(site=site, film=film, user=reader, value=7)
    rating_set(site=other_site, film=film, user=second_reader, value=3)

    mine = user_rating(site=site, film=film, user=reader)
    assert mine is not None and mine.value == 7
    assert user_rating(site=site, film=film, user=second_reader) is None
    assert user_rating(site=other_site, film=film, user=reader) is None


def test_an_anonymous_visitor_has_no_rating(site, film, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert user_rating(site=site, film=film, user=AnonymousUser()) is None  # type: ignore[arg-type]


def test_rating_badges_cover_only_the_asked_readers_on_this_site_and_film(
    site, other_site, film, second_film, reader, second_reader
):
    bystander = User.objects.create_user(username="bystander")
    rating_set(site=site, film=film, user=reader, value=9)
    rating_set(site=site, film=film, user=bystander, value=1)
    rating_set(site=site, film=second_film, user=second_reader, value=4)
    rating_set(site=other_site, film=film, user=second_reader, value=5)

    badges = ratings_by_users(site=site, film=film, user_ids={reader.pk, second_reader.pk})

    assert badges == {reader.pk: 9}


def test_no_readers_means_no_query_for_badges(site, film, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert ratings_by_users(site=site, film=film, user_ids=set()) == {}
