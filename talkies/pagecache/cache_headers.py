"""What caches in front of Talkies (a CDN, nginx's proxy_cache, the browser) may keep, said by Django.

Every response of a route the fast path stores (the thread API's pages and routes.STORED_ROUTES) says it
in Cache-Control, decided here, in Django, so that a stored page and Django's own answer carry the same
header:

- to a request without credentials or personal cookies, a 200 without Set-Cookie is the page everyone
  gets: `public`, revalidated by browsers on every view (`max-age=0`, answered by a 304 when the ETag still
  matches) and kept by shared caches for a few seconds (`s-maxage`), so a burst of readers behind a CDN
  costs one request. `stale-while-revalidate` is said only to CDNs, in `CDN-Cache-Control` (RFC 9213,
  which browsers ignore): in Cache-Control a browser would honour it too, and show a reader who reloads a
  thread the copy from before its latest comments, with the live stream then opened after them;
- to a signed-in reader, a guest or anyone with personal cookies, `private, no-cache`: never kept by a
  shared cache, whatever it makes of Vary.

Both say `Vary: Cookie, Authorization, X-Talkies-Guest-Token`: the same URL is answered per reader when it
carries a credential, and a browser that kept the anonymous answer must not hand it to the same page's
next read made with the reader's token (the embed reads anonymously until a reader signs in or posts).

A new comment therefore reaches readers behind a shared cache within SHARED_MAX_AGE_SECONDS, and readers
talking to Talkies directly at once.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from talkies.lib.cookies import request_is_personal
from talkies.lib.guests import GUEST_TOKEN_HEADER

SHARED_MAX_AGE_SECONDS = 5
STALE_WHILE_REVALIDATE_SECONDS = 30
PUBLIC_CACHE_CONTROL = f"public, max-age=0, s-maxage={SHARED_MAX_AGE_SECONDS}"
PUBLIC_CDN_CACHE_CONTROL = (
    f"public, max-age={SHARED_MAX_AGE_SECONDS}, stale-while-revalidate={STALE_WHILE_REVALIDATE_SECONDS}"
)
PRIVATE_CACHE_CONTROL = "private, no-cache"
# The request headers that make an answer one reader's (request_is_personal): caches key on them.
CREDENTIAL_VARY = ("Cookie", "Authorization", GUEST_TOKEN_HEADER)


def is_stored_route(path: str) -> bool:
    from .fast_path import PAGE_PATH
    from .routes import STORED_ROUTES

    return PAGE_PATH.fullmatch(path) is not None or any(route.path.fullmatch(path) for route in STORED_ROUTES)


class CacheHeadersMiddleware:
    """Says Cache-Control on the stored routes' responses (see the module's docstring). Outermost but for
    security headers, so that it sees the cookies the views and the session set."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD") or "Cache-Control" in response or not is_stored_route(request.path):
            return response
        if request_is_personal(request) or response.cookies:
            response["Cache-Control"] = PRIVATE_CACHE_CONTROL
        elif response.status_code == 200:
            response["Cache-Control"] = PUBLIC_CACHE_CONTROL
            response["CDN-Cache-Control"] = PUBLIC_CDN_CACHE_CONTROL
        else:
            return response
        patch_vary_headers(response, CREDENTIAL_VARY)
        return response
