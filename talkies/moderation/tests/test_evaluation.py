"""The evaluation set and the goals the signals must meet on its test split (docs/moderation-signals.md).

A real test: a change to a signal that makes it miss abuse, flag criticism as abuse, miss spam or miss
spoilers on the held-out split fails here, with the measure and the goal in the message.
"""

from collections import Counter

import pytest

from talkies.moderation.evaluation.evaluate import GOALS, LABELS, evaluate, load_examples, load_films, markdown


@pytest.fixture(scope="module")
def test_report():
    return evaluate("test")


def test_the_signals_meet_every_goal_on_the_test_split(test_report):
    assert test_report.failed_goals() == [], "\n" + markdown(test_report)


@pytest.mark.parametrize("name", sorted(GOALS))
def test_each_goal_is_measured_on_enough_comments(test_report, name):
    measure = next(measure for measure in test_report.measures if measure.name == name)

    assert measure.total >= 20


def test_the_set_is_large_varied_and_split_about_half_and_half_by_label():
    examples = load_examples(split="all")
    by_label = Counter(example.label for example in examples)
    by_split = Counter((example.label, example.split) for example in examples)

    assert len(examples) >= 300
    assert set(by_label) == set(LABELS)
    for label in LABELS:
        assert by_label[label] >= 40, label
        assert abs(by_split[(label, "tune")] - by_split[(label, "test")]) <= 1, label
    assert len({example.text for example in examples}) == len(examples), "a comment appears twice"


def test_every_film_a_comment_names_is_described():
    films = load_films()
    named = {example.film for example in load_examples(split="all") if example.film}

    assert named <= set(films)
    assert len(named) >= 20
    assert all(films[slug].characters and films[slug].synopsis for slug in named)
