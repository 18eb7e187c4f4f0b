"""Opening a page's embed thread against the real server: only a page on an allowed origin or the site's key.

Issue 13: `GET /api/v1/embed/threads?site=reelnews&url=<allowed origin>/x&thread=wp-999&title=FAKE&film=...`
answered 201 to anyone, with no Origin and no credentials, and the real page then joined that thread with the
squatter's title, URL and film. Here `talkies serve` runs as deployed (the ASGI fast path in front of Django),
and plain HTTP requests play curl, the embed in a browser, and the site's own servers.
"""

import http.client
import json
from urllib.parse import urlencode

import pytest

from talkies.live.tests.servers import port_of, server_environment, serving, shell_json, talkies

ORIGIN = "https://reelnews.example"

SETUP = f"""
import json
from talkies.accounts.models import Site
from talkies.catalogue.models import Film
from talkies.embed.api_keys import api_key_create
from talkies.embed.models import EmbedSettings

site = Site.objects.create(slug="reelnews", name="Reel News")
EmbedSettings.objects.create(site=site, allowed_origins="{ORIGIN}")
Film.objects.create(title="Ballerina", slug="ballerina")
Film.objects.create(title="John Wick", slug="john-wick")
_, key = api_key_create(site=site, name="wp")
print(json.dumps({{"key": key}}))
"""

SQUAT = {"site": "reelnews", "url": f"{ORIGIN}/x", "thread": "wp-999", "title": "FAKE", "film": "john-wick"}


def request(
    port: int, method: str, path: str, *, headers: dict[str, str] | None = None, body: dict | None = None
) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        sent = {**(headers or {}), **({"Content-Type": "application/json"} if body is not None else {})}
        connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=sent)
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        connection.close()


def page_thread(port: int, params: dict[str, str], headers: dict[str, str] | None = None) -> tuple[int, dict]:
    return request(port, "GET", f"/api/v1/embed/threads?{urlencode(params)}", headers=headers)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("thread-squat")
    env = server_environment(data_dir)
    talkies("migrate", "--no-input", env=env)
    seeded = shell_json(SETUP, env=env)
    with serving(env, log_path=data_dir / "server.log") as url:
        yield port_of(url), seeded["key"]


def test_a_thread_is_opened_only_from_an_allowed_origin_or_with_the_key_and_the_key_corrects_it(server):
    port, key = server

    # curl: no Origin, no credentials. Refused, twice (a refusal must not be stored and replayed as a page).
    for _ in range(2):
        status, body = page_thread(port, SQUAT)
        assert (status, body.get("field")) == (403, "origin"), body
    status, body = page_thread(port, SQUAT, headers={"Origin": "https://evil.example"})
    assert (status, body.get("field")) == (403, "origin"), body

    # The embed on the site's page (a browser sends Origin on its cross-origin fetch): opened.
    status, opened = page_thread(port, SQUAT, headers={"Origin": ORIGIN})
    assert status == 201, opened
    assert (opened["title"], opened["film"]["slug"]) == ("FAKE", "john-wick")
    # Now it exists, anyone may read it, Origin or not, and a page cannot change what it says.
    real_page = {**SQUAT, "url": f"{ORIGIN}/ballerina", "title": "Ballerina reactions", "film": "ballerina"}
    status, read = page_thread(port, real_page)
    assert (status, read["id"], read["title"]) == (200, opened["id"], "FAKE")

    # The site's own servers: a new thread opens with its key, no Origin needed...
    api_key = {"Authorization": f"Api-Key {key}"}
    status, keyed = request(
        port, "POST", "/api/v1/embed/threads", headers=api_key, body={"url": f"{ORIGIN}/news", "thread": "wp-1000"}
    )
    assert status == 201, keyed
    # ...and its word corrects the squatted one, for good.
    correction = {"url": f"{ORIGIN}/ballerina", "thread": "wp-999", "title": "Ballerina reactions", "film": "ballerina"}
    status, corrected = request(port, "POST", "/api/v1/embed/threads", headers=api_key, body=correction)
    assert status == 200, corrected
    assert (corrected["id"], corrected["title"], corrected["url"], corrected["film"]["slug"]) == (
        opened["id"],
        "Ballerina reactions",
        f"{ORIGIN}/ballerina",
        "ballerina",
    )
    for headers in ({}, {"Origin": ORIGIN}):
        status, after = page_thread(port, SQUAT, headers=headers)
        assert (status, after["title"], after["film"]["slug"]) == (200, "Ballerina reactions", "ballerina"), after
