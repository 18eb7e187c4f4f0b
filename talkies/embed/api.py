"""The embed's endpoints under /api/v1/embed/ (docs/embedding-api.md is the contract with embed.js).

Browsers call them cross-origin from the site's allowed origins (CORS: talkies.embed.cors); a site's own
servers call the thread and moderation endpoints with `Authorization: Api-Key <key>`.
"""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.security import APIKeyHeader

from talkies.accounts.api_auth import current_site
from talkies.accounts.models import Site, User
from talkies.accounts.requests import SiteRequest
from talkies.comments.models import Comment
from talkies.lib.api import READ_ERRORS, WRITE_ERRORS, PageQuery, paginate
from talkies.lib.errors import PermissionDenied, Unauthorized
from talkies.lib.idempotency import idempotent
from talkies.lib.ratelimit import enforce_rate_limit

from .api_keys import api_key_authenticate
from .models import ApiKey
from .page_threads import page_counts, page_thread_resolve
from .page_urls import BadUrl, normalise_origin
from .policy import embed_policy, is_allowed_origin
from .schemas import (
    EmbedSessionOut,
    PageCountsOut,
    PageCountsQuery,
    PageThreadIn,
    PageThreadOut,
    PageThreadQuery,
    PendingPageOut,
    ReaderTokenOut,
    SsoIn,
)
from .sso import sso_sign_in
from .tokens import issue_reader_token, reader_token_max_age

router = Router(tags=["embedding"])

API_KEY_SCHEME = "api-key"


def api_key_from_header(request: HttpRequest) -> ApiKey | None:
    """The site API key the request presents, None if it presents none; Unauthorized for a bad one."""
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != API_KEY_SCHEME:
        return None
    api_key = api_key_authenticate(key.strip())
    if api_key is None:
        raise Unauthorized(
            "authorization", "the API key is unknown or revoked: create one with `talkies apikey create`"
        )
    return api_key


class SiteApiKey(APIKeyHeader):
    """`Authorization: Api-Key <key>`: a site's own servers. `request.auth` is the ApiKey."""

    param_name = "Authorization"

    def __call__(self, request: HttpRequest) -> ApiKey:
        api_key = api_key_from_header(request)
        if api_key is None:
            raise Unauthorized("authorization", "send the site's API key in an Authorization: Api-Key <key> header")
        return api_key

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiKey | None:  # pragma: no cover
        return None  # __call__ does the work; Ninja requires the method


class SiteApiKeyIfSent(SiteApiKey):
    """SiteApiKey for endpoints that also take another credential: a request presenting no key passes on
    to the next authentication (a bad key is still refused)."""

    def __call__(self, request: HttpRequest) -> ApiKey | None:  # type: ignore[override]
        return api_key_from_header(request)


class ApiKeyRequest(SiteRequest):
    """A request from a site's own servers, behind SiteApiKey: `auth` is the key it presented."""

    auth: ApiKey


@dataclass(frozen=True)
class EmbedSession:
    """Who a Bearer token names (EmbedSessionOut)."""

    user: User | None


@dataclass(frozen=True)
class ReaderToken:
    """A reader token and the reader it signs in (ReaderTokenOut)."""

    token: str
    expires_in: int
    user: User


# --- Threads keyed by page --------------------------------------------------------------------------


def resolve(request: SiteRequest, data: PageThreadIn | PageThreadQuery) -> Status:
    api_key = api_key_from_header(request)
    site: Site = api_key.site if api_key else current_site(request)
    if data.site is not None and data.site != site.slug:
        where = "the API key's site" if api_key else "the site of ?site= (or the host name)"
        raise PermissionDenied("site", f"site {data.site!r} is not {where}, {site.slug!r}")

    def before_page_opens_thread() -> None:
        # A browser always sends Origin on the embed's cross-origin fetch, so a request without an allowed
        # one is not the embed on the site's page: a script from anywhere must not open (and so name the
        # title and film of) a page's thread before the page does. Outside a browser Origin can be forged,
        # which is why a page's values stay correctable (page_thread_resolve).
        if not is_allowed_origin(site, request.headers.get("Origin")):
            raise PermissionDenied(
                "origin",
                f"threads open from a page on an allowed origin of {site.name} (the browser sends its Origin "
                "header), or from the site's servers with its API key (Authorization: Api-Key <key>)",
            )
        # Any page of an allowed origin may open threads, so a script could open thousands: limit it.
        enforce_rate_limit(request, "embed_thread", actor=None, field="url")

    thread, created = page_thread_resolve(
        site=site,
        url=data.url,
        explicit_id=data.thread,
        film_ref=data.film,
        title=data.title,
        # A site's own servers may always open threads and say what they are; pages only as the site allows.
        create=api_key is not None or embed_policy(site).create_threads_on_first_use,
        from_site=api_key is not None,
        before_create=None if api_key else before_page_opens_thread,
    )
    return Status(201 if created else 200, thread)


@router.get("/embed/threads", response={200: PageThreadOut, 201: PageThreadOut, **WRITE_ERRORS})
def get_page_thread(request: SiteRequest, query: Query[PageThreadQuery]) -> Status:
    """The thread of a page, opened on first use where the site allows it (201 then).

    Idempotent, so safe as a GET: the key is unique per site, and the same page always gets the same thread.
    """
    return resolve(request, query)


@router.post("/embed/threads", response={200: PageThreadOut, 201: PageThreadOut, **WRITE_ERRORS})
@idempotent
def post_page_thread(request: SiteRequest, payload: PageThreadIn) -> Status:
    """As GET, with a JSON body. With an Api-Key it always opens the thread, and the title, URL and film it
    sends replace the thread's: how a site corrects what the first page to ask said (docs/embedding.md)."""
    return resolve(request, payload)


@router.get("/embed/counts", response={200: PageCountsOut, **READ_ERRORS})
def get_page_counts(request: SiteRequest, query: Query[PageCountsQuery]) -> dict[str, Any]:
    """Comment and rating counts for the pages count.js finds, keyed by the values exactly as sent."""
    counts = page_counts(site=current_site(request), pages=query.page)
    return {"counts": {page: {"comments": c.comments, "ratings": c.ratings} for page, c in counts.items()}}


# --- Who is signed in -------------------------------------------------------------------------------


@router.get("/embed/session", response={200: EmbedSessionOut})
def get_embed_session(request: SiteRequest) -> EmbedSession:
    """The reader a Bearer token names, or null. (A refused token is a 401 naming `authorization`.)"""
    return EmbedSession(user=request.actor.user)


@router.post("/embed/sso", response={200: ReaderTokenOut, **WRITE_ERRORS})
@idempotent
def exchange_sso(request: SiteRequest, payload: SsoIn) -> ReaderToken:
    """Trade the host site's signed user for a reader token, for the page origin that asks."""
    site = current_site(request)
    try:
        origin = normalise_origin(request.headers.get("Origin", ""))
    except BadUrl:
        origin = ""
    if not is_allowed_origin(site, origin):
        raise PermissionDenied("origin", f"call this from a page on an allowed origin of {site.name}")
    user = sso_sign_in(site=site, sso=payload.sso)
    token = issue_reader_token(user=user, site=site, origin=origin)
    return ReaderToken(token=token, expires_in=reader_token_max_age(), user=user)


# --- For the site's own servers ---------------------------------------------------------------------


@router.get("/embed/moderation/pending", response={200: PendingPageOut, **WRITE_ERRORS}, auth=SiteApiKey())
def list_pending_comments(request: ApiKeyRequest, query: Query[PageQuery]) -> dict[str, Any]:
    """Comments of the key's site waiting for a moderator, oldest first. Read-only. Three queries."""
    pending = (
        Comment.objects.filter(thread__site=request.auth.site, status=Comment.Status.PENDING)
        .select_related("thread", "author")
        .order_by("created_at", "id")
    )
    comments, envelope = paginate(pending, query)
    return {**envelope, "items": comments}
