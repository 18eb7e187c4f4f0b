"""Rating too fast through the API: 429 with Retry-After naming `value`, and the rating left as it was."""

import pytest

from talkies.ratings.models import Rating

RATING_URL = "/api/v1/films/ballerina/rating"


@pytest.fixture
def two_a_minute(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "rating": {"account": "2/m", "ip": ""}}


def put_rating(client, value):
    return client.put(RATING_URL, {"value": value, "scale": 10}, content_type="application/json")


def test_rating_past_the_limit_is_refused_with_429_and_retry_after(client, site, film, reader, two_a_minute):
    client.force_login(reader)
    assert [put_rating(client, value).status_code for value in (6, 7)] == [200, 200]

    response = put_rating(client, 9)

    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert 1 <= wait <= 60
    assert response.json() == {"error": f"you are rating films too fast: try again in {wait} seconds", "field": "value"}
    assert Rating.objects.get(user=reader).value == 7


def test_withdrawing_counts_against_the_same_limit(client, site, film, reader, two_a_minute):
    client.force_login(reader)
    put_rating(client, 6)
    assert client.delete(RATING_URL).status_code == 200

    response = client.delete(RATING_URL)

    assert response.status_code == 429 and "Retry-After" in response


def test_each_reader_has_their_own_count(client, site, film, reader, second_reader, two_a_minute):
    client.force_login(reader)
    for value in (6, 7, 8):
        put_rating(client, value)
    client.force_login(second_reader)

    assert put_rating(client, 5).status_code == 200


def test_the_address_is_limited_across_readers(client, site, film, reader, second_reader, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "rating": {"account": "", "ip": "2/m"}}
    client.force_login(reader)
    put_rating(client, 6)
    put_rating(client, 7)
    client.force_login(second_reader)

    assert put_rating(client, 5).status_code == 429
