"""Rating too fast from our own pages: a message that says when to try again, and the rating unchanged."""

import pytest
from django.test import Client

from talkies.ratings.models import Rating


@pytest.fixture
def one_a_minute(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "rating": {"account": "1/m", "ip": ""}}


def test_rating_too_fast_says_when_to_try_again_and_keeps_the_rating(reader_client: Client, story, one_a_minute):
    reader_client.post("/films/ballerina/rating/", {"value": "7", "next": story.get_absolute_url()})

    response = reader_client.post(
        "/films/ballerina/rating/", {"value": "3", "next": story.get_absolute_url()}, follow=True
    )

    assert "Your rating was not saved: you are rating films too fast: try again in" in response.content.decode()
    assert Rating.objects.get().value == 7


def test_removing_a_rating_too_fast_says_so_and_keeps_it(reader_client: Client, story, one_a_minute):
    reader_client.post("/films/ballerina/rating/", {"value": "7", "next": story.get_absolute_url()})

    response = reader_client.post("/films/ballerina/rating/remove/", {"next": story.get_absolute_url()}, follow=True)

    assert "Your rating was not removed: you are rating films too fast: try again in" in response.content.decode()
    assert Rating.objects.get().value == 7
