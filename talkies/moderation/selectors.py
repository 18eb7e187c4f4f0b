"""Reading the moderation queues a page at a time, in a fixed number of queries whatever their length.

Each queue is one index range of QueueEntry (see its indexes), read by keyset on (created_at, id) for
"newest" or (report_count, id) for "most reported", so the 10,000th page costs what the first does. A
page brings, for each item: the comment and its thread, story and film, the parent comment (context),
the readers' reports with their reasons, and the author's history on the site.
"""

import datetime
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db.models import Count, Min, Q, QuerySet

from talkies.accounts.actors import Actor
from talkies.accounts.models import Site, User
from talkies.comments.models import Comment
from talkies.lib.cursors import decode_cursor, encode_cursor
from talkies.lib.errors import ServiceError

from .models import AuditEntry, QueueEntry, Report
from .services import entry_for


class Queue(StrEnum):
    PENDING = "pending"  # held before publication
    REPORTED = "reported"  # flagged by readers or by rules
    UNMODERATED = "unmoderated"  # new, not yet seen by a moderator
    APPROVED = "approved"  # published by a moderator's decision
    REJECTED = "rejected"


QUEUE_LABELS = {
    Queue.PENDING: "Pending",
    Queue.REPORTED: "Reported",
    Queue.UNMODERATED: "Unmoderated",
    Queue.APPROVED: "Approved",
    Queue.REJECTED: "Rejected",
}
ORDERS = ("newest", "reported")
MAX_QUEUE_PAGE = 100

_QUEUE_FILTERS = {
    Queue.PENDING: Q(status=Comment.Status.PENDING),
    Queue.REPORTED: Q(is_reported=True),
    Queue.UNMODERATED: Q(is_moderated=False) & ~Q(status=Comment.Status.REMOVED),
    Queue.APPROVED: Q(status=Comment.Status.APPROVED, is_moderated=True),
    Queue.REJECTED: Q(status=Comment.Status.REJECTED),
}


@dataclass(frozen=True)
class QueueFilter:
    story_id: int | None = None
    film_id: int | None = None
    author_id: int | None = None

    def q(self) -> Q:
        q = Q()
        if self.story_id is not None:
            q &= Q(comment__thread__story_id=self.story_id)
        if self.film_id is not None:
            q &= Q(comment__thread__film_id=self.film_id)
        if self.author_id is not None:
            q &= Q(author_id=self.author_id)
        return q


@dataclass(frozen=True)
class AuthorHistory:
    """An author's record on one site, as moderators weigh it."""

    comments: int
    rejected: int
    reported: int
    first_seen: datetime.datetime | None
    joined: datetime.datetime | None  # None for guests

    @property
    def account_age_days(self) -> int | None:
        if self.joined is None:
            return None
        return (datetime.datetime.now(datetime.UTC) - self.joined).days


@dataclass
class QueueItem:
    entry: QueueEntry
    comment: Comment
    reports: list[Report] = field(default_factory=list)
    history: AuthorHistory | None = None


@dataclass(frozen=True)
class QueuePage:
    queue: Queue
    order: str
    items: list[QueueItem]
    next_cursor: str | None


def queue_counts(site: Site) -> dict[Queue, int]:
    """How many items each queue holds (one query per queue, each an index count)."""
    entries = QueueEntry.objects.filter(site=site)
    return {queue: entries.filter(_QUEUE_FILTERS[queue]).count() for queue in Queue}


def _entries(site: Site, queue: Queue, filters: QueueFilter) -> QuerySet[QueueEntry]:
    return QueueEntry.objects.filter(_QUEUE_FILTERS[queue], filters.q(), site=site)


def queue_page(
    *,
    site: Site,
    queue: Queue | str,
    order: str = "newest",
    filters: QueueFilter = QueueFilter(),
    cursor: str | None = None,
    limit: int = 25,
) -> QueuePage:
    """One page of a queue: five queries (entries with their comments, reports, author histories ×2)."""
    try:
        queue = Queue(queue)
    except ValueError:
        raise ServiceError("queue", f"queue must be one of {', '.join(Queue)}, not {queue!r}") from None
    if order not in ORDERS:
        raise ServiceError("order", f"order must be one of {', '.join(ORDERS)}, not {order!r}")
    if not 1 <= limit <= MAX_QUEUE_PAGE:
        raise ServiceError("limit", f"limit must be from 1 to {MAX_QUEUE_PAGE}, not {limit}")
    key = "created_at" if order == "newest" else "report_count"
    entries = _entries(site, queue, filters)
    if cursor:
        shape = (datetime.datetime if key == "created_at" else int, int)
        value, last_id = decode_cursor(cursor, shape=shape, issued_for=f" for the {order} order")
        entries = entries.filter(Q(**{f"{key}__lt": value}) | Q(**{key: value, "id__lt": last_id}))
    rows = list(
        entries.select_related(
            "comment__thread__story", "comment__thread__film", "comment__author", "comment__parent__author"
        ).order_by(f"-{key}", "-id")[: limit + 1]
    )
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor([_cursor_value(last, key), last.pk])
    items = [QueueItem(entry=row, comment=row.comment) for row in rows]
    _attach_reports(items)
    _attach_histories(site, items)
    return QueuePage(queue=queue, order=order, items=items, next_cursor=next_cursor)


def _cursor_value(entry: QueueEntry, key: str) -> Any:
    value = getattr(entry, key)
    return value.isoformat() if isinstance(value, datetime.datetime) else value


def _attach_reports(items: list[QueueItem]) -> None:
    by_comment = {item.comment.pk: item for item in items if item.entry.report_count}
    if not by_comment:
        return
    for report in Report.objects.filter(comment_id__in=by_comment).select_related("reporter").order_by("created_at"):
        by_comment[report.comment_id].reports.append(report)


def author_histories(site: Site, user_ids: set[int]) -> dict[int, AuthorHistory]:
    """Each account's comments, rejections and reports on `site` (one grouped query) and age (one more)."""
    if not user_ids:
        return {}
    rows = (
        QueueEntry.objects.filter(site=site, author_id__in=user_ids)
        .values("author_id")
        .annotate(
            comments=Count("id"),
            rejected=Count("id", filter=Q(status=Comment.Status.REJECTED)),
            reported=Count("comment__reports__comment_id", distinct=True),
            first_seen=Min("created_at"),
        )
    )
    joined = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "date_joined"))
    return {
        row["author_id"]: AuthorHistory(
            comments=row["comments"],
            rejected=row["rejected"],
            reported=row["reported"],
            first_seen=row["first_seen"],
            joined=joined.get(row["author_id"]),
        )
        for row in rows
    }


def _attach_histories(site: Site, items: list[QueueItem]) -> None:
    histories = author_histories(site, {item.comment.author_id for item in items if item.comment.author_id})
    for item in items:
        if item.comment.author_id:
            item.history = histories.get(item.comment.author_id)


def queue_item(*, site: Site, comment: Comment) -> QueueItem:
    """One comment as the queues show it (for a live arrival, or after an action)."""
    entry = QueueEntry.objects.filter(comment=comment, site=site).first()
    if entry is None:
        entry = entry_for(comment)
    item = QueueItem(entry=entry, comment=comment)
    _attach_reports([item])
    _attach_histories(site, [item])
    return item


def reported_by(*, actor: Actor, comment_ids: list[int]) -> set[int]:
    """Which of these comments `actor` has reported (one query; none for an anonymous reader)."""
    if not comment_ids or not actor.is_identified:
        return set()
    mine = Q(reporter=actor.user) if actor.user is not None else Q(reporter=None, reporter_guest_key=actor.guest_key)
    return set(Report.objects.filter(mine, comment_id__in=comment_ids).values_list("comment_id", flat=True))


def audit_for_comment(*, site: Site, comment_id: int, limit: int = 50) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(site=site, comment_id=comment_id).order_by("-created_at", "-id")[:limit])


def audit_for_author(*, site: Site, user_id: int, limit: int = 100) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(site=site, subject_user_id=user_id).order_by("-created_at", "-id")[:limit])
