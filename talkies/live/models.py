"""The live-event log: what changed in which thread, kept for an hour so any process can deliver it.

Every process serving live streams reads new rows from here (see broker.py), which is what carries an
event from the worker that wrote a comment to the worker holding a reader's stream, with or without
Redis. The row id is the SSE event id, so a reconnecting browser's Last-Event-ID says exactly where to
resume.
"""

from django.db import models
from django.utils import timezone

from talkies.accounts.models import Site
from talkies.comments.models import Thread


class LiveEvent(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveBigIntegerField(help_text="The thread's version after this change.")
    kind = models.CharField(max_length=32, help_text="comment.created, comment.edited, comment.removed…")
    # Not a foreign key: the event describes the comment as it was and must not block deleting it.
    comment_id = models.PositiveBigIntegerField(null=True, blank=True)
    payload = models.JSONField(help_text="What readers' pages receive; nothing a reader may not see.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["thread", "id"], name="live_event_thread_id"),
            models.Index(fields=["thread", "version"], name="live_event_thread_version"),
            models.Index(fields=["created_at"], name="live_event_created"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} in thread {self.thread_id} (version {self.version})"
