"""The catalogue under /api/v1/: films, franchises and people. Public reads; the catalogue has no API writes.

A film's detail page with its scores is served by the API root (talkies/api.py), because scores come
from the stories and ratings apps, which the catalogue must not import.
"""

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from talkies.api_common import READ_ERRORS, Page, current_site, get_or_404, paginate

from .models import Character, Credit, Film, FilmTitle, Franchise, FranchiseEntry, Person
from .schemas import (
    FilmListQuery,
    FilmSummaryOut,
    FranchiseDetailOut,
    FranchiseSummaryOut,
    NameSearchQuery,
    PersonDetailOut,
    PersonSummaryOut,
)
from .status import film_release_date, film_status

router = Router(tags=["catalogue"])

# Characters who appear in this many of a franchise's films are "recurring" even without being filed
# under the franchise.
RECURRING_FILM_COUNT = 2


# --- Fetching ---------------------------------------------------------------------------------------


def get_film_or_404(slug: str, queryset: QuerySet[Film] | None = None) -> Film:
    """The film with this slug, or a 404 naming `slug`. Films are shared by every site, so no scoping."""
    films = Film.objects.prefetch_related("release_dates") if queryset is None else queryset
    return get_or_404(films, field="slug", message=f"no film with slug {slug!r}", slug=slug)


def film_detail_queryset() -> QuerySet[Film]:
    """Films with every relation the detail shows, one query per relation however long the credits."""
    return Film.objects.prefetch_related(
        "titles",
        "release_dates",
        "studios",
        Prefetch("credits", queryset=Credit.objects.select_related("person", "character")),
        Prefetch("franchise_entries", queryset=FranchiseEntry.objects.select_related("franchise")),
    )


def today() -> datetime.date:
    return timezone.localdate()


# --- Shaping ----------------------------------------------------------------------------------------


def film_ref(film: Film) -> dict[str, Any]:
    return {"slug": film.slug, "title": film.title}


def franchise_ref(franchise: Franchise | None) -> dict[str, Any] | None:
    if franchise is None:
        return None
    return {"slug": franchise.slug, "name": franchise.name, "kind": franchise.kind}


def character_ref(character: Character | None) -> dict[str, Any] | None:
    return None if character is None else {"slug": character.slug, "name": character.name}


def film_summary(film: Film, *, region: str, on: datetime.date) -> dict[str, Any]:
    """The film as a list shows it. Needs release_dates prefetched (status is derived from them)."""
    status = film_status(film, region, on)
    return {
        **film_ref(film),
        "release_date": film_release_date(film, region),
        "status": {"code": status.code, "label": status.label, "release_date": status.release_date},
        "runtime_minutes": film.runtime_minutes,
    }


def marketing_title(titles: list[FilmTitle], region: str) -> str | None:
    """The title the film is sold under in `region` ("From the World of John Wick: Ballerina")."""
    marketing = [t for t in titles if t.kind == FilmTitle.Kind.MARKETING]
    local = [t for t in marketing if t.region in (region, "")]
    chosen = local or marketing
    return chosen[0].title if chosen else None


def film_detail(film: Film, *, region: str, on: datetime.date) -> dict[str, Any]:
    """Everything the catalogue knows about a film. Expects film_detail_queryset()'s prefetches."""
    titles = list(film.titles.all())
    return {
        **film_summary(film, region=region, on=on),
        "marketing_title": marketing_title(titles, region),
        "titles": [{"title": t.title, "kind": t.kind, "region": t.region} for t in titles],
        "release_dates": [
            {"region": r.region, "kind": r.kind, "date": r.date, "note": r.note}
            for r in sorted(film.release_dates.all(), key=lambda r: (r.date, r.region))
        ],
        "synopsis": film.synopsis,
        "studios": [{"slug": s.slug, "name": s.name} for s in film.studios.all()],
        "external_ids": {
            "imdb": film.imdb_id or None,
            "tmdb": film.tmdb_id or None,
            "wikidata": film.wikidata_id or None,
        },
        "credits": [
            {
                "person": {"slug": c.person.slug, "name": c.person.name},
                "role": c.role,
                "character": character_ref(c.character),
                "billing_order": c.billing_order,
                "note": c.note,
            }
            for c in film.credits.all()
        ],
        "franchises": [
            {
                "franchise": franchise_ref(e.franchise),
                "release_order": e.release_order,
                "chronology_order": e.chronology_order,
                "chronology_note": e.chronology_note,
                "is_spinoff": e.is_spinoff,
            }
            for e in film.franchise_entries.all()
        ],
    }


def person_summary(person: Person) -> dict[str, Any]:
    return {
        "slug": person.slug,
        "name": person.name,
        "birth_date": person.birth_date,
        "death_date": person.death_date,
    }


def franchise_entry(entry: FranchiseEntry, *, region: str) -> dict[str, Any]:
    return {
        "film": film_ref(entry.film),
        "release_date": film_release_date(entry.film, region),
        "release_order": entry.release_order,
        "chronology_order": entry.chronology_order,
        "chronology_note": entry.chronology_note,
        "is_spinoff": entry.is_spinoff,
    }


def recurring_characters(franchise: Franchise, entries: list[FranchiseEntry]) -> list[dict[str, Any]]:
    """Characters filed under the franchise or appearing in several of its films, with those films.

    One query: every credited character in the franchise's films. Films come out in release order
    because `entries` are in release order.
    """
    position = {entry.film_id: index for index, entry in enumerate(entries)}
    films_by_character: dict[int, dict[int, Film]] = defaultdict(dict)
    characters: dict[int, Character] = {}
    credits = Credit.objects.filter(film__in=list(position), character__isnull=False).select_related(
        "character", "film"
    )
    for credit in credits:
        assert credit.character is not None  # the filter above
        characters[credit.character.pk] = credit.character
        films_by_character[credit.character.pk][credit.film_id] = credit.film
    recurring = [
        character
        for character in characters.values()
        if character.franchise_id == franchise.pk or len(films_by_character[character.pk]) >= RECURRING_FILM_COUNT
    ]
    return [
        {
            **(character_ref(character) or {}),
            "films": [
                film_ref(film)
                for film in sorted(films_by_character[character.pk].values(), key=lambda f: position[f.pk])
            ],
        }
        for character in sorted(recurring, key=lambda c: c.name)
    ]


# --- Endpoints --------------------------------------------------------------------------------------


@router.get("/films", response={200: Page[FilmSummaryOut], **READ_ERRORS})
def list_films(request: HttpRequest, query: Query[FilmListQuery]) -> dict[str, Any]:
    """Films by title, optionally only those matching `q` or belonging to a franchise."""
    site = current_site(request)
    films = Film.objects.prefetch_related("release_dates").order_by("title", "id")
    if query.q:
        # An alternative title matches too: readers search for "John Wick: Ballerina" as often as not.
        films = films.filter(Q(title__icontains=query.q) | Q(titles__title__icontains=query.q)).distinct()
    if query.franchise:
        franchise = get_or_404(
            Franchise.objects.all(),
            field="franchise",
            message=f"no franchise with slug {query.franchise!r}",
            slug=query.franchise,
        )
        films = films.filter(franchise_entries__franchise=franchise)
    rows, envelope = paginate(films, query)
    on = today()
    return {**envelope, "items": [film_summary(film, region=site.region, on=on) for film in rows]}


@router.get("/franchises", response={200: Page[FranchiseSummaryOut], **READ_ERRORS})
def list_franchises(request: HttpRequest, query: Query[NameSearchQuery]) -> dict[str, Any]:
    franchises = Franchise.objects.select_related("parent").annotate(film_count=Count("entries")).order_by("name")
    if query.q:
        franchises = franchises.filter(name__icontains=query.q)
    rows, envelope = paginate(franchises, query)
    items = [
        {**(franchise_ref(f) or {}), "parent": franchise_ref(f.parent), "film_count": f.film_count}  # type: ignore[attr-defined]
        for f in rows
    ]
    return {**envelope, "items": items}


@router.get("/franchises/{slug}", response={200: FranchiseDetailOut, **READ_ERRORS})
def get_franchise(request: HttpRequest, slug: str) -> dict[str, Any]:
    """The franchise's films in release order and in story order, its recurring characters and children."""
    site = current_site(request)
    franchise = get_or_404(
        Franchise.objects.select_related("parent").prefetch_related(
            "children",
            Prefetch(
                "entries",
                queryset=FranchiseEntry.objects.select_related("film").prefetch_related("film__release_dates"),
            ),
        ),
        field="slug",
        message=f"no franchise with slug {slug!r}",
        slug=slug,
    )
    entries = list(franchise.entries.all())  # FranchiseEntry.Meta orders by release order
    in_story_order = sorted(entries, key=lambda e: (e.chronology_order, e.release_order))
    return {
        **(franchise_ref(franchise) or {}),
        "description": franchise.description,
        "parent": franchise_ref(franchise.parent),
        "children": [franchise_ref(child) for child in franchise.children.all()],
        "films_in_release_order": [franchise_entry(e, region=site.region) for e in entries],
        "films_in_chronology_order": [franchise_entry(e, region=site.region) for e in in_story_order],
        "characters": recurring_characters(franchise, entries),
    }


@router.get("/people", response={200: Page[PersonSummaryOut], **READ_ERRORS})
def list_people(request: HttpRequest, query: Query[NameSearchQuery]) -> dict[str, Any]:
    people = Person.objects.order_by("name", "id")
    if query.q:
        people = people.filter(name__icontains=query.q)
    rows, envelope = paginate(people, query)
    return {**envelope, "items": [person_summary(person) for person in rows]}


@router.get("/people/{slug}", response={200: PersonDetailOut, **READ_ERRORS})
def get_person(request: HttpRequest, slug: str) -> dict[str, Any]:
    """A person with their life dates and every credit, by film title."""
    person = get_or_404(
        Person.objects.prefetch_related(
            Prefetch("credits", queryset=Credit.objects.select_related("film", "character").order_by("film__title"))
        ),
        field="slug",
        message=f"no person with slug {slug!r}",
        slug=slug,
    )
    return {
        **person_summary(person),
        "life_span": person.life_span,
        "bio": person.bio,
        "imdb_id": person.imdb_id or None,
        "credits": [
            {
                "film": film_ref(c.film),
                "role": c.role,
                "character": character_ref(c.character),
                "billing_order": c.billing_order,
                "note": c.note,
            }
            for c in person.credits.all()
        ],
    }
