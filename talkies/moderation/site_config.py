"""A site's moderation settings as the text signals take them, and a draft comment as they judge it.

The signals (talkies.moderation.signals, talkies.moderation.decisions) know nothing of the database:
this module reads the site's word lists, thresholds and bad domains, the film's characters and
synopsis, and the author's recent record, and hands them over as plain values. Per new comment: one
primary-key read that the site's settings have not changed (config_snapshot keeps them), and one query
for the author's recent comments; the film's facts are cached for a few minutes, since every comment in
a film's threads needs the same ones.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from talkies.accounts.models import Site
from talkies.catalogue.models import Credit, Film
from talkies.comments.models import Comment, Thread
from talkies.comments.screening import Draft

from .config_snapshot import site_moderation
from .decisions import Decision, SignalConfig, decide
from .signals import AuthorFacts, FilmFacts, SignalContext, SiteFacts, SpoilerSignal

FILM_FACTS_SECONDS = 300
RECENT_BODIES = 20


def signal_config_for(site: Site, film: Film | None = None) -> SignalConfig:
    """The site's thresholds and actions (its saved settings, else the tuned defaults), word lists and
    bad domains, from this process's snapshot (config_snapshot). `film` is accepted for per-film settings,
    which sites do not have yet."""
    return site_moderation(site).config


def film_context(film: Film | None) -> dict[str, Any]:
    """What a spoiler signal needs to know about `film`: its title, characters, cast and synopsis."""
    if film is None:
        return {}
    key = f"talkies:moderation:film-facts:{film.pk}"
    found = cache.get(key)
    if found is not None:
        return found
    acting = Credit.objects.filter(film=film, role=Credit.Role.ACTOR).select_related("person", "character")
    facts = {
        "title": film.title,
        "characters": sorted({credit.character.name for credit in acting if credit.character is not None}),
        "cast": sorted({credit.person.name for credit in acting}),
        "synopsis": film.synopsis,
    }
    cache.set(key, facts, FILM_FACTS_SECONDS)
    return facts


def author_facts(*, site: Site, draft: Draft, now: datetime.datetime | None = None) -> AuthorFacts:
    actor = draft.actor
    now = now or timezone.now()
    if actor.user is not None:
        mine = Q(author=actor.user)
        age = (now - actor.user.date_joined).total_seconds() / 86400
    else:
        mine = Q(author=None, guest_key=actor.guest_key)
        age = None
    recent = list(
        Comment.objects.filter(mine, thread__site=site)
        .order_by("-created_at")
        .values_list("body_source", "created_at", "status")[:RECENT_BODIES]
    )
    hour_ago = now - datetime.timedelta(hours=1)
    return AuthorFacts(
        account_age_days=age,
        comments_last_hour=sum(1 for _body, at, _status in recent if at >= hour_ago),
        recent_bodies=tuple(body for body, _at, _status in recent if body),
        approved_count=sum(1 for _body, _at, status in recent if status == Comment.Status.APPROVED),
    )


def signal_context(draft: Draft) -> SignalContext:
    thread = draft.thread
    participants = []
    if draft.parent is not None:
        participants.append(draft.parent.author_name)
    return SignalContext(
        text=draft.body,
        film=FilmFacts.from_mapping(film_context(thread.film)),
        author=author_facts(site=thread.site, draft=draft),
        site=SiteFacts(),
        participants=tuple(participants),
    )


def assess_draft(draft: Draft, config: SignalConfig | None = None) -> Decision:
    """The signals' and word lists' decision on a new comment, with its site's settings (`config`, when the
    caller has them already)."""
    if config is None:
        config = signal_config_for(draft.thread.site, draft.thread.film)
    return decide(signal_context(draft), config)


@dataclass(frozen=True)
class SpoilerSuggestion:
    suggest: bool
    reasons: list[str]


def spoiler_suggestion(*, thread: Thread, body: str) -> SpoilerSuggestion:
    """Whether to suggest the spoiler tag to an author before they post `body` in `thread`: the spoiler
    signal alone, with the site's threshold (no author facts, nothing saved)."""
    config = signal_config_for(thread.site, thread.film)
    signal = SpoilerSignal()
    context = SignalContext(text=body, film=FilmFacts.from_mapping(film_context(thread.film)))
    result = signal.assess(context)
    suggest = result.score >= config.rule_for(signal).threshold
    return SpoilerSuggestion(suggest=suggest, reasons=result.reasons[:2] if suggest else [])


def warm_up_signals() -> None:
    """Load the text signals' models now (about a second, once per process), so that a server process's
    first comment is not the one that pays for it. The ASGI and WSGI entry points call this."""
    decide(SignalContext(text="Warming up: the film was good."), SignalConfig.defaults())
