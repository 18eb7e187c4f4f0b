"""Critic and audience side by side, with a note when they disagree strongly — on the page and in the API."""

import pytest
from django.utils import timezone

from talkies.accounts.models import User
from talkies.ratings.services import rating_set
from talkies.stories.services import critic_review_create, story_create


def rate(site, film, values):
    for index, value in enumerate(values):
        rating_set(site=site, film=film, user=User.objects.create_user(f"rater{index}"), value=value)


@pytest.fixture
def reviewed(site, film):
    review = story_create(site=site, kind="review", title="Review", body="x", published_at=timezone.now())
    critic_review_create(story=review, film=film, critic_name="Dana Okafor", score="9/10")
    site.bayesian_prior_weight = 0  # the shown score is then the plain mean, easy to reason about
    site.save()
    return film


def test_the_film_page_says_when_critics_liked_it_more_than_readers(client, site, reviewed):
    rate(site, reviewed, [5, 6, 5, 6, 5, 6])  # mean 5.5 → 55 against the critic's 90
    page = client.get(reviewed.get_absolute_url()).content.decode()
    assert "Critics liked it more than readers." in page
    assert client.get(f"/api/v1/films/{reviewed.slug}/scores").json()["divergence"] == "critics"


def test_no_note_when_they_broadly_agree(client, site, reviewed):
    rate(site, reviewed, [9, 8, 9, 9, 8, 9])
    page = client.get(reviewed.get_absolute_url()).content.decode()
    assert "liked it more than" not in page
    assert client.get(f"/api/v1/films/{reviewed.slug}/scores").json()["divergence"] is None


def test_no_note_before_the_audience_score_is_shown(client, site, reviewed):
    rate(site, reviewed, [1, 1])  # below the minimum of five: nothing to compare yet
    assert "liked it more than" not in client.get(reviewed.get_absolute_url()).content.decode()
