"""A small John Wick universe for the page tests, built on the shared personas (see /conftest.py).

Release dates are relative to today where a test depends on them ("in theatres"), so the tests do not
rot as the calendar moves.
"""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
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
)
from talkies.stories.services import critic_review_create, story_create

from .helpers import release


@pytest.fixture
def guest_site(site):
    """The test site, taking comments from guests."""
    site.allow_guest_comments = True
    site.save()
    return site


@pytest.fixture
def reader_client(client: Client, reader, site) -> Client:
    """A browser session logged in as `reader`, on Reel News."""
    client.force_login(reader)
    return client


@pytest.fixture
def universe(film):
    """The John Wick universe: two main films and Ballerina, with the people and characters they share."""
    lionsgate = Company.objects.create(name="Lionsgate", slug="lionsgate")
    film.studios.add(lionsgate)
    film.synopsis = "Eve Macarro begins her training in the assassin traditions of the Ruska Roma."
    film.save()
    FilmTitle.objects.create(film=film, title="From the World of John Wick: Ballerina", kind=FilmTitle.Kind.MARKETING)
    john_wick = Film.objects.create(title="John Wick", slug="john-wick", runtime_minutes=101)
    release(john_wick, datetime.date(2014, 10, 24))
    parabellum = Film.objects.create(title="John Wick: Chapter 3 – Parabellum", slug="john-wick-chapter-3")
    release(parabellum, datetime.date(2019, 5, 17))

    world = Franchise.objects.create(name="John Wick universe", slug="john-wick-universe", kind=Franchise.Kind.UNIVERSE)
    series = Franchise.objects.create(name="John Wick", slug="john-wick-films", parent=world)
    FranchiseEntry.objects.create(franchise=series, film=john_wick, release_order=1, chronology_order=Decimal(1))
    FranchiseEntry.objects.create(franchise=series, film=parabellum, release_order=2, chronology_order=Decimal(3))
    FranchiseEntry.objects.create(franchise=world, film=john_wick, release_order=1, chronology_order=Decimal(1))
    FranchiseEntry.objects.create(franchise=world, film=parabellum, release_order=2, chronology_order=Decimal(3))
    FranchiseEntry.objects.create(
        franchise=world,
        film=film,
        release_order=3,
        chronology_order=Decimal("3.5"),
        chronology_note="takes place during the events of John Wick: Chapter 3 – Parabellum",
        is_spinoff=True,
    )

    people = {
        slug: Person.objects.create(name=name, slug=slug, **extra)
        for slug, name, extra in [
            ("ana-de-armas", "Ana de Armas", {"birth_date": datetime.date(1988, 4, 30)}),
            ("keanu-reeves", "Keanu Reeves", {}),
            ("ian-mcshane", "Ian McShane", {}),
            (
                "lance-reddick",
                "Lance Reddick",
                {"birth_date": datetime.date(1962, 6, 7), "death_date": datetime.date(2023, 3, 17)},
            ),
            ("len-wiseman", "Len Wiseman", {}),
            ("shay-hatten", "Shay Hatten", {}),
        ]
    }
    characters = {
        slug: Character.objects.create(name=name, slug=slug, franchise=world)
        for slug, name in [
            ("eve-macarro", "Eve Macarro"),
            ("john-wick", "John Wick"),
            ("winston", "Winston"),
            ("charon", "Charon"),
        ]
    }

    def act(film_, person, character, billing):
        Credit.objects.create(
            film=film_,
            person=people[person],
            role=Credit.Role.ACTOR,
            character=characters[character],
            billing_order=billing,
        )

    act(film, "ana-de-armas", "eve-macarro", 1)
    act(film, "keanu-reeves", "john-wick", 2)
    act(film, "ian-mcshane", "winston", 3)
    act(film, "lance-reddick", "charon", 4)
    for other in (john_wick, parabellum):
        act(other, "keanu-reeves", "john-wick", 1)
        act(other, "ian-mcshane", "winston", 2)
        act(other, "lance-reddick", "charon", 3)
    Credit.objects.create(film=film, person=people["len-wiseman"], role=Credit.Role.DIRECTOR, billing_order=1)
    Credit.objects.create(film=film, person=people["shay-hatten"], role=Credit.Role.WRITER, billing_order=1)
    Credit.objects.create(film=parabellum, person=people["shay-hatten"], role=Credit.Role.WRITER, billing_order=1)
    return {
        "world": world,
        "series": series,
        "john_wick": john_wick,
        "parabellum": parabellum,
        "people": people,
        "characters": characters,
    }


@pytest.fixture
def review(site, film, editor):
    """The critic's 7/10 review of Ballerina, published a day before the reaction post."""
    story = story_create(
        site=site,
        kind="review",
        title="Ballerina review",
        body="A worthy spin-off.",
        author=editor,
        published_at=timezone.now() - datetime.timedelta(days=1),
        films=[film],
    )
    return critic_review_create(
        story=story, film=film, critic_name="Chris Bumbray", score="7/10", verdict="A worthy spin-off."
    )
