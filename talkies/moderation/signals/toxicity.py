"""Toxicity: abuse aimed at a person, told apart from a harsh opinion of a film.

"This movie is garbage" is an opinion; "you are garbage" is abuse. The profanity model alone cannot tell
them apart (it scores both on the word "garbage", and "this fucking movie is a masterpiece" highest of
all), so this signal asks, sentence by sentence, *who* each hostile word is aimed at:

1. It finds hostile words and phrases: insults that only fit a person ("idiot", "moron", "waste of
   space"), words that judge anything ("garbage", "stupid", "pathetic"), words about a body or identity
   ("fat", "ugly", "whore"), slurs, threats and death wishes ("I'll find you", "should die", "kys"), and
   abuse that is its own target ("fuck off", "shut up", "nobody asked", "learn to read").
2. For each one it finds the target: the nearest word that names a person or a thing, before it ("you
   are an idiot", "the plot is garbage") or after it ("what an idiot you are", "stupid movie").
   Persons are the reader being answered ("you", "your", "u", a named participant or @mention), groups
   of people ("people who liked this", "fans", identity groups), the film's cast by name, other people
   ("he", "she", "this guy", the director); things are the work (movie, film, plot, script, acting,
   scene, sequel, ending, "it", "this") and the film's characters, who are fiction.
3. It scores the pair from a table (below): an insult at "you" is abuse, the same word at the plot is
   criticism; a body or identity insult at a cast member is abuse, "Keanu's acting was wooden" (a
   judgement of work) is not. Slurs are abuse whatever they are aimed at; threats are, unless aimed at
   the work ("this franchise needs to die").
4. The profanity model's probability for the sentence moves the score a little, and catches insults
   aimed at "you" in words this module does not list. A sentence that only swears ("holy shit", "this
   fucking movie") scores low whatever the model says.

Quoted speech ("'I will find you' is the best line") counts for less, and first person ("call me stupid")
is not abuse of anyone. The word lists and patterns are in toxicity_lexicon.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from talkies.moderation.words import find_listed_words

from . import profanity
from .base import SignalContext, SignalResult
from .text import (
    FUNCTION_WORDS,
    Sentence,
    Token,
    keyset,
    name_index,
    names_of,
    sentences,
    visible_text,
    without_urls,
    wordset,
)
from .toxicity_lexicon import (
    _ATTRIBUTES,
    _BODY,
    _CHARACTER,
    _COMMENTERS,
    _DIRECTED,
    _GROUP,
    _HARMLESS,
    _INTENSIFIERS,
    _JUDGING,
    _MAKER_WORDS,
    _MAKERS,
    _PERSON,
    _POINTED,
    _PRONOUNS,
    _SELF,
    _STRONG,
    _THIRD,
    _THREATS,
    _WORK,
    _YOU,
    BODY,
    CAST,
    CHARACTER,
    GROUP,
    JUDGING,
    MAKER,
    NAME,
    PAST_WISHES,
    PERSON,
    SELF,
    SLURS,
    STRONG,
    THIRD,
    THREAT,
    WORK,
    YOU,
)

# --- Scoring ------------------------------------------------------------------------------------------

# How hostile each kind of word is when aimed at each kind of target (None: no target found). The
# threshold sits at 0.5: an insult at "you" is abuse, the same word at the plot is not.
_COLUMNS: tuple[str | None, ...] = (YOU, GROUP, CAST, PERSON, THIRD, NAME, MAKER, CHARACTER, WORK, SELF, None)
_ROWS = {
    #        you   group cast  person he/she name  maker char  work  self  none
    STRONG: (0.92, 0.88, 0.85, 0.70, 0.58, 0.45, 0.30, 0.25, 0.30, 0.10, 0.62),
    JUDGING: (0.82, 0.75, 0.35, 0.40, 0.30, 0.20, 0.08, 0.10, 0.08, 0.05, 0.12),
    BODY: (0.92, 0.85, 0.90, 0.82, 0.80, 0.75, 0.30, 0.30, 0.15, 0.05, 0.35),
    THREAT: (0.97, 0.95, 0.95, 0.90, 0.88, 0.75, 0.45, 0.20, 0.15, 0.30, 0.85),
}
_TABLE = {kind: dict(zip(_COLUMNS, row, strict=True)) for kind, row in _ROWS.items()}
_TARGET_WORDS = {
    YOU: "you",
    GROUP: "a group of people",
    CAST: "a cast member",
    PERSON: "a person",
    THIRD: "a person",
    NAME: "someone named",
    MAKER: "the film's makers",
    CHARACTER: "a character",
    WORK: "the work",
    SELF: "the writer",
}
_QUOTED = re.compile(r"[\"“”«»]([^\"“”«»]{3,200})[\"“”«»]")


@dataclass(frozen=True)
class _Finding:
    score: float
    reason: str
    # The sentence it was found in, for the model's nudge; None for the whole text.
    sentence: int | None = None


class ToxicitySignal:
    name = "toxicity"

    def assess(self, context: SignalContext) -> SignalResult:
        text = without_urls(visible_text(context.text))
        found = sentences(text)
        if not found:
            return SignalResult(0.0, [])
        quotes = [quote.lower() for quote in _QUOTED.findall(text)]
        # One batch for the model: every sentence as written, and with its swear words taken out.
        plain = [_INTENSIFIERS.sub(" ", sentence.joined) for sentence in found]
        probabilities = profanity.probabilities([sentence.text for sentence in found] + plain)
        said, insults = probabilities[: len(found)], probabilities[len(found) :]
        cast = name_index(names_of(context.film.cast))
        participants = name_index(names_of(context.participants))
        characters = name_index(names_of(context.film.characters))

        findings = [_Finding(0.95, f"a slur (“{hit.matched}”)") for hit in find_listed_words(text, SLURS)]
        for position, sentence in enumerate(found):
            kinds = _targets(
                sentence,
                cast=cast.positions(sentence),
                participants=participants.positions(sentence),
                characters=characters.positions(sentence),
            )
            here = _assess_sentence(sentence, kinds, insults[position], position)
            lowered = sentence.text.lower()
            if any(quote in lowered or lowered.strip('"“”«» ') in quote for quote in quotes):
                here = [_Finding(f.score * 0.45, f.reason + ", in quotation marks", f.sentence) for f in here]
            findings += here
        if findings:
            best = max(findings, key=lambda f: f.score)
            if best.score >= 0.3:
                # Hostile words the model also finds offensive push the score up a little, and vice versa.
                probability = said[best.sentence] if best.sentence is not None else max(said)
                score = best.score + 0.1 * (probability - 0.5)
            else:
                score = best.score
            reasons = [f.reason for f in sorted(findings, key=lambda f: -f.score) if f.score >= 0.3][:3]
            return SignalResult(score, reasons or [best.reason])
        # Swearing with no one to aim it at: some weight from the model, never enough to act on alone.
        return SignalResult(0.2 * max(said), ["strong language, not aimed at a person"] if max(said) > 0.8 else [])


def _targets(sentence: Sentence, *, cast: set[int], participants: set[int], characters: set[int]) -> list[str | None]:
    """The kind of target each token of a sentence names, if any."""
    tokens = sentence.tokens
    kinds: list[str | None] = [None] * len(tokens)
    commenters = {sentence.index_at(match.start()) for match in _COMMENTERS.finditer(sentence.joined)}
    commenters |= {sentence.index_at(match.start()) for match in _POINTED.finditer(sentence.joined)}
    makers = {sentence.index_at(match.start()) for match in _MAKERS.finditer(sentence.joined)} - commenters
    # "my brother", "my mate": someone the writer jokes about, not anyone in the conversation.
    mine = {index + 1 for index, token in enumerate(tokens) if token.key in ("my", "our")}
    for index, token in enumerate(tokens):
        key = token.key
        if index in participants or index in commenters or token.norm.startswith("@") or key in _YOU:
            kinds[index] = YOU
        elif index in cast:
            kinds[index] = CAST
        elif index in characters:
            kinds[index] = CHARACTER
        elif key in _SELF:
            kinds[index] = SELF
        elif index in makers or key in _MAKER_WORDS:
            kinds[index] = MAKER
        elif index in mine:
            kinds[index] = SELF
        elif key in _EVERYONE and not _in_the_conversation(sentence, index):
            # "everyone is an idiot" in a film's thread is about the film's people, unless it says "here".
            kinds[index] = CHARACTER
        elif key in _GROUP:
            kinds[index] = GROUP
        elif key in _THIRD:
            kinds[index] = THIRD
        elif key in _PERSON:
            kinds[index] = PERSON
        elif key in _CHARACTER:
            kinds[index] = CHARACTER
        elif key in _WORK or (key == "one" and index and tokens[index - 1].key in _ONE_IS_A_FILM):
            kinds[index] = WORK
        elif _unnamed_people(tokens, index):
            # "the villagers", "the guards": in a film's thread, people in the film.
            kinds[index] = CHARACTER
        elif token.capitalised and len(token.norm) > 2 and (index > 0 or _names_a_subject(tokens)):
            # A capitalised word that is no word we know: a name; after "the" (or after such a title word) a
            # title a film gives its characters ("the Marquis", "the High Table").
            previous = tokens[index - 1] if index else None
            titled = previous is not None and (
                previous.norm == "the" or (previous.capitalised and kinds[index - 1] == CHARACTER)
            )
            kinds[index] = CHARACTER if titled else NAME
    for index in range(1, len(tokens)):
        owner = kinds[index - 1]
        # An attribute belongs to its owner: "your taste", "Keanu's face", "her body".
        if tokens[index].key in _ATTRIBUTES and owner in (YOU, CAST, PERSON, THIRD, GROUP):
            kinds[index] = owner
        # "this guy", "that woman": a person, not the work; "this stupid", "that dumb": a degree, not the work;
        # "this site", "that thread": the noun it stands before, whatever that is.
        before = tokens[index - 1].key
        if before in ("this", "that", "so", "these", "those") and (
            kinds[index] == PERSON
            or _kind_of(tokens[index].key)
            or (kinds[index] is None and before != "so" and tokens[index].key not in _NOT_NOUNS)
        ):
            kinds[index - 1] = None
        # "the bad guy", "the good guys": characters.
        if tokens[index].key in ("guy", "guys") and tokens[index - 1].key in ("bad", "good", "main"):
            kinds[index] = CHARACTER
    return kinds


# "the first one", "the new one": a film.
_ONE_IS_A_FILM = keyset("first second third fourth fifth last latest new old original next previous other this that")
# Words after "this"/"that" that make it the subject ("this is garbage") rather than a determiner.
_NOT_NOUNS = keyset(
    """is was are were be been has had have does did do will would can could should must might may makes made
    feels felt looks looked seems seemed sounds gets got goes went one part bit kind sort thing just really so
    not never also even still again"""
)


_EVERYONE = keyset("everyone everybody")
# Body words that name a person ("Dumb cow."), unlike the adjectives ("Ugly." may be a verdict on a film).
_BODY_NOUNS = keyset(
    "cow cows pig pigs hag hags witch whore whores slut sluts skank bitch bimbo landwhale fatass fatso"
)
_HERE = re.compile(
    r"^(?:\w+ )?(?:who|that|here|else|on this|in this thread|in the comments|in these comments|on here)\b"
)


def _in_the_conversation(sentence: Sentence, index: int) -> bool:
    after = " ".join(token.norm for token in sentence.tokens[index + 1 : index + 5])
    return bool(_HERE.match(after))


def _unnamed_people(tokens: tuple[Token, ...], index: int) -> bool:
    token = tokens[index]
    plural = token.norm.endswith("s") and len(token.norm) > 4 and token.norm not in _NOT_PEOPLE
    return (
        bool(index) and tokens[index - 1].norm == "the" and plural and not token.capitalised and not _kind_of(token.key)
    )


_NOT_PEOPLE = wordset("others things seconds minutes hours years days series credits visuals effects")


def _names_a_subject(tokens: tuple[Token, ...]) -> bool:
    """Whether a sentence opens with a name said to be or do something ("Santino is an idiot")."""
    return len(tokens) > 1 and tokens[1].key in _SUBJECT_VERBS and tokens[0].norm not in FUNCTION_WORDS


_SUBJECT_VERBS = keyset("is was are were has had gets got should can will needs looks seems acts sounds deserves")


def _nearest(kinds: list[str | None], indexes: range, skip: tuple[str, ...] = ()) -> str | None:
    for index in indexes:
        if 0 <= index < len(kinds) and kinds[index] is not None and kinds[index] not in skip:
            return kinds[index]
    return None


def _target_of(
    sentence: Sentence, kinds: list[str | None], start: int, end: int, *, attributive: bool, skip: tuple[str, ...] = ()
) -> str | None:
    """The target of the hostile words at tokens start..end: the next word for an adjective placed
    before its noun ("stupid movie"), otherwise the nearest target before, then after.

    A target inside a relative clause gives way to the person the clause is about: in "people who liked
    this are pathetic" the put-down is aimed at the people, not at "this". A plain "person", "man" or
    "guy" gives way to the "you" it describes ("you are the dumbest person here", "what a sad little man
    you are")."""
    found = _target_index(sentence, kinds, start, end, attributive=attributive, skip=skip)
    if found is None:
        return None
    kind, index = found
    # "you are the worst person here"; or a fragment that calls someone names: "Pathetic little man."
    generic = kind == PERSON and sentence.tokens[index].key in _GENERIC_PEOPLE
    if generic and (_you_are(sentence, kinds) or len(sentence.tokens) <= 4):
        return YOU
    if generic and attributive and index == end:
        # "a fat guy with gold teeth": a description, of whoever the sentence is about before it.
        before = _nearest(kinds, range(start - 1, -1, -1), skip=(WORK, SELF))
        return before if before is not None else CHARACTER
    return kind


def _you_are(sentence: Sentence, kinds: list[str | None]) -> bool:
    """Whether the sentence says what "you" are ("you are the worst person", "what a sad man you are"), not
    just that "you" are in it ("the bad guy is so dumb you wonder…")."""
    tokens = sentence.tokens
    return any(
        kind == YOU and index + 1 < len(tokens) and tokens[index + 1].key in ("are", "were", "sound", "seem", "look")
        for index, kind in enumerate(kinds)
    )


_GENERIC_PEOPLE = keyset("person man woman guy dude human being people lady boy girl commenter poster user")


def _target_index(
    sentence: Sentence, kinds: list[str | None], start: int, end: int, *, attributive: bool, skip: tuple[str, ...]
) -> tuple[str, int] | None:
    if attributive and end < len(kinds):
        kind = kinds[end]
        if kind is not None and kind not in skip and sentence.tokens[end].key not in _PRONOUNS:
            return kind, end
    for index in range(start - 1, max(-1, start - 13), -1):
        target = kinds[index]
        if target is None or target in skip:
            continue
        if target in (WORK, CHARACTER):
            for back in range(index - 1, max(-1, index - 8), -1):
                key = sentence.tokens[back].key
                if key in ("whoever", "anyone", "anybody", "everyone", "everybody"):
                    return GROUP, back
                owner = kinds[back - 1] if back else None
                if key in ("who", "that", "whom") and owner in _PEOPLE_KINDS:
                    return owner, back - 1
        return target, index
    for index in range(end, min(len(kinds), end + 4)):
        if (target := kinds[index]) is not None and target not in skip:
            return target, index
    return None


_PEOPLE_KINDS = (YOU, GROUP, PERSON, THIRD, CAST)


def _unmasked(key: str) -> str:
    """A masked word ("f*ck", "b*tch", "id**t") read as the hostile word it most likely hides."""
    pattern = re.compile(re.escape(key).replace(r"\*", "."))
    for lexicon in (_STRONG, _BODY, _JUDGING):
        for word in sorted(lexicon):
            if pattern.fullmatch(word):
                return word
    return key


def _assess_sentence(
    sentence: Sentence, kinds: list[str | None], insult_probability: float, position: int
) -> list[_Finding]:
    joined = sentence.joined
    for harmless in _HARMLESS:
        # Blank the harmless phrase out word for word, so token positions still line up.
        joined = harmless.sub(lambda m: " ".join("_" * len(word) for word in m.group().split(" ")), joined)
    findings: list[_Finding] = []
    target: str | None

    for pattern in _THREATS:
        for match in pattern.finditer(joined):
            start = sentence.index_at(match.start())
            end = sentence.index_at(match.end() - 1) + 1
            if re.match(r"(?:my|our)\b", match.groupdict().get("target") or ""):
                target = SELF  # "I'm going to kill my brother for spoiling this"
            elif match.groupdict().get("target"):
                slot = sentence.index_at(match.start("target"))
                target = _nearest(kinds, range(slot, slot + 3), skip=(SELF,))
            elif re.search(r"\b(?:you|yourself|yourselves|urself|kys)\b", match.group()):
                target = YOU
            else:
                target = _target_of(sentence, kinds, start, end, attributive=False, skip=(SELF,))
            findings.append(
                _Finding(
                    _TABLE[THREAT][target],
                    f"a threat or death wish aimed at {_TARGET_WORDS.get(target or '', 'someone')} (“{match.group()}”)",
                    position,
                )
            )
    for pattern in PAST_WISHES:
        for match in pattern.finditer(joined):
            start = sentence.index_at(match.start())
            target = _target_of(sentence, kinds, start, start, attributive=False, skip=(SELF,))
            if target in (YOU, CAST, GROUP):
                words = f"wishes {_TARGET_WORDS[target]} dead (“{match.group()}”)"
                findings.append(_Finding(_TABLE[THREAT][target] - 0.05, words, position))

    for form in _DIRECTED:
        for match in form.pattern.finditer(joined):
            if form.aimed:
                start = sentence.index_at(match.start())
                target = _target_of(sentence, kinds, start, start, attributive=False)
                if target in (WORK, CHARACTER, SELF):
                    continue
            findings.append(_Finding(form.score, f"abuse aimed at a person (“{match.group()}”)", position))

    tokens = sentence.tokens
    blanked = joined.split(" ")
    for index, token in enumerate(tokens):
        if blanked[index].startswith("_"):
            continue
        key = _unmasked(token.key) if "*" in token.key else token.key
        kind = _kind_of(key)
        if kind is None:
            continue
        if index and tokens[index - 1].key in ("not", "never", "hardly", "no"):
            continue
        # Adjectives may stand before their noun ("stupid movie", "fat cow"); nouns take the target before.
        attributive = kind != STRONG and index + 1 < len(tokens)
        # An insult that only fits a person is not aimed at the work, whatever stands nearer.
        skip = (WORK,) if kind == STRONG else ()
        if kinds[index] == MAKER:
            target = MAKER  # "the idiot who greenlit this": the insult names the maker
        elif _in_a_role(tokens, kinds, index):
            target = CHARACTER  # "Dacascos as the fanboy assassin": a role, not the actor
        else:
            target = _target_of(sentence, kinds, index, index + 1, attributive=attributive, skip=skip)
        if target in (WORK, None) and _AND_YOU.search(joined):
            target = YOU  # "your reviews are a joke and so are you"
        elif target is None and (kind == STRONG or key in _BODY_NOUNS) and len(tokens) <= 3:
            target = YOU  # "Dumb cow.", "Idiot.": a name called at whoever is answered
        score = _TABLE[kind][target]
        words = f"{_KIND_WORDS[kind]} aimed at {_TARGET_WORDS.get(target or '', 'no one named')} (“{token.written}”)"
        findings.append(_Finding(score, words, position))

    # Calling the reader a name the lexicon does not know: "you absolute walnut", "shut it, you mug".
    if not findings and (name := _called_names(tokens, kinds)):
        findings.append(_Finding(0.6, f"calls the reader a name (“you {name}”)", position))

    # Insults this module does not list, aimed at the reader: the model, on the sentence without its swearing.
    if YOU in kinds and WORK not in kinds and not findings and insult_probability >= 0.85:
        findings.append(
            _Finding(0.55 + 0.3 * (insult_probability - 0.85) / 0.15, "offensive words aimed at the reader", position)
        )
    return findings


# Words that make "you …" something other than name-calling: praise, verbs, and the words that come before
# "you" in ordinary sentences.
_KIND_NAMES = keyset(
    """legend legends beauty genius hero star king queen angel gem champ boss icon saint sweetheart darling
    babe hun mate guys all lot two both people lucky"""
)
_VOCATIVE_LEADS = keyset("oi it up listen look off")
_VOCATIVE_INTENSIFIERS = keyset(
    "absolute complete total utter fucking bloody stupid little massive giant big dumb silly pathetic sad"
)


def _called_names(tokens: tuple[Token, ...], kinds: list[str | None]) -> str | None:
    """The unknown word a sentence calls the reader ("you absolute walnut"), if it ends that way."""
    for index, token in enumerate(tokens):
        if token.key != "you" or not (index == 0 or tokens[index - 1].key in _VOCATIVE_LEADS):
            continue
        rest = tokens[index + 1 :]
        while rest and rest[0].key in _VOCATIVE_INTENSIFIERS:
            rest = rest[1:]
        # "you absolute walnut", "oi, you mug": a name; "you rock", "you first": not.
        called = len(rest) < len(tokens) - index - 1 or index > 0
        if len(rest) != 1 or len(tokens) - index > 4 or not called:
            return None
        word = rest[0]
        if word.key in _KIND_NAMES or kinds[len(tokens) - 1] is not None or len(word.norm) < 3:
            return None
        if word.norm.endswith(("ing", "ed")) or word.key in _NOT_NOUNS or not word.norm.isalpha():
            return None
        return word.written
    return None


def _in_a_role(tokens: tuple[Token, ...], kinds: list[str | None], index: int) -> bool:
    """Whether tokens[index] describes the part an actor plays: "<actor> as the <…>", "playing a <…>"."""
    for at in range(max(1, index - 3), index):
        introduces = tokens[at].key in ("as", "playing") and tokens[at + 1].key in ("the", "a", "an", "his", "her")
        if introduces and (tokens[at].key == "playing" or kinds[at - 1] in (CAST, PERSON, THIRD)):
            return True
    return False


_AND_YOU = re.compile(
    r"\b(?:and )?(?:so|as) (?:are|is) (?:you|your \w+)\b|\b(?:just|same) (?:like|as) you\b|\bas \w+ as you\b"
)


def _kind_of(key: str) -> str | None:
    """Which hostile lexicon a word is in, plurals included ("virgins", "clowns")."""
    inflected = (key[:-1] if key.endswith("s") else "", key[:-2] if key.endswith(("es", "ed")) else "")
    for candidate in (key, *inflected):
        if not candidate:
            continue
        if candidate in _STRONG:
            return STRONG
        if candidate in _BODY:
            return BODY
        if candidate in _JUDGING:
            return JUDGING
    return None


_KIND_WORDS = {STRONG: "an insult", JUDGING: "a put-down", BODY: "an insult about a body or identity"}
