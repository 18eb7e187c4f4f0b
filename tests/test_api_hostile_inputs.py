"""Every route of the JSON API, with hostile values in every query parameter, path parameter and string or
integer body field: none may crash (5xx), and every refusal must name the input at fault.

The routes come from the OpenAPI document, so a new endpoint is swept as soon as it exists; an endpoint with
a body needs a valid body in VALID_BODIES first (the test says so), so each hostile field is the only thing
wrong with its request. The same module runs on PostgreSQL with DATABASE_URL=postgres://…, where text
cannot hold NUL at all.
"""

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client

from talkies.api import api
from talkies.comments.services import comment_create
from talkies.embed.api_keys import api_key_create
from talkies.embed.models import EmbedSettings

ORIGIN = "https://reelnews.example"
PAGE_URL = f"{ORIGIN}/2025/06/ballerina-reactions"

# What a JSON string can carry that no database column should receive: NUL (PostgreSQL text cannot hold
# it) and a lone UTF-16 surrogate (not encodable as UTF-8, so SQLite and PostgreSQL both refuse it).
NUL = "a\x00b"
LONE_SURROGATE = "a\ud800b"
# A cursor-shaped value nested deeper than Python's JSON parser can recurse.
DEEP_NESTING = base64.urlsafe_b64encode(b"[" * 1000 + b"]" * 1000).decode()
# The largest 64-bit integer (page arithmetic overflows with it), and one past it (no column holds it).
HUGE = [2**63 - 1, 2**63]

# A valid body for each operation that takes one, so that the hostile field is all that is wrong.
VALID_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("PUT", "/api/v1/films/{slug}/rating"): {"value": 7, "scale": 10},
    ("POST", "/api/v1/threads/{thread_id}/comments"): {"body": "Loved the flamethrower fight."},
    ("POST", "/api/v1/threads/{thread_id}/close"): {"closed": False},
    ("POST", "/api/v1/comments/{comment_id}/feature"): {"featured": False},
    ("PATCH", "/api/v1/comments/{comment_id}"): {"body": "Loved the flamethrower fight!"},
    ("POST", "/api/v1/comments/{comment_id}/vote"): {"value": 0},
    ("POST", "/api/v1/embed/threads"): {"site": "reelnews", "url": PAGE_URL, "title": "Reactions"},
    ("POST", "/api/v1/embed/sso"): {"sso": "e30.00"},
    ("POST", "/api/v1/moderation/comments/{comment_id}"): {"action": "approve", "reason": "fine"},
    ("POST", "/api/v1/moderation/comments"): {"comment_ids": [1], "action": "approve", "reason": "fine"},
    ("POST", "/api/v1/moderation/authors"): {"action": "trust", "guest_key": "guest-1", "reason": "fine"},
    ("POST", "/api/v1/comments/{comment_id}/report"): {"reason": "other", "text": "rude"},
    ("POST", "/api/v1/threads/{thread_id}/spoiler-check"): {"body": "Winston survives."},
}


# Likewise the required query parameters of an operation, for probes of its other inputs.
VALID_QUERIES: dict[tuple[str, str], dict[str, str]] = {
    ("GET", "/api/v1/embed/threads"): {"site": "reelnews", "url": PAGE_URL},
}


@dataclass(frozen=True)
class Probe:
    method: str
    path: str  # the OpenAPI path, with {placeholders}
    location: str  # query, path or body
    name: str
    value: Any

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.location}:{self.name}={self.value!r:.40}"


def operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield method.upper(), path, operation


def body_properties(operation: dict[str, Any]) -> dict[str, Any]:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if content is None:
        return {}
    ref = content["schema"]["$ref"].rsplit("/", 1)[-1]
    return api.get_openapi_schema()["components"]["schemas"][ref]["properties"]


def kinds(schema: dict[str, Any]) -> set[str]:
    """The JSON types a parameter or property takes (nullable ones are anyOf [X, null]; lists by item)."""
    options = schema.get("anyOf", [schema])
    found = set()
    for option in options:
        kind = option.get("type")
        if kind == "array":
            found |= {f"list of {k}" for k in kinds(option.get("items", {}))}
        elif kind is not None:
            found.add(kind)
        elif "enum" in option or "const" in option:
            found.add("string")
    return found


def hostile_values(schema: dict[str, Any], *, in_json: bool) -> list[Any]:
    """The values to try in one input. Only JSON can carry a lone surrogate: a URL's %ED%A0%80 is decoded
    with replacement characters before any view sees it."""
    found = kinds(schema)
    values: list[Any] = []
    if found & {"string", "list of string"}:
        values += [NUL, DEEP_NESTING] + ([LONE_SURROGATE] if in_json else [])
    if found & {"integer", "list of integer"}:
        values += HUGE
    if "list of string" in found or "list of integer" in found:
        values = [[value] for value in values] if in_json else values
    return values


def probes() -> Iterator[Probe]:
    for method, path, operation in operations():
        for parameter in operation.get("parameters", []):
            if parameter["in"] in {"query", "path"}:
                for value in hostile_values(parameter["schema"], in_json=False):
                    yield Probe(method, path, parameter["in"], parameter["name"], value)
        for name, schema in body_properties(operation).items():
            for value in hostile_values(schema, in_json=True):
                yield Probe(method, path, "body", name, value)


PROBES = list(probes())


def test_every_operation_with_a_body_has_a_valid_body_to_spoil():
    missing = [(m, p) for m, p, op in operations() if body_properties(op) and (m, p) not in VALID_BODIES]
    assert not missing, f"add a valid body to VALID_BODIES for {missing}"


@pytest.fixture
def world(site, film, story, thread, moderator, reader):
    """A moderator of Reel News, signed in, with the site's API key: every route is open to them, so a
    refusal can only be about the hostile value."""
    EmbedSettings.objects.create(site=site, allowed_origins=ORIGIN, sso_secret="reelnews-sso-secret-0123456789")
    # A reader's comment, which the moderator may report, vote on and act on; and the moderator's own,
    # which they may edit.
    theirs = comment_create(thread=thread, author=reader, body="The axe duel is the best scene.")
    own = comment_create(thread=thread, author=moderator, body="The flamethrower fight, though.")
    _, key = api_key_create(site=site, name="newsroom tools")
    client = Client(raise_request_exception=False)
    client.force_login(moderator)
    path_values = {
        "slug": lambda method, path: {"films": film.slug, "stories": story.slug}.get(path.split("/")[3], "unknown"),
        "thread_id": lambda method, path: thread.pk,
        "comment_id": lambda method, path: own.pk if method == "PATCH" else theirs.pk,
        "user_id": lambda method, path: reader.pk,
        "queue": lambda method, path: "pending",
    }
    return client, key, path_values


def send(world, probe: Probe):
    client, key, path_values = world
    path = probe.path
    for name, value_for in path_values.items():
        value = probe.value if (probe.location, probe.name) == ("path", name) else value_for(probe.method, path)
        path = path.replace("{" + name + "}", quote(str(value), safe=""))
    headers = {"Origin": ORIGIN}
    if path.startswith("/api/v1/embed/moderation/"):
        headers["Authorization"] = f"Api-Key {key}"
    query = [(name, value) for name, value in VALID_QUERIES.get((probe.method, probe.path), {}).items()]
    if probe.location == "query":
        query = [(name, value) for name, value in query if name != probe.name] + [(probe.name, probe.value)]
    if query:
        path += "?" + "&".join(f"{name}={quote(str(value), safe='')}" for name, value in query)
    body = dict(VALID_BODIES.get((probe.method, probe.path), {}))
    if probe.location == "body":
        body[probe.name] = probe.value
    data = json.dumps(body) if probe.method in {"POST", "PUT", "PATCH"} else None
    return client.generic(probe.method, path, data or "", content_type="application/json", headers=headers)


@pytest.mark.parametrize("probe", PROBES, ids=str)
def test_no_hostile_value_crashes_the_api_and_every_refusal_names_it(world, probe):
    response = send(world, probe)

    assert response.status_code < 500, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response.content[:300]
    if response.status_code >= 400:
        # A list's item is named by its place: comment_ids.0.
        assert response.json()["field"].split(".")[0] == probe.name, response.json()
