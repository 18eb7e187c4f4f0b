from django.db import models
from django.db.models import Q
from django.utils import timezone


class Task(models.Model):
    """One piece of background work: call the task function `name` with `args` as keyword arguments.

    A row is pending until a worker has run it (done) or given up on it (failed). While a worker runs it,
    `claimed_until` is in the future and no other worker takes it; a claim that runs out (the worker
    died) makes the task due again. `attempts` counts claims, so a task that kills its worker each time
    is still given up on.
    """

    class Status(models.TextChoices):
        PENDING = "pending"
        DONE = "done"
        FAILED = "failed"

    name = models.CharField(max_length=200, help_text="dotted path of the task function")
    args = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    run_after = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # What a worker asks every second: the pending tasks that are due, oldest first.
            models.Index(fields=["run_after", "id"], name="tasks_pending_due", condition=Q(status="pending")),
            models.Index(fields=["status", "finished_at"], name="tasks_finished"),
        ]

    def __str__(self) -> str:
        return f"{self.name} #{self.pk} ({self.status})"
