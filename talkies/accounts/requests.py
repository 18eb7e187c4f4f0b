"""Typed requests: what Talkies' middleware and auth put on Django's HttpRequest, declared once.

Annotate a view's `request` with the narrowest class that holds, so the type checker knows `request.site`
is a Site and `request.user` is a signed-in User without a `type: ignore` at each use.
"""

from django.http import HttpRequest

from .actors import Actor
from .models import Site, User


class SiteRequest(HttpRequest):
    """Any request after CurrentSiteMiddleware: `site` is the publication the host name names, or None
    when none is set up yet (accounts.api_auth.current_site turns that into a clear 404)."""

    # django-stubs types HttpRequest.site as django.contrib.sites' Site, which Talkies does not use; this
    # declaration replaces it, once, so no use of request.site needs an ignore.
    site: Site | None  # type: ignore[assignment]
    # Who is acting (accounts.middleware.ActorMiddleware): an account, a guest on our own pages, or anonymous.
    actor: Actor


class SignedInRequest(SiteRequest):
    """A request whose user is signed in: the Django admin's (staff only), or an API operation behind
    accounts.api_auth.LoggedIn, which also puts the user in `auth`."""

    user: User
    auth: User
