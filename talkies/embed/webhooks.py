"""Signed webhooks: comment.created, comment.approved, comment.rejected, comment.reported and
rating.created, POSTed to a site's servers.

The moderation events carry, beside the comment as the public sees it, a `moderation` object: its
status and what its author was told (approved, rejected), or its report count and the readers' reasons
(reported), so a newsroom's own tools can act on them.

An event is queued (talkies.tasks) inside the transaction of the change it reports, when the site has a
webhook for it, so a saved change is always announced and a rolled-back one never is. The worker then
renders the payload and writes one WebhookDelivery per subscribed webhook, and sends each as a task of
its own (never in the request: a slow receiver must not slow a post). The payload is therefore the
comment as it stands when the worker gets to it, usually within a second. A delivery that does not get
a 2xx answer is retried by the worker after 1, 5 and 30 minutes, then marked failed; every attempt is
logged. `talkies webhooks retry` attempts every due delivery at once, by hand.

Each request carries `Talkies-Signature: t=<unix time>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`:
including the time in what is signed lets a receiver refuse replays of an old delivery. Delivery is at
least once; the body's `id` is the same for every retry, so receivers can drop duplicates.

Webhook URLs are set by staff in the admin, never by readers, which is why Talkies may send requests to
them at all. Even so, they go only to public addresses (webhook_targets: checked when the URL is saved and
again, after one DNS lookup, at every attempt), the sender follows no redirects, and it keeps nothing of
the answer but its status, nor of a failure but its kind.
"""

import datetime
import hashlib
import hmac
import http.client
import json
import logging
import socket
import ssl
import time
import uuid
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from ninja import Schema
from pydantic import BaseModel, ConfigDict

from talkies.accounts.models import User
from talkies.comments.events import ThreadEvent, ThreadEventKind, thread_changed
from talkies.comments.models import Comment
from talkies.comments.read_models import reading
from talkies.comments.schemas import PublicCommentOut
from talkies.moderation.events import ModerationEvent, ModerationEventKind, moderation_changed
from talkies.moderation.models import Report
from talkies.ratings.events import RatingEvent, RatingEventKind, rating_changed
from talkies.ratings.models import Rating
from talkies.tasks.queue import enqueue, task

from .models import Webhook, WebhookAttempt, WebhookDelivery
from .webhook_targets import DisallowedTarget, open_connection

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "Talkies-Signature"
RETRY_AFTER = [datetime.timedelta(minutes=1), datetime.timedelta(minutes=5), datetime.timedelta(minutes=30)]
TIMEOUT_SECONDS = 5
# While one sender works on a delivery, no other picks it up; longer than any attempt can take.
CLAIM_SECONDS = 4 * TIMEOUT_SECONDS
SIGNATURE_TOLERANCE_SECONDS = 300
THREAD_EVENTS = {ThreadEventKind.COMMENT_CREATED, ThreadEventKind.COMMENT_APPROVED, ThreadEventKind.COMMENT_REJECTED}
MODERATION_THREAD_EVENTS = {ThreadEventKind.COMMENT_APPROVED, ThreadEventKind.COMMENT_REJECTED}
RATING_EVENTS = {RatingEventKind.CREATED}
# How long a process keeps a site's subscribed events (as embed_policy keeps a site's policy): saving or
# deleting a webhook drops the copy at once where the cache is shared, and within this time elsewhere.
SUBSCRIPTIONS_CACHE_SECONDS = 60


def connect_receivers() -> None:
    # dispatch_uid: ready() can run twice (tests, autoreload) and an event must be queued once. In the
    # transaction: each event is queued with the change it reports (talkies.lib.events).
    thread_changed.connect_in_transaction(_on_thread_event, dispatch_uid="talkies.embed.webhooks.thread_event")
    rating_changed.connect_in_transaction(_on_rating_event, dispatch_uid="talkies.embed.webhooks.rating_event")
    moderation_changed.connect_in_transaction(
        _on_moderation_event, dispatch_uid="talkies.embed.webhooks.moderation_event"
    )
    post_save.connect(_forget_subscriptions, sender=Webhook, dispatch_uid="talkies.embed.webhooks.forget_saved")
    post_delete.connect(_forget_subscriptions, sender=Webhook, dispatch_uid="talkies.embed.webhooks.forget_deleted")


# --- Signing ----------------------------------------------------------------------------------------


def signature(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, *, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify_signature(secret: str, body: bytes, header: str, *, now: float | None = None) -> bool:
    """What a receiver does (docs/embedding.md has it in PHP too): recompute, compare, check the time."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > SIGNATURE_TOLERANCE_SECONDS:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), fields.get("v1", ""))


# --- Events -----------------------------------------------------------------------------------------


def _on_thread_event(event: ThreadEvent) -> None:
    """In the comment's transaction: one query, and a task only if the site has a webhook for the event."""
    if event.kind in THREAD_EVENTS and event.comment_id is not None and _subscribed(event.site_id, event.kind):
        enqueue(announce_comment, site_id=event.site_id, event=event.kind, comment_id=event.comment_id)


def _on_moderation_event(event: ModerationEvent) -> None:
    """comment.reported, in the report's transaction."""
    if event.kind == ModerationEventKind.REPORTED and _subscribed(event.site_id, event.kind):
        enqueue(announce_comment, site_id=event.site_id, event=event.kind, comment_id=event.comment_id)


def _on_rating_event(event: RatingEvent) -> None:
    """In the rating's transaction. Sent with the rating as it was created (the event's value), not as a
    later change leaves it."""
    if event.kind in RATING_EVENTS and event.value is not None and _subscribed(event.site_id, event.kind):
        enqueue(
            announce_rating,
            site_id=event.site_id,
            rating_id=event.rating_id,
            value=event.value,
            created_at=event.created_at.isoformat(),
        )


def _subscriptions_key(site_id: int) -> str:
    return f"webhook-events:{site_id}"


def _subscribed(site_id: int, event: str) -> bool:
    """Whether any active webhook of the site wants `event`. Asked in the transaction of every comment and
    rating, so the site's events are cached; the task that builds the deliveries looks the webhooks up
    afresh (queue_event), so a webhook switched off meanwhile is never sent to."""
    events = cache.get(_subscriptions_key(site_id))
    if events is None:
        events = frozenset(
            name
            for hook_events in Webhook.objects.filter(site_id=site_id, is_active=True).values_list("events", flat=True)
            for name in hook_events
        )
        cache.set(_subscriptions_key(site_id), events, SUBSCRIPTIONS_CACHE_SECONDS)
    return event in events


def _forget_subscriptions(sender: type[Webhook], instance: Webhook, **kwargs: object) -> None:
    cache.delete(_subscriptions_key(instance.site_id))


@task(atomic=True)
def announce_comment(*, site_id: int, event: str, comment_id: int) -> None:
    """The worker's half of a comment event: render it and queue a delivery per subscribed webhook."""
    hooks = subscribed_webhooks(site_id=site_id, event=event)
    comment = Comment.objects.select_related("thread__site", "author").filter(pk=comment_id).first()
    if not hooks or comment is None:
        return
    data: dict[str, Any] = {"comment": CommentWebhookOut.render(comment)}
    if event in MODERATION_THREAD_EVENTS:
        data["moderation"] = {"status": comment.status, "notice": comment.moderation_notice}
    elif event == ModerationEventKind.REPORTED:
        reports = list(Report.objects.filter(comment=comment).order_by("created_at").values("reason", "text"))
        data["moderation"] = {"status": comment.status, "report_count": len(reports), "reports": reports}
    queue_event(site_id=site_id, event=event, data=data, hooks=hooks)


@task(atomic=True)
def announce_rating(*, site_id: int, rating_id: int, value: int, created_at: str) -> None:
    hooks = subscribed_webhooks(site_id=site_id, event=RatingEventKind.CREATED)
    rating = Rating.objects.select_related("film", "user").filter(pk=rating_id).first()
    if not hooks or rating is None:  # withdrawn before it was ever announced: there is no one to name
        return
    rating.value, rating.created_at = value, datetime.datetime.fromisoformat(created_at)
    data = {"rating": RatingWebhookOut.render(rating)}
    queue_event(site_id=site_id, event=RatingEventKind.CREATED, data=data, hooks=hooks)


class WebhookThreadOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    key: str
    url: str
    title: str


class CommentWebhookOut(PublicCommentOut):
    """data.comment: the comment as the public API shows it, with its thread and author's username."""

    thread: WebhookThreadOut
    author_username: str | None

    @classmethod
    def render(cls, comment: Comment) -> dict[str, Any]:
        """The comment's read model, read for no one (webhooks carry no reader's permissions), as JSON."""
        return cls.model_validate(reading(comment.thread).comment(comment)).model_dump(mode="json")


class WebhookUserOut(Schema):
    username: str
    name: str

    @staticmethod
    def resolve_name(user: User) -> str:
        return user.public_name


class WebhookFilmOut(Schema):
    slug: str
    title: str


class RatingWebhookOut(Schema):
    """data.rating: a reader's rating of a film."""

    film: WebhookFilmOut
    value: int
    user: WebhookUserOut
    created_at: datetime.datetime

    @classmethod
    def render(cls, rating: Rating) -> dict[str, Any]:
        return cls.from_orm(rating).model_dump(mode="json")


def subscribed_webhooks(*, site_id: int, event: str) -> list[Webhook]:
    # Filtered in Python: a site has a handful of webhooks, and SQLite cannot search inside a JSON list.
    return [hook for hook in Webhook.objects.filter(site_id=site_id, is_active=True) if event in hook.events]


def queue_event(
    *, site_id: int, event: str, data: dict[str, Any], hooks: list[Webhook] | None = None
) -> list[WebhookDelivery]:
    """One delivery per active webhook of the site subscribed to `event` (or per one of `hooks`, when the
    caller has looked them up already), each queued for the worker to send, in the current transaction."""
    hooks = subscribed_webhooks(site_id=site_id, event=event) if hooks is None else hooks
    if not hooks:
        return []
    envelope = {"id": uuid.uuid4().hex, "event": event, "created_at": timezone.now().isoformat(), "data": data}
    body = json.dumps(envelope, separators=(",", ":"), sort_keys=True)
    with transaction.atomic():
        deliveries = WebhookDelivery.objects.bulk_create(
            [WebhookDelivery(webhook=hook, event=event, body=body) for hook in hooks]
        )
        for delivery in deliveries:
            enqueue(send_delivery, delivery_id=delivery.pk)
    return deliveries


@task()
def send_delivery(*, delivery_id: int) -> None:
    """One attempt at one delivery (a no-op if it is delivered, failed, or not due yet)."""
    deliver(delivery_id)


# --- Sending ----------------------------------------------------------------------------------------


def _due() -> Q:
    return Q(next_retry_at__isnull=True) | Q(next_retry_at__lte=timezone.now())


def deliver(delivery_id: int) -> WebhookDelivery | None:
    """Make one attempt at a pending, due delivery and log it; None if it is not (or no longer) ours to send.

    The delivery is claimed with a conditional update before the request, and the request is made
    outside any transaction, so no lock is held while waiting on the receiver.
    """
    claimed = WebhookDelivery.objects.filter(_due(), pk=delivery_id, status=WebhookDelivery.Status.PENDING).update(
        next_retry_at=timezone.now() + datetime.timedelta(seconds=CLAIM_SECONDS)
    )
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.select_related("webhook").get(pk=delivery_id)
    body = delivery.body.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Talkies-Webhooks/1",
        SIGNATURE_HEADER: signature_header(delivery.webhook.secret, body),
    }
    started = time.monotonic()
    code, error = _post(delivery.webhook.url, body, headers)
    return _record(delivery, code=code, error=error, duration_ms=int((time.monotonic() - started) * 1000))


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    """POST once; the answer's status and, for a failure, its kind ("timeout", "HTTP 5xx"...).

    Only the kind is kept, never the error's text: staff read the delivery log, and "connection refused"
    against "timed out" for each port tried would map the network Talkies sends from. No redirect is
    followed (http.client follows none): a 3xx is a failed attempt like any other non-2xx.
    """
    try:
        connection, path = open_connection(url, timeout=TIMEOUT_SECONDS)
    except DisallowedTarget:
        return None, "refused: private address"
    except (socket.gaierror, UnicodeError):
        return None, "host not found"
    try:
        connection.request("POST", path, body=body, headers=headers)
        with connection.getresponse() as response:
            code = response.status
    except TimeoutError:
        return None, "timeout"
    except ssl.SSLError:  # includes a certificate that does not match the host name
        return None, "TLS failed"
    except http.client.HTTPException:
        return None, "invalid response"
    except OSError:
        return None, "connection failed"
    finally:
        connection.close()
    return code, "" if 200 <= code < 300 else f"HTTP {code // 100}xx"


def _record(delivery: WebhookDelivery, *, code: int | None, error: str, duration_ms: int) -> WebhookDelivery:
    now = timezone.now()
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery, attempted_at=now, response_code=code, error=error, duration_ms=duration_ms
        )
        delivery.attempts += 1
        delivery.response_code = code
        if code is not None and 200 <= code < 300:
            delivery.status = WebhookDelivery.Status.DELIVERED
            delivery.delivered_at = now
            delivery.next_retry_at = None
        elif delivery.attempts > len(RETRY_AFTER):
            delivery.status = WebhookDelivery.Status.FAILED
            delivery.next_retry_at = None
        else:
            delivery.next_retry_at = now + RETRY_AFTER[delivery.attempts - 1]
            # With the attempt's log entry, so a retry is owed exactly when a failed attempt is recorded.
            enqueue(send_delivery, delivery_id=delivery.pk, run_after=delivery.next_retry_at)
        delivery.save(update_fields=["attempts", "response_code", "status", "delivered_at", "next_retry_at"])
    return delivery


def deliver_due() -> int:
    """Attempt every pending delivery whose time has come, now, in this process; how many were attempted.

    The worker does this on its own; this is `talkies webhooks retry`, for an operator who would rather
    not wait (or runs no worker). The claim in deliver() keeps a delivery from being sent twice at once.
    """
    due = WebhookDelivery.objects.filter(_due(), status=WebhookDelivery.Status.PENDING)
    return sum(1 for delivery_id in list(due.values_list("pk", flat=True)) if deliver(delivery_id) is not None)
