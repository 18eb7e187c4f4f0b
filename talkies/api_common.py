"""What every router of the JSON API shares: input strictness, the error shape, auth, the current site
and page-number pagination.

It lives apart from talkies/api.py because the app routers need it and the root API imports the app
routers; keeping it here lets both depend on it without an import cycle. It imports no app but accounts
(the ground floor), so every app's api.py may use it.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie
from ninja.utils import check_csrf
from pydantic import ConfigDict

from talkies.accounts.models import Site, User
from talkies.lib.errors import NotFound, ServiceError

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

ItemT = TypeVar("ItemT")
ModelT = TypeVar("ModelT", bound=Model)


class InputSchema(Schema):
    """Base of every request body: unknown keys and loose types are refused, not silently dropped.

    Strict mode means `"is_spoiler": "yes"` or `"parent_id": "12"` is an error naming the field, rather
    than a guess; a typo such as `"is_spolier"` is an error too, rather than a comment posted without it.
    """

    model_config = ConfigDict(extra="forbid", strict=True)


class ErrorItem(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    """Every error the API returns. `field` names the input at fault, or is null when none is."""

    error: str
    field: str | None = None
    errors: list[ErrorItem] | None = Field(None, description="Every problem found, on validation errors (422).")


# The documented error responses, for `response={200: X, **ERRORS}` on each operation.
READ_ERRORS: dict[int, type[Schema]] = {404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


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
        return request.user  # type: ignore[return-value]


def current_site(request: HttpRequest) -> Site:
    """The publication this request is for (set by CurrentSiteMiddleware from the host name)."""
    site: Site | None = getattr(request, "site", None)
    if site is None:
        raise NotFound("site", "no publication is set up on this installation yet: create a Site in the admin")
    return site


def get_or_404(queryset: QuerySet[ModelT], *, field: str, message: str, **lookup: Any) -> ModelT:
    """The one object matching `lookup`, or NotFound naming the field the client used to ask for it."""
    found = queryset.filter(**lookup).first()
    if found is None:
        raise NotFound(field, message)
    return found


@contextmanager
def api_field_names(renames: dict[str, str]) -> Iterator[None]:
    """Re-raise service errors under the name the API's input gives a field (service `parent` is `parent_id`).

    Services name their own parameters; the client only knows the request body, so an error must name
    what the client sent.
    """
    try:
        yield
    except ServiceError as e:
        if e.field not in renames:
            raise
        raise type(e)(renames[e.field], e.message) from e


class PageQuery(Schema):
    page: int = Field(1, ge=1, description="1 is the first page.")
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class Page(Schema, Generic[ItemT]):
    items: list[ItemT]
    count: int = Field(description="Items on every page together.")
    page: int
    page_size: int
    next_page: int | None = Field(description="The next page's number, or null on the last page.")


def paginate(queryset: QuerySet[ModelT], query: PageQuery) -> tuple[list[ModelT], dict[str, Any]]:
    """One page of `queryset` (two queries: the count and the rows) and the page's envelope, sans items."""
    count = queryset.count()
    start = (query.page - 1) * query.page_size
    rows = list(queryset[start : start + query.page_size])
    envelope = {
        "count": count,
        "page": query.page,
        "page_size": query.page_size,
        "next_page": query.page + 1 if start + query.page_size < count else None,
    }
    return rows, envelope
