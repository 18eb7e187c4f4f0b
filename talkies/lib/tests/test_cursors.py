import base64
import datetime
import json
import re

import pytest

from talkies.lib.cursors import MAX_CURSOR_LENGTH, decode_cursor, encode_cursor
from talkies.lib.errors import ServiceError

WHEN = "2025-06-06T18:30:00.123456+00:00"


@pytest.mark.parametrize(
    ("values", "shape"),
    [
        ([WHEN, 42], (str, int)),
        ([0.7224672001371106, 7], (float, int)),  # a Wilson lower bound must come back bit for bit
        ([-90, 3], (int, int)),
        ([0, 1], (float, int)),  # a score of exactly 0 is issued as a JSON integer by some encoders
    ],
)
def test_a_cursor_decodes_to_exactly_what_was_encoded(values, shape):
    assert decode_cursor(encode_cursor(values), shape=shape) == values


def test_a_time_comes_back_as_the_aware_datetime_it_was():
    when = datetime.datetime.fromisoformat(WHEN)
    assert decode_cursor(encode_cursor([when.isoformat(), 3]), shape=(datetime.datetime, int)) == [when, 3]


def test_a_cursor_is_url_safe_and_unpadded():
    cursor = encode_cursor(["2025-06-06T18:30:00+00:00", 10**12])
    assert re.fullmatch(r"[A-Za-z0-9_-]+", cursor)


def _cursor_of(payload: str) -> str:
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def _json_cursor(values) -> str:
    return _cursor_of(json.dumps(values))


MALFORMED = {
    "empty": "",
    "spaces": "not a cursor",
    "not base64": "%%%%",
    "not ASCII": "é",
    "base64 with junk inside": encode_cursor([WHEN, 3])[:8] + "!!" + encode_cursor([WHEN, 3])[8:],
    "standard base64 alphabet": base64.b64encode(b'["\xfb\xff",1]').decode(),
    "one character too many": encode_cursor([WHEN, 3]) + "A",
    "not JSON": _cursor_of("not json"),
    "JSON but not a list": _json_cursor({"value": 1, "id": 2}),
    "too short": _json_cursor([WHEN]),
    "too long": _json_cursor([WHEN, 3, 4]),
    "not UTF-8": base64.urlsafe_b64encode(b"\xff\xfe\xfd").decode(),
    "id as a string": _json_cursor([WHEN, "3"]),
    "id as a float": _json_cursor([WHEN, 3.0]),
    "id as a boolean": _json_cursor([WHEN, True]),
    "id as null": _json_cursor([WHEN, None]),
    "id as a list": _json_cursor([WHEN, [3]]),
    "id beyond 64 bits": _json_cursor([WHEN, 2**64]),
    "time as a number": _json_cursor([1749234600, 3]),
    "time that is no time": _json_cursor(["not a date", 3]),
    "time without a zone": _json_cursor(["2025-06-06T18:30:00", 3]),
    "huge": "A" * (MAX_CURSOR_LENGTH + 1),
}


@pytest.mark.parametrize("cursor", MALFORMED.values(), ids=MALFORMED.keys())
def test_it_refuses_a_cursor_it_did_not_issue_naming_the_cursor(cursor):
    with pytest.raises(ServiceError) as caught:
        decode_cursor(cursor, shape=(datetime.datetime, int))
    assert caught.value.field == "cursor"
    assert caught.value.message == "cursor is not one we issued: start again from the first page"
    assert caught.value.status_code == 400


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_a_sort_value_must_be_a_finite_number(number):
    with pytest.raises(ServiceError):
        decode_cursor(_cursor_of(f"[{number},3]"), shape=(float, int))


def test_a_megabyte_cursor_is_refused_without_being_decoded(monkeypatch):
    def unexpected(*args, **kwargs):
        raise AssertionError("a cursor this long should not be decoded at all")

    monkeypatch.setattr("talkies.lib.cursors.base64.b64decode", unexpected)
    with pytest.raises(ServiceError) as caught:
        decode_cursor(_json_cursor(["x" * 1_000_000, 3]), shape=(str, int))
    assert caught.value.field == "cursor"


def test_a_bracket_bomb_is_refused_whatever_the_length_cap(monkeypatch):
    # The length cap keeps today's cursors too short to nest deeply; the nesting check must not rely on it.
    monkeypatch.setattr("talkies.lib.cursors.MAX_CURSOR_LENGTH", 10**6)
    bomb = base64.urlsafe_b64encode(b"[" * 100_000 + b"]" * 100_000).decode()

    with pytest.raises(ServiceError) as caught:
        decode_cursor(bomb, shape=(int, int))

    assert caught.value.field == "cursor"


def test_the_refusal_says_what_the_cursor_is_tied_to():
    with pytest.raises(ServiceError) as caught:
        decode_cursor(_json_cursor([0.5, 3]), shape=(datetime.datetime, int), issued_for=" for this sort")
    assert caught.value.message == "cursor is not one we issued for this sort: start again from the first page"
