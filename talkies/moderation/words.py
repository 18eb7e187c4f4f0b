"""Find a site's listed words (banned or suspect) in a comment, through the usual disguises.

Pure functions, no Django. The rules, which docs/moderation-signals.md repeats for moderators:

- **Whole words only**, case-insensitive: "ass" is found in "ass" and "ASS", never inside "class",
  "assassin" or "passion", and "cunt" never inside "Scunthorpe". A list entry ending in `*` is a prefix
  ("fuck*" finds "fucking" and "fucker"); prefixes give up that protection, so list inflections instead
  where a prefix would catch innocent words ("shit*" would catch "Shitake"). A plural "s"/"es" is always
  allowed ("dicks").
- **Disguises seen through**: accents and look-alike letters ("fück", Cyrillic "а"), l33t digits and
  symbols ("sh1t", "a$$", "@ss", "fvck"), repeated letters ("fuuuuck"), one letter at a time with spaces,
  dots or dashes between them ("f u c k", "F.U.C.K", "f-u-c-k"), masking with `*`, `#`, `%` or `?` for
  every letter but the first ("f*ck", "f**k", "sh*t"), and invisible characters (zero-width spaces, soft
  hyphens) dropped before matching.
- **The Scunthorpe rule for names**: a few listed words are also common names (`NAME_WORDS`: Dick,
  Fanny, Willy, Randy, Johnson, Cox, Dyke…). Such a word written plainly with a capital first letter
  (not all capitals, no disguise) next to another capitalised word (before or after) or an initial is
  read as part of a name and not reported: "Dick Van Dyke", "Philip K. Dick", "Dick Tracy". Written
  "dick" or "DICK", or standing alone, it is still found.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def _wordset(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


# Listed words that are also first names or surnames, for the name rule above.
NAME_WORDS = frozenset(
    {"dick", "dicks", "fanny", "willy", "randy", "johnson", "cox", "dyke", "knob", "peter", "hooker"}
)

# What each letter may be written as, beyond itself. Digits and symbols that stand for letters (l33t).
_GLYPHS: dict[str, str] = {
    "a": "@4^",
    "b": "8",
    "c": "(<¢",
    "e": "3€",
    "g": "9",
    "i": "1!|",
    "l": "1|",
    "o": "0",
    "s": "5$z",
    "t": "7+",
    "u": "v",
    "z": "2",
}
# Characters that may hide a letter in a masked word ("f*ck"). The first letter is never masked.
_MASKS = "*#%?"
# What may separate letters spelled out one at a time ("f u c k", "f.u.c.k", "f-u-c-k").
_SEPARATOR = r"[\s.\-_·•~/,]{1,3}"

# Letters that look Latin but are not, and letters NFKD does not take apart.
_LOOKALIKES = {
    "а": "a",
    "е": "e",
    "о": "o",
    "р": "p",
    "с": "c",
    "у": "y",
    "х": "x",
    "к": "k",
    "і": "i",
    "ѕ": "s",
    "ԁ": "d",
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
    "ø": "o",
    "ł": "l",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "ı": "i",
}
_INVISIBLE = {"\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}


@dataclass(frozen=True)
class WordHit:
    """One listed word found in a text: the entry as listed, the text as written, and where."""

    word: str
    matched: str
    start: int
    end: int


@dataclass(frozen=True)
class Folded:
    """A text folded for matching (lower case, accents and look-alikes undone, invisibles dropped), with
    the position in the original text of every folded character, so a hit can name what was written."""

    text: str
    # A range where nothing moved (plain ASCII), else a tuple.
    origin: Sequence[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.origin[start], self.origin[end - 1] + 1


def fold(text: str) -> Folded:
    if text.isascii():
        # Nothing to undo in plain ASCII (no accents, look-alikes or invisibles): each character folds to
        # its lower case, in place. Most comments are ASCII, and this is ~20× faster than the loop below.
        return Folded(text.lower(), range(len(text)))
    chars: list[str] = []
    origin: list[int] = []
    for position, char in enumerate(text):
        for piece in _fold_char(char):
            chars.append(piece)
            origin.append(position)
    return Folded("".join(chars), tuple(origin))


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """What one character folds to: "" for an invisible one, else one or more letters."""
    if char in _INVISIBLE:
        return ""
    lowered = char.lower()
    folded = _LOOKALIKES.get(lowered)
    if folded is None:
        decomposed = unicodedata.normalize("NFKD", lowered)
        folded = "".join(c for c in decomposed if not unicodedata.combining(c)).lower() or lowered
    return folded


@functools.lru_cache(maxsize=8)
def _folded_comment(text: str) -> Folded:
    """fold(), remembered for the last few texts: a new comment is searched for the site's banned words,
    its suspect words and the toxicity signal's slurs, one after the other, in the same text."""
    return fold(text)


def _letter_class(letter: str) -> str:
    return "[" + re.escape(letter + _GLYPHS.get(letter, "")) + "]"


@dataclass(frozen=True)
class _Pattern:
    word: str
    compact: re.Pattern[str]
    spaced: re.Pattern[str] | None


def _compile(entry: str) -> _Pattern | None:
    word = entry.strip().lower()
    prefix = word.endswith("*")
    word = word.rstrip("*").strip()
    letters = [c for c in fold(word).text if c.isalnum()]
    if not letters:
        return None
    # Before: no letter or digit. After: the optional plural, then no letter or digit (or anything, for a
    # prefix entry).
    before = r"(?<![a-z0-9])"
    after = r"[a-z0-9]*" if prefix else r"(?:e?s)?(?![a-z0-9])"
    mask = "[" + re.escape(_MASKS) + "]"
    compact = _letter_class(letters[0]) + "+" + "".join(f"(?:{_letter_class(c)}+|{mask})" for c in letters[1:])
    spaced = None
    if len(letters) > 1:
        # Spelled out, the word ends where the single letters end: "f.u.c.k.i.n.g" is "fucking", not "fuck".
        letter = rf"{_SEPARATOR}[a-z0-9](?![a-z0-9])"
        spaced_after = f"(?:{letter})*" if prefix else f"(?!{letter})"
        spaced = re.compile(before + _SEPARATOR.join(_letter_class(c) for c in letters) + spaced_after)
    return _Pattern(entry.strip(), re.compile(before + compact + after), spaced)


@functools.lru_cache(maxsize=256)
def _compiled(words: tuple[str, ...]) -> tuple[_Pattern, ...]:
    patterns = (_compile(word) for word in dict.fromkeys(words))
    return tuple(pattern for pattern in patterns if pattern is not None)


_CAPITALISED = re.compile(r"[A-Z][a-z]+|[A-Z]\.")
# Capitalised words that do not make a name of their neighbour ("Dick Van Dyke" is a name; "Dick You Idiot"
# and "Dick Move" are not).
_NOT_NAMES = _wordset(
    "you your yours ur u he she they him her them it this that the a an and or of is was are off in on head heads "
    "face move moves pic pics joke jokes size hole i me my what such so like"
)


def _name_like(word: str) -> bool:
    return bool(_CAPITALISED.fullmatch(word)) and word.lower() not in _NOT_NAMES


def _is_part_of_name(text: str, start: int, end: int, word: str) -> bool:
    """The name rule: a plainly written, capitalised name-word next to another capitalised word."""
    if word.lower().rstrip("*") not in NAME_WORDS:
        return False
    written = text[start:end]
    if not (written[:1].isupper() and written[1:].islower() and written.isalpha()):
        return False
    # Only a space may stand between the two words: "Dick. The…" is the end of a sentence, not a name.
    after = re.match(r" +([^\s,.;:!?]+)", text[end:])
    if after and _name_like(after.group(1)):
        return True
    before = re.search(r"(\S+) +$", text[:start])
    return before is not None and _name_like(before.group(1))


def find_listed_words(text: str, words: Iterable[str]) -> list[WordHit]:
    """Every occurrence of a listed word in `text`, in the order they appear (see the module's rules)."""
    patterns = _compiled(tuple(words))
    if not patterns or not text:
        return []
    folded = _folded_comment(text)
    hits: dict[tuple[int, int], WordHit] = {}
    for pattern in patterns:
        for regex in (pattern.compact, pattern.spaced):
            if regex is None:
                continue
            for match in regex.finditer(folded.text):
                start, end = folded.span(match.start(), match.end())
                if _is_part_of_name(text, start, end, pattern.word):
                    continue
                hits.setdefault((start, end), WordHit(pattern.word, text[start:end], start, end))
    return sorted(hits.values(), key=lambda hit: (hit.start, hit.end))


def listed_words_in(text: str, words: Sequence[str]) -> list[str]:
    """The distinct listed entries found in `text`, in the order first found."""
    return list(dict.fromkeys(hit.word for hit in find_listed_words(text, words)))
