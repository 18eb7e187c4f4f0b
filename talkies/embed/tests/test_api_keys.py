"""Site API keys: created by `talkies apikey create`, stored hashed, good for their own site only."""

import hashlib
import io
import re

import pytest
from django.core.management import CommandError, call_command

from talkies.comments.models import Comment
from talkies.comments.services import comment_create
from talkies.embed.api_keys import api_key_create
from talkies.embed.models import ApiKey


def create_key(site_slug="reelnews", name="wp") -> str:
    out = io.StringIO()
    call_command("apikey", "create", "--site", site_slug, "--name", name, stdout=out)
    match = re.search(r"^\s+(tk_\S+)$", out.getvalue(), re.MULTILINE)
    assert match, out.getvalue()
    return match[1]


def pending(client, key, **params):
    return client.get("/api/v1/embed/moderation/pending", params, headers={"Authorization": f"Api-Key {key}"})


def test_the_command_shows_the_key_once_and_stores_only_its_hash(site):
    key = create_key()

    stored = ApiKey.objects.get()
    assert (stored.site, stored.name) == (site, "wp")
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {getattr(stored, f.attname) for f in ApiKey._meta.concrete_fields}
    assert key.startswith(stored.prefix)


def test_the_command_names_the_sites_when_the_slug_is_wrong(site):
    with pytest.raises(CommandError, match="the sites are reelnews"):
        call_command("apikey", "create", "--site", "reelnwes", "--name", "wp")


def test_pending_comments_of_the_keys_site_are_listed(site, thread, reader, client):
    held = comment_create(thread=thread, author=reader, body="Held for review.")
    Comment.objects.filter(pk=held.pk).update(status=Comment.Status.PENDING)
    comment_create(thread=thread, author=reader, body="Published.")
    key = create_key()

    response = pending(client, key)

    assert response.status_code == 200, response.content
    body = response.json()
    assert [item["id"] for item in body["items"]] == [held.pk]
    assert body["items"][0]["thread_key"] == thread.key
    assert (body["count"], body["next_page"]) == (1, None)
    assert ApiKey.objects.get().last_used_at is not None


def test_an_empty_queue_is_an_empty_list(site, client):
    assert pending(client, create_key()).json()["items"] == []


def test_the_queue_costs_a_fixed_number_of_queries(site, thread, reader, client, django_assert_num_queries):
    for n in range(20):
        comment_create(thread=thread, author=reader, body=f"Held {n}.")
    Comment.objects.update(status=Comment.Status.PENDING)
    key = create_key()
    pending(client, key)  # records the key's use, which happens at most once a minute

    # the key, the count, and the page of comments with their threads and authors (the site is cached)
    with django_assert_num_queries(3):
        pending(client, key, page_size=10)


def test_another_sites_key_sees_none_of_this_sites_queue(site, other_site, thread, reader, client):
    held = comment_create(thread=thread, author=reader, body="Held for review.")
    Comment.objects.filter(pk=held.pk).update(status=Comment.Status.PENDING)
    _, other_key = api_key_create(site=other_site, name="wp")

    response = pending(client, other_key, site="reelnews")

    assert response.json()["items"] == []


@pytest.mark.parametrize("header", [None, "Api-Key tk_not-a-key", "Bearer tk_whatever"])
def test_a_missing_or_unknown_key_is_a_401_naming_authorization(site, client, header):
    headers = {"Authorization": header} if header else {}

    response = client.get("/api/v1/embed/moderation/pending", headers=headers)

    assert response.status_code == 401
    assert response.json()["field"] == "authorization"


def test_a_revoked_key_stops_working(site, client):
    key = create_key()
    call_command("apikey", "revoke", ApiKey.objects.get().prefix, stdout=io.StringIO())

    assert pending(client, key).status_code == 401
