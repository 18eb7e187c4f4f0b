"""A comment as it is read: one typed read model, built here once, rendered by every output.

The API's CommentOut, the live stream's payload and the webhooks' body all validate this model (each
leaving out what it does not show) rather than shaping the comment again, field by field.

What the acting reader may do with the comment (can_edit, can_remove, can_report, editable_until) is in
the model too, decided by the permission predicates for `actor`. Only the API shows it, to that reader:
live payloads and webhooks go to everyone, so they are rendered from PublicCommentOut, which does not
have those fields. The thread page's fast path (talkies.pagecache) shares one stored page among readers,
so it answers only requests that name no reader at all (talkies.lib.guests.carries_credentials), for whom
every permission is false and editable_until null; any request with a session cookie, an Authorization
header or a guest token goes to Django, and Django's answer to it is never stored (it varies by cookie).
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from talkies.accounts.actors import ANONYMOUS, Actor

from .models import Comment, Thread
from .permissions import (
    can_edit_comment,
    can_remove_comment,
    can_report_comment,
    comment_editable_until,
    is_author,
)
from .selectors import CommentNode

MODERATOR_PLACEHOLDER = "<p><em>This comment was removed by a moderator.</em></p>"
_DEFAULT_NOTICES: dict[str, str] = {
    Comment.Status.PENDING: "Your comment is waiting for a moderator: it is not shown to others yet.",
    Comment.Status.REJECTED: "A moderator rejected your comment: it is not shown to others.",
}


def moderation_notice_for(comment: Comment) -> str | None:
    """What a held or rejected comment's author is told about it (None for a published one, and for a
    shadowed one: a shadow ban is one its author cannot see)."""
    if comment.status not in _DEFAULT_NOTICES:
        return None
    return comment.moderation_notice or _DEFAULT_NOTICES[comment.status]


@dataclass(frozen=True, slots=True)
class ThreadRef:
    id: int
    key: str
    url: str
    title: str

    @classmethod
    def of(cls, thread: Thread) -> "ThreadRef":
        return cls(id=thread.pk, key=thread.key, url=thread.url, title=thread.title)


@dataclass(slots=True)
class CommentRead:
    id: int
    thread: ThreadRef
    parent_id: int | None
    depth: int
    # None once the author has removed the comment: removing it withdraws the name along with the words.
    author_name: str | None
    author_username: str | None
    body_html: str
    is_spoiler: bool
    has_inline_spoiler: bool
    is_featured: bool
    status: str
    created_at: datetime.datetime
    edited_at: datetime.datetime | None
    upvotes: int
    downvotes: int
    reply_count: int
    author_rating: int | None = None
    replies: list["CommentRead"] = field(default_factory=list)
    more_replies: int = 0
    more_replies_cursor: str | None = None
    # For the acting reader only (see the module's docstring).
    can_edit: bool = False
    can_remove: bool = False
    can_report: bool = False
    editable_until: datetime.datetime | None = None
    # Only for the comment's author: why it is not published (held for review, or rejected, and why).
    moderation_notice: str | None = None


@dataclass(frozen=True)
class Reading:
    """Who reads, when, and in which thread: what every comment of one answer is read with."""

    thread: Thread
    actor: Actor = ANONYMOUS
    now: datetime.datetime = field(default_factory=timezone.now)
    thread_ref: ThreadRef | None = None

    def comment(
        self,
        comment: Comment,
        *,
        author_rating: int | None = None,
        replies: list[CommentRead] | None = None,
        more_replies: int = 0,
        more_replies_cursor: str | None = None,
    ) -> CommentRead:
        """Reads only the comment's own columns and its selected author (and the thread, shared)."""
        # The predicates read comment.thread.site: share the loaded thread rather than a query per comment.
        comment.thread = self.thread
        own = self.actor.is_identified and is_author(self.actor, comment)
        status = comment.status
        body_html = comment.body_html
        if status == Comment.Status.SHADOWED and own:
            status = Comment.Status.APPROVED  # a shadow ban is one its author cannot see
        elif status == Comment.Status.REJECTED and not own:
            body_html = MODERATOR_PLACEHOLDER  # kept on the page only to hold up its replies
        removed = status == Comment.Status.REMOVED or (status == Comment.Status.REJECTED and not own)
        author = comment.author
        read = CommentRead(
            id=comment.pk,
            thread=self.thread_ref or ThreadRef.of(self.thread),
            parent_id=comment.parent_id,
            depth=comment.depth,
            author_name=None if removed else comment.author_name,
            author_username=author.username if author is not None and not removed else None,
            body_html=body_html,
            is_spoiler=comment.is_spoiler,
            has_inline_spoiler=comment.has_inline_spoiler,
            is_featured=comment.is_featured,
            status=status,
            created_at=comment.created_at,
            edited_at=comment.edited_at,
            upvotes=comment.upvotes,
            downvotes=comment.downvotes,
            reply_count=comment.reply_count,
            author_rating=author_rating,
            replies=replies or [],
            more_replies=more_replies,
            more_replies_cursor=more_replies_cursor,
        )
        if self.actor.is_identified:  # an anonymous reader may do nothing: no predicate need say so
            read.can_edit = can_edit_comment(self.actor, comment, now=self.now)
            read.can_remove = can_remove_comment(self.actor, comment)
            read.can_report = can_report_comment(self.actor, comment)
            read.editable_until = comment_editable_until(comment) if read.can_edit else None
            if own:
                read.moderation_notice = moderation_notice_for(comment)
        return read

    def tree(self, node: CommentNode) -> CommentRead:
        return self.comment(
            node.comment,
            author_rating=node.author_rating,
            replies=[self.tree(reply) for reply in node.replies],
            more_replies=node.more_replies,
            more_replies_cursor=node.more_replies_cursor,
        )

    def trees(self, nodes: list[CommentNode]) -> list[CommentRead]:
        return [self.tree(node) for node in nodes]


def reading(thread: Thread, actor: Actor = ANONYMOUS) -> Reading:
    return Reading(thread=thread, actor=actor, thread_ref=ThreadRef.of(thread))
