"""`talkies scores check [--repair]`: prove the running audience scores match the raw ratings."""

from django.core.management.base import BaseCommand, CommandError

from talkies.ratings.consistency import find_drift, repair


class Command(BaseCommand):
    help = "Check film scores against raw ratings (and repair drift with --repair)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="recompute every film score from its ratings and report drift")
        check.add_argument("--repair", action="store_true", help="overwrite drifted scores with the recomputed ones")

    def handle(self, *args, action: str, **options):
        if action == "check":
            self.check_scores(repair_drift=options["repair"])

    def check_scores(self, *, repair_drift: bool) -> None:
        drift = find_drift()
        if not drift:
            self.stdout.write(self.style.SUCCESS("Every film score matches its ratings: no drift."))
            return
        for item in drift:
            self.stdout.write(item.describe())
        if repair_drift:
            repair(drift)
            self.stdout.write(self.style.WARNING(f"Repaired {len(drift)} film score(s)."))
            return
        raise CommandError(f"{len(drift)} film score(s) drifted from their ratings; run with --repair to fix them.")
