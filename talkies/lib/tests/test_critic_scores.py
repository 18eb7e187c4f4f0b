from decimal import Decimal

import pytest

from talkies.lib.critic_scores import CriticScoreError, parse_critic_score


@pytest.mark.parametrize(
    ("published", "text", "value", "maximum", "normalised"),
    [
        ("7/10", "7/10", Decimal(7), Decimal(10), Decimal("70.00")),  # 7 / 10 · 100
        ("3.5/5", "3.5/5", Decimal("3.5"), Decimal(5), Decimal("70.00")),  # 3.5 / 5 · 100
        ("82/100", "82/100", Decimal(82), Decimal(100), Decimal("82.00")),
        ("14/20", "14/20", Decimal(14), Decimal(20), Decimal("70.00")),  # the French scale
        ("2/3", "2/3", Decimal(2), Decimal(3), Decimal("66.67")),  # 66.666… rounds to 66.67
        ("10/10", "10/10", Decimal(10), Decimal(10), Decimal("100.00")),
        ("0/4", "0/4", Decimal(0), Decimal(4), Decimal("0.00")),
        (" 7 / 10 ", "7/10", Decimal(7), Decimal(10), Decimal("70.00")),
        ("7 out of 10", "7/10", Decimal(7), Decimal(10), Decimal("70.00")),
        ("7.0/10", "7/10", Decimal(7), Decimal(10), Decimal("70.00")),
    ],
)
def test_it_reads_a_fraction_on_the_critics_own_scale(published, text, value, maximum, normalised):
    score = parse_critic_score(published)
    assert score.text == text
    assert score.value == value
    assert score.maximum == maximum
    assert score.normalised == normalised


@pytest.mark.parametrize(
    ("published", "text", "normalised"),
    [
        ("B+", "B+", Decimal(88)),  # the middle of 87–89
        ("b+", "B+", Decimal(88)),
        ("A", "A", Decimal(95)),
        ("A−", "A-", Decimal(91)),  # a typographic minus, as printed
        ("C–", "C-", Decimal(71)),  # an en dash, as word processors type it
        ("F", "F", Decimal(30)),
    ],
)
def test_it_reads_a_letter_grade_as_the_middle_of_its_band(published, text, normalised):
    score = parse_critic_score(published)
    assert score.text == text
    assert score.normalised == normalised
    assert score.value is None
    assert score.maximum is None


def test_the_same_verdict_on_different_scales_normalises_to_the_same_number():
    assert parse_critic_score("7/10").normalised == parse_critic_score("3.5/5").normalised == Decimal(70)


@pytest.mark.parametrize(
    ("published", "complaint"),
    [
        ("", "not a score we can read"),
        ("seven", "not a score we can read"),
        ("-3/10", "not a score we can read"),
        ("7/10/10", "not a score we can read"),
        ("B++", "not a score we can read"),
        ("E", "not a score we can read"),
        ("1e3/1e4", "not a score we can read"),
        ("11/10", "above its own maximum"),
        ("7/0", "must be above 0"),
        ("99999/100000", "scales above 100"),
    ],
)
def test_it_rejects_a_score_it_cannot_read_saying_why(published, complaint):
    with pytest.raises(CriticScoreError) as caught:
        parse_critic_score(published)
    message = str(caught.value)
    assert complaint in message
    assert repr(published) in message  # the error quotes what was typed


def test_the_unreadable_score_error_shows_the_forms_it_accepts():
    with pytest.raises(CriticScoreError, match=r"N/MAX \(7/10, 3\.5/5, 82/100\) or a letter grade \(B\+\)"):
        parse_critic_score("great")


def test_every_score_it_accepts_fits_the_columns_it_is_stored_in():
    # CriticReview stores value and maximum as DECIMAL(6, 2) and the text in 16 characters; PostgreSQL
    # refuses anything larger, so the parser must never hand back a score the database will reject.
    for published in ("100/100", "99.99/100", "3.75/4", "A+"):
        score = parse_critic_score(published)
        for number in (score.value, score.maximum):
            assert number is None or number < Decimal("10000")
        assert len(score.text) <= 16


def test_it_rejects_a_score_finer_than_two_decimal_places():
    with pytest.raises(CriticScoreError, match="at most 2 decimal places"):
        parse_critic_score("3.333/5")


def test_trailing_zeros_do_not_count_as_precision():
    assert parse_critic_score("3.500/5").normalised == Decimal(70)
