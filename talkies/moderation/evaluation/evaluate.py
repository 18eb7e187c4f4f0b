"""How well the text signals do on the evaluation set: precision and recall per signal, as a Markdown table.

    python -m talkies.moderation.evaluation.evaluate --split test
    python -m talkies.moderation.evaluation.evaluate --split tune --errors    # what each signal got wrong
    python -m talkies.moderation.evaluation.evaluate --split tune --sweep     # metrics at other thresholds
    python -m talkies.moderation.evaluation.evaluate --split test --timing    # p50 cost of decide()
    python -m talkies.moderation.evaluation.evaluate --comments other.jsonl   # any labelled set (split optional)

comments.jsonl holds film-site comments written for this project, one JSON object a line: text, label
(abuse, criticism, praise, neutral, spam or spoiler), film (a slug of films.json, or null) and split (tune
or test, about half each, stratified by label); a few carry an `author` object (account_age_days,
comments_last_hour, recent_bodies, approved_count) where spam shows in the author's record rather than
the text. Comments without one are judged as from a guest with no history. Thresholds are tuned on the
tune split only; the test split measures them (test_evaluation.py holds the goals).

Runs without a database: the film facts come from films.json, the signals are the built-in ones, the
thresholds SignalConfig.defaults().
"""

from __future__ import annotations

import argparse
import functools
import json
import statistics
import sys
import timeit
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from talkies.moderation.decisions import Action, Decision, SignalConfig, SignalRule, decide
from talkies.moderation.signals import AuthorFacts, FilmFacts, Signal, SignalContext, builtin_signals
from talkies.moderation.signals.text import sentences

HERE = Path(__file__).resolve().parent
COMMENTS = HERE / "comments.jsonl"
FILMS = HERE / "films.json"
LABELS = ("abuse", "criticism", "praise", "neutral", "spam", "spoiler")

# The goals the test split must meet (test_evaluation.py asserts them).
GOALS = {
    "abuse recall": (">=", 0.8),
    "abuse precision": (">=", 0.9),
    "criticism flagged as abuse": ("<=", 0.05),
    "spam recall": (">=", 0.9),
    "spoiler recall": (">=", 0.6),
}


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    film: str | None
    split: str
    author: AuthorFacts = field(default_factory=AuthorFacts)


@dataclass(frozen=True)
class Measure:
    signal: str
    name: str
    hits: int
    total: int

    @property
    def value(self) -> float:
        return self.hits / self.total if self.total else 0.0


@dataclass(frozen=True)
class Report:
    split: str
    count: int
    measures: list[Measure]

    def value(self, name: str) -> float:
        return next(measure.value for measure in self.measures if measure.name == name)

    def failed_goals(self) -> list[str]:
        failed = []
        for name, (comparison, goal) in GOALS.items():
            value = self.value(name)
            if (comparison == ">=" and value < goal) or (comparison == "<=" and value > goal):
                failed.append(f"{name} is {value:.3f}, the goal is {comparison} {goal}")
        return failed


def load_films(path: Path = FILMS) -> dict[str, FilmFacts]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {film["slug"]: FilmFacts.from_mapping(film) for film in data["films"]}


def load_examples(path: Path = COMMENTS, split: str = "all") -> list[Example]:
    examples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        # A set labelled elsewhere may have no split (then all of it is test data) or its own ("blind").
        row_split = row.get("split", "test")
        if not isinstance(row.get("text"), str):
            raise ValueError(f"{path.name} line {number}: no text")
        if row.get("label") not in LABELS:
            raise ValueError(f"{path.name} line {number}: the label must be one of {', '.join(LABELS)}")
        if split in (row_split, "all"):
            author = AuthorFacts.from_mapping(row["author"]) if "author" in row else AuthorFacts()
            examples.append(Example(row["text"], row["label"], row.get("film"), row_split, author))
    return examples


def context_for(example: Example, films: dict[str, FilmFacts]) -> SignalContext:
    # A film films.json does not describe is judged without its facts, as a thread about no film would be.
    film = films.get(example.film, FilmFacts()) if example.film else FilmFacts()
    return SignalContext(text=example.text, film=film, author=example.author)


def fired(decision: Decision, config: SignalConfig, signal: Signal) -> bool:
    """Whether this signal's own rule asked for at least a report (or, for spoilers, the suggestion)."""
    rule = config.rule_for(signal)
    score = decision.signals.get(signal.name, 0.0)
    if signal.name == "spoiler":
        return decision.suggest_spoiler
    return score >= rule.threshold and rule.action.strength >= Action.REPORT.strength


def evaluate(
    split: str = "test", config: SignalConfig | None = None, examples: Sequence[Example] | None = None
) -> Report:
    config = config or SignalConfig.defaults()
    signals = builtin_signals()
    by_name = {signal.name: signal for signal in signals}
    films = load_films()
    examples = list(examples) if examples is not None else load_examples(split=split)
    if not examples:
        raise ValueError(f"no comments in the {split} split")
    flagged: dict[str, list[bool]] = {name: [] for name in by_name}
    for example in examples:
        decision = decide(context_for(example, films), config, signals=signals)
        for name, signal in by_name.items():
            flagged[name].append(fired(decision, config, signal))
    labels = [example.label for example in examples]

    def precision(signal: str, label: str) -> Measure:
        chosen = [labels[i] for i, hit in enumerate(flagged[signal]) if hit]
        return Measure(signal, f"{label} precision", chosen.count(label), len(chosen))

    def rate(signal: str, label: str, name: str) -> Measure:
        among = [hit for hit, which in zip(flagged[signal], labels, strict=True) if which == label]
        return Measure(signal, name, sum(among), len(among))

    clean = [
        any(flagged[name][i] for name in ("toxicity", "spam"))
        for i, label in enumerate(labels)
        if label in ("praise", "neutral")
    ]
    measures = [
        rate("toxicity", "abuse", "abuse recall"),
        precision("toxicity", "abuse"),
        rate("toxicity", "criticism", "criticism flagged as abuse"),
        rate("toxicity", "praise", "praise flagged as abuse"),
        rate("spam", "spam", "spam recall"),
        precision("spam", "spam"),
        rate("spoiler", "spoiler", "spoiler recall"),
        precision("spoiler", "spoiler"),
        Measure("all", "praise and neutral held or reported", sum(clean), len(clean)),
    ]
    return Report(split, len(examples), measures)


def markdown(report: Report) -> str:
    lines = [
        f"Split: {report.split} ({report.count} comments), thresholds: SignalConfig.defaults()",
        "",
        "| signal | measure | value | of | goal |",
        "|---|---|---:|---:|---|",
    ]
    for measure in report.measures:
        comparison, goal = GOALS.get(measure.name, ("", None))
        goal_text = f"{'≥' if comparison == '>=' else '≤'} {goal}" if goal is not None else ""
        counts = f"{measure.hits}/{measure.total}"
        lines.append(f"| {measure.signal} | {measure.name} | {measure.value:.2f} | {counts} | {goal_text} |")
    return "\n".join(lines)


def errors(split: str, path: Path = COMMENTS) -> str:
    """Every comment a signal got wrong on a split, for reading while tuning (use the tune split)."""
    config = SignalConfig.defaults()
    signals = builtin_signals()
    films = load_films()
    wanted = {"toxicity": "abuse", "spam": "spam", "spoiler": "spoiler"}
    lines = []
    for example in load_examples(path, split=split):
        decision = decide(context_for(example, films), config, signals=signals)
        for signal in signals:
            hit = fired(decision, config, signal)
            if hit != (example.label == wanted[signal.name]):
                kind = "false positive" if hit else "missed"
                score = decision.signals[signal.name]
                lines.append(f"{signal.name} {kind} ({score:.2f}) [{example.label}] {example.text}")
    return "\n".join(sorted(lines))


def sweep(split: str, path: Path = COMMENTS) -> str:
    """Each signal's measures at thresholds from 0.3 to 0.85, the others at their defaults."""
    defaults = SignalConfig.defaults()
    lines = ["| signal | threshold | recall | precision | criticism flagged |", "|---|---:|---:|---:|---:|"]
    examples = load_examples(path, split=split)
    for name, label in (("toxicity", "abuse"), ("spam", "spam"), ("spoiler", "spoiler")):
        for step in range(6, 18):
            threshold = step / 20
            rules = dict(defaults.rules)
            rules[name] = SignalRule(threshold, defaults.rules[name].action)
            report = evaluate(split, SignalConfig(rules=rules), examples)
            criticism = f"{report.value('criticism flagged as abuse'):.2f}" if name == "toxicity" else ""
            lines.append(
                f"| {name} | {threshold:.2f} | {report.value(f'{label} recall'):.2f} | "
                f"{report.value(f'{label} precision'):.2f} | {criticism} |"
            )
    return "\n".join(lines)


def decide_cost_ms(split: str, path: Path = COMMENTS) -> tuple[float, float]:
    """The median and 95th percentile cost of decide() on one comment of the split, in milliseconds: each
    comment timed with timeit (best of 7 single runs), after the model has been loaded. The sentence
    split, which the signals share within one decide(), is forgotten before every run, so no run is
    helped by the one before."""
    config = SignalConfig.defaults()
    signals = builtin_signals()
    films = load_films()
    contexts = [context_for(example, films) for example in load_examples(path, split=split)]
    decide(contexts[0], config, signals=signals)
    costs = sorted(
        min(
            timeit.repeat(
                functools.partial(decide, context, config, signals=signals),
                setup=sentences.cache_clear,
                number=1,
                repeat=7,
            )
        )
        * 1000
        for context in contexts
    )
    return statistics.median(costs), costs[int(len(costs) * 0.95) - 1]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m talkies.moderation.evaluation.evaluate", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--split", default="test", help="tune, test, all, or a split another file names")
    parser.add_argument(
        "--comments", type=Path, default=COMMENTS, help="another labelled JSON-lines file (text, label, film, split)"
    )
    parser.add_argument("--errors", action="store_true", help="list what each signal got wrong")
    parser.add_argument("--sweep", action="store_true", help="measures at other thresholds (tune split only)")
    parser.add_argument("--timing", action="store_true", help="the p50 and p95 cost of decide() on one comment")
    args = parser.parse_args(argv)
    if args.sweep and args.split != "tune":
        parser.error("--sweep is for choosing thresholds, so it runs on the tune split only (--split tune)")
    try:
        report = evaluate(args.split, examples=load_examples(args.comments, split=args.split))
    except (OSError, ValueError) as error:
        parser.error(str(error))
    print(markdown(report))
    if args.timing:
        p50, p95 = decide_cost_ms(args.split, args.comments)
        print(f"\ndecide() on one comment: p50 {p50:.2f} ms, p95 {p95:.2f} ms ({report.count} comments)")
    if args.sweep:
        print("\n" + sweep(args.split, args.comments))
    if args.errors:
        print("\n" + errors(args.split, args.comments))
    return 0


if __name__ == "__main__":
    sys.exit(main())
