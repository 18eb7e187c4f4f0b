"""Who is asking the API: a reader logged in by session or by an embed's Bearer token, and the current site.

Ground-floor auth every app's router uses (talkies.lib.api holds the app-free Ninja helpers).
"""

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie
from ninja.utils import check_csrf

from talkies.lib.errors import NotFound

from .models import Site, User

# Set on a request whose user was established from a credential in a header its client's own code added
# (the embed's Bearer token, talkies.embed.middleware), not from the session cookie.
AUTHENTICATED_BY_HEADER = "talkies_authenticated_by_header"


def mark_authenticated_by_header(request: HttpRequest) -> None:
    setattr(request, AUTHENTICATED_BY_HEADER, True)


def is_authenticated_by_header(request: HttpRequest) -> bool:
    return getattr(request, AUTHENTICATED_BY_HEADER, False) is True


class LoggedIn(APIKeyCookie):
    """A reader logged in with Django's session cookie, on a request that passes Django's CSRF check;
    or a reader known by an embed's Bearer token (see is_authenticated_by_header), which needs no CSRF check.

    Ninja's own SessionAuth checks CSRF before it looks at the session, so a visitor who is not logged in
    hears about a missing CSRF token rather than that they need to log in. This asks the question a
    reader can act on first, and names what the login is for: `LoggedIn("rate films")` refuses with
    401 "log in to rate films".

    It raises instead of returning None so the message reaches the client. A raise here ends Ninja's search
    for a credential, so an operation that also takes a site's API key (talkies.embed.api.SiteApiKey) must
    list that auth before this one.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self, action: str) -> None:
        self.action = action
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> User:
        if not request.user.is_authenticated:
            raise AuthenticationError(401, f"log in to {self.action}")
        # CSRF is an attack on credentials the browser attaches by itself. A reader known by a header
        # (Authorization: Bearer) was authenticated by something only the client's own script could have
        # sent: a forged cross-site request cannot carry it, so there is nothing for a CSRF token to prove.
        # The session is not consulted on such a request at all (the header's user replaced it).
        if is_authenticated_by_header(request):
            return self.authenticate(request, None)
        # A session cookie rides along with any request the browser makes, including one forged by
        # another site; the CSRF token is what proves this request came from a page we served.
        if check_csrf(request) is not None:
            raise HttpError(
                403, "CSRF check failed: send the csrf_token from GET /api/v1/session in an X-CSRFToken header"
            )
        return self.authenticate(request, None)

    def authenticate(self, request: HttpRequest, key: str | None) -> User:
        user = request.user
        if not isinstance(user, User):  # __call__ let only a signed-in reader through
            raise AuthenticationError(401, f"log in to {self.action}")
        return user


def current_site(request: HttpRequest) -> Site:
    """The publication this request is for (set by CurrentSiteMiddleware from the host name)."""
    site: Site | None = getattr(request, "site", None)
    if site is None:
        raise NotFound("site", "no publication is set up on this installation yet: create a Site in the admin")
    return site
