from typing import Any

from django.core.management.base import BaseCommand

from talkies.live.log import RETENTION, prune_events


class Command(BaseCommand):
    help = "Delete live-update events older than the replay window (the server also does this every minute)."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = prune_events()
        self.stdout.write(f"Deleted {deleted} live event(s) older than {RETENTION}.")
