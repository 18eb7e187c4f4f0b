"""The catalogue API: films, franchises and people, as the John Wick universe lays them out."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from talkies.catalogue.models import (
    Character,
    Company,
    Credit,
    Film,
    FilmTitle,
    Franchise,
    FranchiseEntry,
    Person,
    ReleaseDate,
)
from talkies.ratings.services import rating_set
from talkies.stories.services import critic_review_create


def make_film(title: str, slug: str, released: datetime.date) -> Film:
    film = Film.objects.create(title=title, slug=slug)
    ReleaseDate.objects.create(film=film, region="US", date=released)
    return film


@pytest.fixture
def wick(film):
    """The John Wick franchise in its universe: four chapters and Ballerina, set during Chapter 3."""
    universe = Franchise.objects.create(name="John Wick universe", slug="wick-universe", kind="universe")
    franchise = Franchise.objects.create(name="John Wick", slug="john-wick", parent=universe)
    chapters = [
        make_film("John Wick", "john-wick-2014", datetime.date(2014, 10, 24)),
        make_film("John Wick: Chapter 2", "john-wick-chapter-2", datetime.date(2017, 2, 10)),
        make_film("John Wick: Chapter 3 – Parabellum", "john-wick-chapter-3", datetime.date(2019, 5, 17)),
        make_film("John Wick: Chapter 4", "john-wick-chapter-4", datetime.date(2023, 3, 24)),
    ]
    for order, chapter in enumerate(chapters, start=1):
        FranchiseEntry.objects.create(
            franchise=franchise, film=chapter, release_order=order, chronology_order=Decimal(order)
        )
    FranchiseEntry.objects.create(
        franchise=franchise,
        film=film,
        release_order=5,
        chronology_order=Decimal("3.5"),
        chronology_note="during the events of Chapter 3",
        is_spinoff=True,
    )
    winston = Character.objects.create(name="Winston", slug="winston")
    charon = Character.objects.create(name="Charon", slug="charon")
    eve = Character.objects.create(name="Eve Macarro", slug="eve-macarro")
    mcshane = Person.objects.create(name="Ian McShane", slug="ian-mcshane", birth_date=datetime.date(1942, 9, 29))
    reddick = Person.objects.create(
        name="Lance Reddick",
        slug="lance-reddick",
        birth_date=datetime.date(1962, 6, 7),
        death_date=datetime.date(2023, 3, 17),
    )
    de_armas = Person.objects.create(name="Ana de Armas", slug="ana-de-armas")
    wiseman = Person.objects.create(name="Len Wiseman", slug="len-wiseman")
    for appearance in [*chapters, film]:
        Credit.objects.create(film=appearance, person=mcshane, role="actor", character=winston, billing_order=3)
        Credit.objects.create(film=appearance, person=reddick, role="actor", character=charon, billing_order=4)
    Credit.objects.create(film=film, person=de_armas, role="actor", character=eve, billing_order=1)
    Credit.objects.create(film=film, person=wiseman, role="director", billing_order=1)
    FilmTitle.objects.create(film=film, title="From the World of John Wick: Ballerina", kind="marketing")
    film.studios.add(Company.objects.create(name="Lionsgate", slug="lionsgate"))
    film.synopsis = "An assassin trained in the traditions of the Ruska Roma sets out for revenge."
    film.wikidata_id = "Q65109616"
    film.save()
    return franchise


def items(response) -> list[str]:
    return [item["slug"] for item in response.json()["items"]]


# --- Films ------------------------------------------------------------------------------------------


def test_it_lists_films_by_title_with_their_status(client, site, wick):
    response = client.get("/api/v1/films")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 5
    assert items(response)[0] == "ballerina"
    assert body["items"][0]["release_date"] == "2025-06-06"
    assert body["items"][0]["status"]["code"] in {"in-theatres", "released", "at-home"}


def test_it_pages_through_films(client, site, wick):
    first = client.get("/api/v1/films?page_size=2").json()
    last = client.get("/api/v1/films?page_size=2&page=3").json()

    assert first["next_page"] == 2
    assert len(first["items"]) == 2
    assert last["next_page"] is None
    assert len(last["items"]) == 1


def test_it_rejects_a_page_size_above_200(client, site):
    response = client.get("/api/v1/films?page_size=500")

    assert response.status_code == 422
    assert response.json()["field"] == "page_size"


def test_it_finds_films_by_any_of_their_titles(client, site, wick):
    assert items(client.get("/api/v1/films?q=parabellum")) == ["john-wick-chapter-3"]
    assert items(client.get("/api/v1/films?q=world of john wick")) == ["ballerina"]


def test_it_lists_a_franchises_films(client, site, wick):
    Film.objects.create(title="Unrelated", slug="unrelated")

    assert len(items(client.get("/api/v1/films?franchise=john-wick"))) == 5


def test_filtering_by_an_unknown_franchise_is_not_found_naming_franchise(client, site):
    response = client.get("/api/v1/films?franchise=nope")

    assert response.status_code == 404
    assert response.json() == {"error": "no franchise with slug 'nope'", "field": "franchise"}


def test_the_film_list_costs_the_same_queries_for_3_or_30_films(client, site, django_assert_num_queries):
    for n in range(3):
        make_film(f"Film {n:02}", f"film-{n}", datetime.date(2020, 1, 1))
    client.get("/api/v1/films")  # warms the site-by-host cache, which every request reads

    # The count, the films, their release dates.
    with django_assert_num_queries(3):
        client.get("/api/v1/films")
    for n in range(3, 30):
        make_film(f"Film {n:02}", f"film-{n}", datetime.date(2020, 1, 1))
    with django_assert_num_queries(3):
        response = client.get("/api/v1/films")

    assert len(response.json()["items"]) == 30


def test_it_shows_a_film_in_full(client, site, film, wick):
    response = client.get("/api/v1/films/ballerina")

    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Ballerina"
    assert body["marketing_title"] == "From the World of John Wick: Ballerina"
    assert body["titles"] == [{"title": "From the World of John Wick: Ballerina", "kind": "marketing", "region": ""}]
    assert body["release_dates"] == [{"region": "US", "kind": "theatrical", "date": "2025-06-06", "note": ""}]
    assert body["runtime_minutes"] == 125
    assert body["synopsis"].startswith("An assassin")
    assert body["studios"] == [{"slug": "lionsgate", "name": "Lionsgate"}]
    assert body["external_ids"] == {"imdb": "tt7181546", "tmdb": None, "wikidata": "Q65109616"}
    assert body["credits"][0] == {
        "person": {"slug": "ana-de-armas", "name": "Ana de Armas"},
        "role": "actor",
        "character": {"slug": "eve-macarro", "name": "Eve Macarro"},
        "billing_order": 1,
        "note": "",
    }
    assert {"person": "len-wiseman", "role": "director", "character": None} in [
        {"person": c["person"]["slug"], "role": c["role"], "character": c["character"]} for c in body["credits"]
    ]
    assert body["franchises"] == [
        {
            "franchise": {"slug": "john-wick", "name": "John Wick", "kind": "franchise"},
            "release_order": 5,
            "chronology_order": 3.5,
            "chronology_note": "during the events of Chapter 3",
            "is_spinoff": True,
        }
    ]
    assert set(body["scores"]) == {"critic", "audience", "divergence"}


def test_a_films_status_is_derived_for_the_sites_region_today(client, site):
    opens = timezone.localdate() + datetime.timedelta(days=10)
    film = make_film("Chapter 5", "chapter-5", timezone.localdate() - datetime.timedelta(days=10))
    ReleaseDate.objects.create(film=film, region="GB", date=opens)
    site.region = "GB"
    site.save()

    status = client.get("/api/v1/films/chapter-5").json()["status"]

    assert status["code"] == "coming-soon"
    assert status["release_date"] == opens.isoformat()


def test_a_film_carries_the_critic_and_audience_sides_of_its_score(client, site, film, story, editor, reader):
    critic_review_create(story=story, film=film, critic_name="Ed Critic", score="7/10")
    rating_set(site=site, film=film, user=reader, value=8)

    scores = client.get("/api/v1/films/ballerina").json()["scores"]

    assert scores["critic"]["reviews"][0]["score_text"] == "7/10"
    assert scores["critic"]["reviews"][0]["normalised"] == 70.0
    assert scores["audience"]["count"] == 1
    assert scores["audience"]["histogram"][7] == 1


def test_an_unknown_film_is_not_found_naming_slug(client, site):
    response = client.get("/api/v1/films/x")

    assert response.status_code == 404
    assert response.json() == {"error": "no film with slug 'x'", "field": "slug"}


def test_a_film_costs_the_same_queries_with_few_or_many_credits(client, site, film, django_assert_num_queries):
    client.get("/api/v1/films/ballerina")  # warms the cached site and site mean rating

    # The film; its titles, release dates, studios, credits, franchise entries; critic reviews; score.
    with django_assert_num_queries(8):
        client.get("/api/v1/films/ballerina")
    for n in range(20):
        person = Person.objects.create(name=f"Actor {n}", slug=f"actor-{n}")
        character = Character.objects.create(name=f"Character {n}", slug=f"character-{n}")
        Credit.objects.create(film=film, person=person, role="actor", character=character, billing_order=n)
    with django_assert_num_queries(8):
        response = client.get("/api/v1/films/ballerina")

    assert len(response.json()["credits"]) == 20


# --- Franchises -------------------------------------------------------------------------------------


def test_it_lists_franchises_with_their_film_counts(client, site, wick):
    response = client.get("/api/v1/franchises")

    assert response.status_code == 200
    assert response.json()["items"] == [
        {
            "slug": "john-wick",
            "name": "John Wick",
            "kind": "franchise",
            "parent": {"slug": "wick-universe", "name": "John Wick universe", "kind": "universe"},
            "film_count": 5,
        },
        {"slug": "wick-universe", "name": "John Wick universe", "kind": "universe", "parent": None, "film_count": 0},
    ]


def test_the_franchise_list_costs_the_same_queries_for_3_or_30(client, site, django_assert_num_queries):
    universe = Franchise.objects.create(name="Universe", slug="universe", kind="universe")
    for n in range(3):
        Franchise.objects.create(name=f"Series {n:02}", slug=f"series-{n}", parent=universe)
    client.get("/api/v1/franchises")

    # The count, the franchises with their parents and film counts.
    with django_assert_num_queries(2):
        client.get("/api/v1/franchises")
    for n in range(3, 30):
        Franchise.objects.create(name=f"Series {n:02}", slug=f"series-{n}", parent=universe)
    with django_assert_num_queries(2):
        response = client.get("/api/v1/franchises")

    assert response.json()["count"] == 31


def test_a_franchise_lists_its_films_in_release_and_in_story_order(client, site, wick):
    body = client.get("/api/v1/franchises/john-wick").json()

    assert [e["film"]["slug"] for e in body["films_in_release_order"]] == [
        "john-wick-2014",
        "john-wick-chapter-2",
        "john-wick-chapter-3",
        "john-wick-chapter-4",
        "ballerina",
    ]
    assert [e["film"]["slug"] for e in body["films_in_chronology_order"]] == [
        "john-wick-2014",
        "john-wick-chapter-2",
        "john-wick-chapter-3",
        "ballerina",
        "john-wick-chapter-4",
    ]
    ballerina = body["films_in_chronology_order"][3]
    assert ballerina["chronology_note"] == "during the events of Chapter 3"
    assert ballerina["chronology_order"] == 3.5
    assert ballerina["release_date"] == "2025-06-06"
    assert body["parent"] == {"slug": "wick-universe", "name": "John Wick universe", "kind": "universe"}


def test_a_franchise_names_its_recurring_characters_and_their_films(client, site, wick):
    characters = client.get("/api/v1/franchises/john-wick").json()["characters"]

    assert [c["slug"] for c in characters] == ["charon", "winston"]  # Eve appears in one film only
    assert [f["slug"] for f in characters[1]["films"]] == [
        "john-wick-2014",
        "john-wick-chapter-2",
        "john-wick-chapter-3",
        "john-wick-chapter-4",
        "ballerina",
    ]


def test_a_character_filed_under_a_franchise_counts_as_recurring_from_one_film(client, site, wick):
    Character.objects.filter(slug="eve-macarro").update(franchise=wick)

    characters = client.get("/api/v1/franchises/john-wick").json()["characters"]

    # The characters in the most films first: Eve, filed under the franchise, is in one.
    assert [c["slug"] for c in characters] == ["charon", "winston", "eve-macarro"]
    assert characters[2]["played_by"] == [{"slug": "ana-de-armas", "name": "Ana de Armas"}]


def test_a_writer_credited_with_a_character_does_not_make_it_recur(client, site, wick):
    """Only acting counts: "based on characters by" credits a writer, not an appearance."""
    writer = Person.objects.create(name="Derek Kolstad", slug="derek-kolstad")
    sequel = Film.objects.get(slug="john-wick-chapter-2")
    for film in (sequel, Film.objects.get(slug="john-wick-chapter-3")):
        Credit.objects.create(
            film=film, person=writer, role="writer", character=Character.objects.get(slug="eve-macarro")
        )

    characters = client.get("/api/v1/franchises/john-wick").json()["characters"]

    assert [c["slug"] for c in characters] == ["charon", "winston"]


def test_the_franchise_page_and_the_api_list_the_same_films_and_characters(client, site, wick):
    """One selector answers both: the page's tables and the API's lists name the same things in order."""
    Character.objects.filter(slug="eve-macarro").update(franchise=wick)
    api = client.get("/api/v1/franchises/wick-universe").json()
    page = client.get("/franchises/wick-universe/")

    assert page.status_code == 200
    shown = page.context["page"]
    assert [c.slug for c in shown.characters] == [c["slug"] for c in api["characters"]]
    assert [[f.slug for f in c.films] for c in shown.characters] == [
        [f["slug"] for f in c["films"]] for c in api["characters"]
    ]
    assert [e.film.slug for e in shown.films_in_release_order] == [
        e["film"]["slug"] for e in api["films_in_release_order"]
    ]
    assert [e.film.slug for e in shown.films_in_chronology_order] == [
        e["film"]["slug"] for e in api["films_in_chronology_order"]
    ]
    # The universe lists no film itself: both show its franchise's five, and its recurring characters.
    assert len(api["films_in_release_order"]) == 5
    assert [c["slug"] for c in api["characters"]] == ["charon", "winston", "eve-macarro"]
    html = page.content.decode()
    assert html.index(">Charon<") < html.index(">Winston<") < html.index(">Eve Macarro<")


def test_a_universe_lists_the_franchises_within_it(client, site, wick):
    body = client.get("/api/v1/franchises/wick-universe").json()

    assert body["kind"] == "universe"
    assert body["children"] == [{"slug": "john-wick", "name": "John Wick", "kind": "franchise"}]


def test_an_unknown_franchise_is_not_found(client, site):
    response = client.get("/api/v1/franchises/nope")

    assert response.status_code == 404
    assert response.json() == {"error": "no franchise with slug 'nope'", "field": "slug"}


def test_a_franchise_costs_the_same_queries_however_many_films(client, site, wick, django_assert_num_queries):
    client.get("/api/v1/franchises/john-wick")

    # The franchise and parent; children; entries with films; the films' release dates; credited characters.
    with django_assert_num_queries(5):
        client.get("/api/v1/franchises/john-wick")
    for n in range(6, 20):
        extra = make_film(f"Sequel {n}", f"sequel-{n}", datetime.date(2030, 1, n))
        FranchiseEntry.objects.create(franchise=wick, film=extra, release_order=n, chronology_order=Decimal(n))
    with django_assert_num_queries(5):
        response = client.get("/api/v1/franchises/john-wick")

    assert len(response.json()["films_in_release_order"]) == 19


# --- People -----------------------------------------------------------------------------------------


def test_it_lists_and_searches_people(client, site, wick):
    everyone = client.get("/api/v1/people").json()
    found = client.get("/api/v1/people?q=reddick").json()

    assert everyone["count"] == 4
    assert found["items"] == [
        {"slug": "lance-reddick", "name": "Lance Reddick", "birth_date": "1962-06-07", "death_date": "2023-03-17"}
    ]


def test_the_people_list_costs_the_same_queries_for_3_or_30(client, site, django_assert_num_queries):
    for n in range(3):
        Person.objects.create(name=f"Person {n:02}", slug=f"person-{n}")
    client.get("/api/v1/people")

    # The count, the people.
    with django_assert_num_queries(2):
        client.get("/api/v1/people")
    for n in range(3, 30):
        Person.objects.create(name=f"Person {n:02}", slug=f"person-{n}")
    with django_assert_num_queries(2):
        response = client.get("/api/v1/people")

    assert len(response.json()["items"]) == 30


def test_a_person_shows_their_dates_and_credits(client, site, wick):
    body = client.get("/api/v1/people/lance-reddick").json()

    assert body["birth_date"] == "1962-06-07"
    assert body["death_date"] == "2023-03-17"
    assert body["life_span"] == "1962–2023"
    assert len(body["credits"]) == 5
    assert body["credits"][0]["film"] == {"slug": "ballerina", "title": "Ballerina"}
    assert body["credits"][0]["character"] == {"slug": "charon", "name": "Charon"}


def test_an_unknown_person_is_not_found(client, site):
    response = client.get("/api/v1/people/nobody")

    assert response.status_code == 404
    assert response.json() == {"error": "no person with slug 'nobody'", "field": "slug"}


def test_a_person_costs_the_same_queries_however_many_credits(client, site, wick, django_assert_num_queries):
    client.get("/api/v1/people/ian-mcshane")

    # The person; their credits with characters; the films; the films' release dates (newest film first
    # in each role, as the person's page orders them).
    with django_assert_num_queries(4):
        client.get("/api/v1/people/ian-mcshane")
    mcshane = Person.objects.get(slug="ian-mcshane")
    for n in range(20):
        extra = Film.objects.create(title=f"Film {n}", slug=f"film-{n}")
        Credit.objects.create(film=extra, person=mcshane, role="actor")
    with django_assert_num_queries(4):
        response = client.get("/api/v1/people/ian-mcshane")

    assert len(response.json()["credits"]) == 25
