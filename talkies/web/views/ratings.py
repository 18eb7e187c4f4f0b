"""A reader rates a film, or withdraws their rating, from any page that shows it."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from talkies.accounts.requests import SiteRequest
from talkies.catalogue.models import Film
from talkies.lib.errors import ServiceError
from talkies.lib.ratelimit import RateLimited, enforce_rate_limit
from talkies.ratings.services import rating_remove, rating_set

from ..display import rating_label
from ..forms import RatingForm
from .common import current_site, safe_next


def _film_for_rating(request: SiteRequest, slug: str) -> tuple[Film, str]:
    film = get_object_or_404(Film.objects.prefetch_related("release_dates"), slug=slug)
    return film, safe_next(request, film.get_absolute_url())


@require_POST
def film_rate(request: SiteRequest, slug: str) -> HttpResponse:
    film, back = _film_for_rating(request, slug)
    user = request.actor.user
    if user is None:
        return redirect_to_login(back)
    site = current_site(request)
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Your rating was not saved: {form.errors['value'][0]}.")
    else:
        value = form.cleaned_data["value"]
        try:
            enforce_rate_limit(request, "rating", actor=request.actor.rate_key, field="value")
            rating_set(site=site, film=film, user=user, value=value)
        except ServiceError as error:
            messages.error(request, f"Your rating was not saved: {error.message}.")
        else:
            messages.success(request, f"You rated {film.title} {rating_label(value, site.rating_display)}.")
    return redirect(f"{back}#rate-{film.slug}")


@require_POST
def film_rating_remove(request: SiteRequest, slug: str) -> HttpResponse:
    film, back = _film_for_rating(request, slug)
    user = request.actor.user
    if user is None:
        return redirect_to_login(back)
    try:
        enforce_rate_limit(request, "rating", actor=request.actor.rate_key, field="value")
    except RateLimited as error:
        messages.error(request, f"Your rating was not removed: {error.message}.")
    else:
        if rating_remove(site=current_site(request), film=film, user=user):
            messages.success(request, f"Your rating of {film.title} was removed.")
        else:
            messages.info(request, f"You had not rated {film.title}.")
    return redirect(f"{back}#rate-{film.slug}")
