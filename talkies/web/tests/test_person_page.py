import datetime

from talkies.catalogue.models import Credit, Film

from .helpers import page_queries, release, text_of


def test_a_person_who_has_died_is_shown_with_their_life_span_and_no_present_tense(client, site, universe):
    person = universe["people"]["lance-reddick"]
    person.bio = "Lance Reddick played Charon, the Continental's concierge."
    person.save()

    page = client.get("/people/lance-reddick/").content.decode()
    text = text_of(page)

    assert '<h1>Lance Reddick <span class="life-span">(1962–2023)</span></h1>' in page
    assert "Charon, the Continental's concierge" in text
    assert "currently" not in text.lower()


def test_a_living_person_has_no_life_span(client, site, universe):
    page = client.get("/people/ana-de-armas/").content.decode()

    assert "<h1>Ana de Armas</h1>" in page
    assert "Born 30 April 1988" in page


def test_credits_are_grouped_by_role_with_film_year_and_character(client, site, universe):
    page = client.get("/people/shay-hatten/").content.decode()
    writing = page.split('id="credits-writer"')[1].split("</section>")[0]

    assert "Writer" in writing
    assert "2025" in writing and "Ballerina" in writing and "2019" in writing
    assert writing.index("Ballerina") < writing.index("Parabellum")  # newest first

    acting = client.get("/people/keanu-reeves/").content.decode().split('id="credits-actor"')[1]
    assert "Acting" in acting
    assert '<a href="/characters/john-wick/">John Wick</a>' in acting


def test_a_person_with_several_roles_has_a_group_for_each(client, site, universe):
    Credit.objects.create(film=universe["john_wick"], person=universe["people"]["len-wiseman"], role="producer")

    page = client.get("/people/len-wiseman/").content.decode()

    assert page.index('id="credits-director"') < page.index('id="credits-producer"')


def test_the_person_page_costs_the_same_queries_with_3_or_30_credits(
    client, site, universe, django_assert_max_num_queries
):
    few = page_queries(client, "/people/keanu-reeves/", django_assert_max_num_queries, 4)
    keanu = universe["people"]["keanu-reeves"]
    for i in range(27):
        film = Film.objects.create(title=f"Film {i}", slug=f"film-{i}")
        release(film, datetime.date(2000 + i % 20, 1, 1))
        Credit.objects.create(film=film, person=keanu, role="actor")
    many = page_queries(client, "/people/keanu-reeves/", django_assert_max_num_queries, 4)

    assert few == many


def test_an_unknown_person_is_not_found(client, site):
    assert client.get("/people/nobody/").status_code == 404
