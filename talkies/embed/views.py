"""GET/POST /embed/login/?site=<slug>&origin=<host page origin>: the sign-in popup of the embed.

The embed runs on another site, where our cookies are third-party and mostly blocked, so it cannot use
the reader's session. It opens this page in a popup instead: a top-level window on our own origin, where
the session cookie works as on any of our pages. A reader who is logged in (or logs in here) gets a page
whose script hands a short-lived reader token to `window.opener` with postMessage, addressed to exactly
the origin the site allows, never '*': if the opener is anything else, the browser drops the message.
An origin the site does not list gets an explanation and no token.
"""

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from talkies.accounts.forms import LimitedAuthenticationForm
from talkies.accounts.models import Site, User

from .models import SsoIdentity
from .page_urls import BadUrl, normalise_origin
from .policy import is_allowed_origin
from .tokens import issue_reader_token, reader_token_max_age

MESSAGE_TYPE = "talkies:login"


@never_cache
@require_http_methods(["GET", "POST"])
def login_popup(request: HttpRequest) -> HttpResponse:
    slug = request.GET.get("site", "")
    site = Site.objects.filter(slug=slug).first()
    if site is None:
        return refuse(request, f"There is no site called “{slug}” here.", status=404)
    raw_origin = request.GET.get("origin", "")
    try:
        origin = normalise_origin(raw_origin)
    except BadUrl:
        origin = ""
    if not is_allowed_origin(site, origin):
        return refuse(
            request,
            f"{raw_origin or 'This page'} is not a site where {site.name} has switched on Talkies, "
            "so it cannot sign you in. If you run that site, add its origin to the embed settings.",
            status=403,
        )

    # The same per-account and per-address sign-in limits as the site's own login page.
    form = LimitedAuthenticationForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        login(request, form.get_user())
    user = request.user
    if not user.is_authenticated:
        context = {"form": form, "site": site, "origin": origin}
        refusal = form.rate_limited
        status = refusal.status_code if refusal is not None else 400 if form.is_bound else 200
        response = popup(render(request, "embed/login_form.html", context, status=status))
        if refusal is not None:
            response["Retry-After"] = str(refusal.retry_after)
        return response
    assert isinstance(user, User)
    if not signs_in_on(user, site):
        return refuse(request, f"This account belongs to another site’s sign-in and cannot be used on {site.name}.")

    message = {
        "type": MESSAGE_TYPE,
        "token": issue_reader_token(user=user, site=site, origin=origin),
        "expires_in": reader_token_max_age(),
        "user": {"username": user.username, "name": user.public_name},
    }
    context = {"site": site, "origin": origin, "message": message}
    return popup(render(request, "embed/login_done.html", context))


def signs_in_on(user: User, site: Site) -> bool:
    """An account made for another site's SSO users acts only there (it has no password, but an admin might)."""
    identity = SsoIdentity.objects.filter(user=user).values_list("site_id", flat=True).first()
    return identity is None or identity == site.pk


def refuse(request: HttpRequest, reason: str, *, status: int = 403) -> HttpResponse:
    return popup(render(request, "embed/login_refused.html", {"reason": reason}, status=status))


def popup(response: HttpResponse) -> HttpResponse:
    # Django sends Cross-Origin-Opener-Policy: same-origin by default, which would cut this window off
    # from the page that opened it (window.opener becomes null), and the token could not be handed back.
    # Only this page relaxes it; SecurityMiddleware leaves a value a view has set.
    response["Cross-Origin-Opener-Policy"] = "unsafe-none"
    return response
