"""Read a critic's score as published ("7/10", "3.5/5", "B+", "82/100") and normalise it to 0–100."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Letter grades on the usual US school scale; the midpoint of each band, so B+ (87–89) reads 88.
LETTER_GRADES: dict[str, Decimal] = {
    "A+": Decimal(98), "A": Decimal(95), "A-": Decimal(91),
    "B+": Decimal(88), "B": Decimal(85), "B-": Decimal(81),
    "C+": Decimal(78), "C": Decimal(75), "C-": Decimal(71),
    "D+": Decimal(68), "D": Decimal(65), "D-": Decimal(61),
    "F": Decimal(30),
}  # fmt: skip

# No critic's scale goes past 100, and CriticReview stores value and maximum as DECIMAL(6, 2): anything
# larger or finer would be refused by PostgreSQL (or silently rounded) instead of explained here.
MAX_SCALE = Decimal(100)
MAX_DECIMAL_PLACES = 2

_FRACTION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:/|out of)\s*(\d+(?:\.\d+)?)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class CriticScore:
    text: str
    value: Decimal | None
    maximum: Decimal | None
    normalised: Decimal  # 0..100


class CriticScoreError(ValueError):
    pass


def _decimal_places(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent  # 3.50 and 3.5 both have one decimal place
    return max(0, -exponent) if isinstance(exponent, int) else 0


def parse_critic_score(text: str) -> CriticScore:
    """Parse a published score; raise CriticScoreError saying what forms are accepted."""
    cleaned = text.strip().replace("−", "-").replace("–", "-")
    grade = cleaned.upper()
    if grade in LETTER_GRADES:
        return CriticScore(text=grade, value=None, maximum=None, normalised=LETTER_GRADES[grade])
    match = _FRACTION.match(cleaned)
    if not match:
        raise CriticScoreError(
            f"score {text!r} is not a score we can read: write it as N/MAX (7/10, 3.5/5, 82/100) or a letter grade (B+)"
        )
    try:
        value, maximum = Decimal(match.group(1)), Decimal(match.group(2))
    except InvalidOperation as e:  # pragma: no cover - the regex admits only decimals
        raise CriticScoreError(f"score {text!r} has a number we cannot read") from e
    if maximum <= 0:
        raise CriticScoreError(f"score {text!r} has a maximum of {maximum}; it must be above 0")
    if value > maximum:
        raise CriticScoreError(f"score {text!r} is above its own maximum")
    if maximum > MAX_SCALE:
        raise CriticScoreError(f"score {text!r} is out of {maximum}: scales above {MAX_SCALE} are not supported")
    if max(_decimal_places(value), _decimal_places(maximum)) > MAX_DECIMAL_PLACES:
        raise CriticScoreError(f"score {text!r} is too precise: use at most {MAX_DECIMAL_PLACES} decimal places")
    normalised = (value / maximum * 100).quantize(Decimal("0.01"))
    return CriticScore(
        text=f"{value.normalize():f}/{maximum.normalize():f}",
        value=value,
        maximum=maximum,
        normalised=normalised,
    )
