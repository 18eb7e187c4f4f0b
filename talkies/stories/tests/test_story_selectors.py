import datetime

import pytest
from django.utils import timezone

from talkies.catalogue.models import Film
from talkies.stories.selectors import film_critic_side, published_stories, site_critic_average
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


def test_unpublished_reviews_stay_off_the_critic_side_and_out_of_the_site_average(site, film):
    review(site, film, "8/10", title="Out now")
    review(site, film, "2/10", title="Embargoed", published_at=NOW + datetime.timedelta(days=2))
    review(site, film, "1/10", title="Draft", published_at=None)

    assert [r.score_text for r in film_critic_side(site=site, film=film).reviews] == ["8/10"]
    # An embargoed or draft verdict must not leak through the site-wide figure either.
    assert site_critic_average(site) == pytest.approx(80.0)


def test_the_site_average_covers_only_this_sites_reviews(site, other_site, film):
    sequel = Film.objects.create(title="Chapter 4", slug="chapter-4")
    review(site, film, "6/10", title="One")
    review(site, sequel, "8/10", title="Two")
    review(other_site, film, "1/10", title="Elsewhere")

    assert site_critic_average(site) == pytest.approx(70.0)


def test_a_site_without_reviews_has_no_average(site):
    assert site_critic_average(site) is None
