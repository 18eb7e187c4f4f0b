"""Reading a comment the way the signals need it: sentences, normalised tokens, and names.

Tokens are normalised so that lexicons match what readers actually type: lower case, accents and
look-alike letters folded, l33t undone inside words ("1d10t" is "idiot"), runs of three or more of one
letter cut to two ("stuuupid" is "stupid" by its key), and contractions opened ("you're" is "you are",
"I'll" is "I will"). Each token keeps what was written, so a capitalised name can still be told from a
common word.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from talkies.lib.markdown import strip_spoilers
from talkies.moderation.words import fold

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?;…])[\"')\]]*\s+|\n+|\s[-–—]\s")
# A word may carry the symbols of l33t and masking inside it ("sh!t", "f*ck", "a$$"); symbols around it
# are punctuation, except a leading "@" (a mention) and a trailing "$" (l33t for s).
_WORD = re.compile(r"[\w@$!|*'’]+")
_EDGES = "!|*'’_"
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i", "|": "i"}
)
# Digits that are part of ordinary words: 4k, 1080p, 3d, 2nd, 90s, 10/10.
_NUMBERISH = re.compile(r"\d+(?:st|nd|rd|th|s|k|p|d|m|h|min|hr|hrs|x|am|pm|mm|fps)?|[a-z]\d+|\d+[a-z]\d*")
_CONTRACTIONS = {
    "n't": ("not",),
    "'re": ("are",),
    "'ll": ("will",),
    "'ve": ("have",),
    "'m": ("am",),
    "'d": ("would",),
}
_WHOLE_CONTRACTIONS = {
    "can't": ("can", "not"),
    "won't": ("will", "not"),
    "shan't": ("shall", "not"),
    "ain't": ("is", "not"),
    "it's": ("it", "is"),
    "he's": ("he", "is"),
    "she's": ("she", "is"),
    "that's": ("that", "is"),
    "what's": ("what", "is"),
    "who's": ("who", "is"),
    "there's": ("there", "is"),
    "let's": ("let", "us"),
    "y'all": ("you", "all"),
    # Chat spellings of the second person, read as what they stand for.
    "ur": ("your",),
    "u": ("you",),
    "ya": ("you",),
    "yall": ("you", "all"),
    "youre": ("you", "are"),
    "r": ("are",),
    "im": ("i", "am"),
    "ill": ("i", "will"),
    "dont": ("do", "not"),
    "cant": ("can", "not"),
    "wont": ("will", "not"),
    "doesnt": ("does", "not"),
    "didnt": ("did", "not"),
    "isnt": ("is", "not"),
    "wasnt": ("was", "not"),
}


@dataclass(frozen=True)
class Token:
    written: str
    norm: str
    # norm with every doubled letter single, the form lexicons are looked up by.
    key: str
    capitalised: bool
    # Written as "Name's": the next word belongs to this one.
    possessive: bool = False


@dataclass(frozen=True)
class Sentence:
    text: str
    tokens: tuple[Token, ...]
    # The norms joined by single spaces, for phrase patterns; see index_at.
    joined: str
    question: bool

    def index_at(self, position: int) -> int:
        """The token a character position of `joined` falls in."""
        return self.joined.count(" ", 0, position)


def squash(word: str) -> str:
    """Every run of one letter cut to a single letter: the lexicon key ("idiooot" and "idiot" meet)."""
    return re.sub(r"(.)\1+", r"\1", word)


def wordset(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


def keyset(spaced: str) -> frozenset[str]:
    """A lexicon from a space-separated list, by key."""
    return frozenset(squash(word) for word in spaced.split())


def visible_text(text: str) -> str:
    """The text a reader sees at once: spoiler markup removed, by the rule the page renders it with (a
    `>!` that never closes on its line hides nothing, so it is judged as shown)."""
    return strip_spoilers(text, placeholder=" ")


def without_urls(text: str) -> str:
    return _URL.sub(" ", text)


@functools.lru_cache(maxsize=8192)
def _normalise_word(written: str) -> tuple[str, ...]:
    lowered = fold(written.replace("’", "'")).text
    if lowered in _WHOLE_CONTRACTIONS:
        return _WHOLE_CONTRACTIONS[lowered]
    for suffix, expansion in _CONTRACTIONS.items():
        if lowered.endswith(suffix) and len(lowered) > len(suffix):
            head = lowered[: -len(suffix)]
            return (*_normalise_word(head), *expansion) if suffix != "n't" else (head, *expansion)
    if lowered.endswith("'s"):
        lowered = lowered[:-2]
    lowered = lowered.replace("'", "")
    letters = sum(char.isalpha() for char in lowered)
    if 0 < letters < len(lowered) and not _NUMBERISH.fullmatch(lowered):
        lowered = lowered.translate(_LEET)
    lowered = re.sub(r"([a-z])\1{2,}", r"\1\1", lowered)
    return (lowered,) if lowered else ()


_BEFORE_ILL = wordset(
    "mentally terminally critically seriously very so is was are were be been feel feels feeling felt got get gets "
    "getting become became fell falls look looks looked"
)


def tokenize(text: str) -> tuple[Token, ...]:
    tokens: list[Token] = []
    for match in _WORD.finditer(text):
        written = match.group().strip(_EDGES)
        if written.startswith("@") and len(written) > 1:
            tokens.append(Token(written, "@" + fold(written[1:]).text, "@", capitalised=False))
            continue
        if not any(char.isalnum() for char in written):
            continue
        norms = _normalise_word(written)
        # "ill" is "I'll" typed fast ("ill find you"), unless it follows what "ill" follows ("mentally ill").
        if norms == ("i", "will") and written.lower() == "ill" and tokens and tokens[-1].norm in _BEFORE_ILL:
            norms = ("ill",)
        possessive = written.lower().endswith(("'s", "’s")) and len(norms) == 1
        capitalised = written[:1].isupper() and not written.isupper()
        for position, norm in enumerate(norms):
            # "You're" is capitalised; the "are" it opens into is not a capitalised word.
            tokens.append(Token(written, norm, squash(norm), capitalised and position == 0, possessive))
    return tuple(tokens)


# Every signal reads the same comment: the split is cached (its results are immutable).
@functools.lru_cache(maxsize=64)
def sentences(text: str) -> tuple[Sentence, ...]:
    found: list[Sentence] = []
    for piece in _SENTENCE_END.split(text):
        piece = piece.strip()
        tokens = tokenize(piece)
        if tokens:
            found.append(Sentence(piece, tokens, " ".join(token.norm for token in tokens), piece.endswith("?")))
    return tuple(found)


# Words that are never a name on their own, even capitalised ("The Director" is a name; "The" is not).
FUNCTION_WORDS = wordset(
    """the a an and or but of in on at to for with from by is was are were be been this that these those it its
    i you he she we they me him her us them my your his our their what who why how when where which there here
    not no yes so just very really also too still even then than if because as like all any some one two new
    old good bad great best worst big little man men woman women people film movie story end ending director
    mr mrs ms dr jr sr de da di van von le la el del"""
)


@dataclass(frozen=True)
class NameIndex:
    """Names (cast, characters, participants) and the words in a text that refer to them.

    A full name matches wherever it appears in any case; a single part of a name (a first name or a
    surname, three letters or more, not a common word) only where it is written with a capital letter.
    """

    full: tuple[tuple[str, ...], ...]
    parts: frozenset[str]

    def positions(self, sentence: Sentence) -> set[int]:
        found: set[int] = set()
        norms = [token.norm for token in sentence.tokens]
        for name in self.full:
            width = len(name)
            # A name made of common words ("The Director") must be written with a capital to count.
            plain = all(word in FUNCTION_WORDS for word in name)
            for start in range(len(norms) - width + 1):
                if tuple(norms[start : start + width]) != name:
                    continue
                if plain and not any(token.capitalised for token in sentence.tokens[start : start + width]):
                    continue
                found.update(range(start, start + width))
        for index, token in enumerate(sentence.tokens):
            if token.norm in self.parts and (token.capitalised or token.written.isupper()):
                found.add(index)
        return found

    def __bool__(self) -> bool:
        return bool(self.full)


@functools.lru_cache(maxsize=512)
def name_index(names: tuple[str, ...]) -> NameIndex:
    full: list[tuple[str, ...]] = []
    parts: set[str] = set()
    for name in names:
        words = tuple(token.norm for token in tokenize(name))
        if not words:
            continue
        full.append(words)
        for word in words:
            if len(word) >= 3 and word not in FUNCTION_WORDS:
                parts.add(word)
    return NameIndex(tuple(full), frozenset(parts))


def names_of(*groups: Iterable[str]) -> tuple[str, ...]:
    return tuple(name for group in groups for name in group if name)
