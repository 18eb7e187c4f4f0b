"""`talkies worker`: run the background work (emails, webhook deliveries) queued in the database.

`talkies serve` starts one beside the web processes; run it on its own where the web nodes are started
with `talkies serve --no-worker`.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from talkies.tasks.worker import Worker


class Command(BaseCommand):
    help = "Run queued background tasks (emails, webhook deliveries) until stopped with SIGTERM or Ctrl-C."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds to wait when nothing is due (default 1)"
        )
        parser.add_argument("--batch", type=int, default=20, help="tasks to look up at a time (default 20)")
        parser.add_argument("--until-idle", action="store_true", help="stop once nothing is due, instead of waiting")
        # `talkies serve` passes its own process id, so a worker it started stops when the server is gone
        # even if the server was killed without a chance to stop it.
        parser.add_argument(
            "--parent-pid", type=int, default=None, help="stop when this process is no longer the parent"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        worker = Worker(interval=options["interval"], batch=options["batch"], parent_pid=options["parent_pid"])
        worker.install_signal_handlers()
        ran = worker.run(until_idle=options["until_idle"])
        if options["until_idle"]:
            self.stdout.write(f"Ran {ran} task(s).")
