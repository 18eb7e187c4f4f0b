"""A page of a thread, shaped for the comment templates: nesting capped, permissions decided up front.

Templates should not call permission predicates or follow relations (each would be a query per
comment), so this module turns comments.selectors.ThreadPage into plain view objects that already know
what the reader may do with each comment.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from talkies.comments.models import Comment, Thread
from talkies.comments.permissions import (
    can_comment_on_thread,
    can_edit_comment,
    can_remove_comment,
    can_vote_on_comment,
)
from talkies.comments.selectors import CommentNode, ThreadPage

from .selectors import Reader, user_votes

# Replies nest this many levels deep (a comment, its replies, and their replies). Deeper replies are
# listed flat under the last level, each saying whom it answers, so narrow screens stay readable and
# nothing is hidden.
MAX_LEVELS = 3


@dataclass
class CommentView:
    comment: Comment
    level: int
    author_rating: int | None = None
    replies: list["CommentView"] = field(default_factory=list)
    # Set on replies shown flat below the nesting limit: the name of the commenter they answer.
    in_reply_to: str | None = None
    my_vote: int = 0
    can_reply: bool = False
    can_edit: bool = False
    can_remove: bool = False
    can_vote: bool = False

    @property
    def is_removed(self) -> bool:
        return self.comment.status == Comment.Status.REMOVED


def _walk(nodes: list[CommentNode]) -> Iterator[CommentNode]:
    for node in nodes:
        yield node
        yield from _walk(node.replies)


def comment_views(page: ThreadPage, *, user: Reader, now: datetime.datetime) -> list[CommentView]:
    """The page's top-level comments with their replies, ready to render. One query (the reader's votes)."""
    thread = page.thread
    for node in _walk(page.nodes):
        # The permission predicates read comment.thread.site; share the loaded thread instead of one
        # query per comment.
        node.comment.thread = thread
    votes = user_votes(user=user, comment_ids=[node.comment.pk for node in _walk(page.nodes)])
    builder = _Builder(thread=thread, user=user, now=now, votes=votes)
    return [builder.view(node, level=0) for node in page.nodes]


@dataclass
class _Builder:
    thread: Thread
    user: Reader
    now: datetime.datetime
    votes: dict[int, int]

    def view(self, node: CommentNode, *, level: int, in_reply_to: str | None = None) -> CommentView:
        comment = node.comment
        approved = comment.status == Comment.Status.APPROVED
        view = CommentView(
            comment=comment,
            level=level,
            author_rating=node.author_rating,
            in_reply_to=in_reply_to,
            my_vote=self.votes.get(comment.pk, 0),
            can_reply=approved and can_comment_on_thread(self.user, self.thread),
            can_edit=can_edit_comment(self.user, comment, now=self.now),
            can_remove=can_remove_comment(self.user, comment),
            can_vote=can_vote_on_comment(self.user, comment),
        )
        last_level = MAX_LEVELS - 1
        if level + 1 < last_level:
            view.replies = [self.view(reply, level=level + 1) for reply in node.replies]
        elif level + 1 == last_level:
            view.replies = [flat for reply in node.replies for flat in self._flattened(reply, level=last_level)]
        return view

    def _flattened(self, node: CommentNode, *, level: int, in_reply_to: str | None = None) -> Iterator[CommentView]:
        """`node` and every reply below it, in conversation order, side by side at `level`.

        Each reply below the first says whom it answers, since indentation no longer does.
        """
        yield self.view(
            CommentNode(node.comment, author_rating=node.author_rating), level=level, in_reply_to=in_reply_to
        )
        for reply in node.replies:
            yield from self._flattened(reply, level=level, in_reply_to=_shown_name(node.comment))


def _shown_name(comment: Comment) -> str:
    return "a removed comment" if comment.status == Comment.Status.REMOVED else comment.author_name
