"""A film's status ("coming soon", "in theatres", "streaming") derived from its release dates.

Status is never stored: a stored flag goes stale the day a film leaves theatres, dates do not.
"""

import datetime
from dataclasses import dataclass

from .models import Film, ReleaseDate

# Films are "in theatres" from their theatrical date until they reach home release, or for this long
# when no home release is known (the usual exclusive window, rounded up).
THEATRICAL_RUN = datetime.timedelta(days=90)
HOME_KINDS = (ReleaseDate.Kind.DIGITAL, ReleaseDate.Kind.PHYSICAL, ReleaseDate.Kind.TV)


@dataclass(frozen=True)
class FilmStatus:
    code: str  # "unreleased" | "coming-soon" | "in-theatres" | "at-home" | "released"
    label: str
    release_date: datetime.date | None


def _dates_for_region(film: Film, region: str) -> list[ReleaseDate]:
    # Reads the prefetched release dates when the caller used prefetch_related("release_dates").
    dates = list(film.release_dates.all())
    regional = [d for d in dates if d.region == region]
    return sorted(regional or dates, key=lambda d: d.date)


def film_release_date(film: Film, region: str) -> datetime.date | None:
    """The film's theatrical release in `region` (else its first release anywhere)."""
    dates = _dates_for_region(film, region)
    theatrical = [d for d in dates if d.kind == ReleaseDate.Kind.THEATRICAL]
    chosen = theatrical or dates
    return chosen[0].date if chosen else None


def is_released(film: Film, region: str, today: datetime.date) -> bool:
    """Whether `film` is out in `region` by `today`. A film with no announced release date is not out yet:
    its status is "unreleased", and nobody can have seen it."""
    released = film_release_date(film, region)
    return released is not None and today >= released


def film_status(film: Film, region: str, today: datetime.date) -> FilmStatus:
    dates = _dates_for_region(film, region)
    theatrical = next((d.date for d in dates if d.kind == ReleaseDate.Kind.THEATRICAL), None)
    home = next((d.date for d in dates if d.kind in HOME_KINDS), None)
    first = theatrical or (dates[0].date if dates else None)
    if first is None:
        return FilmStatus("unreleased", "Release date to be announced", None)
    if today < first:
        return FilmStatus("coming-soon", f"Coming {first:%-d %B %Y}", first)
    if home is not None and today >= home:
        return FilmStatus("at-home", "Streaming and on home video", first)
    if theatrical is not None and today < theatrical + THEATRICAL_RUN:
        return FilmStatus("in-theatres", "Now in theatres", first)
    return FilmStatus("released", f"Released {first:%-d %B %Y}", first)
