import base64
import json
import re

import pytest

from talkies.lib.cursors import decode_cursor, encode_cursor
from talkies.lib.errors import ServiceError


@pytest.mark.parametrize(
    "values",
    [
        ["2025-06-06T18:30:00.123456+00:00", 42],
        [0.7224672001371106, 7],  # a Wilson lower bound must come back bit for bit, or keyset pages overlap
        [-90, 3],
        [0, 1],
    ],
)
def test_a_cursor_decodes_to_exactly_what_was_encoded(values):
    assert decode_cursor(encode_cursor(values), length=len(values)) == values


def test_a_cursor_is_url_safe_and_unpadded():
    cursor = encode_cursor(["2025-06-06T18:30:00+00:00", 10**12])
    assert re.fullmatch(r"[A-Za-z0-9_-]+", cursor)


def _cursor_of(payload: str) -> str:
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "not a cursor",
        "%%%%",
        "é",
        _cursor_of("not json"),
        _cursor_of(json.dumps({"value": 1, "id": 2})),  # valid JSON, but not a list
        _cursor_of(json.dumps([1])),  # a list of the wrong length
        _cursor_of(json.dumps([1, 2, 3])),
        base64.urlsafe_b64encode(b"\xff\xfe\xfd").decode(),  # not UTF-8
    ],
)
def test_it_refuses_a_cursor_it_did_not_issue_naming_the_cursor(cursor):
    with pytest.raises(ServiceError) as caught:
        decode_cursor(cursor, length=2)
    assert caught.value.field == "cursor"
    assert "start again from the first page" in caught.value.message
    assert caught.value.status_code == 400
