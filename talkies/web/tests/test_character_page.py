from talkies.catalogue.models import Credit, Film, Person

from .helpers import page_queries, text_of


def test_a_character_page_shows_the_description_and_every_appearance_with_its_actor(client, site, universe):
    winston = universe["characters"]["winston"]
    winston.description = "The owner of the New York Continental."
    winston.save()

    page = client.get("/characters/winston/").content.decode()
    text = text_of(page)

    assert "<h1>Winston</h1>" in page
    assert "Played by Ian McShane in 3 films." in text
    assert "The owner of the New York Continental." in text
    assert '<a href="/franchises/john-wick-universe/">John Wick universe</a>' in page
    appearances = page.split('id="appearances-heading"')[1]
    assert appearances.index("John Wick</a>") < appearances.index("Parabellum") < appearances.index("Ballerina")
    assert appearances.count('<a href="/people/ian-mcshane/">Ian McShane</a>') == 3


def test_a_role_played_by_someone_who_has_died_says_so_respectfully(client, site, universe):
    page = client.get("/characters/charon/").content.decode()

    assert '<a href="/people/lance-reddick/">Lance Reddick</a> <span class="life-span">(1962–2023)</span>' in page


def test_the_character_page_costs_the_same_queries_however_many_appearances(
    client, site, universe, django_assert_max_num_queries
):
    few = page_queries(client, "/characters/winston/", django_assert_max_num_queries, 4)
    winston = universe["characters"]["winston"]
    for i in range(20):
        film = Film.objects.create(title=f"Film {i}", slug=f"film-{i}")
        Credit.objects.create(
            film=film, person=Person.objects.create(name=f"P {i}", slug=f"p-{i}"), role="actor", character=winston
        )
    many = page_queries(client, "/characters/winston/", django_assert_max_num_queries, 4)

    assert few == many


def test_an_unknown_character_is_not_found(client, site):
    assert client.get("/characters/nobody/").status_code == 404
