"""Reads that span the catalogue's relations, shaped for the film, franchise, person and character pages.

Each function loads everything its page shows in a fixed number of queries (one per relation, through
select_related/prefetch_related), so a film with 80 credits costs the same as one with 8. Release dates
are always prefetched because a film's year and status are derived from them per region
(catalogue.status), never stored.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from .models import Character, Credit, Film, Franchise, FranchiseEntry, Person
from .status import THEATRICAL_RUN, film_release_date, film_status

# Films shown with a franchise, a person or a character need their release dates for the year.
FILM_WITH_DATES = Prefetch("film", queryset=Film.objects.prefetch_related("release_dates"))


def _release_sort_key(film: Film, region: str) -> tuple[bool, datetime.date]:
    """Sort films by their release in `region`; films without any date go last."""
    date = film_release_date(film, region)
    return (date is None, date or datetime.date.max)


# --- Film ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FilmPage:
    film: Film
    directors: list[Credit]
    writers: list[Credit]
    cast: list[Credit]
    # Producers, composers…: shown as a short crew list under the cast.
    other_crew: list[Credit]
    franchise_entries: list[FranchiseEntry]


def film_page(*, slug: str) -> FilmPage:
    """The film with titles, dates, studios, credits (billing order) and franchise placement, or 404."""
    film = get_object_or_404(
        Film.objects.prefetch_related(
            "titles",
            "release_dates",
            "studios",
            Prefetch("credits", queryset=Credit.objects.select_related("person", "character")),
            Prefetch("franchise_entries", queryset=FranchiseEntry.objects.select_related("franchise__parent")),
        ),
        slug=slug,
    )
    credits = list(film.credits.all())  # Credit.Meta orders by billing order
    return FilmPage(
        film=film,
        directors=[c for c in credits if c.role == Credit.Role.DIRECTOR],
        writers=[c for c in credits if c.role == Credit.Role.WRITER],
        cast=[c for c in credits if c.role == Credit.Role.ACTOR],
        other_crew=[c for c in credits if c.role not in (Credit.Role.ACTOR, Credit.Role.DIRECTOR, Credit.Role.WRITER)],
        franchise_entries=list(film.franchise_entries.all()),
    )


def films_in_theatres(*, region: str, today: datetime.date) -> list[Film]:
    """Films whose derived status in `region` is "in theatres" today, newest release first.

    The database narrows the candidates to films with some release in the last theatrical run; the
    exact status (which prefers the region's own dates) is then decided by catalogue.status.
    """
    candidates = (
        Film.objects.filter(release_dates__date__range=(today - THEATRICAL_RUN, today))
        .distinct()
        .prefetch_related("release_dates")
    )
    showing = [f for f in candidates if film_status(f, region, today).code == "in-theatres"]
    return sorted(showing, key=lambda f: _release_sort_key(f, region), reverse=True)


def recent_releases(*, region: str, today: datetime.date, limit: int = 6) -> list[Film]:
    """The films most recently released (anywhere, then ordered by their date in `region`)."""
    candidates = (
        Film.objects.filter(release_dates__date__lte=today)
        # Filtering before annotating makes the Max see only the dates already past.
        .annotate(latest_release=Max("release_dates__date"))
        .order_by("-latest_release", "title")
        .prefetch_related("release_dates")[: limit * 2]
    )
    released: list[Film] = [f for f in candidates if (film_release_date(f, region) or datetime.date.max) <= today]
    return sorted(released, key=lambda f: _release_sort_key(f, region), reverse=True)[:limit]


# --- Franchise ----------------------------------------------------------------------------------


@dataclass
class RecurringCharacter:
    character: Character
    films: list[Film] = field(default_factory=list)
    # Who played the character, in the order of the films they played it in, each person once.
    played_by: list[Person] = field(default_factory=list)


@dataclass(frozen=True)
class FranchisePage:
    franchise: Franchise
    in_release_order: list[FranchiseEntry]
    in_chronological_order: list[FranchiseEntry]
    children: list[Franchise]
    recurring_characters: list[RecurringCharacter]


def _with_films_and_children(queryset: QuerySet[Franchise]) -> QuerySet[Franchise]:
    """Prefetch a franchise's entries and its direct sub-franchises' entries, films and release dates."""
    entries = FranchiseEntry.objects.select_related("film", "franchise").prefetch_related("film__release_dates")
    return queryset.prefetch_related(
        Prefetch("entries", queryset=entries),
        Prefetch("children", queryset=Franchise.objects.prefetch_related(Prefetch("entries", queryset=entries))),
    )


def _all_entries(franchise: Franchise) -> list[FranchiseEntry]:
    """The franchise's own entries, then its sub-franchises' entries for films it does not list itself.

    A universe often holds no films directly (the World of John Wick holds the John Wick franchise,
    which holds the films), yet its page and its card on the home page should show them all.
    Reads the entries prefetched by _with_films_and_children.
    """
    by_film: dict[int, FranchiseEntry] = {}
    for entry in [*franchise.entries.all(), *(e for child in franchise.children.all() for e in child.entries.all())]:
        by_film.setdefault(entry.film_id, entry)
    return list(by_film.values())


def _in_release_order(entries: list[FranchiseEntry], region: str) -> list[FranchiseEntry]:
    # By the films' actual dates: release_order numbers are only comparable within one franchise.
    return sorted(entries, key=lambda e: (*_release_sort_key(e.film, region), e.release_order))


def franchise_page(*, slug: str, region: str) -> FranchisePage:
    """The franchise with its films in both orders, sub-franchises, and characters seen in ≥2 of its films.

    The films are the franchise's own and those of its direct sub-franchises (see _all_entries). Story
    order sorts on chronology_order, which assumes sub-franchises place their films on their universe's
    timeline, as the catalogue's editors are asked to.
    """
    franchise = get_object_or_404(_with_films_and_children(Franchise.objects.select_related("parent")), slug=slug)
    entries = _all_entries(franchise)
    return FranchisePage(
        franchise=franchise,
        in_release_order=_in_release_order(entries, region),
        in_chronological_order=sorted(entries, key=lambda e: (e.chronology_order, *_release_sort_key(e.film, region))),
        children=list(franchise.children.all()),
        recurring_characters=recurring_characters(films={e.film_id: e.film for e in entries}, region=region),
    )


def recurring_characters(*, films: dict[int, Film], region: str, minimum_films: int = 2) -> list[RecurringCharacter]:
    """Characters credited in at least `minimum_films` of `films` ({id: film}, already loaded), with who
    played them."""
    credits = Credit.objects.filter(film_id__in=films, character__isnull=False, role=Credit.Role.ACTOR).select_related(
        "character", "person"
    )
    by_character: dict[int, RecurringCharacter] = {}
    for credit in credits:
        assert credit.character is not None  # filtered above; narrows the type
        entry = by_character.setdefault(credit.character.pk, RecurringCharacter(credit.character))
        film = films[credit.film_id]  # the caller's copy, whose release dates are already loaded
        if film not in entry.films:
            entry.films.append(film)
        if credit.person not in entry.played_by:
            entry.played_by.append(credit.person)
    recurring = [e for e in by_character.values() if len(e.films) >= minimum_films]
    for entry in recurring:
        entry.films.sort(key=lambda f: _release_sort_key(f, region))
    # The characters in the most films first: they are what holds the universe together.
    return sorted(recurring, key=lambda e: (-len(e.films), e.character.name))


def root_franchises() -> QuerySet[Franchise]:
    """Franchises and universes that are not part of a larger one, with their films and sub-franchises."""
    return _with_films_and_children(Franchise.objects.filter(parent__isnull=True))


def franchise_films(franchise: Franchise, *, region: str) -> list[Film]:
    """The films of a franchise and of its direct sub-franchises, in release order, each once.

    Reads the entries prefetched by root_franchises().
    """
    return [entry.film for entry in _in_release_order(_all_entries(franchise), region)]


# --- Person and character -----------------------------------------------------------------------


@dataclass(frozen=True)
class CreditGroup:
    role: str  # Credit.Role value
    label: str  # "Actor", "Director"…
    credits: list[Credit]


@dataclass(frozen=True)
class PersonPage:
    person: Person
    credit_groups: list[CreditGroup]


def person_page(*, slug: str, region: str) -> PersonPage:
    """The person with their credits grouped by role (roles in Credit.Role order), newest film first."""
    person = get_object_or_404(
        Person.objects.prefetch_related(
            Prefetch("credits", queryset=Credit.objects.select_related("character").prefetch_related(FILM_WITH_DATES))
        ),
        slug=slug,
    )
    by_role: dict[str, list[Credit]] = defaultdict(list)
    for credit in person.credits.all():
        by_role[credit.role].append(credit)
    groups = []
    for role in Credit.Role:
        if role.value in by_role:
            credits = sorted(by_role[role.value], key=lambda c: _release_sort_key(c.film, region), reverse=True)
            groups.append(CreditGroup(role=role.value, label=role.label, credits=credits))
    return PersonPage(person=person, credit_groups=groups)


@dataclass(frozen=True)
class CharacterPage:
    character: Character
    # Acting credits for the character, in the order the films came out.
    appearances: list[Credit]

    @property
    def played_by(self) -> list[Person]:
        """Everyone who has played the character, in order of their first appearance, each once."""
        people: dict[int, Person] = {}
        for credit in self.appearances:
            people.setdefault(credit.person_id, credit.person)
        return list(people.values())


def character_page(*, slug: str, region: str) -> CharacterPage:
    character = get_object_or_404(
        Character.objects.select_related("franchise").prefetch_related(
            Prefetch(
                "credits",
                queryset=Credit.objects.filter(role=Credit.Role.ACTOR)
                .select_related("person")
                .prefetch_related(FILM_WITH_DATES),
            )
        ),
        slug=slug,
    )
    appearances = sorted(character.credits.all(), key=lambda c: _release_sort_key(c.film, region))
    return CharacterPage(character=character, appearances=appearances)
