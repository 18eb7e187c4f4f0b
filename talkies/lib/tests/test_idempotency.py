"""Idempotency-Key on API writes: a retry is answered with the first result, never written twice."""

import threading
import time

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from talkies.api import api
from talkies.comments import api as comments_api
from talkies.comments.models import Comment
from talkies.lib import idempotency
from talkies.lib.idempotency import HEADER, REPLAYED_HEADER, is_idempotent, purge_expired_keys
from talkies.ratings.models import Rating

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Answers 404 to any path no endpoint has: it writes nothing and has no result worth keeping.
NOT_WRITES = {"no_such_endpoint"}


def post_comment(client: Client, thread, body: str = "Loved it.", key: str | None = "retry-1", **extra):
    headers = {HEADER: key} if key is not None else {}
    return client.post(
        f"/api/v1/threads/{thread.pk}/comments",
        {"body": body, **extra},
        content_type="application/json",
        headers=headers,
    )


def stored_keys() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {idempotency.TABLE}")
        return cursor.fetchone()[0]


@pytest.fixture
def signed_in(client, reader) -> Client:
    client.force_login(reader)
    return client


def test_every_write_route_of_the_api_honours_the_key():
    writes = [
        (operation.view_func.__name__, operation)
        # Ninja serves clones of each router's operations, bound to the API: those are the ones to check.
        for bound in api._get_bound_routers()
        for path_view in bound.path_operations.values()
        for operation in path_view.operations
        if WRITE_METHODS & set(operation.methods) and operation.view_func.__name__ not in NOT_WRITES
    ]

    assert len(writes) >= 16  # comments, votes, reports, ratings, guest tokens, embed threads, staff writes
    assert [name for name, operation in writes if not is_idempotent(operation.run)] == []


def test_the_openapi_schema_lists_the_header_on_writes_only():
    paths = api.get_openapi_schema()["paths"]

    def headers(path: str, method: str) -> list[str]:
        parameters = paths[path][method].get("parameters", [])
        return [p["name"] for p in parameters if p["in"] == "header"]

    assert HEADER in headers("/api/v1/threads/{thread_id}/comments", "post")
    assert HEADER in headers("/api/v1/guest-token", "post")
    assert HEADER not in headers("/api/v1/threads/{thread_id}/comments", "get")


def test_a_retried_post_is_answered_with_the_first_result_and_posts_once(signed_in, thread):
    first = post_comment(signed_in, thread)
    retry = post_comment(signed_in, thread)

    assert first.status_code == retry.status_code == 201
    assert retry.content == first.content
    assert retry[REPLAYED_HEADER] == "true" and REPLAYED_HEADER not in first
    assert Comment.objects.filter(thread=thread).count() == 1


def test_writes_without_a_key_are_each_done(signed_in, thread):
    post_comment(signed_in, thread, key=None)
    post_comment(signed_in, thread, key=None)

    assert Comment.objects.filter(thread=thread).count() == 2
    assert stored_keys() == 0


def test_the_same_key_on_a_different_request_is_refused_naming_the_header(signed_in, thread):
    post_comment(signed_in, thread, body="Loved it.")
    response = post_comment(signed_in, thread, body="Hated it.")

    assert response.status_code == 422
    assert response.json()["field"] == HEADER
    assert "different request" in response.json()["error"]
    assert Comment.objects.filter(thread=thread).count() == 1


@pytest.mark.parametrize("key", ["", "has space", "x" * 256, "café"])
def test_a_malformed_key_is_refused_before_anything_is_written(signed_in, thread, key):
    response = post_comment(signed_in, thread, key=key)

    assert response.status_code == 422
    assert response.json()["field"] == HEADER
    assert not Comment.objects.exists()


def test_keys_belong_to_their_actor(client, reader, second_reader, thread):
    client.force_login(reader)
    mine = post_comment(client, thread, body="Same words.")
    other = Client()
    other.force_login(second_reader)

    theirs = post_comment(other, thread, body="Same words.")

    assert theirs.status_code == 201 and REPLAYED_HEADER not in theirs
    assert theirs.json()["id"] != mine.json()["id"]
    assert Comment.objects.filter(thread=thread).count() == 2


def test_guests_keys_are_their_own(site, thread):
    site.allow_guest_comments = True
    site.save()
    guest, other_guest = Client(), Client()
    tokens = [c.post("/api/v1/guest-token").json()["guest_token"] for c in (guest, other_guest)]

    answers = [
        post_comment(c, thread, body="Same words.", guest_name="Eve", guest_token=token)
        for c, token in zip((guest, other_guest), tokens, strict=True)
    ]
    retry = post_comment(guest, thread, body="Same words.", guest_name="Eve", guest_token=tokens[0])

    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json()["id"] != answers[1].json()["id"]
    assert retry.content == answers[0].content
    assert Comment.objects.filter(thread=thread).count() == 2


def test_a_refused_write_keeps_no_key_so_the_corrected_retry_is_done(signed_in, thread):
    refused = post_comment(signed_in, thread, body="")
    assert refused.status_code == 400 and stored_keys() == 0

    accepted = post_comment(signed_in, thread, body="Loved it, on second thoughts.")

    assert accepted.status_code == 201 and REPLAYED_HEADER not in accepted
    assert Comment.objects.filter(thread=thread).count() == 1


def test_the_key_and_the_write_commit_together_or_not_at_all(signed_in, thread, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("the process died after the comment was written, before it answered")

    monkeypatch.setattr(comments_api, "author_badge", crash)

    with pytest.raises(RuntimeError):
        post_comment(signed_in, thread)

    assert not Comment.objects.exists()
    assert stored_keys() == 0


def test_a_rating_retried_after_a_change_is_refused_and_the_first_answer_kept(signed_in, film, site):
    url = f"/api/v1/films/{film.slug}/rating"
    first = signed_in.put(url, {"value": 8}, content_type="application/json", headers={HEADER: "rate-1"})
    again = signed_in.put(url, {"value": 8}, content_type="application/json", headers={HEADER: "rate-1"})
    changed = signed_in.put(url, {"value": 3}, content_type="application/json", headers={HEADER: "rate-1"})

    assert first.status_code == again.status_code == 200 and again.content == first.content
    assert changed.status_code == 422
    assert Rating.objects.get().value == 8


def test_keys_are_forgotten_after_their_time(signed_in, thread, settings):
    first = post_comment(signed_in, thread)

    assert purge_expired_keys(now=time.time()) == 0
    assert purge_expired_keys(now=time.time() + settings.IDEMPOTENCY_KEY_HOURS * 3600 + 1) == 1

    again = post_comment(signed_in, thread)
    assert again.status_code == 201 and again.json()["id"] != first.json()["id"]


def test_an_actor_keeps_at_most_the_cap_of_keys_and_forgets_the_oldest(signed_in, thread, settings):
    settings.IDEMPOTENCY_KEYS_PER_ACTOR = 3
    for n in range(5):
        post_comment(signed_in, thread, body=f"Comment {n}", key=f"key-{n}")

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT idem_key FROM {idempotency.TABLE} ORDER BY created")
        kept = [key for (key,) in cursor.fetchall()]
    assert kept == ["key-2", "key-3", "key-4"]
    assert REPLAYED_HEADER in post_comment(signed_in, thread, body="Comment 4", key="key-4")


def test_an_expired_key_not_yet_purged_starts_a_new_write(signed_in, thread, settings):
    post_comment(signed_in, thread)
    settings.IDEMPOTENCY_KEY_HOURS = 0  # every stored key is now past its time

    again = post_comment(signed_in, thread)

    assert again.status_code == 201 and REPLAYED_HEADER not in again
    assert Comment.objects.filter(thread=thread).count() == 2
    assert stored_keys() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite lets one transaction write at a time anyway")
def test_two_retries_racing_with_one_key_write_once(reader, thread, monkeypatch):
    """The second request's claim waits on the first's uncommitted key, then answers with its result."""
    writing, may_finish = threading.Event(), threading.Event()
    real_create = comments_api.comment_create

    def slow_create(**kwargs):
        comment = real_create(**kwargs)
        writing.set()
        assert may_finish.wait(30)
        return comment

    monkeypatch.setattr(comments_api, "comment_create", slow_create)
    answers: dict[str, HttpResponse] = {}

    def send(name: str) -> None:
        client = Client()
        client.force_login(reader)
        try:
            answers[name] = post_comment(client, thread)
        finally:
            connection.close()

    first = threading.Thread(target=send, args=("first",))
    first.start()
    assert writing.wait(30)
    second = threading.Thread(target=send, args=("second",))
    second.start()
    waits_for_the_key = 0
    for _ in range(500):  # until the second request waits on the first's key (or it never does)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            waits_for_the_key = cursor.fetchone()[0]
        if waits_for_the_key:
            break
        time.sleep(0.01)
    may_finish.set()
    first.join(30)
    second.join(30)

    assert waits_for_the_key == 1
    assert answers["first"].status_code == answers["second"].status_code == 201
    assert answers["second"].content == answers["first"].content
    assert answers["second"][REPLAYED_HEADER] == "true"
    assert Comment.objects.filter(thread=thread).count() == 1


def without_savepoints(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]


def test_a_key_costs_a_write_three_statements_and_a_replay_two(signed_in, thread):
    post_comment(signed_in, thread, body="Warming the caches a first post fills.", key=None)
    with CaptureQueriesContext(connection) as plain:
        post_comment(signed_in, thread, body="Without a key.", key=None)
    with CaptureQueriesContext(connection) as keyed:
        post_comment(signed_in, thread, body="With a key.", key="cost-1")
    with CaptureQueriesContext(connection) as replayed:
        post_comment(signed_in, thread, body="With a key.", key="cost-1")

    statements = [q["sql"].split()[0] for q in keyed.captured_queries if idempotency.TABLE in q["sql"]]
    assert statements == ["INSERT", "SELECT", "UPDATE"]  # the claim, the look for keys past the cap, the answer
    # Beside the transaction it opens (a savepoint here, as the test runs inside one): BEGIN and COMMIT.
    assert len(without_savepoints(keyed)) - len(without_savepoints(plain)) == 3
    assert [q["sql"].split()[0] for q in replayed.captured_queries if idempotency.TABLE in q["sql"]] == [
        "INSERT",
        "SELECT",
    ]
