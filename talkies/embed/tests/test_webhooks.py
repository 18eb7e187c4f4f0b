"""Signed webhooks, delivered to a tiny HTTP server on 127.0.0.1, with retries and a delivery log."""

import datetime
import json
import time

import pytest
from django.core.management import call_command
from django.utils import timezone

from talkies.comments.events import ThreadEventKind, announce
from talkies.comments.services import comment_create
from talkies.embed.models import Webhook, WebhookDelivery
from talkies.embed.webhooks import SIGNATURE_HEADER, deliver_due, signature_header, verify_signature
from talkies.ratings.services import rating_remove, rating_set
from talkies.tasks.models import Task
from talkies.tasks.queue import run_pending_tasks


@pytest.fixture(autouse=True)
def receivers_on_loopback_are_allowed(settings):
    """The receiver runs on 127.0.0.1, which webhooks are sent to only when the operator allows it."""
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]


@pytest.fixture
def hook(site, receiver) -> Webhook:
    return Webhook.objects.create(
        site=site, url=receiver.url, events=["comment.created", "comment.approved", "rating.created"]
    )


def test_a_new_comment_is_posted_signed_after_commit(
    hook, receiver, thread, reader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_create(thread=thread, author=reader, body="Loved it.")

    assert len(receiver.received) == 1
    headers, body = receiver.received[0]
    assert verify_signature(hook.secret, body, headers[SIGNATURE_HEADER])
    envelope = json.loads(body)
    assert envelope["event"] == "comment.created"
    assert envelope["data"]["comment"]["id"] == comment.pk
    assert envelope["data"]["comment"]["thread"]["key"] == thread.key
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 1, 204)
    assert delivery.attempt_log.get().response_code == 204


def test_nothing_is_sent_before_the_transaction_commits(
    hook, receiver, thread, reader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        comment_create(thread=thread, author=reader, body="Loved it.")

    assert callbacks
    assert receiver.received == []
    assert not WebhookDelivery.objects.exists()


def test_an_approved_comment_and_a_first_rating_are_sent(
    hook, receiver, thread, film, reader, django_capture_on_commit_callbacks
):
    comment = comment_create(thread=thread, author=reader, body="Held for review.")
    with django_capture_on_commit_callbacks(execute=True):
        announce(
            kind=ThreadEventKind.COMMENT_APPROVED, site_id=thread.site_id, thread_id=thread.pk, comment_id=comment.pk
        )
        rating_set(site=thread.site, film=film, user=reader, value=8)
        rating_set(site=thread.site, film=film, user=reader, value=9)  # a change, not a new rating

    events = [json.loads(body)["event"] for _headers, body in receiver.received]
    assert events == ["comment.approved", "rating.created"]
    rating = json.loads(receiver.received[1][1])["data"]["rating"]
    assert rating["film"]["slug"] == "ballerina" and rating["value"] == 8


def test_a_changed_or_withdrawn_rating_sends_nothing(hook, receiver, film, reader, django_capture_on_commit_callbacks):
    site = hook.site
    with django_capture_on_commit_callbacks(execute=True):
        rating_set(site=site, film=film, user=reader, value=8)
    with django_capture_on_commit_callbacks(execute=True):
        rating_set(site=site, film=film, user=reader, value=3)
    with django_capture_on_commit_callbacks(execute=True):
        rating_remove(site=site, film=film, user=reader)

    assert [json.loads(body)["event"] for _headers, body in receiver.received] == ["rating.created"]


def test_only_subscribed_events_of_the_site_are_sent(
    hook, receiver, other_site, thread, film, reader, django_capture_on_commit_callbacks
):
    hook.events = ["rating.created"]
    hook.save()
    Webhook.objects.create(site=other_site, url=receiver.url, events=["comment.created"])

    with django_capture_on_commit_callbacks(execute=True):
        comment_create(thread=thread, author=reader, body="Loved it.")

    assert receiver.received == []


def test_a_failed_delivery_is_retried_after_1_5_and_30_minutes_then_given_up(
    hook, receiver, thread, reader, django_capture_on_commit_callbacks
):
    receiver.status = 500
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(thread=thread, author=reader, body="Loved it.")
    delivery = WebhookDelivery.objects.get()
    waits = []
    for _retry in range(3):
        delivery.refresh_from_db()
        assert delivery.status == "pending"
        last_attempt = delivery.attempt_log.last()
        assert last_attempt is not None and delivery.next_retry_at is not None
        waits.append(delivery.next_retry_at - last_attempt.attempted_at)
        assert deliver_due() == 0  # not due yet
        WebhookDelivery.objects.update(next_retry_at=timezone.now() - datetime.timedelta(seconds=1))  # it is now
        assert deliver_due() == 1

    delivery.refresh_from_db()
    assert waits == [datetime.timedelta(minutes=m) for m in (1, 5, 30)]
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("failed", 4, 500)
    assert delivery.attempt_log.count() == 4
    assert len(receiver.received) == 4
    assert len({json.loads(body)["id"] for _h, body in receiver.received}) == 1  # one id, for deduplication


def test_the_retry_command_delivers_due_retries(
    hook, receiver, thread, reader, django_capture_on_commit_callbacks, capsys
):
    receiver.status = 503
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(thread=thread, author=reader, body="Loved it.")
    WebhookDelivery.objects.update(next_retry_at=timezone.now() - datetime.timedelta(seconds=1))
    receiver.status = 200

    call_command("webhooks", "retry")

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
    assert "Attempted 1 due webhook delivery" in capsys.readouterr().out


def test_an_unreachable_receiver_is_logged_as_an_error(site, thread, reader, django_capture_on_commit_callbacks):
    Webhook.objects.create(site=site, url="http://127.0.0.1:9/closed", events=["comment.created"])

    with django_capture_on_commit_callbacks(execute=True):
        comment_create(thread=thread, author=reader, body="Loved it.")

    attempt = WebhookDelivery.objects.get().attempt_log.get()
    assert attempt.response_code is None and attempt.error == "connection failed"


def test_signatures_verify_only_with_the_secret_the_body_and_a_recent_time():
    body = b'{"event":"comment.created"}'
    header = signature_header("s3cret", body, timestamp=1_700_000_000)

    assert verify_signature("s3cret", body, header, now=1_700_000_010)
    assert not verify_signature("other", body, header, now=1_700_000_010)
    assert not verify_signature("s3cret", body + b" ", header, now=1_700_000_010)
    assert not verify_signature("s3cret", body, header, now=1_700_000_000 + 3600)  # a replay, an hour on
    assert not verify_signature("s3cret", body, "v1=abc", now=1_700_000_010)


def test_webhook_urls_must_be_http_or_https(site):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        Webhook(site=site, url="file:///etc/passwd", events=["comment.created"]).full_clean()
    with pytest.raises(ValidationError, match="events"):
        Webhook(site=site, url="https://hooks.example/t", events=["comment.deleted"]).full_clean()


def test_a_site_without_webhooks_pays_one_query_then_none_while_its_subscriptions_are_cached(
    site, thread, reader, django_assert_num_queries
):
    from django.core.cache import cache

    from talkies.comments.events import ThreadEvent
    from talkies.embed.webhooks import _on_thread_event

    comment = comment_create(thread=thread, author=reader, body="Loved it.")
    event = ThreadEvent(
        kind=ThreadEventKind.COMMENT_CREATED, site_id=site.pk, thread_id=thread.pk, version=1, comment_id=comment.pk
    )
    cache.clear()

    with django_assert_num_queries(1):
        _on_thread_event(event)
    with django_assert_num_queries(0):
        _on_thread_event(event)


def test_a_webhook_added_changed_or_deleted_takes_effect_on_the_next_post(site, thread, reader, receiver, settings):
    settings.TASKS_RUN_IMMEDIATELY = False  # as deployed: the post only queues the announcement

    def announced() -> int:
        return Task.objects.filter(name__endswith="announce_comment").count()

    comment_create(thread=thread, author=reader, body="Before any webhook.")  # caches "no subscriptions"
    assert announced() == 0

    hook = Webhook.objects.create(site=site, url=receiver.url, events=["comment.created"])
    comment_create(thread=thread, author=reader, body="With a webhook.")
    assert announced() == 1

    hook.events = ["rating.created"]
    hook.save()
    comment_create(thread=thread, author=reader, body="Not subscribed any more.")
    assert announced() == 1

    hook.events = ["comment.created"]
    hook.save()
    comment_create(thread=thread, author=reader, body="Subscribed again.")
    assert announced() == 2

    hook.delete()
    comment_create(thread=thread, author=reader, body="Webhook gone.")
    assert announced() == 2


@pytest.mark.django_db(transaction=True)
def test_in_production_a_post_only_queues_the_event_and_the_worker_delivers_it(
    site, thread, reader, receiver, settings
):
    settings.TASKS_RUN_IMMEDIATELY = False
    receiver.delay = 1.0
    Webhook.objects.create(site=site, url=receiver.url, events=["comment.created"])

    started = time.monotonic()
    comment_create(thread=thread, author=reader, body="Loved it.")
    assert time.monotonic() - started < 0.5  # the post did not wait for the slow receiver
    assert Task.objects.filter(name="talkies.embed.webhooks.announce_comment", status="pending").exists()
    assert receiver.received == []

    run_pending_tasks()  # what `talkies worker` does

    assert WebhookDelivery.objects.get().status == "delivered"
    assert len(receiver.received) == 1


def test_a_failed_attempt_queues_its_retry_for_the_worker(
    hook, receiver, thread, reader, django_capture_on_commit_callbacks
):
    receiver.status = 500
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(thread=thread, author=reader, body="Loved it.")
    delivery = WebhookDelivery.objects.get()
    retry = Task.objects.get(name="talkies.embed.webhooks.send_delivery", status="pending")
    assert retry.args == {"delivery_id": delivery.pk} and retry.run_after == delivery.next_retry_at

    receiver.status = 204
    Task.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    WebhookDelivery.objects.update(next_retry_at=timezone.now() - datetime.timedelta(seconds=1))
    run_pending_tasks()

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)


def test_a_rolled_back_change_queues_nothing(hook, receiver, thread, reader):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        comment_create(thread=thread, author=reader, body="Loved it.")
        raise RuntimeError("the request failed after the comment was written")

    assert not Task.objects.exists()
    assert run_pending_tasks() == 0 and receiver.received == []


def test_moderation_decisions_and_reports_are_sent_with_what_the_author_was_told(
    site, receiver, thread, reader, second_reader, moderator, django_capture_on_commit_callbacks
):
    from talkies.accounts.actors import Actor
    from talkies.moderation.models import ModerationSettings, PremoderationRule
    from talkies.moderation.permissions import Moderator
    from talkies.moderation.services import comment_report, moderate_comment

    Webhook.objects.create(
        site=site, url=receiver.url, events=["comment.approved", "comment.rejected", "comment.reported"]
    )
    ModerationSettings.objects.create(site=site, reports_to_queue=1)
    rule = PremoderationRule.objects.create(site=site, scope=PremoderationRule.Scope.SITE)
    held = comment_create(thread=thread, author=reader, body="Held for review.")
    rule.delete()
    published = comment_create(thread=thread, author=reader, body="The sequel is better, fight me.")
    mod = Moderator.of_user(moderator, site)
    with django_capture_on_commit_callbacks(execute=True):
        moderate_comment(comment=held, moderator=mod, action="approve")
        comment_report(comment=published, actor=Actor.of(second_reader), reason="spam", text="link farm")
        moderate_comment(comment=published, moderator=mod, action="reject", reason="spam links")

    envelopes = [json.loads(body) for _headers, body in receiver.received]
    assert [e["event"] for e in envelopes] == ["comment.approved", "comment.reported", "comment.rejected"]
    approved, reported, rejected = (e["data"] for e in envelopes)
    assert approved["comment"]["id"] == held.pk and approved["moderation"]["status"] == "approved"
    assert reported["moderation"]["reports"] == [{"reason": "spam", "text": "link farm"}]
    assert rejected["moderation"] == {"status": "rejected", "notice": "A moderator rejected your comment: spam links"}
