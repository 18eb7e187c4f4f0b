"""What the API says about films, people and franchises. Shared by every app that names a film."""

import datetime
from typing import Any

from ninja import Field, Schema

from talkies.lib.api import PageQuery
from talkies.lib.text import Text


class FilmRef(Schema):
    slug: str
    title: str


class PersonRef(Schema):
    slug: str
    name: str


class CharacterRef(Schema):
    slug: str
    name: str


class CompanyOut(Schema):
    slug: str
    name: str


class FranchiseRef(Schema):
    slug: str
    name: str
    kind: str = Field(description="franchise, or universe for a shared universe of franchises")


class FilmStatusOut(Schema):
    code: str = Field(description="unreleased, coming-soon, in-theatres, at-home or released")
    label: str = Field(description='For people: "Now in theatres", "Coming 6 June 2025"…')
    release_date: datetime.date | None


class FilmTitleOut(Schema):
    title: str
    kind: str = Field(description="original, marketing, regional, working or alternative")
    region: str = Field(description="ISO 3166 country, or empty for everywhere")


class ReleaseDateOut(Schema):
    region: str
    kind: str = Field(description="premiere, festival, theatrical, digital, physical or tv")
    date: datetime.date
    note: str


class ExternalIdsOut(Schema):
    imdb: str | None
    tmdb: str | None
    wikidata: str | None


class FilmCreditOut(Schema):
    person: PersonRef
    role: str
    character: CharacterRef | None
    billing_order: int = Field(description="1 is top billing")
    note: str


class FilmFranchiseEntryOut(Schema):
    franchise: FranchiseRef
    release_order: int
    chronology_order: float = Field(description="Place in the universe's own timeline; 3.5 sits between 3 and 4")
    chronology_note: str
    is_spinoff: bool


class FilmSummaryOut(Schema):
    slug: str
    title: str
    release_date: datetime.date | None = Field(description="In the site's region, else the first anywhere")
    status: FilmStatusOut
    runtime_minutes: int | None


class FilmDetailOut(FilmSummaryOut):
    marketing_title: str | None
    titles: list[FilmTitleOut]
    release_dates: list[ReleaseDateOut]
    synopsis: str
    studios: list[CompanyOut]
    external_ids: ExternalIdsOut
    credits: list[FilmCreditOut]
    franchises: list[FilmFranchiseEntryOut]


class FilmListQuery(PageQuery):
    q: Text = Field("", max_length=200, description="Words in the title or any alternative title")
    franchise: Text | None = Field(None, description="A franchise's slug: only its films")


class FranchiseSummaryOut(FranchiseRef):
    parent: FranchiseRef | None
    film_count: int


class FranchiseEntryOut(Schema):
    film: FilmRef
    release_date: datetime.date | None
    release_order: int
    chronology_order: float
    chronology_note: str = Field(description='e.g. "during the events of Chapter 3"')
    is_spinoff: bool


class RecurringCharacterOut(CharacterRef):
    films: list[FilmRef] = Field(description="This franchise's films the character appears in, in release order")
    played_by: list[PersonRef] = Field(description="Who played the character, in order of first appearance")


class FranchiseDetailOut(FranchiseRef):
    description: str
    parent: FranchiseRef | None
    children: list[FranchiseRef]
    films_in_release_order: list[FranchiseEntryOut]
    films_in_chronology_order: list[FranchiseEntryOut]
    characters: list[RecurringCharacterOut] = Field(
        description="Characters filed under the franchise or a sub-franchise, or acted in two or more of its "
        "films; those in the most films first, then by name"
    )


class PersonSummaryOut(PersonRef):
    birth_date: datetime.date | None
    death_date: datetime.date | None


class PersonCreditOut(Schema):
    film: FilmRef
    role: str
    character: CharacterRef | None
    billing_order: int
    note: str


class PersonDetailOut(PersonSummaryOut):
    life_span: str = Field(description='"1962–2023" for someone who has died, else empty')
    bio: str
    imdb_id: str | None
    credits: list[PersonCreditOut] = Field(description="Grouped by role (actor first), newest film first in each")

    @staticmethod
    def resolve_imdb_id(page: Any) -> str | None:
        return page.person.imdb_id or None


class NameSearchQuery(PageQuery):
    q: Text = Field("", max_length=200, description="Words in the name")
