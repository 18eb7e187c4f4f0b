"""`talkies webhooks retry`: send the webhook deliveries whose retry is due, now.

The worker (`talkies worker`, started by `talkies serve`) retries deliveries on its own; this is for an
operator who would rather not wait, or runs no worker.
"""

from django.core.management.base import BaseCommand, CommandParser

from talkies.embed.webhooks import deliver_due


class Command(BaseCommand):
    help = "Work with webhook deliveries."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("retry", help="attempt every pending delivery that is due (1, 5 and 30 minutes apart)")

    def handle(self, *args: object, **options: str) -> None:
        attempted = deliver_due()
        self.stdout.write(f"Attempted {attempted} due webhook deliver{'y' if attempted == 1 else 'ies'}.")
