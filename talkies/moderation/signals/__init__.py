"""Offline text signals: pure functions of a SignalContext, each a score in [0, 1] with its reasons.

Nothing here touches the database or the network (the toxicity model ships in the alt-profanity-check
wheel), so signals run in the request that posts a comment, in the `talkies moderation classify`
command and in the evaluation script alike. talkies.moderation.decisions turns their scores into a
decision with a site's thresholds; docs/moderation-signals.md describes each signal.
"""

from .base import AuthorFacts, FilmFacts, FunctionSignal, Signal, SignalContext, SignalResult, SiteFacts, load_signal
from .spam import SpamSignal
from .spoiler import SpoilerSignal
from .toxicity import ToxicitySignal

__all__ = [
    "AuthorFacts",
    "FilmFacts",
    "FunctionSignal",
    "Signal",
    "SignalContext",
    "SignalResult",
    "SiteFacts",
    "SpamSignal",
    "SpoilerSignal",
    "ToxicitySignal",
    "builtin_signals",
    "load_signal",
]


def builtin_signals() -> list[Signal]:
    """The signals every site runs: toxicity, spam and spoiler triage."""
    return [ToxicitySignal(), SpamSignal(), SpoilerSignal()]
