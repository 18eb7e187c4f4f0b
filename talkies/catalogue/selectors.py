"""Reads that span the catalogue's relations, shaped for the film, franchise, person and character pages.

Each function loads everything its page shows in a fixed number of queries (one per relation, through
select_related/prefetch_related), so a film with 80 credits costs the same as one with 8. Release dates
are always prefetched because a film's year and status are derived from them per region
(catalogue.status), never stored.

These are the only reads of the catalogue: the pages render the read models below and the API's Out
schemas (catalogue.schemas) are validated from the same objects, so a page and its API answer can never
disagree about which films, characters or dates a franchise has. A missing slug is `NotFound`, which
pages show as a 404 and the API as a 404 naming `slug`.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TypeVar

from django.db.models import Count, Max, Model, Prefetch, Q, QuerySet

from talkies.lib.api import get_or_404

from .models import Character, Company, Credit, Film, FilmTitle, Franchise, FranchiseEntry, Person, ReleaseDate
from .status import THEATRICAL_RUN, FilmStatus, film_release_date, film_status

ModelT = TypeVar("ModelT", bound=Model)

# Films shown with a franchise, a person or a character need their release dates for the year.
FILM_WITH_DATES = Prefetch("film", queryset=Film.objects.prefetch_related("release_dates"))


def film_by_slug(slug: str, *, field: str = "slug") -> Film:
    """The film with this slug and its release dates, or NotFound naming `field` (the input that gave it).

    Films are shared by every site, so there is no scoping.
    """
    films = Film.objects.prefetch_related("release_dates")
    return get_or_404(films, field=field, message=f"no film with slug {slug!r}", slug=slug)


def _get_or_not_found(queryset: QuerySet[ModelT], what: str, slug: str) -> ModelT:
    return get_or_404(queryset, field="slug", message=f"no {what} with slug {slug!r}", slug=slug)


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


def _film_with_everything() -> QuerySet[Film]:
    """Films with every relation the film page shows, one query per relation however long the credits."""
    return Film.objects.prefetch_related(
        "titles",
        "release_dates",
        "studios",
        Prefetch("credits", queryset=Credit.objects.select_related("person", "character")),
        Prefetch("franchise_entries", queryset=FranchiseEntry.objects.select_related("franchise__parent")),
    )


def film_page(*, slug: str) -> FilmPage:
    """The film with titles, dates, studios, credits (billing order) and franchise placement, or NotFound."""
    film = _get_or_not_found(_film_with_everything(), "film", slug)
    credits = list(film.credits.all())  # Credit.Meta orders by billing order
    return FilmPage(
        film=film,
        directors=[c for c in credits if c.role == Credit.Role.DIRECTOR],
        writers=[c for c in credits if c.role == Credit.Role.WRITER],
        cast=[c for c in credits if c.role == Credit.Role.ACTOR],
        other_crew=[c for c in credits if c.role not in (Credit.Role.ACTOR, Credit.Role.DIRECTOR, Credit.Role.WRITER)],
        franchise_entries=list(film.franchise_entries.all()),
    )


@dataclass(frozen=True)
class FilmSummary:
    """A film as a list shows it: its release date and status are those of the reader's region, today."""

    film: Film
    release_date: datetime.date | None
    status: FilmStatus

    @classmethod
    def of(cls, film: Film, *, region: str, on: datetime.date) -> "FilmSummary":
        """Needs the film's release_dates prefetched (status is derived from them)."""
        return cls(film=film, release_date=film_release_date(film, region), status=film_status(film, region, on))

    @property
    def slug(self) -> str:
        return self.film.slug

    @property
    def title(self) -> str:
        return self.film.title

    @property
    def runtime_minutes(self) -> int | None:
        return self.film.runtime_minutes


@dataclass(frozen=True)
class ExternalIds:
    imdb: str | None
    tmdb: str | None
    wikidata: str | None


@dataclass(frozen=True)
class FilmDetail:
    """Everything the catalogue knows about a film: the API's film detail (the film page shows FilmPage)."""

    summary: FilmSummary
    marketing_title: str | None
    titles: list[FilmTitle]
    release_dates: list[ReleaseDate]
    studios: list[Company]
    external_ids: ExternalIds
    credits: list[Credit]
    franchises: list[FranchiseEntry]

    # The summary's fields, so the detail schema extends the summary schema field for field.
    slug = property(lambda self: self.summary.slug)
    title = property(lambda self: self.summary.title)
    release_date = property(lambda self: self.summary.release_date)
    status = property(lambda self: self.summary.status)
    runtime_minutes = property(lambda self: self.summary.runtime_minutes)
    synopsis = property(lambda self: self.summary.film.synopsis)


def marketing_title(titles: list[FilmTitle], region: str) -> str | None:
    """The title the film is sold under in `region` ("From the World of John Wick: Ballerina")."""
    marketing = [t for t in titles if t.kind == FilmTitle.Kind.MARKETING]
    local = [t for t in marketing if t.region in (region, "")]
    chosen = local or marketing
    return chosen[0].title if chosen else None


def film_detail(*, slug: str, region: str, on: datetime.date) -> FilmDetail:
    """The film with titles, dates, studios, credits and franchises, or NotFound naming `slug`."""
    page = film_page(slug=slug)
    film = page.film
    titles = list(film.titles.all())
    return FilmDetail(
        summary=FilmSummary.of(film, region=region, on=on),
        marketing_title=marketing_title(titles, region),
        titles=titles,
        release_dates=sorted(film.release_dates.all(), key=lambda r: (r.date, r.region)),
        studios=list(film.studios.all()),
        external_ids=ExternalIds(
            imdb=film.imdb_id or None, tmdb=film.tmdb_id or None, wikidata=film.wikidata_id or None
        ),
        credits=list(film.credits.all()),
        franchises=page.franchise_entries,
    )


def film_list(*, q: str = "", franchise: str | None = None) -> QuerySet[Film]:
    """Films by title, those matching `q` in any title, or only a franchise's (NotFound naming `franchise`)."""
    films = Film.objects.prefetch_related("release_dates").order_by("title", "id")
    if q:
        # An alternative title matches too: readers search for "John Wick: Ballerina" as often as not.
        films = films.filter(Q(title__icontains=q) | Q(titles__title__icontains=q)).distinct()
    if franchise:
        found = get_or_404(
            Franchise.objects.all(), field="franchise", message=f"no franchise with slug {franchise!r}", slug=franchise
        )
        films = films.filter(franchise_entries__franchise=found)
    return films


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

    @property
    def slug(self) -> str:
        return self.character.slug

    @property
    def name(self) -> str:
        return self.character.name


@dataclass(frozen=True)
class FranchiseFilm:
    """A film's place in a franchise, with its release date in the reader's region."""

    entry: FranchiseEntry
    release_date: datetime.date | None

    @property
    def film(self) -> Film:
        return self.entry.film

    @property
    def release_order(self) -> int:
        return self.entry.release_order

    @property
    def chronology_order(self) -> float:
        return float(self.entry.chronology_order)

    @property
    def chronology_note(self) -> str:
        return self.entry.chronology_note

    @property
    def is_spinoff(self) -> bool:
        return self.entry.is_spinoff


@dataclass(frozen=True)
class FranchisePage:
    franchise: Franchise
    films_in_release_order: list[FranchiseFilm]
    films_in_chronology_order: list[FranchiseFilm]
    children: list[Franchise]
    characters: list[RecurringCharacter]  # the recurring ones: see recurring_characters()

    # The franchise's own fields, so the API's detail schema reads this page as it is.
    slug = property(lambda self: self.franchise.slug)
    name = property(lambda self: self.franchise.name)
    kind = property(lambda self: self.franchise.kind)
    description = property(lambda self: self.franchise.description)
    parent = property(lambda self: self.franchise.parent)


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
    """The franchise with its films in both orders, sub-franchises, and recurring characters, or NotFound.

    The films are the franchise's own and those of its direct sub-franchises (see _all_entries). Story
    order sorts on chronology_order, which assumes sub-franchises place their films on their universe's
    timeline, as the catalogue's editors are asked to. The franchise page and GET /api/v1/franchises/{slug}
    both read this.
    """
    franchise = _get_or_not_found(
        _with_films_and_children(Franchise.objects.select_related("parent")), "franchise", slug
    )
    entries = _all_entries(franchise)
    children = list(franchise.children.all())

    def placed(entry: FranchiseEntry) -> FranchiseFilm:
        return FranchiseFilm(entry=entry, release_date=film_release_date(entry.film, region))

    return FranchisePage(
        franchise=franchise,
        films_in_release_order=[placed(e) for e in _in_release_order(entries, region)],
        films_in_chronology_order=[
            placed(e) for e in sorted(entries, key=lambda e: (e.chronology_order, *_release_sort_key(e.film, region)))
        ],
        children=children,
        characters=recurring_characters(
            films={e.film_id: e.film for e in entries},
            franchise_ids={franchise.pk, *(child.pk for child in children)},
            region=region,
        ),
    )


# Characters who appear in this many of a franchise's films are "recurring" even without being filed
# under the franchise.
RECURRING_FILM_COUNT = 2


def recurring_characters(
    *, films: dict[int, Film], franchise_ids: set[int], region: str, minimum_films: int = RECURRING_FILM_COUNT
) -> list[RecurringCharacter]:
    """Characters acted in `films` ({id: film}, already loaded) who are filed under one of `franchise_ids`
    or appear in at least `minimum_films` of them, with who played them. One query.

    Only acting credits count: a writer credited "based on characters by" does not make a character
    recur.
    """
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
    recurring = [
        e for e in by_character.values() if e.character.franchise_id in franchise_ids or len(e.films) >= minimum_films
    ]
    for entry in recurring:
        entry.films.sort(key=lambda f: _release_sort_key(f, region))
    # The characters in the most films first: they are what holds the universe together.
    return sorted(recurring, key=lambda e: (-len(e.films), e.character.name))


def franchise_list(*, q: str = "") -> QuerySet[Franchise]:
    """Franchises by name with their parents and how many films each lists itself (`film_count`)."""
    franchises = Franchise.objects.select_related("parent").annotate(film_count=Count("entries")).order_by("name")
    return franchises.filter(name__icontains=q) if q else franchises


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

    # The person's own fields, so the API's detail schema reads this page as it is.
    slug = property(lambda self: self.person.slug)
    name = property(lambda self: self.person.name)
    birth_date = property(lambda self: self.person.birth_date)
    death_date = property(lambda self: self.person.death_date)
    life_span = property(lambda self: self.person.life_span)
    bio = property(lambda self: self.person.bio)

    @property
    def credits(self) -> list[Credit]:
        """Every credit, in the groups' order."""
        return [credit for group in self.credit_groups for credit in group.credits]


def person_page(*, slug: str, region: str) -> PersonPage:
    """The person with their credits grouped by role (roles in Credit.Role order), newest film first."""
    person = _get_or_not_found(
        Person.objects.prefetch_related(
            Prefetch("credits", queryset=Credit.objects.select_related("character").prefetch_related(FILM_WITH_DATES))
        ),
        "person",
        slug,
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


def person_list(*, q: str = "") -> QuerySet[Person]:
    people = Person.objects.order_by("name", "id")
    return people.filter(name__icontains=q) if q else people


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
    character = _get_or_not_found(
        Character.objects.select_related("franchise").prefetch_related(
            Prefetch(
                "credits",
                queryset=Credit.objects.filter(role=Credit.Role.ACTOR)
                .select_related("person")
                .prefetch_related(FILM_WITH_DATES),
            )
        ),
        "character",
        slug,
    )
    appearances = sorted(character.credits.all(), key=lambda c: _release_sort_key(c.film, region))
    return CharacterPage(character=character, appearances=appearances)
