"""The film page and GET /api/v1/films/{slug} read one scorecard, so they show the same critics and audience."""

import datetime
import itertools

import pytest
from django.utils import timezone

from talkies.accounts.models import Site, User
from talkies.ratings.services import rating_set
from talkies.stories.services import critic_review_create, story_create

READERS = itertools.count()
SAME_INSTANT = timezone.now() - datetime.timedelta(hours=2)


def publish_review(site, film, *, title: str, score: str, published_at: datetime.datetime) -> None:
    story = story_create(site=site, kind="review", title=title, body="Verdict.", published_at=published_at)
    critic_review_create(story=story, film=film, critic_name=f"Critic of {title}", score=score)


@pytest.fixture
def reviewed(site, film):
    # Two reviews published in the same instant: which one heads the panel must not be left to the database.
    publish_review(site, film, title="First take", score="4/10", published_at=SAME_INSTANT)
    publish_review(site, film, title="Second take", score="9/10", published_at=SAME_INSTANT)
    for value in [8, 9, 9, 10, 7, 8]:
        rating_set(site=site, film=film, user=User.objects.create_user(username=f"reader{next(READERS)}"), value=value)
    return film


@pytest.mark.parametrize("display", [choice.value for choice in Site.RatingDisplay])
def test_the_page_and_the_api_name_the_same_headline_review_and_scale(client, site, reviewed, display):
    Site.objects.filter(pk=site.pk).update(rating_display=display)

    api = client.get(f"/api/v1/films/{reviewed.slug}").json()["scores"]
    page = client.get(reviewed.get_absolute_url())

    scorecard = page.context["scores"]
    assert [r.critic_name for r in scorecard.critic.reviews] == [r["critic_name"] for r in api["critic"]["reviews"]]
    assert api["critic"]["reviews"][0]["critic_name"] == "Critic of Second take"
    assert scorecard.audience.count == api["audience"]["count"] == 6
    assert scorecard.divergence == api["divergence"]
    # The scale the page prints beside the audience figure is the one the API gives the figures on.
    scale = api["audience"]["display"]["scale"]
    assert scale == {"stars": 5, "points": 10, "percent": 100}[display]
    assert f'<span class="score-max">/{scale}</span>' in page.content.decode()
