import datetime

import pytest
from django.utils import timezone

from talkies.catalogue.models import Film
from talkies.stories.selectors import critic_sides, film_critic_side, published_stories
from talkies.stories.services import critic_review_create, story_create

NOW = timezone.now()


def review(site, film, score: str, *, title: str, published_at=NOW - datetime.timedelta(days=1)):
    story = story_create(site=site, kind="review", title=title, body="Verdict.", published_at=published_at)
    return critic_review_create(story=story, film=film, critic_name="Ed Itor", score=score)


def test_published_stories_leave_out_drafts_scheduled_stories_and_other_sites(site, other_site, story):
    story_create(site=site, kind="news", title="Draft", body="")
    story_create(site=site, kind="news", title="Tomorrow", body="", published_at=NOW + datetime.timedelta(days=1))
    story_create(site=other_site, kind="news", title="Elsewhere", body="", published_at=NOW)

    assert list(published_stories(site)) == [story]


def test_the_critic_side_lists_published_reviews_newest_first_and_averages_two_or_more(site, film):
    older = review(site, film, "6/10", title="First look", published_at=NOW - datetime.timedelta(days=3))
    newer = review(site, film, "4/5", title="Second look", published_at=NOW - datetime.timedelta(days=1))

    side = film_critic_side(site=site, film=film)

    assert side.reviews == [newer, older]
    assert side.headline == newer
    assert side.average == pytest.approx(70.0)  # (60 + 80) / 2


def test_one_review_is_a_headline_but_not_an_average(site, film):
    only = review(site, film, "B+", title="Only look")
    side = film_critic_side(site=site, film=film)
    assert side.headline == only
    assert side.average is None


def test_unpublished_reviews_stay_off_the_critic_side(site, film):
    review(site, film, "8/10", title="Out now")
    review(site, film, "2/10", title="Embargoed", published_at=NOW + datetime.timedelta(days=2))
    review(site, film, "1/10", title="Draft", published_at=None)

    assert [r.score_text for r in film_critic_side(site=site, film=film).reviews] == ["8/10"]


def test_reviews_published_in_the_same_instant_put_the_later_one_first(site, film):
    """The headline must not depend on how the database happens to order ties."""
    first = review(site, film, "6/10", title="One", published_at=NOW - datetime.timedelta(hours=1))
    second = review(site, film, "9/10", title="Two", published_at=NOW - datetime.timedelta(hours=1))

    assert film_critic_side(site=site, film=film).headline == second
    assert critic_sides(site=site, films=[film])[film.pk].reviews == [second, first]


def test_critic_sides_cover_many_films_in_one_query(site, film, django_assert_num_queries):
    sequel = Film.objects.create(title="Chapter 4", slug="chapter-4")
    unreviewed = Film.objects.create(title="Chapter 5", slug="chapter-5")
    review(site, film, "6/10", title="One")
    review(site, sequel, "8/10", title="Two")
    review(site, sequel, "4/10", title="Three")

    with django_assert_num_queries(1):
        sides = critic_sides(site=site, films=[film, sequel, unreviewed])

    assert [r.score_text for r in sides[film.pk].reviews] == ["6/10"]
    assert sides[sequel.pk].average == pytest.approx(60.0)
    assert sides[unreviewed.pk].reviews == [] and sides[unreviewed.pk].figure is None
