"""The one check every text input passes: it must be text the database can store.

JSON can carry two things no column should receive. A NUL character (\\u0000): PostgreSQL's text type
cannot hold it at all, so the query fails. A lone UTF-16 surrogate ("\\ud800" with no partner): it is not
a character, cannot be encoded as UTF-8, and fails in SQLite and PostgreSQL alike. Both are refused at the
edge, as a 400 naming the field, rather than reaching a query, a search or a stored comment.

`Text` is the annotated string type for API schemas, query parameters and path parameters;
`check_text` is the same check for code that reads input some other way (signed payloads, forms).
"""

from typing import Annotated

from pydantic import AfterValidator, ValidationInfo

from .errors import ServiceError


def unstorable_text_problem(value: str) -> str | None:
    """Why `value` cannot be stored as text, or None when it can."""
    if "\x00" in value:
        return "contains a NUL character (\\u0000), which text cannot hold: remove it"
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "contains a lone UTF-16 surrogate, which is not a character: send valid Unicode text"
    return None


def check_text(value: str, *, field: str) -> str:
    """`value`, if it is storable text; ServiceError (400) naming `field` otherwise."""
    problem = unstorable_text_problem(value)
    if problem is not None:
        raise ServiceError(field, f"{field} {problem}")
    return value


def _check_field(value: str, info: ValidationInfo) -> str:
    # A ServiceError, not the ValueError pydantic would collect into a 422: the value has the right type and
    # shape, it is refused for what it holds, which the API answers as 400 like every other refused input.
    return check_text(value, field=info.field_name or "body")


Text = Annotated[str, AfterValidator(_check_field)]
