"""Moderation following what happens to comments outside it, through the thread events.

- Its author removes a comment: its queue entry says so, and the queues stop offering a decision on it.
- Its author edits a published comment: the new text is screened again by the word lists and the text
  signals. A banned word rejects it (its author is told which); anything a signal would have held, or a
  suspect word, sends it to the reported queue for a moderator to look at (it stays published: holding
  a comment readers have already seen would only hide it from them now).

These run after the edit's transaction has committed, so an edited-in banned word is visible for the
moment between the two; the pre-moderation rules (who, where, links) are not applied again.
"""

import logging

from django.db import transaction

from talkies.accounts.actors import Actor
from talkies.comments.events import ThreadEvent, ThreadEventKind
from talkies.comments.models import Comment
from talkies.comments.screening import Draft
from talkies.comments.services import comment_set_status

from .models import QueueEntry
from .services import audit, entry_for, send_to_reported_queue
from .site_config import assess_draft

logger = logging.getLogger(__name__)


def follow_thread_event(event: ThreadEvent) -> None:
    if event.comment_id is None:
        return
    if event.kind == ThreadEventKind.COMMENT_REMOVED:
        QueueEntry.objects.filter(comment_id=event.comment_id).update(status=Comment.Status.REMOVED, is_reported=False)
    elif event.kind == ThreadEventKind.COMMENT_EDITED:
        try:
            rescreen_edited(event.comment_id)
        except Exception:  # a receiver must not raise: the edit is saved whatever happens here
            logger.exception("moderation: could not screen the edit of comment %s", event.comment_id)


def rescreen_edited(comment_id: int) -> None:
    comment = (
        Comment.objects.select_related("thread__site", "thread__film", "author", "parent")
        .filter(pk=comment_id, status=Comment.Status.APPROVED)
        .first()
    )
    if comment is None:
        return
    actor = Actor.of(comment.author) if comment.author_id else Actor.guest(comment.guest_key)
    draft = Draft(
        thread=comment.thread,
        actor=actor,
        body=comment.body_source,
        parent=comment.parent,
        is_spoiler=comment.is_spoiler,
    )
    decision = assess_draft(draft)
    if decision.decision == "allow":
        return
    with transaction.atomic():
        entry = entry_for(comment)
        if decision.decision == "reject":
            notice = "Your edited comment was taken down: " + "; ".join(decision.reasons[:2])
            comment_set_status(comment=comment, status=Comment.Status.REJECTED, notice=notice)
            entry.status = Comment.Status.REJECTED
            entry.flags = [
                *entry.flags,
                *({"source": "word", "name": "banned", "detail": w} for w in decision.banned_words),
            ]
            entry.save(update_fields=["status", "flags"])
            audit(
                site=comment.thread.site,
                action="reject",
                actor_label="rule: banned word (after an edit)",
                comment=comment,
                reason=notice,
                status_before=Comment.Status.APPROVED,
                status_after=Comment.Status.REJECTED,
            )
        elif not entry.is_reported:
            send_to_reported_queue(
                entry, comment, detail="after an edit: " + "; ".join(decision.reasons[:2]), source="edit"
            )
