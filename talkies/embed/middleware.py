"""Two request steps for embedded use: which site a request is for, and who a Bearer token says is asking.

Order in MIDDLEWARE: CurrentSiteMiddleware, SiteParameterMiddleware, EmbedCorsMiddleware,
BearerTokenMiddleware.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from talkies.accounts.api_auth import mark_authenticated_by_header
from talkies.accounts.models import User
from talkies.accounts.requests import SiteRequest
from talkies.accounts.selectors import site_for_slug
from talkies.lib.text import unstorable_text_problem

from .page_urls import BadUrl, normalise_origin
from .policy import is_allowed_origin
from .tokens import BadToken, grant_still_valid, read_reader_token

# The embed's paths: the JSON API and the live streams. Pages keep choosing their site by host name.
EMBED_PATH_PREFIXES = ("/api/v1/", "/live/")


def error(status: int, message: str, field: str) -> JsonResponse:
    """The API's error shape, for refusals made before a request reaches the API."""
    return JsonResponse({"error": message, "field": field}, status=status)


class SiteParameterMiddleware:
    """`?site=<slug>` picks the site of an API or live-stream request, instead of the host name.

    The embed needs it: its requests all go to the Talkies host, whichever publication's page they come
    from. Choosing the site this way grants nothing the host name did not: reads are public, every write
    is authorised against the chosen site (roles, tokens and keys are per site), and a reader token is
    accepted only for the site it was issued for.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: SiteRequest) -> HttpResponse:
        slug = request.GET.get("site")
        if slug and request.path_info.startswith(EMBED_PATH_PREFIXES):
            # Checked here, before the API's own validation of ?site=, because the lookup comes first.
            if problem := unstorable_text_problem(slug):
                return error(400, f"site {problem}", "site")
            site = site_for_slug(slug)
            if site is None:
                return error(404, f"no site {slug!r} on this installation", "site")
            request.site = site
        return self.get_response(request)


def bearer_token(request: HttpRequest) -> str | None:
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else None


class BearerTokenMiddleware:
    """`Authorization: Bearer <reader token>` on an API request makes its reader the request's user.

    The token (talkies.embed.tokens) works only for the site it was issued for, only from the page origin
    it was issued to (the browser-set Origin header must equal it), and only until it lapses or the
    reader's password changes. A presented token that fails any of those is a 401 naming
    `authorization`, rather than a quiet fall-back to the session: the embed must learn to sign in again.

    The user is marked as authenticated by a header (accounts.api_auth.mark_authenticated_by_header), which is
    what lets the API skip the CSRF check for such requests.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: SiteRequest) -> HttpResponse:
        token = bearer_token(request) if request.path_info.startswith("/api/v1/") else None
        if token is None:
            return self.get_response(request)
        try:
            user = self.reader(request, token)
        except BadToken as e:
            return error(401, str(e), "authorization")
        request.user = user
        mark_authenticated_by_header(request)
        return self.get_response(request)

    def reader(self, request: SiteRequest, token: str) -> User:
        grant = read_reader_token(token)
        site = request.site
        if site is None or grant.site_id != site.pk:
            raise BadToken("the sign-in token is for another site: sign in on this one")
        try:
            origin = normalise_origin(request.headers.get("Origin", ""))
        except BadUrl:
            origin = None
        if origin != grant.origin:
            raise BadToken("the sign-in token was issued to another page origin: sign in again from this page")
        if not is_allowed_origin(site, origin):
            raise BadToken(f"{origin} may no longer embed {site.name}")
        user = User.objects.filter(pk=grant.user_id, is_active=True).first()
        if user is None or not grant_still_valid(grant, user):
            raise BadToken("the sign-in token is no longer valid: sign in again")
        return user
