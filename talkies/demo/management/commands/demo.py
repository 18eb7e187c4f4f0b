"""`talkies demo [--reset]`: load the Reel News demo publication, or reload it from scratch."""

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from talkies.demo import loader


class Command(BaseCommand):
    help = (
        "Load the demo publication, Reel News: the John Wick films, news, reviews and a reaction post about "
        "Ballerina, with a crowd of readers who rate, comment and vote. Every demo account (the readers, "
        f"reelnews_critic, reelnews_editor, and admin when it is created) has the password {loader.DEMO_PASSWORD!r}. "
        "Does nothing if the demo is already loaded; --reset deletes it and loads it again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="delete the demo site, its accounts and its catalogue rows, then load everything again",
        )

    def handle(self, *args: Any, reset: bool = False, **options: Any) -> None:
        started = time.monotonic()
        try:
            # One transaction: a reset that fails halfway leaves the old demo exactly as it was.
            with transaction.atomic():
                site = loader.demo_site()
                if site is not None and not reset:
                    summary = loader.summarise(site)
                    self.stdout.write(
                        f"The demo publication is already loaded ({summary.describe()}). Use --reset to reload it."
                    )
                    return
                if reset:
                    loader.remove_demo()
                summary = loader.load_demo()
                admin_created = loader.ensure_admin()
        except loader.DemoConflict as e:
            raise CommandError(f"Cannot load the demo: {e}") from e
        self._report(summary, admin_created=admin_created, seconds=time.monotonic() - started)

    def _report(self, summary: loader.DemoSummary, *, admin_created: bool, seconds: float) -> None:
        self.stdout.write(self.style.SUCCESS(f"Loaded the demo publication in {seconds:.1f}s: {summary.describe()}."))
        site_url = settings.SITE_URL
        self.stdout.write(f"Open {site_url}/ — the reaction post is at {site_url}{summary.reaction_path}")
        self.stdout.write(f"Every demo reader signs in with the password {loader.DEMO_PASSWORD!r}.")
        if admin_created:
            self.stdout.write(
                self.style.WARNING(
                    f"Created the superuser {loader.ADMIN_USERNAME!r} with the password {loader.DEMO_PASSWORD!r}. "
                    "This is for the demo only: change the password or delete the account before anyone else "
                    "can reach this installation."
                )
            )
        elif not loader.has_superuser():
            self.stdout.write("No superuser exists; create one with `talkies createsuperuser` to use the admin.")
