"""Spoiler triage: does this comment give away what happens in the film the thread is about?

It only ever *suggests* the spoiler flag (decide() never lets it reject). Evidence, each with a weight,
combined as independent evidence (1 − ∏(1 − wᵢ)):

- revealing phrases: deaths and kills ("dies", "killed", "doesn't make it"), reversals ("turns out",
  "was actually", "all along", "the twist is that"), the end ("at the end", "final scene",
  "post-credits"), comebacks and betrayals; a death counts more when a character (or "he", "she", "the
  villain") is its subject;
- the film's characters named from the catalogue, which turn "someone dies at the end" into a spoiler;
- the editor's plot keywords for the film, if any;
- words shared with the synopsis, a little (the synopsis is the set-up, not the ending).

Text inside spoiler markup (>!…!<) is already hidden and ignored. A question ("does the dog die?")
counts for less, and so does a comment that says it holds no spoilers.
"""

from __future__ import annotations

import re

from .base import SignalContext, SignalResult
from .text import FUNCTION_WORDS, Sentence, Token, name_index, sentences, squash, visible_text, wordset

_SUBJECT = (
    r"(?:he|she|they|him|her|everyone|everybody|\w+ character|\w+ (?:son|daughter|wife|husband|father|mother|"
    r"brother|sister|dog|friend|partner|boss)|(?:the|his|her|their) (?:\w+ )?(?:villain|hero|dog|"
    r"puppy|cat|horse|wife|husband|mentor|father|mother|dad|mom|mum|son|daughter|brother|sister|kid|girl|boy|baby|"
    r"killer|bad guy|main character|lead|protagonist|antagonist|friend|partner|boss|family|uncle|aunt|grandmother|"
    r"grandfather|girlfriend|boyfriend|crew|team|gang|squad|group|family))"
)
_DEATH = (
    r"(?:dies|died|die|dying|is dead|was dead|are dead|gets killed|got killed|is killed|was killed|were killed|"
    r"gets shot|got shot|is shot|was shot|is murdered|was murdered|gets murdered|kills|killed|murders|murdered|"
    r"shoots|stabs|stabbed|sacrifices|sacrificed|survives|survived|does not survive|did not survive|"
    r"does not make it|did not make it|never makes it|kills off|killed off|is killed off|was killed off|"
    r"decapitated|beheaded|head (?:comes|coming|came) off|goes down|went down|is defeated|was defeated|"
    r"gets defeated|blown up|blows up)"
)


def _cue(weight: float, label: str, pattern: str) -> tuple[re.Pattern[str], float, str]:
    return re.compile(pattern), weight, label


# (pattern, weight, what it gives away), matched against each sentence's normalised words.
_REVEALS = [
    _cue(
        0.55,
        "a reveal",
        r"\bturns? out (?:that |to be |he |she |they |it |the )|\bit turns out\b|\bturned out (?:that|to be)\b",
    ),
    _cue(
        0.45,
        "a reveal",
        r"\b(?:is|was|were|are) (?:actually|secretly) (?:a |an |the |his |her |their |dead|alive|\w+ing)",
    ),
    _cue(0.4, "a reveal", r"\b(?:all along|the whole time|this whole time)\b"),
    _cue(0.6, "the twist", r"\b(?:the )?(?:big |final |plot )?twist (?:is|was) (?:that|when|how|who)\b|\btwist:"),
    _cue(0.45, "the twist", r"\btwist (?:where|when|with|that|in which)\b|\b(?:big|final|huge|last) reveal\b"),
    _cue(0.2, "the twist", r"\b(?:twist|twists|reveal)\b"),
    _cue(
        0.5, "a reveal", r"\breveal(?:s|ed)? (?:that|to be|as|himself|herself|themselves|the)\b|\b(?:is|was) revealed\b"
    ),
    _cue(
        0.55, "a reveal", r"\b(?:is|was) (?:the )?(?:killer|murderer|villain|traitor|mole|mastermind|bad guy|big bad)\b"
    ),
    _cue(0.35, "a reveal", r"\b(?:you|we|they|he|she) (?:find|found|finds) out\b"),
    _cue(0.45, "a reveal", r"\bthe whole (?:thing|movie|film|time|story) (?:was|is) (?:a|an|just|all|fake|staged)\b"),
    _cue(0.25, "a surprise", r"\b(?:did not|never) (?:expect|see|saw) (?:\w+ ){0,3}(?:to|coming)\b"),
    _cue(0.35, "the outcome", r"\bhelps? (?:him|her|them) (?:escape|get away|survive|win)\b"),
    _cue(
        0.45,
        "a reveal",
        r"\b(?:his|her|their|the) (?:real|true) (?:plan|name|identity|motive|father|mother|goal|self)\b",
    ),
    _cue(0.45, "a reveal", r"\b(?:is|was) the one (?:who|that|behind)\b|\b(?:is|was|were|are) in on it\b"),
    _cue(0.45, "a reveal", r"\bthe same (?:person|guy|man|woman)\b"),
    _cue(
        0.35,
        "a reveal",
        r"\b(?:did|does) not (?:actually|really)\b|\bhas been (?:\w+ing|dead|alive) (?:\w+ ){0,4}for years\b",
    ),
    _cue(
        0.3,
        "a family reveal",
        r"\b(?:is|was|are|were) (?:\w+ )?(?:father|mother|dad|mom|son|daughter|brother|sister|twin)\b",
    ),
    _cue(0.35, "a reveal", r"\b(?:wakes up|it was (?:all )?a dream|was dead the whole)\b"),
    _cue(0.4, "a betrayal", r"\b(?:betray(?:s|ed)?|double[- ]cross(?:es|ed)?|turns on|switches sides)\b"),
    _cue(
        0.45,
        "the credits scene",
        r"\b(?:post[- ]?credits?|mid[- ]?credits?|after the credits|end[- ]credits? scene|stinger)\b",
    ),
    _cue(
        0.35,
        "the ending",
        r"\b(?:final|last|closing) (?:\w+ )?(?:scenes?|shots?|moments?|minutes?|lines?|fight|battle|showdown|act)\b",
    ),
    _cue(
        0.3,
        "the ending",
        r"\b(?:at|in|by) the (?:very )?end\b(?! of the day)|\bends with\b|\bending (?:where|when|with)\b",
    ),
    _cue(0.35, "the ending", r"\b(?:ends up|winds up|finally (?:kills|gets|dies|finds|defeats|takes down|avenges))\b"),
    _cue(
        0.4,
        "the ending",
        r"\b(?:do not|does not|did not|never) end up (?:together|with)\b|\bend up (?:together|dead|with|\w+ing)\b",
    ),
    _cue(0.3, "the ending", r"\b(?:cuts|fades|cut|fade) to black\b|\bfinal montage\b"),
    _cue(0.15, "the ending", r"\b(?:finale|climax|third act|last act)\b"),
    _cue(
        0.35,
        "the outcome",
        r"\blets (?:him|her|them) (?:go|live|walk|walk away|escape|leave|off)\b|\bspared? (?:him|her|them)\b",
    ),
    _cue(
        0.3, "the outcome", r"\b(?:is|gets|got|was) (?:caught|arrested|captured|exposed|unmasked|defeated|locked up)\b"
    ),
    _cue(
        0.35,
        "a return",
        r"\b(?:comes back|came back|brought back|returns from the dead|resurrected|was alive|is alive)\b",
    ),
    _cue(0.35, "a return", r"\bfaked (?:his|her|their) (?:own )?death\b"),
    _cue(0.3, "a surprise", r"\b(?:cliffhanger|cameo (?:by|from|of)|shows up (?:at the end|in the end|for))\b"),
    _cue(0.2, "a surprise", r"\b(?:shows|turns) up\b"),
    _cue(0.25, "a romance", r"\b(?:marries|gets together with|ends up with|falls for|kisses)\b"),
    _cue(0.35, "says it spoils", r"\b(?:spoilers?|spoiler alert)\b"),
]
# "X is actually Y", "X was secretly Z": on the text as written, where a name still has its capital.
_IS_REALLY = re.compile(
    r"\b(?:is|was|were|are) (?:actually|secretly|really) [A-Z]\w+|"
    r"\b[Tt]he (?:real )?(?:killer|murderer|villain|traitor|mole|mastermind) (?:is|was|turns out to be) "
    r"(?:actually |really )?(?:[A-Z]\w+|his |her |their |the (?:\w+ )?(?:mother|father|wife|husband|brother|sister|"
    r"friend|son|daughter|boss|partner))"
)
_DEATH_WITH_SUBJECT = re.compile(r"\b" + _SUBJECT + r"(?: \w+){0,2} " + _DEATH + r"\b")
_DEATH_ANY = re.compile(r"\b" + _DEATH + r"\b")
# First person, figures of speech and wishes: "I died laughing", "the hype died", "killed it", "kill for a
# sequel", "before he dies".
_NOT_DEATH = re.compile(
    r"\b(?:i|we|me|you) (?:\w+ )?(?:died|die|dying)\b|\bkill(?:s|ed)? it\b|\bkill(?:ed)? (?:me|for)\b|"
    r"\b(?:franchise|series|hype|genre|career|cinema|joke|theater|theatre|movie|film|plot|pacing|story|momentum|"
    r"energy|sequel|quality|tension|audience|crowd|box office) (?:\w+ )?(?:dies|died|is dead|was dead|goes down|"
    r"went down)\b|\bdying to\b|\bdie hard\b|\bto die for\b|\bkill(?:s|ed|ing)? (?:the|this|that|my|his|her|its|"
    r"their) (?:franchise|series|movie|film|mood|vibe|pacing|momentum|tension|hype|joke|buzz|fun|story|audience)\b|"
    r"\b(?:before|until|if|unless|hope|hopefully|wish|should|would|could|might|needs to) (?:\w+ ){0,2}"
    r"(?:dies|die|died|is killed|gets killed|killed|killed off|kill off|have killed|have died|been killed)\b"
)
_MOURNING = re.compile(r"\b(?:rip|rest in peace|passed away|in memory of|tribute|condolences|miss him|miss her)\b")
_NO_SPOILERS = re.compile(
    r"\b(?:no spoilers?|spoiler[- ]free|without spoil\w*|won't spoil|will not spoil|not (?:going to|gonna) spoil|"
    r"avoid(?:ing)? spoilers|don't want to spoil|do not want to spoil|no spoiling)\b"
)
_WORD = re.compile(r"[a-z]{4,}")


# What a character does, told as plot: "Eve finds…", "Winston betrays…", "John cuts off…".
_PLOT_VERBS = wordset(
    """kills killed dies died finds found learns discovers becomes became escapes escaped saves saved loses lost
    marries leaves left chooses chose shoots stabs stabbed betrays sacrifices defeats confronts wins won takes
    took gets got turns turned survives returns returned realizes realises realized rescues rescued joins sends
    sent tells told hires hunts catches caught meets helps helped offers asks
    kisses cuts cut burns burned destroys frees freed faces lets let gives gave pins agrees decides kill shoot
    stab betray save lose find leave escape die marry choose defeat become take give help rescue"""
)


class SpoilerSignal:
    name = "spoiler"

    def assess(self, context: SignalContext) -> SignalResult:
        text = visible_text(context.text)
        found = sentences(text)
        if not found:
            return SignalResult(0.0, [])
        film = context.film
        characters = name_index(tuple(film.characters))
        cast = name_index(tuple(film.cast))
        positions = [sorted(characters.positions(sentence)) for sentence in found]
        named = list(
            dict.fromkeys(
                " ".join(token.written for token in found[i].tokens[start:end])
                for i, names in enumerate(positions)
                for start, end in _spans(names)
            )
        )
        # A comment that names the film's characters is talking about its plot: every cue counts for more.
        boost = 1.25 if named else 1.0
        evidence: list[tuple[float, str]] = []
        for sentence, names in zip(found, positions, strict=True):
            joined = sentence.joined
            # Questions ask for spoilers more often than they give them.
            factor = _question_factor(sentence, bool(names)) * boost
            cleaned = _NOT_DEATH.sub(" ", joined)
            # A death in a sentence about the cast and none of the characters is news, not plot ("RIP Lance
            # Reddick, he died a week before the premiere").
            actors = cast.positions(sentence) - set(names)
            real_world = (bool(actors) and not names) or bool(_MOURNING.search(joined))
            death_factor = factor * (0.3 if real_world else 1.0)
            death = _DEATH_WITH_SUBJECT.search(cleaned) or (_DEATH_ANY.search(cleaned) if names else None)
            if death:
                evidence.append((0.5 * death_factor, f"says who dies or kills (“{death.group()}”)"))
            elif mentioned_death := _DEATH_ANY.search(cleaned):
                # "Zero dies": a name the catalogue does not know is still someone.
                weight = 0.45 if _named_before(sentence, cleaned, mentioned_death.start()) else 0.25
                evidence.append((weight * death_factor, f"mentions a death (“{mentioned_death.group()}”)"))
            for pattern, weight, label in _REVEALS:
                match = pattern.search(joined)
                if match:
                    evidence.append((weight * factor, f"{label} (“{match.group().strip()}”)"))
            if is_really := _IS_REALLY.search(sentence.text):
                evidence.append((0.45 * factor, f"a reveal (“{is_really.group()}”)"))
            evidence += _told_as_plot(sentence.tokens, names, factor)
        lowered = " ".join(sentence.joined for sentence in found)
        for keyword in film.keywords:
            if keyword and keyword.lower() in lowered:
                evidence.append((0.45, f"a plot keyword of this film (“{keyword}”)"))
        shared = _synopsis_overlap(lowered, film.synopsis, film.title)
        if shared >= 3:
            evidence.append((min(0.25, 0.05 * shared), f"{shared} words from the synopsis"))

        if not evidence:
            return SignalResult(0.05 * min(len(named), 2), [])
        if named:
            evidence.append((min(0.3, 0.15 * len(named)), "names " + ", ".join(named[:3])))
        score = 1.0
        for weight, _ in evidence:
            score *= 1.0 - min(weight, 0.95)
        score = 1.0 - score
        if _NO_SPOILERS.search(lowered):
            score *= 0.4
        reasons = [reason for _, reason in sorted(evidence, key=lambda item: -item[0])]
        return SignalResult(score, reasons[:4])


def _told_as_plot(tokens: tuple[Token, ...], names: list[int], factor: float) -> list[tuple[float, str]]:
    """A character doing something ("Eve kills…"), or one character said to be another ("Verbal is Keyser Söze")."""
    found: list[tuple[float, str]] = []
    spans = _spans(names)
    for start, end in spans:
        after = [token.key for token in tokens[end : end + 2]]
        if after and after[0] in ("is", "was", "were") and any(other[0] in (end + 1, end + 2) for other in spans):
            name = " ".join(token.written for token in tokens[start:end])
            found.append((0.55 * factor, f"says who {name} really is"))
        elif any(squash(word) in _PLOT_KEYS for word in after):
            name = " ".join(token.written for token in tokens[start:end])
            found.append((0.2 * factor, f"tells what {name} does"))
    return found[:2]


# "Does John die?", "Will Eve survive?": a question about what happens asks rather than tells.
_ASKING = re.compile(r"^(?:so |but |and |wait )?(?:does|do|will|is|are|can|could|would|should) ")


def _question_factor(sentence: Sentence, named: bool) -> float:
    if not sentence.question:
        return 1.0
    if _ASKING.match(sentence.joined):
        return 0.2
    # "Did anyone else cry when Charon got shot?" still gives it away.
    return 0.6 if named else 0.35


def _named_before(sentence: Sentence, cleaned: str, position: int) -> bool:
    """Whether the word before a position of the sentence's joined words was written as a name."""
    index = cleaned.count(" ", 0, position) - 1
    if not 0 < index < len(sentence.tokens):
        return False
    token = sentence.tokens[index]
    return token.capitalised and token.norm not in FUNCTION_WORDS


def _spans(indexes: list[int]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for index in indexes:
        if spans and spans[-1][1] == index:
            spans[-1] = (spans[-1][0], index + 1)
        else:
            spans.append((index, index + 1))
    return spans


_PLOT_KEYS = frozenset(squash(verb) for verb in _PLOT_VERBS)


def _synopsis_overlap(text: str, synopsis: str, title: str) -> int:
    if not synopsis:
        return 0
    title_words = set(_WORD.findall(title.lower()))
    own = set(_WORD.findall(synopsis.lower())) - title_words - FUNCTION_WORDS
    return len(own & set(_WORD.findall(text)))
