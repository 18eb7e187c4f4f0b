"""Template helpers for the standalone pages: scores on the site's scale, derived film facts, spoilers."""

import datetime

from django import template
from django.template.backends.utils import csrf_input
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeData, SafeString, mark_safe

from talkies.catalogue.models import Film, ReleaseDate
from talkies.catalogue.status import FilmStatus, film_release_date
from talkies.catalogue.status import film_status as derive_film_status
from talkies.lib.markdown import SPOILER_HTML, strip_spoilers
from talkies.lib.scoring import AudienceScore
from talkies.ratings.models import LIKED_THRESHOLD, RATING_MAX, RATING_MIN
from talkies.web import display
from talkies.web.forms_csrf import TOKEN_FIELD, is_shared_render

register = template.Library()


@register.filter
def on_scale(value: float | None, rating_display: str) -> str:
    return "" if value is None else display.on_scale(value, rating_display)


@register.filter
def normalised_on_scale(value: float | None, rating_display: str) -> str:
    """A critic score normalised to 0–100 (CriticReview.normalised), on the site's scale."""
    return "" if value is None else display.on_scale(float(value) / 10, rating_display)


@register.filter
def scale_max(rating_display: str) -> int:
    return display.scale_max(rating_display)


@register.filter
def rating_label(value: int, rating_display: str) -> str:
    return display.rating_label(value, rating_display)


@register.filter
def rating_badge(value: int, rating_display: str) -> str:
    return display.rating_badge(value, rating_display)


@register.filter
def star_fill(value: float | None) -> int:
    return 0 if value is None else display.star_fill_percent(value)


@register.filter
def percent(share: float | None) -> str:
    return display.percent(share)


@register.filter
def runtime(minutes: int | None) -> str:
    """125 → "2 h 5 min"."""
    if not minutes:
        return ""
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if hours and rest else f"{hours} h" if hours else f"{rest} min"


@register.simple_tag
def rating_values() -> range:
    return range(RATING_MIN, RATING_MAX + 1)


@register.simple_tag
def liked_threshold() -> int:
    return LIKED_THRESHOLD


@register.simple_tag
def histogram(score: AudienceScore, rating_display: str) -> list[display.HistogramBar]:
    return display.histogram_bars(score, rating_display)


@register.simple_tag
def release_date(film: Film, region: str) -> datetime.date | None:
    """The film's release in the site's region (reads prefetched release dates)."""
    return film_release_date(film, region)


@register.simple_tag
def regional_release(film: Film, region: str) -> ReleaseDate | None:
    """The release that film_release_date picks, as a ReleaseDate, so a page can say which region it is."""
    date = film_release_date(film, region)
    candidates = [r for r in film.release_dates.all() if r.date == date]
    return next((r for r in candidates if r.region == region), candidates[0] if candidates else None)


@register.simple_tag
def film_status(film: Film, region: str) -> FilmStatus:
    return derive_film_status(film, region, timezone.localdate())


_SPOILER_WITH_CONTROL = (
    '<span class="spoiler" data-spoiler="">'
    '<label class="spoiler-reveal" title="Show or hide the spoiler">'
    '<input type="checkbox" class="spoiler-switch" aria-label="Spoiler hidden: show it">'
    '<span class="spoiler-text">\\1</span>'
    "</label></span>"
)


@register.filter
def with_spoiler_controls(html: str) -> SafeString:
    """Give each inline spoiler of a sanitised body a show/hide switch that works without JavaScript.

    The spoiler text stays `visibility: hidden` (unreadable, and out of the accessibility tree) until
    its checkbox is ticked; the label around it makes the whole blacked-out box clickable. Only bodies
    the template has explicitly marked safe are trusted; anything else is escaped first.
    """
    if not isinstance(html, SafeData):
        return conditional_escape(html)
    return mark_safe(SPOILER_HTML.sub(_SPOILER_WITH_CONTROL, str(html)))


@register.filter
def without_spoilers(text: str) -> str:
    """Plain text with any >!spoiler!< replaced, for places a reader cannot choose not to see (the head)."""
    return strip_spoilers(str(text))


@register.simple_tag(takes_context=True)
def form_csrf(context: template.Context) -> SafeString:
    """The CSRF field of a form: a real token for a reader's own page, or on a page every reader nobody
    knows shares (web/forms_csrf.py) an empty field that site.js fills from `csrf-token` when the form is
    sent. Use it instead of {% csrf_token %} in any form such a page can show."""
    request = context.get("request")
    if request is not None and not is_shared_render(request):
        return csrf_input(request)
    return format_html(
        '<input type="hidden" name="{}" value="" data-csrf-from="{}">', TOKEN_FIELD, reverse("csrf-token")
    )
