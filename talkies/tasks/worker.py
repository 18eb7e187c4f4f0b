"""The worker loop behind `talkies worker`: run due tasks, sleep a second when there are none, repeat.

Any number of workers may run against one database (one per node, or one for the whole cluster): the
claim in talkies.tasks.queue.run_task keeps two from running the same task. SIGTERM or SIGINT stops the
worker after the task it is running (a second signal stops it at once; that task's claim then runs
out and another worker, or this one restarted, runs it again).
"""

import datetime
import logging
import os
import signal
import socket
import threading
import time
import uuid
from types import FrameType

from django.conf import settings
from django.db import DatabaseError, connection

from .queue import due_task_ids, prune_finished, run_task

logger = logging.getLogger(__name__)

PRUNE_EVERY_SECONDS = 3600


class Worker:
    def __init__(
        self, *, interval: float = 1.0, batch: int = 20, worker_id: str = "", parent_pid: int | None = None
    ) -> None:
        self.interval = interval
        self.batch = batch
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.parent_pid = parent_pid
        self.stopping = False
        self._wake = threading.Event()
        self._pruned_at = 0.0

    def install_signal_handlers(self) -> None:
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if self.stopping:
            raise SystemExit(1)
        logger.info("worker %s: %s, stopping after the current task", self.worker_id, signal.strsignal(signum))
        self.stop()

    def stop(self) -> None:
        self.stopping = True
        self._wake.set()

    def run(self, *, until_idle: bool = False) -> int:
        """Work until stopped (or, with until_idle, until nothing is due); how many tasks ran."""
        logger.info("worker %s: started", self.worker_id)
        ran = 0
        errors = 0  # database errors in a row: wait longer after each, up to half a minute
        while not self.stopping:
            if self.parent_pid is not None and os.getppid() != self.parent_pid:
                logger.info("worker %s: the server that started it has gone; stopping", self.worker_id)
                break
            try:
                ran_now = self.run_batch()
                self._prune_now_and_then()
                errors = 0
            except DatabaseError:
                if until_idle:
                    raise  # a one-off run reports the error to whoever started it
                errors += 1
                wait = min(30.0, self.interval * 2**errors)
                # (Not migrated yet, the database restarting, a lock held too long: all pass.)
                logger.exception("worker %s: database error; trying again in %.0f s", self.worker_id, wait)
                connection.close()  # a fresh connection next time, should this one be broken
                self._wake.wait(wait)
                continue
            ran += ran_now
            if ran_now == 0:
                if until_idle:
                    break
                self._wake.wait(self.interval)
        logger.info("worker %s: stopped after %d task(s)", self.worker_id, ran)
        return ran

    def run_batch(self) -> int:
        ran = 0
        for task_id in due_task_ids(self.batch):
            if self.stopping:
                break
            if run_task(task_id, worker_id=self.worker_id) is not None:
                ran += 1
        return ran

    def _prune_now_and_then(self) -> None:
        if time.monotonic() - self._pruned_at < PRUNE_EVERY_SECONDS:
            return
        self._pruned_at = time.monotonic()
        deleted = prune_finished(older_than=datetime.timedelta(days=settings.TASKS_KEEP_DONE_DAYS))
        if deleted:
            logger.info("worker %s: deleted %d done task(s)", self.worker_id, deleted)
