"""Readers' reports (POST /api/v1/comments/{id}/report) and the queues moderators read them in
(GET /api/v1/moderation/queues/{queue}): the site's threshold, the reported queue with its reasons, the
most-reported order, keyset pages, filters, and the report rate limit."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from talkies.accounts.actors import Actor
from talkies.accounts.models import User
from talkies.catalogue.models import Film
from talkies.comments.models import Comment, Thread
from talkies.comments.services import comment_create
from talkies.embed.api_keys import api_key_create
from talkies.moderation.events import ModerationEvent, moderation_changed
from talkies.moderation.models import AuditEntry, ModerationSettings, PremoderationRule, QueueEntry, Report
from talkies.moderation.services import comment_report
from talkies.stories.services import story_create

QUEUES = "/api/v1/moderation/queues"


def report_url(comment: Comment) -> str:
    return f"/api/v1/comments/{comment.pk}/report"


def browser(user: User | None) -> Client:
    """A browser client logged in as `user`, which sends its session's CSRF token on every request."""
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
        token = client.get("/api/v1/session").json()["csrf_token"]
        client.defaults["HTTP_X_CSRFTOKEN"] = token
    return client


def report(client: Client, comment: Comment, **data):
    return client.post(report_url(comment), data, content_type="application/json")


@pytest.fixture
def comment(thread, second_reader) -> Comment:
    return comment_create(thread=thread, author=second_reader, body="An opinion some will dislike.")


@pytest.fixture
def key_client(site) -> Client:
    """The site's own tools, reading its queues with its API key."""
    _, key = api_key_create(site=site, name="newsroom tools")
    return Client(headers={"Authorization": f"Api-Key {key}"})


def readers(n: int) -> list[User]:
    return [User.objects.create_user(username=f"fan{i}", password="correct horse battery staple") for i in range(n)]


def entry(comment: Comment) -> QueueEntry:
    return QueueEntry.objects.get(comment=comment)


def reports_to_queue(site, n: int) -> None:
    ModerationSettings.objects.update_or_create(site=site, defaults={"reports_to_queue": n})


# --- Reporting ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "text"),
    [("spam", ""), ("abuse", "Name-calling"), ("spoiler", ""), ("off_topic", ""), ("other", "Impersonates a critic")],
)
def test_a_reader_reports_a_comment_with_each_reason(comment, reader, reason, text):
    response = report(browser(reader), comment, reason=reason, text=text)

    assert response.status_code == 200, response.content
    assert response.json() == {"comment_id": comment.pk, "reported": True}
    (stored,) = Report.objects.all()
    assert (stored.comment_id, stored.reporter_id, stored.reason, stored.text) == (comment.pk, reader.pk, reason, text)
    assert entry(comment).report_count == 1


@pytest.mark.parametrize("text", ["", "   "])
def test_other_without_text_is_refused_naming_text(comment, reader, text):
    response = report(browser(reader), comment, reason="other", text=text)

    assert response.status_code == 400
    assert response.json() == {"error": "text is empty: say what is wrong with this comment", "field": "text"}
    assert not Report.objects.exists()
    assert entry(comment).report_count == 0


def test_an_unknown_reason_is_refused_naming_reason(comment, reader):
    response = report(browser(reader), comment, reason="boring")

    assert response.status_code == 422
    assert response.json()["field"] == "reason"
    assert not Report.objects.exists()


def test_text_longer_than_500_characters_is_refused(comment, reader):
    response = report(browser(reader), comment, reason="other", text="x" * 501)

    assert response.status_code == 400
    assert response.json()["field"] == "text"
    assert not Report.objects.exists()


def test_a_reader_reports_a_comment_only_once(comment, reader):
    client = browser(reader)
    assert report(client, comment, reason="spam").status_code == 200

    again = report(client, comment, reason="abuse")

    assert again.status_code == 400
    assert again.json() == {"error": "you have already reported this comment", "field": "comment"}
    assert list(Report.objects.values_list("reason", flat=True)) == ["spam"]
    assert entry(comment).report_count == 1


def test_nobody_reports_their_own_comment(comment, second_reader):
    response = report(browser(second_reader), comment, reason="spam")

    assert response.status_code == 403
    assert response.json() == {"error": "you cannot report your own comment", "field": "comment"}
    assert not Report.objects.exists()


def test_a_visitor_must_log_in_to_report(comment):
    response = report(browser(None), comment, reason="spam")

    assert response.status_code == 401
    assert response.json()["error"] == "log in to report comments"
    assert not Report.objects.exists()


def test_a_held_comment_cannot_be_reported(site, thread, second_reader, reader):
    PremoderationRule.objects.create(site=site, scope=PremoderationRule.Scope.SITE)
    held = comment_create(thread=thread, author=second_reader, body="Held.")

    response = report(browser(reader), held, reason="spam")

    assert response.status_code == 403
    assert response.json()["error"] == "this comment cannot be reported"
    assert not Report.objects.exists()


def test_a_comment_of_another_site_is_not_found(site, other_site, film, second_reader, reader):
    elsewhere = Thread.objects.create(site=other_site, key="https://other.example/x", film=film)
    foreign = comment_create(thread=elsewhere, author=second_reader, body="On Other Reel.")

    response = report(browser(reader), foreign, reason="spam")

    assert response.status_code == 404
    assert not Report.objects.exists()


def test_reporting_needs_the_csrf_token(comment, reader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)

    response = report(client, comment, reason="spam")

    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]
    assert not Report.objects.exists()


# --- The site's threshold, and the reported queue ------------------------------------------------------


def test_one_report_queues_a_comment_by_default(site, comment, reader):
    report(browser(reader), comment, reason="spam")

    assert (entry(comment).is_reported, entry(comment).report_count) == (True, 1)


def test_the_nth_report_sends_a_comment_to_the_reported_queue(
    site, comment, reader, second_reader, key_client, django_capture_on_commit_callbacks
):
    reports_to_queue(site, 2)
    (third,) = readers(1)
    seen: list[ModerationEvent] = []

    def receiver(event: ModerationEvent) -> None:
        seen.append(event)

    moderation_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            assert report(browser(reader), comment, reason="spoiler").status_code == 200
        assert (entry(comment).is_reported, entry(comment).report_count, seen) == (False, 1, [])
        assert key_client.get(f"{QUEUES}/reported").json()["items"] == []

        with django_capture_on_commit_callbacks(execute=True):
            assert report(browser(third), comment, reason="other", text="Trolling the thread").status_code == 200
    finally:
        moderation_changed.disconnect(receiver)

    queued = entry(comment)
    assert (queued.is_reported, queued.report_count) == (True, 2)
    assert queued.flags == [{"source": "reports", "name": "reported", "detail": "2 reader report(s)"}]
    assert [(e.kind, e.comment_id, e.queue, e.site_id) for e in seen] == [
        ("comment.reported", comment.pk, "reported", site.pk)
    ]
    audit = AuditEntry.objects.get(comment_id=comment.pk)
    assert (audit.action, audit.actor_label, audit.reason) == (
        "report_queue",
        "rule: reader reports",
        "2 reader report(s)",
    )

    response = key_client.get(f"{QUEUES}/reported")

    assert response.status_code == 200, response.content
    (item,) = response.json()["items"]
    assert (item["comment_id"], item["report_count"], item["is_reported"], item["status"]) == (
        comment.pk,
        2,
        True,
        "approved",
    )
    assert [(r["reporter"], r["reason"], r["text"]) for r in item["reports"]] == [
        ("reader", "spoiler", ""),
        ("fan0", "other", "Trolling the thread"),
    ]
    assert item["flags"] == [{"source": "reports", "name": "reported", "detail": "2 reader report(s)", "score": None}]
    assert key_client.get("/api/v1/moderation/counts").json()["counts"]["reported"] == 1


def test_a_third_report_does_not_queue_a_comment_twice(site, comment, key_client, django_capture_on_commit_callbacks):
    reports_to_queue(site, 2)
    seen: list[ModerationEvent] = []

    def receiver(event: ModerationEvent) -> None:
        seen.append(event)

    moderation_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            for fan in readers(3):
                comment_report(comment=comment, actor=Actor.of(fan), reason="spam")
    finally:
        moderation_changed.disconnect(receiver)

    assert len(seen) == 1
    assert entry(comment).report_count == 3
    assert len(entry(comment).flags) == 1
    assert AuditEntry.objects.filter(comment_id=comment.pk, action="report_queue").count() == 1


def test_a_moderators_decision_takes_a_comment_out_of_the_reported_queue(site, comment, reader, key_client):
    report(browser(reader), comment, reason="abuse")

    decided = key_client.post(
        f"/api/v1/moderation/comments/{comment.pk}", {"action": "approve"}, content_type="application/json"
    )

    assert decided.status_code == 200, decided.content
    assert key_client.get(f"{QUEUES}/reported").json()["items"] == []
    assert entry(comment).is_reported is False


def test_most_reported_order_puts_the_most_reported_first(site, thread, second_reader, key_client):
    once, thrice, twice = (
        comment_create(thread=thread, author=second_reader, body=f"Comment {n}.") for n in ("one", "three", "two")
    )
    fans = readers(3)
    for target, count in ((once, 1), (thrice, 3), (twice, 2)):
        for fan in fans[:count]:
            comment_report(comment=target, actor=Actor.of(fan), reason="spam")

    most = key_client.get(f"{QUEUES}/reported", {"order": "reported"}).json()
    newest = key_client.get(f"{QUEUES}/reported").json()

    assert most["order"] == "reported"
    assert [item["comment_id"] for item in most["items"]] == [thrice.pk, twice.pk, once.pk]
    assert [item["report_count"] for item in most["items"]] == [3, 2, 1]
    assert [item["comment_id"] for item in newest["items"]] == [twice.pk, thrice.pk, once.pk]


def test_most_reported_pages_follow_on_without_repeats(site, thread, second_reader, key_client):
    fans = readers(3)
    comments = []
    for n in range(7):
        target = comment_create(thread=thread, author=second_reader, body=f"Comment {n}.")
        for fan in fans[: 1 + n % 3]:  # report counts 1, 2, 3, 1, 2, 3, 1: ties to break by id
            comment_report(comment=target, actor=Actor.of(fan), reason="spam")
        comments.append(target)

    seen = read_every_page(key_client, "reported", limit=3, order="reported")

    expected = sorted(comments, key=lambda c: (entry(c).report_count, c.pk), reverse=True)
    assert seen == [c.pk for c in expected]


# --- Keyset pages ------------------------------------------------------------------------------------


def read_every_page(client: Client, queue: str, *, limit: int, **params) -> list[int]:
    seen: list[int] = []
    cursor = None
    for _ in range(100):
        query = {"limit": limit, **params, **({"cursor": cursor} if cursor else {})}
        response = client.get(f"{QUEUES}/{queue}", query)
        assert response.status_code == 200, response.content
        body = response.json()
        assert len(body["items"]) <= limit
        seen += [item["comment_id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            return seen
    raise AssertionError("the pages never ended")


def test_sixty_pending_comments_read_in_pages_of_25_come_once_each_newest_first(
    site, thread, second_reader, key_client
):
    PremoderationRule.objects.create(site=site, scope=PremoderationRule.Scope.SITE)
    start = timezone.now() - datetime.timedelta(hours=2)
    # Pairs posted at the same instant, so the id has to break ties for no item to be lost or repeated.
    held = [
        comment_create(
            thread=thread,
            author=second_reader,
            body=f"Held {n}.",
            created_at=start + datetime.timedelta(seconds=n // 2),
        )
        for n in range(60)
    ]
    assert {c.status for c in held} == {Comment.Status.PENDING}

    pages = []
    cursor = None
    while True:
        response = key_client.get(f"{QUEUES}/pending", {"limit": 25, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.content
        pages.append([item["comment_id"] for item in response.json()["items"]])
        cursor = response.json()["next_cursor"]
        if cursor is None:
            break

    assert [len(page) for page in pages] == [25, 25, 10]
    seen = [pk for page in pages for pk in page]
    assert seen == [c.pk for c in sorted(held, key=lambda c: (c.created_at, c.pk), reverse=True)]
    assert len(set(seen)) == 60


@pytest.mark.parametrize("cursor", ["not-a-cursor!", "W10", "eyJ4IjoxfQ", "x" * 300])
def test_a_garbled_cursor_is_a_400_naming_cursor(site, key_client, cursor):
    response = key_client.get(f"{QUEUES}/pending", {"cursor": cursor})

    assert response.status_code == 400
    assert response.json()["field"] == "cursor"
    assert "start again from the first page" in response.json()["error"]


def test_a_cursor_from_the_other_order_is_refused(site, thread, second_reader, key_client):
    PremoderationRule.objects.create(site=site, scope=PremoderationRule.Scope.SITE)
    for n in range(3):
        comment_create(thread=thread, author=second_reader, body=f"Held {n}.")
    newest_cursor = key_client.get(f"{QUEUES}/pending", {"limit": 1}).json()["next_cursor"]

    response = key_client.get(f"{QUEUES}/pending", {"limit": 1, "order": "reported", "cursor": newest_cursor})

    assert response.status_code == 400
    assert response.json()["field"] == "cursor"


def test_a_limit_out_of_range_is_refused_naming_limit(site, key_client):
    for limit in (0, 101):
        response = key_client.get(f"{QUEUES}/pending", {"limit": limit})

        assert response.status_code == 422
        assert response.json()["field"] == "limit"


def test_a_page_costs_the_same_number_of_queries_however_many_items_it_holds(
    site, thread, second_reader, reader, key_client
):
    PremoderationRule.objects.create(site=site, scope=PremoderationRule.Scope.SITE)
    for n in range(3):
        comment_create(thread=thread, author=second_reader, body=f"Held {n}.")
    key_client.get(f"{QUEUES}/pending")  # records the key's use, which happens at most once a minute
    with CaptureQueriesContext(connection) as few:
        key_client.get(f"{QUEUES}/pending")
    authors = readers(5)
    for n in range(20):
        comment_create(thread=thread, author=authors[n % 5], body=f"More {n}.")

    with CaptureQueriesContext(connection) as many:
        response = key_client.get(f"{QUEUES}/pending")

    assert len(response.json()["items"]) == 23
    assert len(many.captured_queries) == len(few.captured_queries)


# --- Filters -----------------------------------------------------------------------------------------


@pytest.fixture
def spread(site, thread, story, film, editor, reader, second_reader):
    """Held comments on two stories about two films, by two authors."""
    PremoderationRule.objects.create(site=site, scope=PremoderationRule.Scope.SITE)
    wick = Film.objects.create(title="John Wick", slug="john-wick", runtime_minutes=101)
    other_story = story_create(
        site=site,
        kind="news",
        title="John Wick 5?",
        body="News.",
        author=editor,
        published_at=timezone.now() - datetime.timedelta(hours=1),
        films=[wick],
    )
    other_thread = Thread.objects.create(
        site=site, key=f"story:{other_story.pk}", story=other_story, film=wick, title="John Wick 5?"
    )
    return {
        "story": story,
        "other_story": other_story,
        "film": film,
        "wick": wick,
        "ballerina_by_reader": comment_create(thread=thread, author=reader, body="On Ballerina, by reader."),
        "ballerina_by_second": comment_create(thread=thread, author=second_reader, body="On Ballerina, by second."),
        "wick_by_reader": comment_create(thread=other_thread, author=reader, body="On John Wick, by reader."),
    }


def queue_ids(client: Client, **params) -> set[int]:
    response = client.get(f"{QUEUES}/pending", params)
    assert response.status_code == 200, response.content
    return {item["comment_id"] for item in response.json()["items"]}


def test_the_story_filter_narrows_the_queue(spread, key_client):
    assert queue_ids(key_client, story=spread["story"].pk) == {
        spread["ballerina_by_reader"].pk,
        spread["ballerina_by_second"].pk,
    }
    assert queue_ids(key_client, story=spread["other_story"].pk) == {spread["wick_by_reader"].pk}


def test_the_film_filter_narrows_the_queue(spread, key_client):
    assert queue_ids(key_client, film=spread["wick"].pk) == {spread["wick_by_reader"].pk}
    assert queue_ids(key_client, film=spread["film"].pk) == {
        spread["ballerina_by_reader"].pk,
        spread["ballerina_by_second"].pk,
    }


def test_the_author_filter_narrows_the_queue(spread, key_client, reader, second_reader):
    assert queue_ids(key_client, author=reader.pk) == {spread["ballerina_by_reader"].pk, spread["wick_by_reader"].pk}
    assert queue_ids(key_client, author=second_reader.pk) == {spread["ballerina_by_second"].pk}


def test_filters_combine(spread, key_client, reader):
    assert queue_ids(key_client, author=reader.pk, film=spread["film"].pk) == {spread["ballerina_by_reader"].pk}
    assert queue_ids(key_client, author=reader.pk, story=spread["story"].pk, film=spread["wick"].pk) == set()


def test_the_queue_item_says_where_and_why(spread, key_client, reader):
    response = key_client.get(f"{QUEUES}/pending", {"author": reader.pk, "film": spread["wick"].pk})

    (item,) = response.json()["items"]
    assert (item["story_id"], item["film_id"], item["author_id"]) == (
        spread["other_story"].pk,
        spread["wick"].pk,
        reader.pk,
    )
    assert item["thread_title"] == "John Wick 5?"
    assert item["flags"][0]["source"] == "rule" and item["flags"][0]["name"] == "site"
    assert item["history"]["comments"] == 2


# --- The report rate limit ----------------------------------------------------------------------------


def test_the_third_report_in_a_minute_is_refused_with_retry_after(settings, thread, second_reader, reader):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "report": {"account": "2/m", "ip": ""}}
    targets = [comment_create(thread=thread, author=second_reader, body=f"Comment {n}.") for n in range(3)]
    client = browser(reader)

    answers = [report(client, target, reason="spam") for target in targets]

    assert [a.status_code for a in answers] == [200, 200, 429]
    refused = answers[2]
    assert refused.json()["field"] == "reason"
    assert refused.json()["error"].startswith("you are reporting too fast: try again in ")
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert set(Report.objects.values_list("comment_id", flat=True)) == {targets[0].pk, targets[1].pk}
    assert entry(targets[2]).report_count == 0


def test_the_report_limit_is_per_account(settings, thread, second_reader, reader):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "report": {"account": "2/m", "ip": ""}}
    targets = [comment_create(thread=thread, author=second_reader, body=f"Comment {n}.") for n in range(3)]
    client = browser(reader)
    for target in targets[:2]:
        assert report(client, target, reason="spam").status_code == 200
    (other,) = readers(1)

    assert report(browser(other), targets[2], reason="spam").status_code == 200
