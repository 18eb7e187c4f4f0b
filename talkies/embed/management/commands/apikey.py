"""`talkies apikey create --site reelnews --name wp`: a new API key, shown once. `talkies apikey revoke <prefix>`."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from talkies.accounts.models import Site
from talkies.embed.api_keys import api_key_create
from talkies.embed.models import ApiKey
from talkies.lib.errors import ServiceError


class Command(BaseCommand):
    help = "Create or revoke a site's API keys for server-to-server calls."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="create a key and print it (it is not stored and never shown again)")
        create.add_argument("--site", required=True, help="the site's slug, e.g. reelnews")
        create.add_argument("--name", required=True, help="what will use the key, e.g. wp")
        revoke = actions.add_parser("revoke", help="stop a key from working")
        revoke.add_argument("prefix", help="the key's first characters, as `apikey create` and the admin show them")

    def handle(self, *args: object, **options: str) -> None:
        if options["action"] == "create":
            site = Site.objects.filter(slug=options["site"]).first()
            if site is None:
                slugs = ", ".join(Site.objects.values_list("slug", flat=True)) or "none yet"
                raise CommandError(f"no site {options['site']!r}: the sites are {slugs}")
            try:
                api_key, key = api_key_create(site=site, name=options["name"])
            except ServiceError as e:
                raise CommandError(e.message) from e
            self.stdout.write(f"API key {api_key.name!r} for {site.name} (prefix {api_key.prefix}):\n\n    {key}\n")
            self.stdout.write("Store it now: Talkies keeps only a hash and cannot show it again.")
        else:
            revoked = ApiKey.objects.filter(prefix=options["prefix"], revoked_at=None).update(revoked_at=timezone.now())
            if not revoked:
                raise CommandError(f"no live key starts with {options['prefix']!r}")
            self.stdout.write(f"Revoked {revoked} key(s).")
