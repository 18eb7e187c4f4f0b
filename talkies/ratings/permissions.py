import datetime

from django.contrib.auth.models import AnonymousUser

from talkies.accounts.models import Site, User
from talkies.catalogue.models import Film
from talkies.catalogue.status import film_release_date, is_released


def rating_opens_on(*, site: Site, film: Film) -> datetime.date | None:
    """The day readers of `site` may first rate `film`, when it has one: None when the site lets readers rate
    before release, and also when the film has no announced release date (rating_refusal tells those apart)."""
    if site.allow_early_rating:
        return None
    return film_release_date(film, site.region)


def rating_refusal(*, site: Site, film: Film, today: datetime.date) -> str | None:
    """Why readers of `site` may not rate `film` yet (a sentence for the reader), or None when they may."""
    if site.allow_early_rating or is_released(film, site.region, today):
        return None
    opens = film_release_date(film, site.region)
    if opens is None:
        return f"{film.title} has no announced release date: rating opens when it is released"
    return f"rating opens on {opens:%-d %B %Y}, when {film.title} is released"


def can_rate_film(user: User | AnonymousUser, *, site: Site, film: Film, today: datetime.date) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return rating_refusal(site=site, film=film, today=today) is None
