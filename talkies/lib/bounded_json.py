"""JSON from outside, parsed only once its nesting is known to be shallow.

Python's json module recurses once per nested array or object, so a few kilobytes of `[[[[…]]]]` raise
RecursionError deep inside the parser. Counting the brackets first (those outside strings: a bracket in a
string is text) is linear, needs no recursion, and lets the caller refuse the input as what it is.
"""

import json
import re
from typing import Any

# A JSON string, escapes included: what to skip when counting brackets.
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}]")


def json_depth(text: str) -> int:
    """How deep the arrays and objects of `text` nest: 0 for a scalar, 1 for a flat list or object."""
    depth = deepest = 0
    for bracket in _BRACKET.findall(_STRING.sub('""', text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def loads_shallow(text: str, *, max_depth: int) -> Any:
    """json.loads(text), or ValueError when it nests deeper than `max_depth` (or is not JSON)."""
    if json_depth(text) > max_depth:
        raise ValueError(f"JSON nested deeper than {max_depth} levels")
    return json.loads(text)
