from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from talkies.lib.guests import GUEST_COOKIE, guest_key_from_cookie

from .actors import ANONYMOUS, Actor
from .api_auth import is_authenticated_by_header
from .requests import SiteRequest
from .selectors import site_for_host

# Requests to these paths are the API's: a guest proves who they are there with the token their client
# sends (talkies.comments.api_auth), never with the cookie a browser attaches by itself.
API_PATH_PREFIX = "/api/"


class CurrentSiteMiddleware:
    """Attach the publication this request is for as `request.site` (by host, else the default site)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: SiteRequest) -> HttpResponse:
        request.site = site_for_host(request.get_host().split(":")[0])
        return self.get_response(request)


class ActorMiddleware:
    """Attach who is acting as `request.actor` (accounts.actors.Actor), worked out on first use.

    Lazily, because most requests never ask, and asking reads the session: a response that read it says
    `Vary: Cookie`, which would stop the thread page's fast path from sharing it. For the same reason a
    request without a session cookie is anonymous without the session being opened at all.

    Goes after AuthenticationMiddleware and the site middlewares; the Bearer token middleware may replace
    request.user later, which the lazy actor sees, since it is resolved only when first read.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: SiteRequest) -> HttpResponse:
        request.actor = cast(Actor, SimpleLazyObject(lambda: actor_for_request(request)))
        return self.get_response(request)


def actor_for_request(request: SiteRequest) -> Actor:
    """The account signed in (by session or by header); else, on our own pages of a site that takes guests,
    the guest whose cookie this browser holds; else the anonymous actor."""
    if is_authenticated_by_header(request) or settings.SESSION_COOKIE_NAME in request.COOKIES:
        actor = Actor.of(request.user)
        if actor.is_account:
            return actor
    site = request.site
    if site is None or not site.allow_guest_comments or request.path_info.startswith(API_PATH_PREFIX):
        return ANONYMOUS
    return Actor.guest(guest_key_from_cookie(request.COOKIES.get(GUEST_COOKIE, ""), site_id=site.pk))
