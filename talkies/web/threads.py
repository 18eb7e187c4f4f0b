"""A thread shaped for the comment templates: nesting capped, permissions decided up front.

Templates should not call permission predicates or follow relations (each would be a query per
comment), so this module turns the comments selectors' nodes into plain view objects that already know
what the reader may do with each comment and where its further replies are.

Nesting is capped at MAX_LEVELS on pages. A comment at the last level whose replies would nest deeper
shows "Continue this thread" to its own permalink, where it is the top of the display and its replies
nest from there: nothing is re-parented or flattened to fit.
"""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from talkies.accounts.actors import Actor
from talkies.comments.models import Comment, Thread
from talkies.comments.permissions import (
    can_comment_on_thread,
    can_edit_comment,
    can_remove_comment,
    can_report_comment,
    can_vote_on_comment,
    is_author,
    thread_is_open,
)
from talkies.comments.read_models import MODERATOR_PLACEHOLDER, moderation_notice_for
from talkies.comments.selectors import CommentContext, CommentNode
from talkies.moderation.selectors import reported_by

from .selectors import user_votes

# A comment, its replies, and their replies.
MAX_LEVELS = 3

# Gives a comment's permalink, optionally continuing its replies after a cursor.
PermalinkFor = Callable[[Comment, str | None], str]


@dataclass
class CommentView:
    comment: Comment
    level: int
    author_rating: int | None = None
    replies: list["CommentView"] = field(default_factory=list)
    my_vote: int = 0
    can_reply: bool = False
    can_edit: bool = False
    can_remove: bool = False
    can_vote: bool = False
    can_feature: bool = False
    can_report: bool = False
    reported: bool = False  # the reader has reported it
    # The reader's own comment only: why it is not published (held for a moderator, or rejected).
    notice: str = ""
    is_own: bool = False
    # Collapsed behind "May contain spoilers" by the site's spoiler shield, whatever its author said.
    shielded: bool = False
    # The comment a permalink points at: highlighted, scrolled to and focused.
    is_target: bool = False
    permalink: str = ""
    # Replies not shown under this comment, and the page that shows them (its permalink, continued).
    more_replies: int = 0
    more_replies_url: str = ""
    # Set at the nesting limit when the comment has replies: they are on its own permalink page.
    continue_url: str = ""

    @property
    def is_removed(self) -> bool:
        """Shown as a placeholder: removed by its author, or (to anyone but its author) by a moderator."""
        status = self.comment.status
        return status == Comment.Status.REMOVED or (status == Comment.Status.REJECTED and not self.is_own)

    @property
    def body_html(self) -> str:
        if self.comment.status == Comment.Status.REJECTED and not self.is_own:
            return MODERATOR_PLACEHOLDER
        return self.comment.body_html

    @property
    def hides_body(self) -> bool:
        return not self.is_removed and (self.comment.is_spoiler or self.shielded)


def _walk(nodes: list[CommentNode]) -> Iterator[CommentNode]:
    for node in nodes:
        yield node
        yield from _walk(node.replies)


@dataclass
class ThreadViews:
    """Builds the views for one page of one thread; one query (the reader's votes) per `prepare`.

    The reader is `actor`: an account, the guest their cookie names, or (a visitor who has not commented
    as a guest yet) the anonymous actor.
    """

    thread: Thread
    actor: Actor
    now: datetime.datetime
    permalink: PermalinkFor
    can_moderate: bool = False
    shield: bool = False
    votes: dict[int, int] = field(default_factory=dict)
    reported: set[int] = field(default_factory=set)
    may_post: bool = field(init=False)

    def __post_init__(self) -> None:
        self.may_post = self._may_post()

    def _may_post(self) -> bool:
        if self.actor.is_identified:
            return can_comment_on_thread(self.actor, self.thread)
        # A guest's identity is issued with their first comment, so a visitor without one yet may still
        # write the comment (or reply) that gets them one, wherever guests are welcome.
        return self.thread.site.allow_guest_comments and thread_is_open(self.thread, self.now)

    def prepare(self, nodes: list[CommentNode], *extra: Comment) -> None:
        """Load the reader's votes on everything about to be shown, in one query."""
        comments = [node.comment for node in _walk(nodes)] + list(extra)
        for comment in comments:
            # The permission predicates read comment.thread.site; share the loaded thread instead of one
            # query per comment.
            comment.thread = self.thread
        self.votes = user_votes(actor=self.actor, comment_ids=[c.pk for c in comments])
        self.reported = reported_by(actor=self.actor, comment_ids=[c.pk for c in comments])

    def tree(self, nodes: list[CommentNode]) -> list[CommentView]:
        return [self.view(node, level=0) for node in nodes]

    def view(self, node: CommentNode, *, level: int, with_replies: bool = True) -> CommentView:
        comment = node.comment
        approved = comment.status == Comment.Status.APPROVED
        view = CommentView(
            comment=comment,
            level=level,
            author_rating=node.author_rating,
            my_vote=self.votes.get(comment.pk, 0),
            can_reply=approved and self.may_post,
            can_edit=can_edit_comment(self.actor, comment, now=self.now),
            can_remove=can_remove_comment(self.actor, comment),
            can_vote=can_vote_on_comment(self.actor, comment),
            can_feature=approved and self.can_moderate,
            can_report=can_report_comment(self.actor, comment),
            reported=comment.pk in self.reported,
            is_own=self.actor.is_identified and is_author(self.actor, comment),
            shielded=self.shield,
            permalink=self.permalink(comment, None),
        )
        if view.is_own:
            view.notice = moderation_notice_for(comment) or ""
        if not with_replies:
            return view
        if level + 1 >= MAX_LEVELS:
            if node.replies or node.more_replies:
                view.continue_url = view.permalink
            return view
        view.replies = [self.view(reply, level=level + 1) for reply in node.replies]
        if node.more_replies:
            view.more_replies = node.more_replies
            view.more_replies_url = self.permalink(comment, node.more_replies_cursor)
        return view

    def plain(self, comment: Comment) -> CommentView:
        """A comment shown on its own, without replies (featured comments, the path to a permalink)."""
        return self.view(CommentNode(comment), level=0, with_replies=False)

    def context(self, context: CommentContext) -> tuple[list[CommentView], CommentView]:
        """The path above a permalinked comment (ancestors, each on its own) and the comment itself, at the
        top of the nesting so its replies have every level to use."""
        path = [self.plain(comment) for comment in context.path[:-1]]
        if path:
            path[0].author_rating = context.root.author_rating
        target = self.view(context.target, level=0)
        target.is_target = True
        if not context.path[:-1]:
            target.author_rating = context.root.author_rating
        return path, target
