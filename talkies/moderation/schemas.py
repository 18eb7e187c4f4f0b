"""The moderation API's shapes. Queue items are rendered from the selectors' read model (QueueItem)."""

import datetime
from typing import Literal

from ninja import Field, Schema

from talkies.lib.api import InputSchema, RowId
from talkies.lib.text import Text

from .selectors import QueueItem

QueueName = Literal["pending", "reported", "unmoderated", "approved", "rejected"]
CommentAction = Literal[
    "approve", "reject", "remove", "restore", "feature", "unfeature", "mark_spoiler", "unmark_spoiler", "edit_spoilers"
]
AuthorAction = Literal[
    "ban",
    "unban",
    "suspend",
    "unsuspend",
    "shadow_ban",
    "unshadow_ban",
    "premoderate",
    "unpremoderate",
    "trust",
    "untrust",
]
ReportReason = Literal["spam", "abuse", "spoiler", "off_topic", "other"]


class QueueQuery(Schema):
    order: Literal["newest", "reported"] = "newest"
    story: RowId | None = Field(None, description="Only comments on this story (id)")
    film: RowId | None = Field(None, description="Only comments in threads about this film (id)")
    author: RowId | None = Field(None, description="Only this account's comments (user id)")
    cursor: Text | None = None
    limit: int = Field(25, ge=1, le=100)


class FlagOut(Schema):
    source: str = Field(description="rule, word, signal or reports")
    name: str
    detail: str = ""
    score: float | None = None


class ReportOut(Schema):
    reason: str
    text: str
    reporter: str | None = Field(description="The reporter's username; null for a guest")
    created_at: datetime.datetime


class HistoryOut(Schema):
    comments: int
    rejected: int
    reported: int
    account_age_days: int | None


class ParentOut(Schema):
    id: int
    author_name: str
    body_html: str


class QueueItemOut(Schema):
    comment_id: int
    thread_id: int
    story_id: int | None
    film_id: int | None
    thread_title: str
    author_name: str
    author_id: int | None
    body_source: str
    body_html: str
    status: str
    is_spoiler: bool
    is_featured: bool
    suggest_spoiler: bool
    created_at: datetime.datetime
    report_count: int
    is_reported: bool
    is_moderated: bool
    flags: list[FlagOut]
    signals: dict[str, float]
    reports: list[ReportOut]
    history: HistoryOut | None
    parent: ParentOut | None

    @classmethod
    def of(cls, item: QueueItem) -> "QueueItemOut":
        comment, entry = item.comment, item.entry
        parent = comment.parent
        return cls(
            comment_id=comment.pk,
            thread_id=comment.thread_id,
            story_id=comment.thread.story_id,
            film_id=comment.thread.film_id,
            thread_title=comment.thread.title or comment.thread.key,
            author_name=comment.author_name,
            author_id=comment.author_id,
            body_source=comment.body_source,
            body_html=comment.body_html,
            status=comment.status,
            is_spoiler=comment.is_spoiler,
            is_featured=comment.is_featured,
            suggest_spoiler=entry.suggest_spoiler,
            created_at=comment.created_at,
            report_count=entry.report_count,
            is_reported=entry.is_reported,
            is_moderated=entry.is_moderated,
            flags=[FlagOut(**{k: v for k, v in flag.items() if k in FlagOut.model_fields}) for flag in entry.flags],
            signals=entry.signals,
            reports=[
                ReportOut(
                    reason=r.reason,
                    text=r.text,
                    reporter=r.reporter.username if r.reporter is not None else None,
                    created_at=r.created_at,
                )
                for r in item.reports
            ],
            history=HistoryOut(
                comments=item.history.comments,
                rejected=item.history.rejected,
                reported=item.history.reported,
                account_age_days=item.history.account_age_days,
            )
            if item.history is not None
            else None,
            parent=ParentOut(id=parent.pk, author_name=parent.author_name, body_html=parent.body_html)
            if parent is not None
            else None,
        )


class QueuePageOut(Schema):
    queue: str
    order: str
    items: list[QueueItemOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= (with the same order and filters) for the next page")


class QueueCountsOut(Schema):
    counts: dict[str, int]


class CommentActionIn(InputSchema):
    action: CommentAction
    reason: Text = Field("", description="For reject: shown to the author. Logged for every action.")
    body: Text | None = Field(None, description="For edit_spoilers: the body with its >!spoiler!< markers moved")


class BulkActionIn(InputSchema):
    comment_ids: list[RowId] = Field(min_length=1, max_length=100)
    action: Literal["approve", "reject", "remove", "restore", "feature", "unfeature", "mark_spoiler", "unmark_spoiler"]
    reason: Text = ""


class ModeratedCommentOut(Schema):
    id: int
    status: str
    is_featured: bool
    is_spoiler: bool
    body_html: str


class BulkOut(Schema):
    done: list[int]
    failed: dict[int, str] = Field(description="Comment id: why the action was not taken on it")


class AuthorActionIn(InputSchema):
    action: AuthorAction
    user_id: RowId | None = Field(None, description="The author's account; or give guest_key")
    # A key is a SHA-256 in hex: anything longer is no guest's, and would not fit the column either.
    guest_key: Text | None = Field(None, max_length=64, description="A guest author's key, as the queues show it")
    reason: Text = Field("", description="For ban and suspend: shown to the author when they try to comment")
    until: datetime.datetime | None = Field(None, strict=False, description="For suspend: when it ends (ISO 8601)")


class StandingOut(Schema):
    user_id: int | None
    guest_key: str
    is_banned: bool
    suspended_until: datetime.datetime | None
    is_shadow_banned: bool
    always_premoderate: bool
    is_trusted: bool


class AuditOut(Schema):
    id: int
    created_at: datetime.datetime
    actor: str = Field(alias="actor_label")
    action: str
    reason: str
    comment_id: int | None
    status_before: str
    status_after: str


class ReportIn(InputSchema):
    reason: ReportReason
    text: Text = Field("", description="What is wrong (required for reason 'other')")
    guest_token: Text | None = None


class ReportedOut(Schema):
    comment_id: int
    reported: bool = True


class SpoilerCheckIn(InputSchema):
    body: Text = Field(max_length=20_000)


class SpoilerCheckOut(Schema):
    suggest_spoiler: bool = Field(description="The text looks like it gives away the film: suggest the spoiler tag")
    reasons: list[str] = Field(description="What gave it away, in words a reader can follow")
