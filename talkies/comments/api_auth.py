"""Who is writing through the API: a logged-in reader, or a guest proving who they are with a token.

A reader is authenticated by Django's session cookie, and so needs the CSRF check: the browser attaches
that cookie to any request, including one forged by another site. A guest is different. Their token is
sent by the client itself, in the request body or the X-Talkies-Guest-Token header; no browser adds it on
its own, so a page on another site cannot make a guest's browser act as that guest, and there is no
ambient credential for a CSRF token to protect. (The embed keeps the token in the host page's storage.)
A reader signed in to an embed sends a Bearer token in a header, for the same reason free of CSRF too
(accounts.api_auth.LoggedIn); such a request reaches ReaderOrGuest already authenticated.
"""

from dataclasses import dataclass
from typing import Annotated

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja import Header

from talkies.accounts.api_auth import LoggedIn
from talkies.accounts.models import User
from talkies.lib.errors import ServiceError
from talkies.lib.guests import guest_key_from_token
from talkies.lib.ratelimit import actor_key

GUEST_TOKEN_HEADER = "X-Talkies-Guest-Token"
# The optional guest token on PATCH, DELETE and vote requests, for the endpoints' signatures.
GuestTokenHeader = Annotated[
    str | None, Header(alias=GUEST_TOKEN_HEADER, description="Guests only: the token from POST /guest-token")
]


class GuestTokenMissing(ServiceError):
    status_code = 401


@dataclass(frozen=True)
class Writer:
    """The account writing (`user`), or a guest (user None) known by the hash of their token's secret."""

    user: User | None
    guest_key: str = ""

    @property
    def rate_key(self) -> str | None:
        return actor_key(user_id=self.user.pk if self.user else None, guest_key=self.guest_key)


class ReaderOrGuest(LoggedIn):
    """LoggedIn, except that on a site taking guest comments a visitor without a session passes too.

    Such a visitor is let through as AnonymousUser; the endpoint then asks for their guest token (see
    writer). A logged-in reader still goes through LoggedIn's CSRF check: holding a session never lets a
    request skip it by presenting a guest token instead.
    """

    def __call__(self, request: HttpRequest) -> User | AnonymousUser:  # type: ignore[override]
        site = getattr(request, "site", None)
        if not request.user.is_authenticated and site is not None and site.allow_guest_comments:
            return AnonymousUser()
        return super().__call__(request)


def writer(request: HttpRequest, *, guest_token: str | None, where: str) -> Writer:
    """The Writer behind an authenticated request. `where` tells a guest where the token should have been."""
    auth = getattr(request, "auth", None)
    if isinstance(auth, User) and auth.is_authenticated:
        return Writer(user=auth)
    if not guest_token:
        raise GuestTokenMissing(
            "guest_token",
            f"guest_token is missing: log in, or send your guest token {where} (POST /api/v1/guest-token issues one)",
        )
    return Writer(user=None, guest_key=guest_key_from_token(guest_token))
