"""The catalogue under /api/v1/: films, franchises and people. Public reads; the catalogue has no API writes.

Every endpoint answers from catalogue.selectors, the reads the pages use, and returns their read models
for the Out schemas to validate: a franchise's page and /api/v1/franchises/{slug} cannot disagree.

A film's detail with its scores is served by the API root (talkies/api.py), because scores come from the
stories and ratings apps, which the catalogue must not import.
"""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from talkies.accounts.api_auth import current_site
from talkies.lib.api import READ_ERRORS, Page, paginate
from talkies.lib.text import Text

from . import selectors
from .schemas import (
    FilmListQuery,
    FilmSummaryOut,
    FranchiseDetailOut,
    FranchiseSummaryOut,
    NameSearchQuery,
    PersonDetailOut,
    PersonSummaryOut,
)

router = Router(tags=["catalogue"])


@router.get("/films", response={200: Page[FilmSummaryOut], **READ_ERRORS})
def list_films(request: HttpRequest, query: Query[FilmListQuery]) -> dict[str, Any]:
    """Films by title, optionally only those matching `q` or belonging to a franchise."""
    region = current_site(request).region
    rows, envelope = paginate(selectors.film_list(q=query.q, franchise=query.franchise), query)
    today = timezone.localdate()
    return {**envelope, "items": [selectors.FilmSummary.of(film, region=region, on=today) for film in rows]}


@router.get("/franchises", response={200: Page[FranchiseSummaryOut], **READ_ERRORS})
def list_franchises(request: HttpRequest, query: Query[NameSearchQuery]) -> dict[str, Any]:
    rows, envelope = paginate(selectors.franchise_list(q=query.q), query)
    return {**envelope, "items": rows}


@router.get("/franchises/{slug}", response={200: FranchiseDetailOut, **READ_ERRORS})
def get_franchise(request: HttpRequest, slug: Text) -> selectors.FranchisePage:
    """The franchise's films (its own and its sub-franchises') in release order and in story order, its
    recurring characters (as its page lists them) and its sub-franchises."""
    return selectors.franchise_page(slug=slug, region=current_site(request).region)


@router.get("/people", response={200: Page[PersonSummaryOut], **READ_ERRORS})
def list_people(request: HttpRequest, query: Query[NameSearchQuery]) -> dict[str, Any]:
    rows, envelope = paginate(selectors.person_list(q=query.q), query)
    return {**envelope, "items": rows}


@router.get("/people/{slug}", response={200: PersonDetailOut, **READ_ERRORS})
def get_person(request: HttpRequest, slug: Text) -> selectors.PersonPage:
    """A person with their life dates and every credit, grouped by role as their page shows them, newest
    film first within each role."""
    return selectors.person_page(slug=slug, region=current_site(request).region)
