"""Who may do what to comments: pure predicates, called by the services and by templates."""

import datetime

from django.utils import timezone

from .models import Comment, Thread


def can_comment_on_thread(user, thread: Thread) -> bool:
    return user.is_authenticated and user.is_active and not thread.is_closed


def can_edit_comment(user, comment: Comment, now: datetime.datetime | None = None) -> bool:
    if not user.is_authenticated or comment.author_id != user.pk or comment.status == Comment.Status.REMOVED:
        return False
    window = datetime.timedelta(minutes=comment.thread.site.comment_edit_window_minutes)
    return (now or timezone.now()) - comment.created_at <= window


def can_remove_comment(user, comment: Comment) -> bool:
    return user.is_authenticated and comment.author_id == user.pk and comment.status != Comment.Status.REMOVED


def can_vote_on_comment(user, comment: Comment) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and comment.author_id != user.pk
        and comment.status == Comment.Status.APPROVED
    )
