"""schema.org JSON-LD and Open Graph on the film page, read back out of the rendered HTML."""

import json
import re

import pytest

from talkies.catalogue.models import Credit, FilmTitle, Person
from talkies.ratings.services import rating_set
from talkies.stories.services import critic_review_create, story_create

from .helpers import tags_in

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld_of(page: str) -> dict:
    blocks = JSON_LD.findall(page)
    assert len(blocks) == 1, blocks
    return json.loads(blocks[0])


def open_graph_of(page: str) -> list[tuple[str, str]]:
    return [(a["property"], a["content"]) for t, a in tags_in(page) if t == "meta" and "property" in a]  # type: ignore[misc]


@pytest.fixture
def rated_film(site, film, editor):
    FilmTitle.objects.create(film=film, title="From the World of John Wick: Ballerina", kind="marketing")
    director = Person.objects.create(name="Len Wiseman", slug="len-wiseman")
    Credit.objects.create(film=film, person=director, role=Credit.Role.DIRECTOR)
    from django.utils import timezone

    review = story_create(site=site, kind="review", title="Ballerina review", body="Good.", published_at=timezone.now())
    critic_review_create(story=review, film=film, critic_name="Dana Okafor", score="7/10", verdict="Worth it")
    from talkies.accounts.models import User

    for index, value in enumerate([8, 7, 9, 6, 8, 7]):
        rating_set(site=site, film=film, user=User.objects.create_user(f"r{index}"), value=value)
    return film


def test_the_film_page_describes_a_movie_with_its_audience_rating_and_critic_review(client, rated_film):
    data = json_ld_of(client.get(rated_film.get_absolute_url()).content.decode())

    assert data["@context"] == "https://schema.org" and data["@type"] == "Movie"
    assert data["name"] == "Ballerina"
    assert data["alternateName"] == ["From the World of John Wick: Ballerina"]
    assert data["url"] == "http://testserver/films/ballerina/"
    assert data["duration"] == "PT2H5M" and data["datePublished"] == "2025-06-06"
    assert data["sameAs"] == ["https://www.imdb.com/title/tt7181546/"]
    assert data["director"] == [
        {"@type": "Person", "name": "Len Wiseman", "url": "http://testserver/people/len-wiseman/"}
    ]

    rating = data["aggregateRating"]
    assert rating["@type"] == "AggregateRating"
    assert (rating["ratingCount"], rating["bestRating"], rating["worstRating"]) == (6, 10, 1)
    assert isinstance(rating["ratingValue"], float) and 1 <= rating["ratingValue"] <= 10

    (review,) = data["review"]
    assert review["@type"] == "Review" and review["author"] == {"@type": "Person", "name": "Dana Okafor"}
    assert review["reviewRating"] == {"@type": "Rating", "ratingValue": 7.0, "bestRating": 10.0, "worstRating": 0}


def test_no_aggregate_rating_is_claimed_below_the_sites_minimum(client, site, film, reader):
    rating_set(site=site, film=film, user=reader, value=9)
    data = json_ld_of(client.get(film.get_absolute_url()).content.decode())
    assert "aggregateRating" not in data


def test_the_film_page_has_open_graph_movie_tags(client, rated_film):
    tags = dict(open_graph_of(client.get(rated_film.get_absolute_url()).content.decode()))
    assert tags["og:type"] == "video.movie"
    assert tags["og:title"] == "Ballerina"
    assert tags["video:director"] == "http://testserver/people/len-wiseman/"
    assert tags["video:release_date"] == "2025-06-06" and tags["video:duration"] == "7500"


def test_a_hostile_synopsis_cannot_close_the_json_ld_script(client, site, film):
    film.synopsis = '</script><script>alert(1)</script> & "quotes"'
    film.save()
    page = client.get(film.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    assert json_ld_of(page)["description"] == film.synopsis


def test_a_review_page_carries_a_review_with_its_rating_on_the_critics_own_scale(client, site, film):
    from django.utils import timezone

    review = story_create(
        site=site, kind="review", title="Ballerina review", body="Good.", published_at=timezone.now(), films=[film]
    )
    critic_review_create(story=review, film=film, critic_name="Dana Okafor", score="3.5/5")
    data = json_ld_of(client.get(review.get_absolute_url()).content.decode())

    (item,) = data["@graph"]
    assert item["@type"] == "Review"
    assert item["itemReviewed"] == {"@type": "Movie", "name": "Ballerina", "url": "http://testserver/films/ballerina/"}
    assert item["reviewRating"] == {"@type": "Rating", "ratingValue": 3.5, "bestRating": 5.0, "worstRating": 0}
    assert item["author"] == {"@type": "Person", "name": "Dana Okafor"}


def test_other_stories_are_news_articles_without_spoilers_in_the_headline(client, site, film):
    from django.utils import timezone

    story = story_create(
        site=site, kind="reaction", title="Did >!Winston!< surprise you?", slug="did-it-surprise-you",
        body="Tell us.", published_at=timezone.now(), films=[film],
    )  # fmt: skip
    page = client.get(story.get_absolute_url()).content.decode()
    data = json_ld_of(page)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Did [spoiler] surprise you?"
    assert data["about"] == [{"@type": "Movie", "name": "Ballerina", "url": "http://testserver/films/ballerina/"}]
    assert "Winston" not in JSON_LD.findall(page)[0]
