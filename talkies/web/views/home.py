from django.http import HttpResponse
from django.shortcuts import render

from talkies.accounts.requests import SiteRequest
from talkies.catalogue import selectors as catalogue

from ..selectors import latest_stories
from .common import current_site, today


def home(request: SiteRequest) -> HttpResponse:
    site = current_site(request)
    day = today()
    in_theatres = catalogue.films_in_theatres(region=site.region, today=day)
    franchises = [
        (franchise, catalogue.franchise_films(franchise, region=site.region))
        for franchise in catalogue.root_franchises()
    ]
    return render(
        request,
        "web/home.html",
        {
            "stories": latest_stories(site=site),
            "in_theatres": in_theatres,
            # Only needed when nothing is showing, so only asked for then.
            "recent_releases": [] if in_theatres else catalogue.recent_releases(region=site.region, today=day),
            "franchises": franchises,
        },
    )
