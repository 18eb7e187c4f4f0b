"""The interface every text signal implements, and the facts a signal may judge a comment by.

A signal is any object with a `name` and an `assess(context) -> SignalResult`; it must be pure (no
database, no network, no clock), fast (a few milliseconds at most) and safe to call from several threads.
Everything it may use arrives in a SignalContext made of plain values, so signals can be run and tested
without Django, on any text, and a newsroom can write its own (see load_signal).
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True)
class FilmFacts:
    """What the catalogue says about the film a thread is about (empty when it is about none)."""

    title: str = ""
    characters: tuple[str, ...] = ()
    cast: tuple[str, ...] = ()
    synopsis: str = ""
    # Plot and ending keywords an editor recorded, if any ("the dog dies", "Keyser Söze").
    keywords: tuple[str, ...] = ()

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> FilmFacts:
        """From a dict such as site_config.film_context returns: title, characters, cast, synopsis and
        keywords; other keys are ignored, and missing ones are empty."""
        if not values:
            return cls()
        return cls(
            title=str(values.get("title") or ""),
            characters=_strings(values.get("characters")),
            cast=_strings(values.get("cast")),
            synopsis=str(values.get("synopsis") or ""),
            keywords=_strings(values.get("keywords")),
        )


@dataclass(frozen=True)
class AuthorFacts:
    """What the site knows about the author at the moment they post."""

    # None for a guest (no account at all).
    account_age_days: float | None = None
    comments_last_hour: int = 0
    # The author's recent comment bodies on this site, across threads, newest first.
    recent_bodies: tuple[str, ...] = ()
    approved_count: int = 0

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> AuthorFacts:
        """From a JSON object with any of the four fields; raises ValueError naming a field of the wrong type."""
        age = values.get("account_age_days")
        if age is not None and (isinstance(age, bool) or not isinstance(age, int | float)):
            raise ValueError("account_age_days must be a number or null")
        counts = {}
        for name in ("comments_last_hour", "approved_count"):
            value = values.get(name, 0)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a whole number, 0 or more")
            counts[name] = value
        bodies = values.get("recent_bodies", [])
        if not isinstance(bodies, list) or not all(isinstance(body, str) for body in bodies):
            raise ValueError("recent_bodies must be a list of strings")
        return cls(account_age_days=age, recent_bodies=tuple(bodies), **counts)


@dataclass(frozen=True)
class SiteFacts:
    # Domains (and their subdomains) the site's moderators have seen spam from.
    bad_domains: tuple[str, ...] = ()


@dataclass(frozen=True)
class SignalContext:
    """Everything a signal may judge one comment by. No ORM objects: plain, immutable values."""

    text: str
    film: FilmFacts = field(default_factory=FilmFacts)
    author: AuthorFacts = field(default_factory=AuthorFacts)
    site: SiteFacts = field(default_factory=SiteFacts)
    # Display names of the other people in the conversation (the parent comment's author, people
    # mentioned), so an insult aimed at one of them by name is seen as aimed at a person.
    participants: tuple[str, ...] = ()


@dataclass(frozen=True)
class SignalResult:
    """A score in [0, 1] (how strongly the signal believes its concern applies) and why, in words a
    moderator can read."""

    score: float
    reasons: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        # A signal written elsewhere may hand back anything numeric; keep the promise of [0, 1].
        score = float(self.score)
        object.__setattr__(self, "score", 0.0 if math.isnan(score) else min(1.0, max(0.0, score)))


@runtime_checkable
class Signal(Protocol):
    """A text signal: a name (the key of its score and of its rule in a SignalConfig) and a pure, fast
    assess()."""

    @property
    def name(self) -> str: ...

    def assess(self, context: SignalContext) -> SignalResult: ...


@dataclass(frozen=True)
class FunctionSignal:
    """A plain function `(SignalContext) -> SignalResult` used as a signal, named after the function."""

    name: str
    function: Callable[[SignalContext], SignalResult]

    def assess(self, context: SignalContext) -> SignalResult:
        return self.function(context)


def load_signal(spec: str | object) -> Signal:
    """A signal from a dotted path or an object: a class (instantiated without arguments), an instance
    with `name` and `assess`, or a function taking a SignalContext (its `__name__` is the signal's name).

    Raises ImportError or TypeError with the path in the message when it names nothing usable.
    """
    target: object = spec
    if isinstance(spec, str):
        module_path, _, attribute = spec.rpartition(".")
        if not module_path:
            raise ImportError(f"{spec!r} is not a dotted path such as 'mypackage.signals.MySignal'")
        module = importlib.import_module(module_path)
        try:
            target = getattr(module, attribute)
        except AttributeError:
            raise ImportError(f"{module_path} has no {attribute!r} (from {spec!r})") from None
    if isinstance(target, type):
        target = target()
    if isinstance(target, Signal):
        return target
    if callable(target):
        return FunctionSignal(name=str(getattr(target, "__name__", "custom")), function=target)
    raise TypeError(f"{spec!r} is neither a signal (name and assess) nor a function of a SignalContext")


def _strings(values: object) -> tuple[str, ...]:
    if isinstance(values, str):
        return (values,) if values else ()
    if isinstance(values, Iterable):
        return tuple(str(value) for value in values if value)
    return ()
