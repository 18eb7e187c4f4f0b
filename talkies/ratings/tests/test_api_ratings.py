"""The ratings API: a reader's rating of a film, and the film's scores, critics beside the audience."""

import datetime
import itertools

import pytest
from django.test import Client
from django.utils import timezone

from talkies.accounts.models import User
from talkies.catalogue.models import Film, ReleaseDate
from talkies.ratings.models import FilmScore, Rating
from talkies.ratings.services import rating_set
from talkies.stories.services import critic_review_create, story_create

RATING_URL = "/api/v1/films/ballerina/rating"
SCORES_URL = "/api/v1/films/ballerina/scores"


def put_rating(client, data, url=RATING_URL):
    return client.put(url, data, content_type="application/json")


RATER_NUMBERS = itertools.count()


def rate_many(site, film, values: list[int]) -> None:
    """One new reader per value, each rating the film once."""
    for value in values:
        rater = User.objects.create_user(username=f"rater{next(RATER_NUMBERS)}")
        rating_set(site=site, film=film, user=rater, value=value)


def review(site, film, editor, *, title: str, score: str, hours_ago: int):
    story = story_create(
        site=site,
        kind="review",
        title=title,
        body="Our verdict.",
        author=editor,
        published_at=timezone.now() - datetime.timedelta(hours=hours_ago),
        films=[film],
    )
    return critic_review_create(story=story, film=film, critic_name="Critic", score=score, verdict="Pirouettes.")


# --- Rating -----------------------------------------------------------------------------------------


def test_three_and_a_half_stars_is_stored_as_seven(client, site, film, reader):
    client.force_login(reader)

    response = put_rating(client, {"value": 3.5, "scale": 5})

    assert response.status_code == 200
    body = response.json()
    assert body["rating"]["value"] == 7
    assert body["rating"]["display_scale"] == 5
    assert body["rating"]["display_value"] == 3.5
    assert body["audience"]["count"] == 1
    assert body["audience"]["histogram"] == [0, 0, 0, 0, 0, 0, 1, 0, 0, 0]
    assert Rating.objects.get(user=reader, film=film, site=site).value == 7


def test_the_scale_defaults_to_ten_points(client, site, film, reader):
    client.force_login(reader)

    assert put_rating(client, {"value": 8}).json()["rating"]["value"] == 8


def test_a_hundred_point_rating_is_stored_in_tenths(client, site, film, reader):
    client.force_login(reader)

    assert put_rating(client, {"value": 90, "scale": 100}).json()["rating"]["value"] == 9


def test_rating_again_changes_the_rating_rather_than_adding_one(client, site, film, reader):
    client.force_login(reader)

    put_rating(client, {"value": 4, "scale": 5})
    response = put_rating(client, {"value": 2, "scale": 5})

    assert response.json()["rating"]["value"] == 4
    assert response.json()["audience"]["count"] == 1
    assert Rating.objects.filter(user=reader).count() == 1


def test_it_rejects_a_rating_that_is_not_on_the_scale(client, site, film, reader):
    client.force_login(reader)

    response = put_rating(client, {"value": 3.25, "scale": 5})

    assert response.status_code == 400
    assert response.json() == {
        "error": "value 3.25 is not on the 5-point scale: use half stars (0.5 to 5)",
        "field": "value",
    }
    assert not Rating.objects.exists()


def test_it_rejects_a_rating_beyond_the_scale(client, site, film, reader):
    client.force_login(reader)

    response = put_rating(client, {"value": 6, "scale": 5})

    assert response.status_code == 400
    assert response.json()["field"] == "value"


def test_it_rejects_a_scale_it_does_not_offer_naming_scale(client, site, film, reader):
    client.force_login(reader)

    response = put_rating(client, {"value": 3, "scale": 4})

    assert response.status_code == 422
    assert response.json()["field"] == "scale"
    assert response.json()["error"] == "scale: Input should be 5, 10 or 100"


def test_it_rejects_a_value_that_is_not_a_finite_number(client, site, film, reader):
    client.force_login(reader)

    # Python's JSON parser, like most, accepts NaN; NaN must never reach the score.
    response = client.put(RATING_URL, '{"value": NaN}', content_type="application/json")

    assert response.status_code == 422
    assert response.json()["field"] == "value"


def test_it_rejects_a_value_given_as_a_string(client, site, film, reader):
    client.force_login(reader)

    response = put_rating(client, {"value": "7"})

    assert response.status_code == 422
    assert response.json()["field"] == "value"


def test_it_rejects_unknown_fields_in_a_rating(client, site, film, reader):
    client.force_login(reader)

    response = put_rating(client, {"value": 7, "stars": 3.5})

    assert response.status_code == 422
    assert response.json()["field"] == "stars"


def test_it_refuses_a_rating_before_the_film_is_released(client, site, reader):
    future = Film.objects.create(title="Chapter 5", slug="chapter-5")
    opens = timezone.localdate() + datetime.timedelta(days=30)
    ReleaseDate.objects.create(film=future, region="US", date=opens)
    client.force_login(reader)

    response = put_rating(client, {"value": 10}, url="/api/v1/films/chapter-5/rating")

    assert response.status_code == 403
    assert response.json()["field"] == "film"
    assert response.json()["error"].startswith("rating opens on")


def test_it_refuses_a_rating_from_a_visitor_who_is_not_logged_in(client, site, film):
    response = put_rating(client, {"value": 7})

    assert response.status_code == 401
    assert response.json() == {"error": "log in to rate films", "field": None}


def test_rating_an_unknown_film_is_not_found_naming_slug(client, site, reader):
    client.force_login(reader)

    response = put_rating(client, {"value": 7}, url="/api/v1/films/nope/rating")

    assert response.status_code == 404
    assert response.json() == {"error": "no film with slug 'nope'", "field": "slug"}


def test_a_rating_without_a_csrf_token_is_refused_and_with_one_is_saved(site, film, reader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)

    refused = put_rating(client, {"value": 7})
    token = client.get("/api/v1/session").json()["csrf_token"]
    saved = client.put(RATING_URL, {"value": 7}, content_type="application/json", headers={"X-CSRFToken": token})

    assert refused.status_code == 403
    assert refused.json()["error"].startswith("CSRF check failed")
    assert saved.status_code == 200
    assert Rating.objects.get(user=reader).value == 7


def test_a_reader_reads_back_their_rating(client, site, film, reader):
    rating_set(site=site, film=film, user=reader, value=6)
    client.force_login(reader)

    response = client.get(RATING_URL)

    assert response.status_code == 200
    assert response.json()["value"] == 6
    assert response.json()["display_value"] == 3.0


def test_a_reader_who_has_not_rated_reads_null(client, site, film, reader):
    client.force_login(reader)

    response = client.get(RATING_URL)

    assert response.status_code == 200
    assert response.json() is None


def test_a_visitor_who_is_not_logged_in_reads_null(client, site, film):
    assert client.get(RATING_URL).json() is None


def test_a_reader_withdraws_their_rating(client, site, film, reader):
    rating_set(site=site, film=film, user=reader, value=6)
    client.force_login(reader)

    response = client.delete(RATING_URL)

    assert response.status_code == 200
    assert response.json()["rating"] is None
    assert response.json()["audience"]["count"] == 0
    assert not Rating.objects.exists()
    assert FilmScore.objects.get(site=site, film=film).count == 0


def test_withdrawing_a_rating_that_does_not_exist_is_harmless(client, site, film, reader):
    client.force_login(reader)

    assert client.delete(RATING_URL).status_code == 200


def test_a_rating_on_another_site_is_not_this_sites_rating(client, site, other_site, film, reader):
    rating_set(site=other_site, film=film, user=reader, value=2)
    client.force_login(reader)

    assert client.get(RATING_URL).json() is None
    assert client.get(SCORES_URL).json()["audience"]["count"] == 0


# --- Scores -----------------------------------------------------------------------------------------


def test_the_audience_score_gives_every_figure(client, site, film):
    site.min_ratings_to_show = 3
    site.save()
    rate_many(site, film, [8, 8, 6, 10])
    panned = Film.objects.create(title="Panned", slug="panned")
    ReleaseDate.objects.create(film=panned, region="US", date=datetime.date(2025, 1, 10))
    rate_many(site, panned, [2, 2])

    audience = client.get(SCORES_URL).json()["audience"]

    assert audience["count"] == 4
    assert audience["histogram"] == [0, 0, 0, 0, 0, 1, 0, 2, 0, 1]
    assert audience["mean"] == 8.0
    assert audience["median"] == 8.0
    assert audience["liked"] == 3
    assert audience["liked_share"] == 0.75
    assert 0 < audience["liked_low"] < 0.75 < audience["liked_high"] <= 1
    assert audience["enough"] is True
    assert audience["minimum"] == 3
    assert audience["held"] == 0
    # (4 ratings × 8 + 10 prior × the site's mean of 6) / 14
    assert audience["bayesian"] == pytest.approx(92 / 14)
    assert audience["display"]["scale"] == 5
    assert audience["display"]["mean"] == 4.0


def test_the_audience_score_says_when_there_are_not_enough_ratings(client, site, film):
    rate_many(site, film, [9])

    audience = client.get(SCORES_URL).json()["audience"]

    assert audience["enough"] is False
    assert audience["minimum"] == 5


def test_the_display_figures_follow_the_sites_scale(client, site, film):
    site.rating_display = "percent"
    site.save()
    rate_many(site, film, [7])

    display = client.get(SCORES_URL).json()["audience"]["display"]

    assert display == {"scale": 100, "mean": 70.0, "median": 70.0, "bayesian": display["bayesian"]}


def test_critic_reviews_keep_their_native_score_and_average_from_two(client, site, film, editor):
    review(site, film, editor, title="Ballerina review", score="7/10", hours_ago=2)

    one = client.get(SCORES_URL).json()["critic"]
    review(site, film, editor, title="Second opinion", score="B+", hours_ago=1)
    two = client.get(SCORES_URL).json()["critic"]

    assert one["average"] is None
    assert one["reviews"][0]["score_text"] == "7/10"
    assert one["reviews"][0]["normalised"] == 70.0
    assert one["reviews"][0]["story"]["slug"] == "ballerina-review"
    assert [r["score_text"] for r in two["reviews"]] == ["B+", "7/10"]  # newest first
    assert two["average"] == 79.0
    assert two["minimum_for_average"] == 2


def test_another_sites_critics_do_not_count(client, site, other_site, film, editor):
    review(other_site, film, editor, title="Elsewhere", score="2/10", hours_ago=1)

    assert client.get(SCORES_URL).json()["critic"]["reviews"] == []


def test_scores_of_an_unknown_film_are_not_found(client, site):
    response = client.get("/api/v1/films/nope/scores")

    assert response.status_code == 404
    assert response.json() == {"error": "no film with slug 'nope'", "field": "slug"}


def test_scores_cost_the_same_queries_for_few_or_many_ratings_and_reviews(
    client, site, film, editor, django_assert_num_queries
):
    rate_many(site, film, [7, 8])
    review(site, film, editor, title="One", score="7/10", hours_ago=3)
    client.get(SCORES_URL)  # warms the cached site and site mean rating

    # The film, its release dates (the rating window), its critic reviews with their stories, and its
    # score counters.
    with django_assert_num_queries(4):
        client.get(SCORES_URL)
    Rating.objects.all().delete()
    FilmScore.objects.all().delete()
    rate_many(site, film, list(range(1, 11)) * 3)
    review(site, film, editor, title="Two", score="3/5", hours_ago=2)
    review(site, film, editor, title="Three", score="A-", hours_ago=1)
    with django_assert_num_queries(4):
        response = client.get(SCORES_URL)

    assert response.json()["audience"]["count"] == 30
    assert len(response.json()["critic"]["reviews"]) == 3
