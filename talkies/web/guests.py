"""Guests on our own pages: an identity kept in a cookie by the guest's browser, never an IP address.

Where a site takes guest comments, a visitor's first comment issues a guest token (talkies.lib.guests) and
the response keeps it in the `talkies_guest` cookie. On later requests accounts.middleware turns the cookie
back into the guest (request.actor) whose guest_key the services compare with the one stored on the
guest's comments and votes.

The cookie is HttpOnly because no script of ours needs it, and a script that got into a page must not be
able to carry the guest's identity away. Unlike the API's guest token, which the client's own code adds to
a request, a cookie is attached by the browser to any request, including one another site forges: that is
why it is SameSite=Lax and why every form that writes with it carries the CSRF token, as for accounts.

The name a guest last posted under is kept in a second cookie, only to fill in the form next time.
"""

from urllib.parse import quote, unquote

from django.http import HttpResponse

from talkies.accounts.actors import Actor
from talkies.accounts.models import Site
from talkies.accounts.requests import SiteRequest
from talkies.lib.cookies import GUEST_NAME_COOKIE
from talkies.lib.guests import GUEST_COOKIE, guest_key_from_token, new_guest_token

# Losing the cookie means losing the right to edit one's comments, so it outlives any one visit.
GUEST_COOKIE_MAX_AGE = 365 * 24 * 60 * 60

__all__ = [
    "GUEST_COOKIE",
    "GUEST_NAME_COOKIE",
    "actor_for_new_comment",
    "guests_welcome",
    "remember_guest",
    "remembered_name",
]


def guests_welcome(request: SiteRequest, site: Site) -> bool:
    """Whether this reader would post as a guest: not logged in, on a site that takes guest comments."""
    return not request.actor.is_account and site.allow_guest_comments


def actor_for_new_comment(request: SiteRequest) -> tuple[Actor, str]:
    """The author of a new comment, and the new token to keep when this is a guest's first comment.

    For a logged-in reader, or where the site takes guests. Minting is not limited per address here as
    POST /guest-token is: on a page a token only ever comes with a comment, and comments are limited per
    address already.
    """
    actor = request.actor  # the account, or the guest this browser's cookie names (accounts.middleware)
    if actor.is_identified:
        return actor, ""
    site = request.site
    assert site is not None  # a page with a comment form is always some site's
    token = new_guest_token(site_id=site.pk)
    return Actor.guest(guest_key_from_token(token, site_id=site.pk)), token


def remembered_name(request: SiteRequest) -> str:
    return unquote(request.COOKIES.get(GUEST_NAME_COOKIE, ""))


def remember_guest(request: SiteRequest, response: HttpResponse, *, token: str, name: str) -> None:
    """Keep a newly issued `token` (if any) and the name the guest posted under (as stored) in their browser."""
    if token:
        _keep(request, response, GUEST_COOKIE, token)
    if name != remembered_name(request):
        # Quoted because a name may hold any character and a cookie value only a few.
        _keep(request, response, GUEST_NAME_COOKIE, quote(name, safe=""))


def _keep(request: SiteRequest, response: HttpResponse, cookie: str, value: str) -> None:
    response.set_cookie(
        cookie,
        value,
        max_age=GUEST_COOKIE_MAX_AGE,
        path="/",
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
