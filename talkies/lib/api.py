"""What every router of the JSON API shares: input strictness, the error shape and page-number pagination.

Plain Ninja and Django helpers that know no app, so every app's api.py may use them (lib is the floor
below every app). Who is asking (the logged-in reader, the current site) lives in talkies.accounts.api_auth.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Generic, TypeVar

from django.db.models import Model, QuerySet
from ninja import Field, Schema
from pydantic import ConfigDict

from talkies.lib.errors import NotFound, ServiceError

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

# Ids and id filters: what a 64-bit integer column can hold. A larger number is refused (422 naming the
# field) before it reaches a query, where SQLite cannot bind it and PostgreSQL's bigint overflows.
RowId = Annotated[int, Field(ge=-(2**63), le=2**63 - 1)]

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
    """One page of `queryset` (two queries: the count and the rows) and the page's envelope, sans items.

    A page past the last is empty, however far past: it is answered from the count alone, because no row
    lies there and an offset as large as ?page=9223372036854775807 makes is more than either database takes.
    """
    count = queryset.count()
    start = (query.page - 1) * query.page_size
    rows = list(queryset[start : start + query.page_size]) if start < count else []
    envelope = {
        "count": count,
        "page": query.page,
        "page_size": query.page_size,
        "next_page": query.page + 1 if start + query.page_size < count else None,
    }
    return rows, envelope
