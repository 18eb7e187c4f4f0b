"""`talkies scores check [--repair]` proves the running scores match the raw ratings;
`talkies scores audit` scans every film's rating history for review bombs (run it on a schedule).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from talkies.accounts.models import Site
from talkies.catalogue.models import Film
from talkies.ratings.bombs import audit_film
from talkies.ratings.consistency import find_drift, find_held_drift, repair
from talkies.ratings.models import FilmScore


class Command(BaseCommand):
    help = "Check film scores against raw ratings (check), or look for review bombs (audit)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="recompute every film score from its ratings and report drift")
        check.add_argument("--repair", action="store_true", help="overwrite drifted scores with the recomputed ones")
        audit = sub.add_parser("audit", help="scan rating histories for review bombs and hold them out of scores")
        audit.add_argument("--site", help="only this site (slug)")
        audit.add_argument("--film", help="only this film (slug)")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "check":
            self.check_scores(repair_drift=options["repair"])
        elif action == "audit":
            self.audit(site_slug=options["site"], film_slug=options["film"])

    def audit(self, *, site_slug: str | None, film_slug: str | None) -> None:
        scores = FilmScore.objects.select_related("site", "film").filter(count__gt=0)
        if site_slug:
            if not Site.objects.filter(slug=site_slug).exists():
                raise CommandError(f"no site with slug {site_slug!r}")
            scores = scores.filter(site__slug=site_slug)
        if film_slug:
            if not Film.objects.filter(slug=film_slug).exists():
                raise CommandError(f"no film with slug {film_slug!r}")
            scores = scores.filter(film__slug=film_slug)
        flagged = 0
        for score in scores.order_by("site_id", "film_id"):
            for window in audit_film(site=score.site, film=score.film):
                flagged += 1
                self.stdout.write(
                    f"{score.site.slug} / {score.film.slug}: {window.rating_count} ratings "
                    f"{window.starts_at:%Y-%m-%d %H:%M}–{window.ends_at:%H:%M} {window.get_status_display()}: "
                    f"{window.reason}"
                )
        if flagged:
            self.stdout.write(self.style.WARNING(f"{flagged} suspect window(s) are held out of scores for review."))
        else:
            self.stdout.write(self.style.SUCCESS(f"No suspect windows in {scores.count()} film score(s)."))

    def check_scores(self, *, repair_drift: bool) -> None:
        held_drift = find_held_drift()
        for problem in held_drift:
            self.stdout.write(problem)
        if held_drift and not repair_drift:
            raise CommandError(f"{len(held_drift)} film score(s) hold the wrong ratings; run with --repair.")
        if held_drift:
            from talkies.ratings.bombs import refresh_held

            with transaction.atomic():
                for score in FilmScore.objects.select_related("site", "film"):
                    refresh_held(site=score.site, film=score.film)
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
