"""Opaque keyset-pagination cursors: a base64url JSON list, checked on the way back in."""

import base64
import binascii
import json

from .errors import ServiceError


def encode_cursor(values: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, *, length: int) -> list:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as e:
        raise ServiceError("cursor", "cursor is not one we issued: start again from the first page") from e
    if not isinstance(values, list) or len(values) != length:
        raise ServiceError("cursor", "cursor is not one we issued: start again from the first page")
    return values
