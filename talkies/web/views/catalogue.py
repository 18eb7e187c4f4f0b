"""The catalogue's pages: a film (with its scores and the stories about it), a franchise, a person, a character."""

from django.http import HttpResponse
from django.shortcuts import render

from talkies.accounts.requests import SiteRequest
from talkies.catalogue import selectors as catalogue
from talkies.catalogue.status import film_status
from talkies.scorecard.selectors import film_scorecards

from ..selectors import stories_about_film
from ..structured_data import json_ld_script, movie_json_ld, movie_open_graph
from .common import current_site, today


def film_detail(request: SiteRequest, slug: str) -> HttpResponse:
    site = current_site(request)
    page = catalogue.film_page(slug=slug)
    day = today()
    scores = film_scorecards(site=site, films=[page.film], reader=request.user, today=day)[0]
    context = {
        "page": page,
        "film": page.film,
        "status": film_status(page.film, site.region, day),
        "scores": scores,
        "stories": list(stories_about_film(site=site, film=page.film)),
    }
    url = request.build_absolute_uri(page.film.get_absolute_url())
    context["json_ld"] = json_ld_script(
        movie_json_ld(page=page, scores=scores, url=url, absolute=request.build_absolute_uri)
    )
    context["open_graph"] = movie_open_graph(
        page=page, url=url, absolute=request.build_absolute_uri, site_name=site.name
    )
    return render(request, "web/film_detail.html", context)


def franchise_detail(request: SiteRequest, slug: str) -> HttpResponse:
    page = catalogue.franchise_page(slug=slug, region=current_site(request).region)
    return render(request, "web/franchise_detail.html", {"page": page, "franchise": page.franchise})


def person_detail(request: SiteRequest, slug: str) -> HttpResponse:
    page = catalogue.person_page(slug=slug, region=current_site(request).region)
    return render(request, "web/person_detail.html", {"page": page, "person": page.person})


def character_detail(request: SiteRequest, slug: str) -> HttpResponse:
    page = catalogue.character_page(slug=slug, region=current_site(request).region)
    return render(request, "web/character_detail.html", {"page": page, "character": page.character})
