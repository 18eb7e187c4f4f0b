"""Posting limits per account and per address, the client address behind proxies, and the 429 answer."""

from typing import Any

import pytest
from django.test import Client, RequestFactory

from talkies.comments.models import Comment
from talkies.comments.services import comment_create
from talkies.lib.ratelimit import RateLimited, client_ip, enforce_rate_limit

NO_LIMITS = {"account": "", "ip": ""}


@pytest.fixture
def limits(settings):
    """Tight limits for the test: 2 comments a minute per account, 3 per address; 2 guest tokens."""
    settings.RATE_LIMITS = {
        "comment": {"account": "2/m", "ip": "3/m"},
        "vote": {"account": "1/m", "ip": ""},
        "guest_token": {"account": "", "ip": "2/m"},
        "register": {"account": "", "ip": "1/h"},
        "verification_email": NO_LIMITS,
    }
    return settings.RATE_LIMITS


def request_from(remote: str, forwarded: str | None = None):
    meta: dict[str, Any] = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/", **meta)


# --- The client's address ------------------------------------------------------------------------


def test_the_client_is_remote_addr_and_a_forwarded_header_from_an_untrusted_peer_is_ignored(settings):
    settings.TRUSTED_PROXIES = []

    assert client_ip(request_from("203.0.113.9", forwarded="198.51.100.1")) == "203.0.113.9"


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    assert client_ip(request_from("10.0.0.2", forwarded="198.51.100.1")) == "198.51.100.1"


def test_an_address_the_client_wrote_itself_before_the_proxys_entry_is_not_believed(settings):
    # nginx appends the real peer to whatever X-Forwarded-For the client sent.
    settings.TRUSTED_PROXIES = ["10.0.0.2"]

    assert client_ip(request_from("10.0.0.2", forwarded="1.2.3.4, 198.51.100.1")) == "198.51.100.1"


def test_a_chain_of_trusted_proxies_is_walked_back_to_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.7"]

    assert client_ip(request_from("10.0.0.2", forwarded="198.51.100.1, 192.0.2.7, 10.1.1.1")) == "198.51.100.1"


def test_a_garbled_forwarded_header_falls_back_to_the_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]

    assert client_ip(request_from("10.0.0.2", forwarded="not an address")) == "10.0.0.2"


# --- Counting ------------------------------------------------------------------------------------


def test_it_refuses_the_attempt_past_an_accounts_limit_and_says_when_to_retry(limits):
    request = request_from("203.0.113.9")
    enforce_rate_limit(request, "comment", actor="user:1", field="body")
    enforce_rate_limit(request, "comment", actor="user:1", field="body")

    with pytest.raises(RateLimited) as refused:
        enforce_rate_limit(request, "comment", actor="user:1", field="body")

    assert refused.value.status_code == 429 and refused.value.field == "body"
    assert 1 <= refused.value.retry_after <= 60
    assert refused.value.message == f"you are posting too fast: try again in {refused.value.retry_after} seconds"


def test_accounts_are_counted_apart_but_share_their_addresss_limit(limits):
    request = request_from("203.0.113.9")
    for actor in ("user:1", "user:1", "user:2"):
        enforce_rate_limit(request, "comment", actor=actor, field="body")

    with pytest.raises(RateLimited):  # the address's fourth comment, though user:3's first
        enforce_rate_limit(request, "comment", actor="user:3", field="body")
    enforce_rate_limit(request_from("198.51.100.1"), "comment", actor="user:4", field="body")


def test_an_empty_limit_turns_it_off(limits):
    limits["comment"] = NO_LIMITS
    for _ in range(20):
        enforce_rate_limit(request_from("203.0.113.9"), "comment", actor="user:1", field="body")


# --- What clients see ----------------------------------------------------------------------------


def test_the_api_answers_429_with_retry_after_naming_body(limits, thread, reader, client):
    client.force_login(reader)
    url = f"/api/v1/threads/{thread.pk}/comments"
    for text in ("One", "Two"):
        assert client.post(url, {"body": text}, content_type="application/json").status_code == 201

    response = client.post(url, {"body": "Three"}, content_type="application/json")

    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert response.json() == {
        "error": f"you are posting too fast: try again in {wait} seconds",
        "field": "body",
    }
    assert Comment.objects.count() == 2


def test_votes_are_limited_naming_value(limits, thread, reader, second_reader, client):
    first = comment_create(thread=thread, author=second_reader, body="One")
    second = comment_create(thread=thread, author=second_reader, body="Two")
    client.force_login(reader)

    ok = client.post(f"/api/v1/comments/{first.pk}/vote", {"value": 1}, content_type="application/json")
    assert ok.status_code == 200
    response = client.post(f"/api/v1/comments/{second.pk}/vote", {"value": 1}, content_type="application/json")

    assert response.status_code == 429 and response.json()["field"] == "value"


def test_guest_tokens_are_limited_per_address(limits, site):
    site.allow_guest_comments = True
    site.save()
    client = Client(REMOTE_ADDR="203.0.113.9")
    assert [client.post("/api/v1/guest-token").status_code for _ in range(3)] == [201, 201, 429]

    assert Client(REMOTE_ADDR="198.51.100.1").post("/api/v1/guest-token").status_code == 201
