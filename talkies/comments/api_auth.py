"""Who is writing through the API: a logged-in reader, or a guest proving who they are with a token.

A reader is authenticated by Django's session cookie, and so needs the CSRF check: the browser attaches
that cookie to any request, including one forged by another site. A guest is different. Their token is
sent by the client itself, in the request body or the X-Talkies-Guest-Token header; no browser adds it on
its own, so a page on another site cannot make a guest's browser act as that guest, and there is no
ambient credential for a CSRF token to protect. (The embed keeps the token in the host page's storage.)
A reader signed in to an embed sends a Bearer token in a header, for the same reason free of CSRF too
(accounts.api_auth.LoggedIn); such a request reaches ReaderOrGuest already authenticated.
"""

from typing import Annotated

from django.contrib.auth.models import AnonymousUser
from ninja import Header

from talkies.accounts.actors import Actor
from talkies.accounts.api_auth import LoggedIn, current_site
from talkies.accounts.models import User
from talkies.accounts.requests import SiteRequest
from talkies.lib.errors import ServiceError
from talkies.lib.guests import GUEST_TOKEN_HEADER, guest_key_from_token

# The optional guest token on PATCH, DELETE and vote requests, for the endpoints' signatures.
GuestTokenHeader = Annotated[
    str | None, Header(alias=GUEST_TOKEN_HEADER, description="Guests only: the token from POST /guest-token")
]
# On reads: what the reader may do with each comment (can_edit...) is worked out for the guest it names.
ReaderGuestTokenHeader = Annotated[
    str | None,
    Header(alias=GUEST_TOKEN_HEADER, description="Guests: the token from POST /guest-token, to learn what you may do"),
]


class GuestTokenMissing(ServiceError):
    status_code = 401


class ReaderOrGuest(LoggedIn):
    """LoggedIn, except that on a site taking guest comments a visitor without a session passes too.

    Such a visitor is let through as AnonymousUser; the endpoint then asks for their guest token (see
    writer). A logged-in reader still goes through LoggedIn's CSRF check: holding a session never lets a
    request skip it by presenting a guest token instead.
    """

    def __call__(self, request: SiteRequest) -> User | AnonymousUser:  # type: ignore[override]
        site = request.site
        if not request.user.is_authenticated and site is not None and site.allow_guest_comments:
            return AnonymousUser()
        return super().__call__(request)


def reader(request: SiteRequest, *, guest_token: str | None) -> Actor:
    """Who is reading: the account of the request (request.actor), else the guest whose token came with it,
    else the anonymous actor. A token we did not issue, or issued for another site than the request's, is
    refused, naming `guest_token`."""
    actor = request.actor
    if actor.is_account or not guest_token:
        return actor
    return Actor.guest(guest_key_from_token(guest_token, site_id=current_site(request).pk))


def writer(request: SiteRequest, *, guest_token: str | None, where: str) -> Actor:
    """The Actor behind an authenticated write. `where` tells a guest where the token should have been."""
    actor = reader(request, guest_token=guest_token)
    if not actor.is_identified:
        raise GuestTokenMissing(
            "guest_token",
            f"guest_token is missing: log in, or send your guest token {where} (POST /api/v1/guest-token issues one)",
        )
    return actor
