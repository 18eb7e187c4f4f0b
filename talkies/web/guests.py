"""Guests on our own pages: an identity kept in a cookie by the guest's browser, never an IP address.

Where a site takes guest comments, a visitor's first comment issues a guest token (talkies.lib.guests) and
the response keeps it in the `talkies_guest` cookie. Later posts, edits, removals and votes turn the cookie
back into the guest_key that the services compare with the one stored on the guest's comments and votes.

The cookie is HttpOnly because no script of ours needs it, and a script that got into a page must not be
able to carry the guest's identity away. Unlike the API's guest token, which the client's own code adds to
a request, a cookie is attached by the browser to any request, including one another site forges: that is
why it is SameSite=Lax and why every form that writes with it carries the CSRF token, as for accounts.

The name a guest last posted under is kept in a second cookie, only to fill in the form next time.
"""

from urllib.parse import quote, unquote

from django.http import HttpRequest, HttpResponse

from talkies.accounts.models import Site, User
from talkies.comments.api_auth import Writer
from talkies.lib.errors import ServiceError
from talkies.lib.guests import guest_key_from_token, new_guest_token

GUEST_COOKIE = "talkies_guest"
GUEST_NAME_COOKIE = "talkies_guest_name"
# Losing the cookie means losing the right to edit one's comments, so it outlives any one visit.
GUEST_COOKIE_MAX_AGE = 365 * 24 * 60 * 60


def guests_welcome(request: HttpRequest, site: Site) -> bool:
    """Whether this reader would post as a guest: not logged in, on a site that takes guest comments."""
    return not request.user.is_authenticated and site.allow_guest_comments


def page_writer(request: HttpRequest, site: Site) -> Writer | None:
    """Who is writing: the logged-in account, else the guest whose cookie this browser holds where the
    site takes guests, else nobody we know (None)."""
    user = request.user
    if isinstance(user, User) and user.is_authenticated:
        return Writer(user=user)
    if not site.allow_guest_comments:
        return None
    key = guest_key(request)
    return Writer(user=None, guest_key=key) if key else None


def writer_for_new_comment(request: HttpRequest, site: Site) -> tuple[Writer, str]:
    """The Writer of a new comment, and the new token to keep when this is a guest's first comment.

    For a logged-in reader, or where the site takes guests. Minting is not limited per address here as
    POST /guest-token is: on a page a token only ever comes with a comment, and comments are limited per
    address already.
    """
    writer = page_writer(request, site)
    if writer is not None:
        return writer, ""
    token = new_guest_token()
    return Writer(user=None, guest_key=guest_key_from_token(token)), token


def guest_key(request: HttpRequest) -> str:
    """The guest_key of this browser's guest cookie, or "" for none.

    A cookie we did not issue (forged, tampered with, or signed before SECRET_KEY changed) counts as no
    identity at all: the guest's next comment issues a new one rather than failing.
    """
    token = request.COOKIES.get(GUEST_COOKIE, "")
    if not token:
        return ""
    try:
        return guest_key_from_token(token)
    except ServiceError:
        return ""


def remembered_name(request: HttpRequest) -> str:
    return unquote(request.COOKIES.get(GUEST_NAME_COOKIE, ""))


def remember_guest(request: HttpRequest, response: HttpResponse, *, token: str, name: str) -> None:
    """Keep a newly issued `token` (if any) and the name the guest posted under (as stored) in their browser."""
    if token:
        _keep(request, response, GUEST_COOKIE, token)
    if name != remembered_name(request):
        # Quoted because a name may hold any character and a cookie value only a few.
        _keep(request, response, GUEST_NAME_COOKIE, quote(name, safe=""))


def _keep(request: HttpRequest, response: HttpResponse, cookie: str, value: str) -> None:
    response.set_cookie(
        cookie,
        value,
        max_age=GUEST_COOKIE_MAX_AGE,
        path="/",
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
