"""lib.bounded_json: nesting is counted before parsing, so deep input is a ValueError, not a RecursionError."""

import pytest

from talkies.lib.bounded_json import json_depth, loads_shallow


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("7", 0),
        ('"[[["', 0),
        ('{"id": "42", "name": "Sam"}', 1),
        ('[1, {"a": [2]}]', 3),
        ('{"name": "a \\" [[[ b"}', 1),
        ('{"name": "ends in a backslash \\\\", "x": [1]}', 2),
    ],
)
def test_it_counts_nesting_outside_strings(text, depth):
    assert json_depth(text) == depth


def test_deep_nesting_is_refused_before_the_parser_recurses():
    with pytest.raises(ValueError, match="nested deeper than 4 levels"):
        loads_shallow("[" * 100_000 + "]" * 100_000, max_depth=4)


def test_shallow_json_is_parsed():
    assert loads_shallow('{"id": "42", "roles": ["critic"]}', max_depth=4) == {"id": "42", "roles": ["critic"]}
