"""`talkies moderation classify --site SLUG [--film SLUG] < comments.jsonl` runs the text signals on any text.

Each input line is a JSON object with a `text` (a string); it may also carry the author's facts
(`account_age_days`, `comments_last_hour`, `recent_bodies`, `approved_count`) and `participants`. Each
output line, in order, is what decide() says with the site's settings:

    {"decision": "premoderate", "signals": {"toxicity": 0.93, "spam": 0.02, "spoiler": 0.1},
     "reasons": ["toxicity: an insult aimed at you (“idiot”)"], "suggest_spoiler": false}

A bad line (not JSON, no text, text not a string) stops the run with an error naming its line number;
the lines printed before it stay printed. Blank lines are skipped.
"""

import json
import sys
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from talkies.accounts.models import Site
from talkies.catalogue.models import Film
from talkies.moderation.decisions import Decision, SignalConfig, decide
from talkies.moderation.signals import AuthorFacts, FilmFacts, SignalContext, SiteFacts

AUTHOR_FIELDS = ("account_age_days", "comments_last_hour", "recent_bodies", "approved_count")


class Command(BaseCommand):
    help = "Moderation tools: classify runs the text signals on JSON lines read from standard input."
    # call_command(..., stdin=io.StringIO(...)) for tests; from the shell it is standard input.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        classify = sub.add_parser(
            "classify",
            help='run the signals on JSON lines ({"text": "..."}) from standard input, one JSON line out for each',
        )
        classify.add_argument("--site", required=True, help="the site whose word lists and thresholds apply (slug)")
        classify.add_argument("--film", help="the film the comments are about (slug), for spoiler triage")
        digest = sub.add_parser(
            "digest",
            help="queue an email to each site's moderators with a digest of its pending queue (sites with digests on)",
        )
        digest.add_argument("--site", help="only this site (slug), whether or not its digest is switched on")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "classify":
            self.classify(site_slug=options["site"], film_slug=options["film"], stdin=options.get("stdin"))
        elif action == "digest":
            self.digest(site_slug=options.get("site"))

    def digest(self, *, site_slug: str | None) -> None:
        """Run from cron (daily, say): one email per moderator of each site that has digests switched on,
        queued for the worker (talkies worker) to send."""
        from talkies.moderation.models import ModerationSettings
        from talkies.moderation.notifications import queue_pending_digest

        if site_slug:
            sites = list(Site.objects.filter(slug=site_slug))
            if not sites:
                raise CommandError(f"no site with slug {site_slug!r}")
        else:
            sites = [s.site for s in ModerationSettings.objects.filter(digest_emails=True).select_related("site")]
        queued = 0
        for site in sites:
            count = queue_pending_digest(site)
            queued += count
            self.stdout.write(f"{site.slug}: {count} digest email(s)")
        self.stdout.write(f"{queued} queued for the worker")

    def classify(self, *, site_slug: str, film_slug: str | None, stdin: IO[str] | None) -> None:
        from talkies.moderation.site_config import film_context, signal_config_for

        site = Site.objects.filter(slug=site_slug).first()
        if site is None:
            known = ", ".join(Site.objects.order_by("slug").values_list("slug", flat=True)[:20]) or "none yet"
            raise CommandError(f"no site with slug {site_slug!r} (sites: {known})")
        film = None
        if film_slug:
            film = Film.objects.filter(slug=film_slug).first()
            if film is None:
                known = ", ".join(Film.objects.order_by("slug").values_list("slug", flat=True)[:10]) or "none yet"
                raise CommandError(f"no film with slug {film_slug!r} (films include: {known})")
        config = signal_config_for(site, film)
        facts = FilmFacts.from_mapping(film_context(film) if film is not None else None)
        source = stdin if stdin is not None else sys.stdin
        for number, line in enumerate(source, start=1):
            if not line.strip():
                continue
            context = _context(line, number, facts, config)
            self.stdout.write(json.dumps(_out(decide(context, config)), ensure_ascii=False))
            self.stdout.flush()


def _context(line: str, number: int, film: FilmFacts, config: SignalConfig) -> SignalContext:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise CommandError(f"line {number}: not JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(record, dict):
        raise CommandError(
            f'line {number}: expected a JSON object such as {{"text": "..."}}, got {type(record).__name__}'
        )
    if "text" not in record:
        raise CommandError(f'line {number}: no "text" field (each line needs {{"text": "..."}})')
    if not isinstance(record["text"], str):
        raise CommandError(f'line {number}: "text" must be a string, not {type(record["text"]).__name__}')
    try:
        author = AuthorFacts.from_mapping({key: record[key] for key in AUTHOR_FIELDS if key in record})
    except ValueError as error:
        raise CommandError(f"line {number}: {error}") from None
    participants = record.get("participants", [])
    if not isinstance(participants, list) or not all(isinstance(name, str) for name in participants):
        raise CommandError(f'line {number}: "participants" must be a list of names')
    return SignalContext(
        text=record["text"],
        film=film,
        author=author,
        site=SiteFacts(bad_domains=config.bad_domains),
        participants=tuple(participants),
    )


def _out(decision: Decision) -> dict[str, object]:
    return {
        "decision": str(decision.decision),
        "signals": {name: round(score, 3) for name, score in decision.signals.items()},
        "reasons": decision.reasons,
        "suggest_spoiler": decision.suggest_spoiler,
    }
