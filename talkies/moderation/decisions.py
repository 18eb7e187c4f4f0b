"""From a comment's signals and a site's settings to one decision: allow, report, premoderate or reject.

Pure apart from reading settings.MODERATION_EXTRA_SIGNALS: no database. The site's settings arrive as a
SignalConfig (talkies.moderation.site_config builds one from the models); the comment as a
SignalContext.

How decide() decides:
- a banned word rejects, and the reason (shown to the author) names it; a suspect word reports;
- each signal whose score reaches its rule's threshold asks for the rule's action;
- the strongest action asked for wins: reject > premoderate > report > allow;
- the spoiler signal only suggests the spoiler flag (and reports, if a site asks for that): an action
  above report configured for it is lowered to report, so it can never hold or reject a comment.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from .signals import Signal, SignalContext, SignalResult, builtin_signals, load_signal
from .words import find_listed_words

logger = logging.getLogger(__name__)

SPOILER = "spoiler"


class Action(StrEnum):
    ALLOW = "allow"
    REPORT = "report"
    PREMODERATE = "premoderate"
    REJECT = "reject"

    @property
    def strength(self) -> int:
        return _STRENGTH[self]


_STRENGTH = {Action.ALLOW: 0, Action.REPORT: 1, Action.PREMODERATE: 2, Action.REJECT: 3}


@dataclass(frozen=True)
class SignalRule:
    """A score at or above `threshold` asks for `action`."""

    threshold: float
    action: Action

    def __post_init__(self) -> None:
        if not 0.0 <= self.threshold <= 1.0:
            raise ValueError(f"a signal threshold is between 0 and 1, not {self.threshold}")
        object.__setattr__(self, "action", Action(self.action))


# A signal added by a newsroom with no rule in the site's config: a moderator is asked to look.
DEFAULT_RULE = SignalRule(0.8, Action.REPORT)


@dataclass(frozen=True)
class SignalConfig:
    """One site's moderation settings as decide() takes them (for one film's threads, if they differ)."""

    rules: Mapping[str, SignalRule] = field(default_factory=dict)
    banned_words: tuple[str, ...] = ()
    suspect_words: tuple[str, ...] = ()
    bad_domains: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Frozen all the way down: nobody can change a site's rules through a config they were handed.
        object.__setattr__(self, "rules", MappingProxyType(dict(self.rules)))
        for name in ("banned_words", "suspect_words", "bad_domains"):
            object.__setattr__(self, name, tuple(getattr(self, name)))

    @classmethod
    def defaults(cls) -> SignalConfig:
        """The thresholds tuned on the evaluation set's tune split (docs/moderation-signals.md):
        abuse and spam are held for a moderator, a likely spoiler is only suggested."""
        return cls(
            rules={
                "toxicity": SignalRule(0.5, Action.PREMODERATE),
                "spam": SignalRule(0.45, Action.PREMODERATE),
                SPOILER: SignalRule(0.45, Action.ALLOW),
            }
        )

    def rule_for(self, signal: Signal) -> SignalRule:
        rule = self.rules.get(signal.name)
        if rule is None:
            rule = getattr(signal, "default_rule", None)
        return rule if isinstance(rule, SignalRule) else DEFAULT_RULE


@dataclass(frozen=True)
class Decision:
    decision: Action
    # Every signal's score, by name, whether or not it reached its threshold.
    signals: dict[str, float]
    # Why, in words that may be shown to the author (the first ones matter most).
    reasons: list[str]
    suggest_spoiler: bool = False
    # The site's list entries found, as listed ("fuck" for "f*ck" in the text).
    banned_words: list[str] = field(default_factory=list)
    suspect_words: list[str] = field(default_factory=list)


def decide(context: SignalContext, config: SignalConfig, signals: Sequence[Signal] | None = None) -> Decision:
    """What to do with one comment. `signals` defaults to the built-in ones and those named in
    settings.MODERATION_EXTRA_SIGNALS. A signal that fails is logged and left out (the comment is not
    refused because a newsroom's own signal broke)."""
    if signals is None:
        signals = active_signals()
    if config.bad_domains:
        merged = tuple(dict.fromkeys((*context.site.bad_domains, *config.bad_domains)))
        context = dataclasses.replace(context, site=dataclasses.replace(context.site, bad_domains=merged))

    action = Action.ALLOW
    reasons: list[str] = []
    # The decision lists the entries as the site listed them; the reasons quote the text as written ("f*ck"),
    # which is what the author will recognise.
    banned_hits = find_listed_words(context.text, config.banned_words)
    suspect_hits = find_listed_words(context.text, config.suspect_words)
    banned = list(dict.fromkeys(hit.word for hit in banned_hits))
    suspect = list(dict.fromkeys(hit.word for hit in suspect_hits))
    if banned:
        action = Action.REJECT
        written = list(dict.fromkeys(hit.matched for hit in banned_hits))
        words = ", ".join(f"“{word}”" for word in written)
        reasons.append(f"it uses {'a word' if len(written) == 1 else 'words'} this site does not allow: {words}")
    if suspect:
        action = _stronger(action, Action.REPORT)
        written = list(dict.fromkeys(hit.matched for hit in suspect_hits))
        reasons.append("it uses a word a moderator should see: " + ", ".join(f"“{word}”" for word in written))

    scores: dict[str, float] = {}
    suggest_spoiler = False
    for signal in signals:
        result = _run(signal, context)
        if result is None:
            continue
        scores[signal.name] = result.score
        rule = config.rule_for(signal)
        if result.score < rule.threshold:
            continue
        wanted = rule.action
        if signal.name == SPOILER:
            suggest_spoiler = True
            if wanted.strength > Action.REPORT.strength:
                wanted = Action.REPORT
        if wanted != Action.ALLOW or signal.name == SPOILER:
            reasons += [f"{signal.name}: {reason}" for reason in result.reasons[:2]] or [f"{signal.name} score"]
        action = _stronger(action, wanted)
    return Decision(
        decision=action,
        signals=scores,
        reasons=reasons,
        suggest_spoiler=suggest_spoiler,
        banned_words=banned,
        suspect_words=suspect,
    )


def _stronger(current: Action, wanted: Action) -> Action:
    return wanted if wanted.strength > current.strength else current


def _run(signal: Signal, context: SignalContext) -> SignalResult | None:
    try:
        result = signal.assess(context)
    except Exception:
        logger.exception("moderation signal %r failed; the comment is judged without it", signal.name)
        return None
    if not isinstance(result, SignalResult):
        logger.error("moderation signal %r returned %r, not a SignalResult; ignored", signal.name, result)
        return None
    return result


def active_signals() -> list[Signal]:
    """The built-in signals and the newsroom's own (settings.MODERATION_EXTRA_SIGNALS: dotted paths or
    objects, or a callable returning them), loaded once per value of the setting."""
    from django.conf import settings

    extra = getattr(settings, "MODERATION_EXTRA_SIGNALS", ())
    if callable(extra):
        extra = extra()
    return [*_builtin(), *_extra(tuple(extra))]


@functools.cache
def _builtin() -> tuple[Signal, ...]:
    return tuple(builtin_signals())


@functools.lru_cache(maxsize=8)
def _extra(specs: tuple[str | object, ...]) -> tuple[Signal, ...]:
    loaded = tuple(load_signal(spec) for spec in specs)
    names = [signal.name for signal in (*_builtin(), *loaded)]
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        raise ValueError(f"MODERATION_EXTRA_SIGNALS: two signals are named {', '.join(sorted(duplicates))}")
    return loaded
