"""Writes to threads, comments and votes. Counters change in the same transaction as the rows."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from talkies.accounts.models import Site, User
from talkies.lib.errors import PermissionDenied, ServiceError
from talkies.lib.markdown import render_markdown
from talkies.lib.scoring import wilson_lower_bound
from talkies.stories.models import Story

from .events import announce
from .models import Comment, Thread, Vote
from .permissions import can_comment_on_thread, can_edit_comment, can_remove_comment, can_vote_on_comment

REMOVED_PLACEHOLDER = "<p><em>This comment was removed by its author.</em></p>"


def thread_for_story(*, story: Story) -> Thread:
    """The story's thread, created on first use and tied to the story's first film, if any."""
    thread = Thread.objects.filter(story=story).first()
    if thread is not None:
        return thread
    film = story.films.order_by("id").first()
    thread, _ = Thread.objects.get_or_create(
        site=story.site,
        key=f"story:{story.pk}",
        defaults={"story": story, "film": film, "title": story.title},
    )
    return thread


def _validated_body(site: Site, body: str) -> str:
    body = body.strip()
    if not body:
        raise ServiceError("body", "body is empty: write something before posting")
    if len(body) > site.comment_max_length:
        raise ServiceError(
            "body", f"body is too long ({len(body)} characters; the maximum is {site.comment_max_length})"
        )
    return body


def comment_create(
    *,
    thread: Thread,
    author: User,
    body: str,
    parent: Comment | None = None,
    is_spoiler: bool = False,
    created_at=None,
) -> Comment:
    """Post a top-level comment, or a reply when `parent` is given."""
    if not author.is_authenticated:
        raise PermissionDenied("author", "log in to comment")
    if thread.is_closed:
        raise PermissionDenied("thread", "this thread is closed to new comments")
    if not can_comment_on_thread(author, thread):
        raise PermissionDenied("author", "this account has been deactivated and cannot comment")
    body = _validated_body(thread.site, body)
    if parent is not None:
        if parent.thread_id != thread.pk:
            raise ServiceError("parent", f"comment {parent.pk} is not in this thread")
        if parent.status != Comment.Status.APPROVED:
            raise ServiceError("parent", "you cannot reply to a comment that has been removed")

    with transaction.atomic():
        comment = Comment.objects.create(
            thread=thread,
            parent=parent,
            root=(parent.root or parent) if parent else None,
            depth=parent.depth + 1 if parent else 0,
            author=author,
            body_source=body,
            body_html=render_markdown(body),
            is_spoiler=is_spoiler,
            created_at=created_at or timezone.now(),
        )
        Thread.objects.filter(pk=thread.pk).update(comment_count=F("comment_count") + 1)
        if parent is not None:
            Comment.objects.filter(pk=parent.pk).update(reply_count=F("reply_count") + 1)
        announce(kind="comment.created", site_id=thread.site_id, thread_id=thread.pk, comment_id=comment.pk)
    return comment


def comment_edit(*, comment: Comment, user: User, body: str, is_spoiler: bool | None = None) -> Comment:
    if not can_edit_comment(user, comment):
        if comment.status == Comment.Status.REMOVED:
            raise PermissionDenied("comment", "this comment was removed and can no longer be edited")
        if not user.is_authenticated or comment.author_id != user.pk:
            raise PermissionDenied("comment", "you can only edit your own comments")
        raise PermissionDenied(
            "comment",
            f"comments can only be edited within {comment.thread.site.comment_edit_window_minutes} minutes "
            "of posting; this one is older",
        )
    comment.body_source = _validated_body(comment.thread.site, body)
    comment.body_html = render_markdown(comment.body_source)
    if is_spoiler is not None:
        comment.is_spoiler = is_spoiler
    comment.edited_at = timezone.now()
    with transaction.atomic():
        comment.save(update_fields=["body_source", "body_html", "is_spoiler", "edited_at"])
        announce(
            kind="comment.edited", site_id=comment.thread.site_id, thread_id=comment.thread_id, comment_id=comment.pk
        )
    return comment


def comment_remove(*, comment: Comment, user: User) -> Comment:
    """The author withdraws a comment. Its replies stay, under a 'removed' placeholder."""
    if not can_remove_comment(user, comment):
        raise PermissionDenied("comment", "you can only remove your own comments")
    with transaction.atomic():
        # Re-read under the lock: a reply posted since `comment` was loaded keeps the placeholder visible,
        # and a second, concurrent removal must not take the comment out of the counters twice.
        comment.reply_count, status = (
            Comment.objects.select_for_update().values_list("reply_count", "status").get(pk=comment.pk)
        )
        if status == Comment.Status.REMOVED:
            raise PermissionDenied("comment", "this comment has already been removed")
        comment.status = Comment.Status.REMOVED
        comment.body_html = REMOVED_PLACEHOLDER
        comment.body_source = ""
        comment.save(update_fields=["status", "body_html", "body_source"])
        if comment.reply_count == 0:
            _uncount_hidden(comment)
        announce(
            kind="comment.removed", site_id=comment.thread.site_id, thread_id=comment.thread_id, comment_id=comment.pk
        )
    return comment


def _uncount_hidden(comment: Comment) -> None:
    """Take a comment that has just left the page out of the thread's and its parent's counters.

    A removed comment is shown (as a placeholder) only while it has visible replies, so losing its last
    one hides it too: the walk continues up through removed ancestors until one stays visible. Must be
    called inside the transaction that hid `comment`.
    """
    hidden = 1
    parent_id = comment.parent_id
    while parent_id is not None:
        parent = Comment.objects.select_for_update().get(pk=parent_id)
        parent.reply_count -= 1
        parent.save(update_fields=["reply_count"])
        if parent.status != Comment.Status.REMOVED or parent.reply_count > 0:
            break
        hidden += 1
        parent_id = parent.parent_id
    Thread.objects.filter(pk=comment.thread_id).update(comment_count=F("comment_count") - hidden)


def comment_vote(*, comment: Comment, user: User, value: int) -> Comment:
    """Vote +1 or -1 on a comment, or 0 to withdraw a vote. Changing your mind replaces the vote."""
    if value not in (-1, 0, 1):
        raise ServiceError("value", f"value must be 1 (up), -1 (down) or 0 (withdraw), not {value!r}")
    if not user.is_authenticated:
        raise PermissionDenied("user", "log in to vote")
    if comment.author_id == user.pk:
        raise PermissionDenied("comment", "you cannot vote on your own comment")
    if not can_vote_on_comment(user, comment):
        raise PermissionDenied("comment", "this comment cannot be voted on")

    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        previous = Vote.objects.filter(comment=locked, user=user).first()
        old = previous.value if previous else 0
        if old == value:
            return locked
        if old == 1:
            locked.upvotes -= 1
        elif old == -1:
            locked.downvotes -= 1
        if value == 1:
            locked.upvotes += 1
        elif value == -1:
            locked.downvotes += 1
        if value == 0 and previous is not None:
            previous.delete()
        elif previous is not None:
            previous.value = value
            previous.save(update_fields=["value"])
        else:
            Vote.objects.create(comment=locked, user=user, value=value)
        locked.best_score = wilson_lower_bound(locked.upvotes, locked.downvotes)
        locked.save(update_fields=["upvotes", "downvotes", "best_score"])
        announce(kind="comment.voted", site_id=comment.thread.site_id, thread_id=locked.thread_id, comment_id=locked.pk)
    return locked
