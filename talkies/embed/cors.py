"""Cross-origin access for the embed, per endpoint and per site.

Only the endpoints the embed calls (EMBED_ENDPOINTS) answer cross-origin requests, and only from the
origins the request's site allows. Such a request gets `Access-Control-Allow-Origin: <its origin>`;
never `*`, and never `Access-Control-Allow-Credentials`: the embed authenticates with a Bearer token in
a header, so no browser ever has a reason to attach our cookies to a request from another site, and a
response that allowed it would let any allowed origin act with a reader's session.

A response to a request that carries an Origin header says `Vary: Origin`, so no cache hands one
origin's answer to another. A response to a request without one does not: it is the same for every
client, and the thread-page fast path (pagecache.fast_path) stores only such responses, serving them to
requests without an Origin and passing every request with one to Django, hence through this middleware.
"""

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_vary_headers

from talkies.accounts.models import Site

from .policy import is_allowed_origin

# Idempotency-Key: what every embed write carries (talkies/lib/idempotency.py).
# Last-Event-ID: what EventSource sends when it reconnects to a live stream, in case a browser preflights it.
ALLOWED_HEADERS = "Authorization, Content-Type, X-Talkies-Guest-Token, Idempotency-Key, Last-Event-ID"
EXPOSED_HEADERS = "Retry-After"
PREFLIGHT_MAX_AGE = "600"

_ID = r"[0-9]+"
_SLUG = r"[-a-zA-Z0-9_]+"
# (path, methods) of every endpoint the embed may call from another origin: docs/embedding-api.md §7.
EMBED_ENDPOINTS: list[tuple[re.Pattern[str], frozenset[str]]] = [
    (re.compile(pattern), frozenset(methods.split()))
    for pattern, methods in [
        (r"/api/v1/embed/threads", "GET POST"),
        (r"/api/v1/embed/(counts|session)", "GET"),
        (r"/api/v1/embed/sso", "POST"),
        (rf"/api/v1/threads/{_ID}", "GET"),
        (rf"/api/v1/threads/{_ID}/comments", "GET POST"),
        (rf"/api/v1/threads/{_ID}/spoiler-check", "POST"),
        (rf"/api/v1/comments/{_ID}/(replies|context)", "GET"),
        (rf"/api/v1/comments/{_ID}", "PATCH DELETE"),
        (rf"/api/v1/comments/{_ID}/(vote|report)", "POST"),
        (r"/api/v1/guest-token", "POST"),
        (rf"/api/v1/films/{_SLUG}/rating", "GET PUT DELETE"),
        (rf"/api/v1/films/{_SLUG}(/scores)?", "GET"),
        (r"/api/v1/counts", "GET"),
        (rf"/live/threads/{_ID}/", "GET"),
    ]
]


def embed_methods(path: str) -> frozenset[str]:
    """The methods the embed may use cross-origin on `path`; empty for every other path."""
    for pattern, methods in EMBED_ENDPOINTS:
        if pattern.fullmatch(path):
            return methods
    return frozenset()


def cors_headers(origin: str) -> dict[str, str]:
    return {"Access-Control-Allow-Origin": origin, "Access-Control-Expose-Headers": EXPOSED_HEADERS}


def origin_headers(site: Site, origin: str, path: str) -> list[tuple[bytes, bytes]] | None:
    """The CORS headers EmbedCorsMiddleware gives the answer to a GET of `path` from `origin` on `site`
    (none for an origin the site does not allow), as raw ASGI headers: what the fast path adds to a stored
    page (with Vary: Origin, which every such request gets). None when `path` is not an endpoint the embed
    may read cross-origin, which the middleware leaves alone: Django must answer that request itself.
    Blocking: it may read the site's embed settings."""
    if "GET" not in embed_methods(path):
        return None
    if not is_allowed_origin(site, origin):
        return []
    return [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in cors_headers(origin).items()]


class EmbedCorsMiddleware:
    """Answers the embed's preflights and marks its responses for the origins the site allows.

    Runs after the site is known (CurrentSiteMiddleware, then SiteParameterMiddleware), and outside the
    Bearer token check so that its refusals reach the embed readable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        methods = embed_methods(request.path_info)
        if not methods:
            return self.get_response(request)
        origin = request.headers.get("Origin")
        site = getattr(request, "site", None)
        allowed = origin is not None and site is not None and is_allowed_origin(site, origin)
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            return self.preflight(request, methods, origin if allowed else None)
        response = self.get_response(request)
        if origin is not None:
            patch_vary_headers(response, ["Origin"])
        if allowed:
            assert origin is not None
            for name, value in cors_headers(origin).items():
                response[name] = value
        return response

    def preflight(self, request: HttpRequest, methods: frozenset[str], origin: str | None) -> HttpResponse:
        wanted = request.headers["Access-Control-Request-Method"].upper()
        if origin is None or wanted not in methods:
            # No CORS header, so the browser will not send the request; the body is for whoever debugs it.
            response: HttpResponse = JsonResponse(
                {"error": "this origin may not call this endpoint from a browser", "field": "origin"}, status=403
            )
        else:
            response = HttpResponse(status=204)
            for name, value in cors_headers(origin).items():
                response[name] = value
            response["Access-Control-Allow-Methods"] = ", ".join(sorted(methods))
            response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
        patch_vary_headers(response, ["Origin"])
        return response
