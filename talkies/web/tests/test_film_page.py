import datetime

from django.utils import timezone

from talkies.catalogue.models import Character, Credit, Person
from talkies.stories.services import story_create

from .helpers import page_queries, release, text_of


def test_the_film_page_shows_titles_release_status_runtime_synopsis_and_studio(client, site, universe):
    page = client.get("/films/ballerina/").content.decode()
    text = text_of(page)

    assert '<h1 class="film-title">Ballerina</h1>' in page
    assert "Marketing title: From the World of John Wick: Ballerina" in text
    assert '<span class="status status-released">Released 6 June 2025</span>' in page
    assert "2 h 5 min" in text
    assert "Eve Macarro begins her training" in text
    assert "Lionsgate" in text


def test_the_release_date_and_status_follow_the_sites_region(client, site, film):
    site.region = "GB"
    site.save()
    release(film, timezone.localdate() - datetime.timedelta(days=3), region="GB")

    page = client.get("/films/ballerina/").content.decode()

    opened = timezone.localdate() - datetime.timedelta(days=3)
    assert "Now in theatres" in page
    assert f"Opened {opened:%-d %B %Y} in GB" in text_of(page)


def test_directors_and_writers_link_to_their_pages(client, site, universe):
    crew = client.get("/films/ballerina/").content.decode().split('id="crew-heading"')[1].split("</section>")[0]

    assert 'Directed by</dt><dd><a href="/people/len-wiseman/">Len Wiseman</a>' in crew
    assert 'Written by</dt><dd><a href="/people/shay-hatten/">Shay Hatten</a>' in crew


def test_the_cast_is_in_billing_order_with_their_characters(client, site, universe):
    cast = client.get("/films/ballerina/").content.decode().split('id="cast-heading"')[1].split("</section>")[0]

    order = [cast.index(name) for name in ("Ana de Armas", "Keanu Reeves", "Ian McShane", "Lance Reddick")]
    assert order == sorted(order)
    assert '<a href="/people/ana-de-armas/">Ana de Armas</a>' in cast
    assert '<a class="cast-character" href="/characters/eve-macarro/">Eve Macarro</a>' in cast


def test_a_person_who_has_died_is_shown_with_their_life_span(client, site, universe):
    cast = client.get("/films/ballerina/").content.decode().split('id="cast-heading"')[1].split("</section>")[0]

    assert '<a href="/people/lance-reddick/">Lance Reddick</a> <span class="life-span">(1962–2023)</span>' in cast
    assert "Ana de Armas</a> <span" not in cast  # the living get no dates


def test_the_franchise_placement_says_where_the_film_sits_in_the_story(client, site, universe):
    text = text_of(client.get("/films/ballerina/").content.decode())

    assert "Part of John Wick universe" in text
    assert "Film 3 in release order, a spin-off." in text
    assert "Takes place during the events of John Wick: Chapter 3 – Parabellum." in text


def test_critic_and_audience_sit_side_by_side_with_the_rating_widget(reader_client, site, universe, review):
    page = reader_client.get("/films/ballerina/").content.decode()
    cards = page.split('<div class="score-cards">')[1].split("</section>")[0]

    assert cards.index("critic-card") < cards.index("audience-card") < cards.index("rating-widget")
    assert "7/10" in cards
    assert 'action="/films/ballerina/rating/"' in cards
    assert '<input type="hidden" name="next" value="/films/ballerina/">' in cards


def test_every_published_story_of_this_site_about_the_film_is_listed(client, site, other_site, story, review, editor):
    story_create(site=site, kind="news", title="Unpublished draft", body="x", films=[story.films.get()])
    story_create(
        site=other_site,
        kind="news",
        title="Their story",
        body="x",
        published_at=timezone.now() - datetime.timedelta(hours=1),
        films=[story.films.get()],
    )

    coverage = client.get("/films/ballerina/").content.decode().split('id="stories-heading"')[1]

    assert "What did you think of Ballerina?" in coverage
    assert "Ballerina review" in coverage
    assert "Unpublished draft" not in coverage
    assert "Their story" not in coverage


def test_an_unknown_film_is_not_found(client, site):
    assert client.get("/films/no-such-film/").status_code == 404


def test_the_film_page_costs_the_same_queries_with_4_or_40_credits(
    reader_client, site, film, universe, review, django_assert_max_num_queries
):
    few = page_queries(reader_client, "/films/ballerina/", django_assert_max_num_queries, 12)
    for i in range(36):
        person = Person.objects.create(name=f"Extra {i}", slug=f"extra-{i}")
        character = Character.objects.create(name=f"Assassin {i}", slug=f"assassin-{i}")
        Credit.objects.create(film=film, person=person, role="actor", character=character, billing_order=10 + i)
    many = page_queries(reader_client, "/films/ballerina/", django_assert_max_num_queries, 12)

    assert few == many
