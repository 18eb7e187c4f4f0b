"""A site's moderation settings, word lists and pre-moderation rules, read once per change, not per comment.

Every new comment is screened with its site's thresholds, banned and suspect words, bad domains and
pre-moderation rules. They change a few times a year and are read for every comment, so each process
keeps them as one snapshot per site, tagged with the site's ModerationConfigVersion, and a comment costs
one primary-key read of that version instead of three queries (and the word patterns, compiled once per
list, stay compiled).

The version changes in the same transaction as whatever it versions: a post_save or post_delete of any of
the three models bumps it (connected in apps.ready), and so does code that writes them in bulk
(word_lists_set's bulk_create, which sends no signals: call bump_config_version after such writes). A
snapshot is always read after the version it is tagged with, so a change committed in between only makes
the next comment read the snapshot again; it can never leave a process holding an old one.
"""

import secrets
import threading
from dataclasses import dataclass

from django.db.models import QuerySet

from talkies.accounts.models import Site
from talkies.lib.keyed_value import read_keyed_value

from .decisions import SignalConfig, SignalRule
from .models import ListedWord, ModerationConfigVersion, ModerationSettings, PremoderationRule

# Sites remembered per process; past this the memory is emptied and refilled (there are few sites).
MAX_SITES = 1000


@dataclass(frozen=True)
class PremoderationRuleFacts:
    """One pre-moderation rule as screening needs it, with its description (str(rule)) worked out once."""

    id: int
    scope: str
    story_id: int | None
    film_id: int | None
    user_id: int | None
    approved_comments_needed: int
    description: str


@dataclass(frozen=True)
class SiteModeration:
    config: SignalConfig
    # In the order they were made, the order they are tried in.
    rules: tuple[PremoderationRuleFacts, ...]


_snapshots: dict[int, tuple[str, SiteModeration]] = {}
_lock = threading.Lock()


def site_moderation(site: Site) -> SiteModeration:
    """The site's moderation settings, words and rules as they stand now (one primary-key read when
    nothing changed since this process last read them).

    Blocking: runs on the calling thread's database connection.
    """
    version = config_version(site.pk)
    remembered = _snapshots.get(site.pk)
    if remembered is not None and remembered[0] == version:
        return remembered[1]
    snapshot = _read(site)
    with _lock:
        if len(_snapshots) >= MAX_SITES:
            _snapshots.clear()
        _snapshots[site.pk] = (version, snapshot)
    return snapshot


def config_version(site_id: int) -> str:
    """The site's ModerationConfigVersion value, "" before its first change."""
    value = read_keyed_value(ModerationConfigVersion, "value", "site_id", site_id)
    return str(value) if value is not None else ""


def bump_config_version(site_id: int) -> None:
    """Tell every process that the site's moderation settings, words or rules changed (call it in the
    transaction that changed them)."""
    ModerationConfigVersion.objects.update_or_create(site_id=site_id, defaults={"value": secrets.token_hex(16)})


def forget_snapshots() -> None:
    """Empty this process's snapshots (the test suite does, between tests, as database rows vanish)."""
    with _lock:
        _snapshots.clear()


def _read(site: Site) -> SiteModeration:
    defaults = SignalConfig.defaults()
    saved = ModerationSettings.objects.filter(site=site).first()
    rules = dict(defaults.rules)
    if saved is not None:
        for name in ("toxicity", "spam", "spoiler"):
            default = rules[name]
            threshold = getattr(saved, f"{name}_threshold") or default.threshold
            rules[name] = SignalRule(threshold, getattr(saved, f"{name}_action"))
    words = list(ListedWord.objects.filter(site=site).values_list("word", "kind"))
    config = SignalConfig(
        rules=rules,
        banned_words=tuple(word for word, kind in words if kind == ListedWord.Kind.BANNED),
        suspect_words=tuple(word for word, kind in words if kind == ListedWord.Kind.SUSPECT),
        bad_domains=tuple(_lines(saved.bad_domains)) if saved is not None else (),
    )
    premoderation = PremoderationRule.objects.filter(site=site).select_related("story", "film", "user").order_by("id")
    return SiteModeration(
        config=config,
        rules=tuple(
            PremoderationRuleFacts(
                id=rule.pk,
                scope=rule.scope,
                story_id=rule.story_id,
                film_id=rule.film_id,
                user_id=rule.user_id,
                approved_comments_needed=rule.approved_comments_needed,
                # As the rule was described when the snapshot was read: renaming the story it names does not
                # change the version, so a held comment's flag may quote the old title until the next change.
                description=str(rule),
            )
            for rule in premoderation
        ),
    )


def _lines(text: str) -> list[str]:
    return [line.strip().lower() for line in text.splitlines() if line.strip()]


def config_changed(
    sender: type, instance: ModerationSettings | ListedWord | PremoderationRule, **kwargs: object
) -> None:
    """post_save and post_delete of the three models: the site's snapshot is out of date."""
    origin = kwargs.get("origin")
    if isinstance(origin, Site) or (isinstance(origin, QuerySet) and origin.model is Site):
        return  # the site itself is being deleted, and its version row with it: writing one would outlive it
    bump_config_version(instance.site_id)


def connect_config_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    for model in (ModerationSettings, ListedWord, PremoderationRule):
        uid = f"talkies.moderation.config_snapshot.{model.__name__}"
        post_save.connect(config_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(config_changed, sender=model, dispatch_uid=uid)
