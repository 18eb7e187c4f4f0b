"""What happens in a site's moderation queues, announced after the transaction that did it commits.

Delivery apps listen: the webhooks send comment.reported, and the moderation screen's live stream tells
open screens that an item arrived. The comment's own changes (approved, rejected) are thread events
(talkies.comments.events), which the same apps already follow.
"""

from dataclasses import dataclass
from enum import StrEnum

from talkies.lib.events import EventChannel


class ModerationEventKind(StrEnum):
    """Stored and sent (webhook lists, live payloads): never change a value."""

    QUEUED = "moderation.queued"  # a comment entered a queue a moderator works (pending or reported)
    REPORTED = "comment.reported"  # readers' reports (or a rule) sent a comment to the reported queue


@dataclass(frozen=True)
class ModerationEvent:
    kind: ModerationEventKind
    site_id: int
    thread_id: int
    comment_id: int
    queue: str  # "pending" or "reported"


moderation_changed: EventChannel[ModerationEvent] = EventChannel("moderation.changed")
