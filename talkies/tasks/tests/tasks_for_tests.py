"""Task functions the queue's tests run: each leaves a trace a test (or another process) can read."""

import time
from pathlib import Path

from talkies.tasks.models import Task
from talkies.tasks.queue import enqueue, task

calls: list[object] = []


@task()
def remember(*, value: object) -> None:
    calls.append(value)


@task(max_attempts=3)
def fail(*, message: str) -> None:
    raise RuntimeError(message)


@task(atomic=True)
def fan_out(*, values: list[object]) -> None:
    """Database work only: queue one `remember` per value, all or nothing."""
    for value in values:
        enqueue(remember, value=value)


@task(atomic=True)
def fan_out_then_fail(*, values: list[object]) -> None:
    fan_out(values=values)
    raise RuntimeError("after queueing")


@task()
def append_line(*, path: str, line: str, seconds: float = 0.0) -> None:
    """An effect outside the database, visible to another process: one line appended to a file."""
    time.sleep(seconds)
    with open(Path(path), "a") as out:
        out.write(line + "\n")


def not_a_task(**kwargs: object) -> None:
    Task.objects.all().delete()  # what a row naming an undeclared function must never be able to do
