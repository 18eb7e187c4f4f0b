import datetime

from django.contrib.auth.models import AnonymousUser

from talkies.accounts.models import Site, User
from talkies.catalogue.models import Film
from talkies.catalogue.status import film_release_date


def rating_opens_on(*, site: Site, film: Film) -> datetime.date | None:
    """The first day readers of `site` may rate `film`; None means they may rate it now."""
    if site.allow_early_rating:
        return None
    return film_release_date(film, site.region)


def can_rate_film(user: User | AnonymousUser, *, site: Site, film: Film, today: datetime.date) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    opens = rating_opens_on(site=site, film=film)
    return opens is None or today >= opens
