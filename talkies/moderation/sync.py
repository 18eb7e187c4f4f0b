"""Keeps queue entries true to their comments when a comment changes outside moderation (its author
removes it): the queues then stop offering a decision on something that is gone."""

from talkies.comments.events import ThreadEvent, ThreadEventKind
from talkies.comments.models import Comment

from .models import QueueEntry


def follow_thread_event(event: ThreadEvent) -> None:
    if event.kind != ThreadEventKind.COMMENT_REMOVED or event.comment_id is None:
        return
    QueueEntry.objects.filter(comment_id=event.comment_id).update(status=Comment.Status.REMOVED, is_reported=False)
