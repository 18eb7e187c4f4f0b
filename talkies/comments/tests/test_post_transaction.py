"""A posted comment costs one short transaction: everything it writes commits together, and nothing it
needs is read twice (issue 12)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from talkies.comments.events import ThreadEvent, ThreadEventKind
from talkies.comments.models import Comment
from talkies.live.models import LiveEvent
from talkies.live.payloads import event_payload

# Tables the comment's own writes touch, each of which must be written inside its transaction.
OWN_TABLES = ("comments_comment", "comments_thread", "live_liveevent", "moderation_queueentry")


@pytest.fixture
def open_to_guests(site):
    site.allow_guest_comments = True
    site.save()
    return site


def statement(sql: str) -> str:
    return sql.split(None, 1)[0].upper()


@pytest.mark.django_db(transaction=True)
def test_a_guest_comment_writes_everything_it_writes_in_one_transaction(open_to_guests, thread, settings, monkeypatch):
    settings.TASKS_RUN_IMMEDIATELY = False  # as deployed: the queued emails wait for the worker
    monkeypatch.setattr("talkies.live.publisher._next_prune_at", float("inf"))  # the once-a-minute prune
    client = Client()
    token = client.post("/api/v1/guest-token").json()["guest_token"]
    body = {"body": "Loved the **chandelier** fight. >!Winston!<", "guest_name": "Eve", "guest_token": token}

    with CaptureQueriesContext(connection) as queries:
        answer = client.post(f"/api/v1/threads/{thread.pk}/comments", body, content_type="application/json")

    assert answer.status_code == 201, answer.content
    sql = [q["sql"] for q in queries.captured_queries]
    begins = [i for i, s in enumerate(sql) if statement(s) == "BEGIN"]
    assert len(begins) == 1, "\n".join(s[:90] for s in sql)
    commit = next(i for i, s in enumerate(sql) if statement(s) == "COMMIT")
    own_writes = [
        i for i, s in enumerate(sql) if statement(s) in {"INSERT", "UPDATE"} and any(t in s for t in OWN_TABLES)
    ]
    assert own_writes and all(begins[0] < i < commit for i in own_writes), sql
    comment = Comment.objects.get()
    # The new comment is never read back (its live event is rendered from it), nor the thread's version.
    assert not [s for s in sql if statement(s) == "SELECT" and f'"comments_comment"."id" = {comment.pk}' in s]
    assert not [s for s in sql if statement(s) == "SELECT" and s.startswith('SELECT "comments_thread"."version"')]
    assert LiveEvent.objects.get(comment_id=comment.pk).payload["comment"]["body_html"] == comment.body_html


def test_a_new_comments_live_payload_is_the_same_from_the_saved_comment_as_read_back(thread, reader):
    from talkies.comments.services import comment_create

    comment = comment_create(thread=thread, author=reader, body="Hello **there** >!Charon!<")
    event = ThreadEvent(
        kind=ThreadEventKind.COMMENT_CREATED,
        site_id=thread.site_id,
        thread_id=thread.pk,
        version=1,
        comment_id=comment.pk,
    )
    from_saved = event_payload(ThreadEvent(**{**event.__dict__, "saved": comment}))

    assert from_saved == event_payload(event)
