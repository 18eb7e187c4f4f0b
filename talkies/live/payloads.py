"""What a reader's page is told about each change, built once when the change is recorded.

A payload goes to every open page of the thread, logged in or not, so it holds only what the public
thread shows: a new or edited comment as the API serialises it (body_html keeps inline spoilers
inside their spoiler span, and is_spoiler tells the page to hide the whole comment), never its markdown
source nor a guest's secret key, nor what any one reader may do with it (can_edit and the rest are the API's,
per reader). Comments the public cannot see (pending, rejected) produce no payload,
so no event at all.
"""

from collections.abc import Callable
from typing import Any

from talkies.comments.events import ThreadEvent, ThreadEventKind
from talkies.comments.models import Comment

Payload = dict[str, Any]


def _comment(comment: Comment) -> Payload | None:
    # Imported here, not at the top: this module is loaded while apps are being set up (apps.py connects
    # the receiver), and the API modules pull in every app's routers.
    from talkies.comments.api import author_badge
    from talkies.comments.read_models import reading
    from talkies.comments.schemas import PublicCommentOut

    if comment.status != Comment.Status.APPROVED:
        return None
    # Read for no one in particular, and rendered without what a reader may do: every page gets this.
    # A live comment is new, or edited in place: its replies are (or arrive as) events of their own.
    read = reading(comment.thread).comment(comment, author_rating=author_badge(comment))
    return {"comment": PublicCommentOut.model_validate(read).model_dump(mode="json")}


def _removed(comment: Comment) -> Payload | None:
    # A removed comment stays on the page as a placeholder only while it has replies to hold up.
    return {"id": comment.pk, "has_replies": comment.reply_count > 0}


def _votes(comment: Comment) -> Payload | None:
    if comment.status != Comment.Status.APPROVED:
        return None
    return {"id": comment.pk, "upvotes": comment.upvotes, "downvotes": comment.downvotes}


_BUILDERS: dict[ThreadEventKind, Callable[[Comment], Payload | None]] = {
    ThreadEventKind.COMMENT_CREATED: _comment,
    ThreadEventKind.COMMENT_EDITED: _comment,
    ThreadEventKind.COMMENT_REMOVED: _removed,
    # A moderator's decisions: a published comment arrives as a new one would; a rejected one leaves the
    # page as a removed one does (a placeholder while it has replies).
    ThreadEventKind.COMMENT_APPROVED: _comment,
    ThreadEventKind.COMMENT_REJECTED: _removed,
    ThreadEventKind.COMMENT_VOTED: _votes,
}
LIVE_KINDS = frozenset(_BUILDERS)


def event_payload(event: ThreadEvent) -> Payload | None:
    """The JSON object pages receive for `event`, or None when pages are not told about it.

    Called inside the write's transaction (publisher.py), so the comment it reads is the one the event
    announces: the comment the write just created, as it saved it (event.saved), else read back under the
    write's lock (one query). A top-level comment in a film's thread takes one more, for its rating badge.
    """
    build = _BUILDERS.get(event.kind)
    if build is None or event.comment_id is None:
        return None
    comment = event.saved
    if comment is None or comment.pk != event.comment_id:
        comment = (
            Comment.objects.select_related("thread__site", "thread__film", "author").filter(pk=event.comment_id).first()
        )
    if comment is None:
        return None
    body = build(comment)
    if body is None:
        return None
    return {"kind": event.kind, "thread_id": event.thread_id, "version": event.version, **body}
