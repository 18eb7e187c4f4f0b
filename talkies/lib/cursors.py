"""Opaque keyset-pagination cursors: a base64url JSON list, checked strictly on the way back in.

A cursor is opaque but not signed, so anything may come back: a forged one, one issued for another sort,
one cut short by a copy and paste, a megabyte of junk. decode_cursor is the one place that turns it back
into typed values, and everything it does not recognise is the same ServiceError naming `cursor`, never a
value of the wrong type reaching the database.
"""

import base64
import binascii
import datetime
import json
import math
from collections.abc import Sequence
from typing import Any

from .bounded_json import loads_shallow
from .errors import ServiceError

# Every cursor we issue is a sort value and an id: well under this. Longer input is refused unread.
MAX_CURSOR_LENGTH = 256
# The range of the integer columns cursors point into (64-bit ids and vote counts).
_INT_RANGE = range(-(2**63), 2**63)

# What a cursor field may be declared as: int, float (an int is accepted too), str, or datetime, which
# travels as an ISO 8601 string with its time zone.
CursorField = type[int] | type[float] | type[str] | type[datetime.datetime]


def encode_cursor(values: Sequence[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values), separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, *, shape: Sequence[CursorField], issued_for: str = "") -> list[Any]:
    """The values of a cursor we issued, each of the type `shape` declares at its place.

    `issued_for` ends the refusal's first clause ("for this sort") when a cursor is valid only with the
    query it came from.
    """
    refusal = ServiceError("cursor", f"cursor is not one we issued{issued_for}: start again from the first page")
    if not cursor or len(cursor) > MAX_CURSOR_LENGTH:
        raise refusal
    try:
        raw = base64.b64decode(cursor + "=" * (-len(cursor) % 4), altchars=b"-_", validate=True)
        # Every cursor we issue is a flat list. Refusing deeper nesting before parsing means the parser
        # never recurses on a bracket bomb, whatever the length cap is raised to.
        values = loads_shallow(raw.decode(), max_depth=1)
    except (binascii.Error, ValueError, UnicodeError) as e:
        raise refusal from e
    if not isinstance(values, list) or len(values) != len(shape):
        raise refusal
    try:
        return [_typed(value, kind) for value, kind in zip(values, shape, strict=True)]
    except (TypeError, ValueError) as e:
        raise refusal from e


def _typed(value: Any, kind: CursorField) -> Any:
    if isinstance(value, bool):  # JSON true is a Python int, and never what a cursor holds
        raise TypeError("a boolean")
    if kind is int:
        if not isinstance(value, int) or value not in _INT_RANGE:
            raise TypeError("not an integer in range")
        return value
    if kind is float:
        if not isinstance(value, int | float) or not math.isfinite(value):
            raise TypeError("not a finite number")
        return value
    if not isinstance(value, str):
        raise TypeError("not a string")
    if kind is str:
        return value
    when = datetime.datetime.fromisoformat(value)
    if when.tzinfo is None:
        raise ValueError("a time without its time zone")
    return when
