from decimal import Decimal

from talkies.catalogue.models import Character, Credit, Film, FranchiseEntry, Person

from .helpers import page_queries, text_of


def test_films_are_listed_in_release_order_and_in_story_order(client, site, universe):
    page = client.get("/franchises/john-wick-universe/").content.decode()

    release_order = page.split('id="release-order-heading"')[1].split("</section>")[0]
    story_order = page.split('id="chronology-heading"')[1].split("</section>")[0]
    assert release_order.index("John Wick</a>") < release_order.index("Parabellum") < release_order.index("Ballerina")
    assert "(2014)" in release_order and "(2025)" in release_order
    # Ballerina sits at 3.5, between Parabellum (3) and anything after it.
    assert story_order.index("Parabellum") < story_order.index("Ballerina")


def test_story_order_follows_the_chronology_and_explains_it(client, site, universe):
    # A prequel released last but set first.
    prequel = Film.objects.create(title="The Continental Origins", slug="origins")
    FranchiseEntry.objects.create(franchise=universe["world"], film=prequel, release_order=4, chronology_order=0)

    page = client.get("/franchises/john-wick-universe/").content.decode()

    release_order = page.split('id="release-order-heading"')[1].split("</section>")[0]
    story_order = page.split('id="chronology-heading"')[1].split("</section>")[0]
    assert release_order.index("Ballerina") < release_order.index("Continental Origins")
    assert story_order.index("Continental Origins") < story_order.index("John Wick</a>")
    assert story_order.index("Parabellum") < story_order.index("Ballerina")
    assert "Takes place during the events of John Wick: Chapter 3 – Parabellum" in story_order


def test_a_universe_without_films_of_its_own_lists_its_franchises_films(client, site, universe):
    FranchiseEntry.objects.filter(franchise=universe["world"]).delete()
    FranchiseEntry.objects.create(
        franchise=universe["series"],
        film=Film.objects.get(slug="ballerina"),
        release_order=3,
        chronology_order=Decimal("2.5"),
        chronology_note="takes place during the events of Parabellum",
    )

    page = client.get("/franchises/john-wick-universe/").content.decode()

    release_order = page.split('id="release-order-heading"')[1].split("</section>")[0]
    story_order = page.split('id="chronology-heading"')[1].split("</section>")[0]
    assert release_order.index("John Wick</a>") < release_order.index("Parabellum") < release_order.index("Ballerina")
    assert story_order.index("Ballerina") < story_order.index("Parabellum")
    assert "Takes place during the events of Parabellum" in story_order


def test_recurring_characters_are_listed_with_their_films_and_actors_most_films_first(client, site, universe):
    page = client.get("/franchises/john-wick-universe/").content.decode()
    recurring = page.split('id="recurring-heading"')[1].split("</section>")[0]

    assert '<a href="/characters/winston/">Winston</a>' in recurring
    assert '<a href="/people/ian-mcshane/">Ian McShane</a>' in recurring
    charon = recurring.split("/characters/charon/")[1].split("</tr>")[0]
    assert 'Lance Reddick</a> <span class="life-span">(1962–2023)</span>' in charon
    assert "(3 films)" in charon
    # Filed under the universe, Eve recurs from her one film so far; she comes after those in more films.
    eve = recurring.split("/characters/eve-macarro/")[1].split("</tr>")[0]
    assert "(1 film)" in eve
    assert recurring.index("/characters/charon/") < recurring.index("/characters/eve-macarro/")


def test_a_universe_lists_its_franchises_and_a_franchise_names_its_universe(client, site, universe):
    world = client.get("/franchises/john-wick-universe/").content.decode()
    series = client.get("/franchises/john-wick-films/").content.decode()

    assert '<a href="/franchises/john-wick-films/">John Wick</a>' in world
    assert 'part of <a href="/franchises/john-wick-universe/">John Wick universe</a>' in series
    assert "Shared universe" in text_of(world)


def test_an_unknown_franchise_is_not_found(client, site):
    assert client.get("/franchises/nope/").status_code == 404


def test_the_franchise_page_costs_the_same_queries_however_many_films_and_credits(
    client, site, universe, django_assert_max_num_queries
):
    few = page_queries(client, "/franchises/john-wick-universe/", django_assert_max_num_queries, 7)
    winston = Character.objects.get(slug="winston")
    for i in range(15):
        film = Film.objects.create(title=f"Sequel {i}", slug=f"sequel-{i}")
        FranchiseEntry.objects.create(
            franchise=universe["world"], film=film, release_order=10 + i, chronology_order=10 + i
        )
        person = Person.objects.create(name=f"Actor {i}", slug=f"actor-{i}")
        Credit.objects.create(film=film, person=person, role="actor", character=winston)
    many = page_queries(client, "/franchises/john-wick-universe/", django_assert_max_num_queries, 7)

    assert few == many
