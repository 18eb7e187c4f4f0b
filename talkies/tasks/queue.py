"""The durable queue: `enqueue` writes a Task row in the caller's transaction; a worker runs it later.

Because the row is written in the same transaction as the change that causes it (a comment, a new
account, a moderator's decision), the two commit together or not at all: a process killed after the
commit cannot lose the email it owed, and a rolled-back write cannot send one. Nothing is sent from the
request; `talkies worker` (talkies.tasks.worker) picks rows up within a second.

Running a task (`run_task`):

1. Claim it with one conditional UPDATE ("pending, due, and not claimed by a live worker"), which
   SQLite and PostgreSQL both apply to at most one of two racing workers. The claim lasts
   TASKS_CLAIM_SECONDS; a worker that dies holding it leaves the task to be claimed again when it runs
   out.
2. Call the task function with the row's arguments.
3. Mark it done, only if the claim is still ours.

A task declared `atomic=True` does only database work (it renders emails and enqueues them, say): its
function and step 3 run in one transaction, so it takes effect exactly once even if a worker dies
half-way. Any other task has an effect outside the database (it sends an email, POSTs a webhook); it runs
at most once per claim, and if its worker dies after the effect but before step 3 the next claim does it
again. Such tasks therefore do one thing each and carry a stable identity a receiver can deduplicate on
(an email's Message-ID, a webhook's body id).

A task function that raises is retried after 1, 5, 30 and 120 minutes (its `max_attempts` allowing), then
marked failed with the error kept in `last_error`.

Why not django-tasks: its database backend (django-tasks-db 0.13) has neither retries nor a way back for
a task whose worker died (it stays "running" for ever), and those two are the point of this queue.
"""

import datetime
import json
import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Task

logger = logging.getLogger(__name__)

F_ = TypeVar("F_", bound=Callable[..., Any])

RETRY_AFTER = [datetime.timedelta(minutes=m) for m in (1, 5, 30, 120)]
DEFAULT_MAX_ATTEMPTS = len(RETRY_AFTER) + 1


@dataclass(frozen=True)
class TaskOptions:
    atomic: bool
    max_attempts: int


class LostClaim(Exception):
    """Our claim ran out and another worker took the task: what we did must not be recorded as done."""


def task(*, atomic: bool = False, max_attempts: int = DEFAULT_MAX_ATTEMPTS) -> Callable[[F_], F_]:
    """Declare a module-level function a task (only declared functions are ever run from a row).

    Its arguments are keyword-only and JSON-serialisable; it is looked up by its dotted path, so moving
    or renaming it strands the rows already queued for it (they fail with the path in `last_error`).
    """

    def declare(function: F_) -> F_:
        function.task_options = TaskOptions(atomic=atomic, max_attempts=max_attempts)  # type: ignore[attr-defined]
        return function

    return declare


def task_name(function: Callable[..., Any]) -> str:
    if not isinstance(getattr(function, "task_options", None), TaskOptions):
        raise TypeError(f"{function!r} is not a task: declare it with @talkies.tasks.queue.task()")
    return f"{function.__module__}.{function.__qualname__}"


def enqueue(function: Callable[..., Any], *, run_after: datetime.datetime | None = None, **args: Any) -> Task:
    """Queue `function(**args)` in the current transaction (call it inside the write that causes it).

    With TASKS_RUN_IMMEDIATELY (tests), the task also runs in this process once the transaction commits,
    through the same claim as a worker's, so tests see its effect without a worker.
    """
    name = task_name(function)
    json.dumps(args)  # fail here, in the caller, rather than in the worker
    row = Task.objects.create(name=name, args=args, run_after=run_after or timezone.now())
    if settings.TASKS_RUN_IMMEDIATELY:
        transaction.on_commit(partial(run_task, row.pk, worker_id="immediately"))
    return row


def due() -> Q:
    now = timezone.now()
    return Q(status=Task.Status.PENDING, run_after__lte=now) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )


def due_task_ids(limit: int) -> list[int]:
    return list(Task.objects.filter(due()).order_by("run_after", "id").values_list("pk", flat=True)[:limit])


def run_pending_tasks(*, worker_id: str = "inline", limit: int = 1000) -> int:
    """Run due tasks, and those they queue, until none is due (or `limit` have run); how many ran.

    A worker for tests and one-off commands: it runs in the calling process and thread.
    """
    ran = 0
    while ran < limit:
        ran_now = 0
        for task_id in due_task_ids(min(100, limit - ran)):
            if run_task(task_id, worker_id=worker_id) is not None:
                ran_now += 1
        if not ran_now:
            break
        ran += ran_now
    return ran


def run_task(task_id: int, *, worker_id: str) -> Task | None:
    """Claim and run one task; the row afterwards, or None if it was not ours to run (done, not due, or
    claimed by another worker)."""
    claimed_until = timezone.now() + datetime.timedelta(seconds=settings.TASKS_CLAIM_SECONDS)
    claimed = Task.objects.filter(due(), pk=task_id).update(
        claimed_until=claimed_until, claimed_by=worker_id[:64], attempts=F("attempts") + 1
    )
    if not claimed:
        return None
    row = Task.objects.get(pk=task_id)
    try:
        function = _function(row.name)
    except (ImportError, TypeError) as error:
        _finish(row, status=Task.Status.FAILED, error=f"cannot run {row.name}: {error}")
        logger.error("task %s #%s failed: cannot run it (%s)", row.name, row.pk, error)
        return row
    options: TaskOptions = function.task_options  # type: ignore[attr-defined]
    if row.attempts > options.max_attempts:
        # Every earlier claim ran out without an outcome: the task keeps killing (or hanging) its worker.
        _finish(row, status=Task.Status.FAILED, error=row.last_error or "no attempt ever finished")
        logger.error("task %s #%s failed: %d attempts never finished", row.name, row.pk, options.max_attempts)
        return row
    started = time.monotonic()
    try:
        if options.atomic:
            with transaction.atomic():
                function(**row.args)
                if not _finish(row, status=Task.Status.DONE):
                    raise LostClaim
        else:
            function(**row.args)
            if not _finish(row, status=Task.Status.DONE):
                logger.warning("task %s #%s finished after its claim ran out; it may run twice", row.name, row.pk)
    except LostClaim:
        logger.warning("task %s #%s: claim ran out before it finished; its work was rolled back", row.name, row.pk)
        return row
    except Exception as error:
        _failed(row, options, error)
        return row
    elapsed_ms = (time.monotonic() - started) * 1000
    logger.info("task %s #%s done in %.0f ms (attempt %d)", row.name, row.pk, elapsed_ms, row.attempts)
    return row


def _function(name: str) -> Callable[..., Any]:
    function = import_string(name)
    task_name(function)  # only declared tasks: a row must not be able to call any function it names
    return function


def _finish(row: Task, *, status: str, error: str = "") -> bool:
    """Record the outcome if the claim is still ours (no one has claimed the task since); whether it was."""
    now = timezone.now()
    row.status, row.finished_at, row.claimed_until = status, now, None
    if error:
        row.last_error = error
    return bool(
        Task.objects.filter(pk=row.pk, status=Task.Status.PENDING, attempts=row.attempts).update(
            status=status, finished_at=now, claimed_until=None, last_error=row.last_error
        )
    )


def _failed(row: Task, options: TaskOptions, error: Exception) -> None:
    message = "".join(traceback.format_exception(error))[-4000:]
    if row.attempts >= options.max_attempts:
        _finish(row, status=Task.Status.FAILED, error=message)
        logger.error("task %s #%s failed for good after %d attempts: %s", row.name, row.pk, row.attempts, error)
        return
    retry_at = timezone.now() + RETRY_AFTER[min(row.attempts, len(RETRY_AFTER)) - 1]
    Task.objects.filter(pk=row.pk, status=Task.Status.PENDING, attempts=row.attempts).update(
        run_after=retry_at, claimed_until=None, last_error=message
    )
    row.run_after, row.last_error = retry_at, message
    logger.warning(
        "task %s #%s failed (attempt %d of %d), retrying at %s: %s",
        row.name,
        row.pk,
        row.attempts,
        options.max_attempts,
        retry_at.isoformat(timespec="seconds"),
        error,
    )


def prune_finished(*, older_than: datetime.timedelta) -> int:
    """Delete done tasks finished longer ago than `older_than` (failed ones stay, for someone to look at)."""
    cutoff = timezone.now() - older_than
    deleted, _ = Task.objects.filter(status=Task.Status.DONE, finished_at__lt=cutoff).delete()
    return deleted
