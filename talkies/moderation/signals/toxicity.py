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
is not abuse of anyone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from talkies.moderation.words import find_listed_words

from . import profanity
from .base import SignalContext, SignalResult
from .text import Sentence, Token, keyset, name_index, names_of, sentences, visible_text, without_urls

# --- Targets -------------------------------------------------------------------------------------------

YOU = "you"  # the person being answered, or any reader addressed directly
GROUP = "group"  # people who…, fans, identity groups
CAST = "cast"  # a cast member of this film, named
PERSON = "person"  # this guy, the director, a named person we do not know
MAKER = "maker"  # a studio, Hollywood, whoever made this
THIRD = "third"  # he, she: a person, or as often a character
CHARACTER = "character"  # fiction: a character by name, the villain
WORK = "work"  # the film and its parts
SELF = "self"  # I, me

_YOU = keyset("you your yours yourself yourselves thou ye")
_GROUP = keyset(
    """people ppl anyone anybody everyone everybody whoever fans fanboys fanboy fangirls fanbase haters boomers
    zoomers millennials normies snowflakes incels liberals leftists conservatives republicans democrats
    feminists women females blacks whites gays lesbians jews muslims christians mexicans immigrants asians
    arabs indians foreigners trans commenters commentators posters redditors trolls"""
)
_THIRD = keyset("he she him her himself herself")
_PERSON = keyset(
    """guy guys dude dudes man woman person bro mate buddy pal boy girl lady
    director directors writer writers screenwriter screenwriters producer producers showrunner filmmaker
    filmmakers actor actors actress actresses critic critics reviewer reviewers moderator mods mod admin
    ceo creator creators composer editor star stars lead commenter commenters poster user users human"""
)
_CHARACTER = keyset(
    """villain villains hero heroes heroine protagonist protagonists antagonist character characters henchman
    henchmen sidekick sidekicks bad baddie baddies goons goon mobster mobsters gangster gangsters assassin
    assassins killer killers thug thugs cop cops soldier soldiers guard guards robot robots alien aliens zombie
    zombies monster monsters vampire vampires mob cult"""
)
_WORK = keyset(
    """movie movies film films flick flicks picture script scripts screenplay plot plots story stories storyline
    writing dialogue dialog acting performance performances scene scenes sequence sequences sequel sequels
    prequel prequels remake remakes reboot reboots franchise series trilogy chapter installment instalment
    entry ending endings finale climax twist twists premise pacing editing cinematography cgi vfx effects
    score soundtrack music trailer trailers cut runtime direction choices choice casting choreography fight
    fights action tone dub subtitles it this that thing things mess show episode episodes season lore
    production set sets costumes makeup accent accents plan idea ideas concept version review reviews
    article take rating ratings product content world universe experience cinema theater theatre hotel
    rules setup payoff arc arcs logic"""
)
# The writer as the subject ("I'm an idiot for paying"); "me" and "us" are more often objects ("the guy above
# me is an idiot"), so they name no target.
_SELF = keyset("i myself we ourselves")
# Words that stand for a noun: an adjective before them is not placed before its noun ("so dumb when you…").
_PRONOUNS = keyset("it this that which what you he she they we i me him her them us")
# A person's belongings and attributes: "your taste", "her face", "Keanu's body" point at their owner.
_ATTRIBUTES = keyset(
    """brain brains head face body voice looks weight hair teeth nose skin mom mother mum mama dad father
    family wife husband kids iq life opinion opinions taste take comment comments logic mind existence
    parents argument arguments username profile posts"""
)
# The makers as an institution: a studio, "Hollywood", "whoever greenlit this". Hard words about them are
# criticism of how the film was made, like hard words about the film.
_MAKER_WORDS = keyset(
    """studio studios hollywood execs executives suits netflix disney marvel lionsgate warner sony universal
    paramount a24 hbo amazon dreamworks pixar"""
)
_MAKER_VERBS = (
    r"(?:made|make|makes|wrote|writes|directed|directs|produced|green ?lit|greenlit|edited|cast|approved|decided|"
    r"thought|signed off|came up with|is responsible|was responsible|are responsible)"
)
# Someone in the conversation, pointed at: "the guy above me", "OP".
_POINTED = re.compile(r"\b(?:guy|person|dude|commenter|poster|user|people|one|man|woman|lady) (?:above|below)\b|\bop\b")
# "whoever wrote this comment" is someone in the conversation, not a maker of the film.
_COMMENTERS = re.compile(
    r"\b(?:whoever|person|guy|people|those|anyone|someone|idiot|moron|clown) (?:who |that )?(?:wrote|posted|typed|made|"
    r"liked|upvoted) (?:this|that|the above|these|those|the last|the previous) (?:comment|comments|post|posts|reply|"
    r"review|take|thread)\b"
)
_MAKERS = re.compile(
    r"\b(?:people|guys|whoever|those|person|idiot|idiots|moron|morons|genius|clown|clowns|hack|hacks|"
    r"someone|somebody|anyone|man|woman|guy) (?:who |that )?" + _MAKER_VERBS + r"\b"
)

# --- Hostile words ---------------------------------------------------------------------------------------

STRONG = "insult"  # fits only a person
JUDGING = "judging"  # fits a work or a person
BODY = "body"  # a body or identity
THREAT = "threat"
DIRECTED = "directed"  # aimed at whoever is addressed, by its form
SLUR = "slur"

_STRONG = keyset(
    """idiot idiots moron morons imbecile imbeciles cretin cretins dumbass dumbasses dumbfuck dipshit dipshits
    jackass jackasses asshole assholes arsehole arseholes douche douchebag douchebags bastard bastards
    scumbag scumbags scum lowlife lowlifes loser losers twat twats prick pricks wanker wankers tosser tossers
    dickhead dickheads knobhead bellend halfwit halfwits nitwit simpleton buffoon buffoons neckbeard
    neckbeards incel degenerate degenerates subhuman vermin parasite parasites retard retards turd shithead
    shitheads fuckwit fuckwits fucker fuckers motherfucker motherfuckers cocksucker cunt cunts bitch bitches
    whore whores slut sluts skank skanks hoe hoes troll shill shills clown clowns fool fools dork virgin
    mouthbreather mouthbreathers sheep npc npcs dunce dolt dolts muppet plonker manchild crybaby crybabies
    snowflake dumbo weirdo creep creeps pervert perv freak freaks psycho psychos nutjob nutcase lunatic
    numpty pillock git wuss coward cowards hypocrite liar liars fanboy fanboys pussy wimp sissy pansy beta betas
    simp simps soyboy soyboys junkie junkies crackhead crackheads druggie druggies
    dweller dwellers"""
)
_JUDGING = keyset(
    """garbage trash trashy rubbish shit shitty crap crappy stupid stupidest dumb dumber dumbest pathetic
    worthless disgusting useless braindead brainless retarded clueless ignorant delusional deranged
    embarrassing joke gross vile filthy toxic cringe cringey cringy lame moronic idiotic insufferable
    obnoxious laughable incompetent illiterate sucks suck dogshit horseshit bullshit thick dense
    unhinged mental insane brainwashed sad miserable embarrassment disgrace tool spineless gutless worst"""
)
_BODY = keyset(
    """fat fatass fatso obese ugly hideous hag witch whore slut skank bitch cow pig landwhale anorexic butterface
    wrinkly botox tits boobs bimbo"""
)
# Slurs are found with the word-list matcher, so disguised spellings count; whole words only
# ("niggling", "Dick Van Dyke" and "faggot" in "a bundle of faggots" aside, these have no innocent use on a
# film site).
SLURS = (
    "nigger",
    "niggers",
    "nigga",
    "niggas",
    "niggaz",
    "faggot",
    "faggots",
    "fag",
    "fags",
    "tranny",
    "trannies",
    "shemale",
    "kike",
    "kikes",
    "spic",
    "spics",
    "chink",
    "chinks",
    "gook",
    "gooks",
    "wetback",
    "wetbacks",
    "raghead",
    "ragheads",
    "towelhead",
    "towelheads",
    "paki",
    "pakis",
    "coon",
    "coons",
    "beaner",
    "beaners",
    "dyke",
    "dykes",
    "golliwog",
    "libtard",
    "libtards",
)
# Words that only swear: removed before asking the model whether a sentence insults someone.
_INTENSIFIERS = re.compile(
    r"\b(?:fuck\w*|f\*+\w*|shit\w*|damn\w*|goddamn\w*|hell|bloody|freaking|frickin\w*|effing|ass|arse|crap)\b"
)

# Threats and death wishes. {T} is a target slot: a pronoun, or nothing (then the nearest target before).
_OBJECT = r"(?P<target>you|your \w+|him|her|them|his \w+|her \w+|[a-z]+(?: [a-z]+){0,2}?)"
# Doing violence to someone, in the forms threats take ("knock your teeth out", "beat the shit out of you").
_VIOLENCE = (
    r"(?:find|hunt|kill|murder|hurt|beat|stab|shoot|strangle|choke|punch|slap|smack|smash|kick|knock|hit|bash|"
    r"batter|deck|crush|drown|burn|rape|end|gut|skin|behead|torture|bury|dox|doxx|come for|come after|track down|"
    r"hunt down|beat up|break|snap|rip|slit|cut|jump|fight|beat the (?:shit|crap|hell) out of|kick the (?:shit|crap) "
    r"out of)"
)
_THREATS = [
    re.compile(p)
    for p in (
        r"\b(?:i|we) (?:will|would|am going to|are going to|am gonna|are gonna|gonna|wanna|want to|am coming to|"
        r"shall|could|should|need to|am about to|will not hesitate to|can|would love to|am gonna go) "
        r"(?:personally |literally |fucking )?" + _VIOLENCE + " " + _OBJECT,
        r"\b(?:love|like|want|hope|wanna|would pay) to see " + _OBJECT + r" (?:get|getting|be|being) "
        r"(?:beaten|beat up|hurt|punched|killed|shot|slapped|stabbed|murdered|raped|attacked|run over|hit)\b",
        r"\bput (?:him|her|them|you|it) out of (?:his|her|their|your) misery\b",
        r"\bi know where (?:you|he|she|they) (?:live|lives|work|works)\b",
        r"\b(?:come|coming|show up|turn up|go|going) (?:to|at|round to) (?:your|his|her) "
        r"(?:house|home|door|work|place|school)\b",
        r"\bmake (?:you|him|her) (?:regret|pay|suffer|bleed)\b",
        r"\bwatch (?:your|his|her) back\b",
        r"\b(?:you|he|she|they) (?:will|are going to|is going to|gonna) (?:pay|regret|die|bleed|suffer)\b",
        r"\b(?:you|he|she) (?:are|is) (?:dead|dead meat|so dead)\b(?! to me)",
        r"\byour days are numbered\b",
        r"\bsleep with one eye open\b",
        r"\b(?:someone|somebody) (?:should|needs to|ought to|has to|must|will|is going to) "
        + _VIOLENCE
        + " "
        + _OBJECT,
        r"\b(?:should|deserves? to|needs? to|ought to|must) (?:just )?(?:die|drop dead|be shot|be killed|be hanged|"
        r"be hung|be beaten|be raped|be executed|be lynched|be put down|be burned|burn|hang|rot|suffer|get cancer|"
        r"get shot|get raped|be punched|be slapped|be hit|get punched|get slapped|get beaten|get beaten up|"
        r"kill (?:himself|herself|themselves|yourself|yourselves))\b",
        r"\b(?:i )?hope " + _OBJECT + r" (?:die|dies|dying|gets? cancer|gets? aids|gets? hit|"
        r"gets? shot|gets? raped|rots?|burns?|suffers?|chokes?|crash(?:es)?|drowns?|gets? killed|gets? run over|"
        r"never wakes? up)\b",
        r"\bwish (?:that )?(?:the )?" + _OBJECT + r" (?:was|were) dead\b",
        r"\b(?:kill|neck|hang|shoot|unalive|off) (?:yourself|yourselves|urself)\b",
        r"\bkys\b",
        r"\bdrink bleach\b",
        r"\bjump off a (?:bridge|cliff|building|roof)\b",
        r"\b(?:die|burn|rot) in (?:a fire|hell|a ditch)\b",
        r"\bgo (?:and )?(?:die|get cancer)\b",
    )
]


# Abuse by its form. `aimed`: abuse only when aimed at a person, not when the nearest target before it is
# the work, a character or the writer ("this film is a piece of shit" is an opinion).
@dataclass(frozen=True)
class _Form:
    pattern: re.Pattern[str]
    score: float
    aimed: bool


def _form(score: float, pattern: str, *, aimed: bool = False) -> _Form:
    return _Form(re.compile(pattern), score, aimed)


_COMPARED = (
    r"(?:man|dude|horse|pig|cow|rat|dog|goblin|troll|tranny|whale|hippo|walrus|potato|corpse|crackhead|meth head|"
    r"junkie|ballsack|scrotum|hag|witch|skeleton|zombie|raisin|prune|monkey|ape|toad|frog|thumb|foot|hooker|slut|"
    r"whore)"
)
_SIMPLE = (
    r"(?:goldfish|toddler|child|baby|potato|rock|fly|monkey|ape|chimp|hamster|squirrel|teenager|peanut|brick|turnip|"
    r"five year old|\w+ year old)"
)
_DIRECTED = [
    # Swearing at someone, and telling them to go away.
    _form(0.92, r"\b(?:fuck|f\*+k|f\*+ck|screw|damn|bugger|sod) (?:you|off|your \w+)\b"),
    _form(0.95, r"\b(?:get|go) fuck (?:yourself|yourselves)\b"),
    _form(0.85, r"\b(?:shut|shut the fuck|shut the hell) up\b(?! and take my money)|\bshut your (?:mouth|face|trap)\b"),
    _form(0.9, r"\b(?:stfu|gtfo|foad)\b"),
    _form(0.85, r"\b(?:piss|bugger|naff|sod) off\b"),
    _form(0.9, r"\b(?:eat shit|suck my (?:dick|cock|balls)|blow me|(?:kiss|lick) my (?:ass|arse|balls|boots))\b"),
    _form(0.8, r"\bgo to hell\b", aimed=True),
    _form(0.7, r"\b(?:get a life|touch grass|get a job|go outside|get off the internet)\b"),
    _form(0.7, r"\b(?:sit down|be quiet|pipe down|run along|go play|the adults are talking|grown ups are talking)\b"),
    _form(
        0.7, r"\b(?:no one|nobody|noone) is talking to you\b|\b(?:no one|nobody|noone|who) (?:asked|cares what you)\b"
    ),
    _form(0.7, r"\b(?:cry|cope|seethe) (?:more|harder|and seethe|about it)\b|\bok(?:ay)? boomer\b"),
    # Put-downs of the reader's mind, taste or worth.
    _form(0.75, r"\b(?:learn to read|learn english|go back to school|take your meds|get help you)\b"),
    _form(
        0.85,
        r"\bare you (?:actually |really |just |that |this |so |seriously |genuinely )?(?:blind|stupid|dumb|retarded|"
        r"high|deaf|slow|thick|an idiot|a moron|illiterate|simple|dense)\b",
    ),
    _form(0.7, r"\bwhat are you,? (?:five|six|seven|eight|nine|ten|eleven|twelve|thirteen|\d+)\b"),
    _form(0.6, r"^(?:just |please |oh )?grow up\b|\bgrow (?:the fuck |the hell )?up,? (?:man|dude|kid|mate|bro)\b"),
    _form(0.7, r"\bwhat is wrong with you\b"),
    _form(0.7, r"\byour (?:iq|brain|brains|brain cells?|intelligence|reading comprehension|intellect|mental age)\b"),
    _form(
        0.75,
        r"\b(?:too|so) (?:dumb|stupid|thick|slow|dense|simple|ignorant|braindead) to (?:get|understand|follow|see|"
        r"read)\b",
        aimed=True,
    ),
    _form(
        0.8, r"\b(?:brain cells?|room temperature iq|smooth brain|pea brain|peanut brain|low iq|iq of a)\b", aimed=True
    ),
    _form(
        0.75,
        r"\b(?:attention span|brain|brains|iq|mind|intelligence|mental age|taste|maturity|personality) of an? (?:\w+ )?"
        + _SIMPLE
        + r"\b",
        aimed=True,
    ),
    _form(0.8, r"\bdrop(?:ped|s)? (?:you |him |her |them )?on (?:your|his|her|their) heads?\b"),
    _form(
        0.8,
        r"\bimagine being (?:this|so|that) (?:stupid|dumb|dense|thick|ignorant|clueless|pathetic|braindead|slow|sad|"
        r"fragile|sensitive|triggered|wrong|bad)\b",
    ),
    _form(
        0.8, r"\b(?:you|u) (?:disgust|sicken|repulse|nauseate) me\b|\byou make me (?:sick|want to puke|want to vomit)\b"
    ),
    _form(0.7, r"\b(?:embarrassed|ashamed|disappointed|disgusted) (?:by|of|in|with) you\b"),
    _form(0.6, r"\bshould be ashamed of (?:yourself|yourselves|himself|herself|themselves)\b"),
    _form(0.65, r"\b(?:people|idiots|morons|clowns|folks|trash|scum|losers|creeps) like you\b"),
    _form(0.75, r"\b(?:nobody|no one|noone|everyone|everybody) (?:likes|wants|hates|cares about|is sick of) you\b"),
    _form(
        0.65,
        r"\byou are (?:the reason|why) (?:\w+ ){0,4}(?:hate|hates|left|leave|quit|sucks|is toxic|is garbage|"
        r"is dying)\b",
    ),
    _form(
        0.7,
        r"\b(?:should not|should never|must not) be allowed to (?:vote|breed|speak|talk|comment|post|review|write|"
        r"drive|reproduce|have kids|use the internet)\b",
        aimed=True,
    ),
    _form(0.8, r"\b(?:your|yo) (?:mom|mum|mama|mother) (?:is|was|should)\b"),
    _form(0.6, r"\bput (?:him|her|them|you) out to pasture\b", aimed=True),
    _form(0.9, r"\bwaste of (?:space|oxygen|air|skin|sperm|a human)\b", aimed=True),
    _form(0.75, r"\b(?:piece|sack|bag|lump) of (?:shit|crap|garbage|trash|filth)\b", aimed=True),
    _form(0.85, r"\b(?:garbage|trash|scum|filth) (?:human|person|people)\b|\bhuman (?:garbage|trash|scum|filth)\b"),
    # People called animals or vermin ("you people are animals"); the villains may be, so only at a person.
    _form(
        0.85,
        r"\b(?:are|is|r|be) (?:all |just |such |a bunch of |nothing but |literally |like )?(?:animals|savages|"
        r"cockroaches|rats|apes|monkeys|vermin|subhumans?|parasites|pigs|dogs|beasts)\b",
        aimed=True,
    ),
    # A body compared to something ("looks like a corpse", "the face of a horse").
    _form(0.75, r"\b(?:looks?|looking|smells?|sounds?) like an? (?:\w+ ){0,2}" + _COMPARED + r"\b", aimed=True),
    _form(
        0.75,
        r"\b(?:face|head|body|voice|teeth|nose|skin|hair|looks|smile) (?:of|like) an? (?:\w+ ){0,2}"
        + _COMPARED
        + r"\b",
        aimed=True,
    ),
    # Telling people where they belong, and generalising about a group.
    _form(
        0.95, r"\bgo back to (?:your|their|his|her|the) (?:own )?(?:country|countries|kitchen|cave|village|jungle)\b"
    ),
    _form(
        0.75,
        r"\bgo back to (?:your|ur) (?:\w+ ){0,2}(?:home|basement|hole|bridge|playpen|crib|cage|trailer|school|mom|"
        r"mum|mother|retirement home|nursing home|care home)\b",
    ),
    _form(
        0.95,
        r"\b(?:go|goes|get|send \w+) back (?:to (?:\w+ (?:\w+ )?)?)?where (?:you|he|she|they|it) (?:belongs?|came from|"
        r"come from)\b",
    ),
    _form(
        0.75,
        r"\btypical (?:woman|women|female|females|girl|girls|feminist|liberal|leftist|boomer|muslim|jew|immigrant|"
        r"gay)\b",
    ),
    _form(0.85, r"\b(?:women|girls|females) (?:can not|should not|do not belong|have no place|are not able to)\b"),
]
# Set phrases that look hostile and are not: the audience idiom, praise, self-mockery.
_HARMLESS = [
    re.compile(p)
    for p in (
        r"\b(?:treats?|treated|thinks?|thought|assumes?|talks? down to|talked down to) (?:you|us|the audience|"
        r"viewers|its audience|fans|people) (?:like|as if|as though)\b.*",
        r"\bwould be (?:a fool|an idiot|crazy|mad|insane|stupid) (?:not )?to (?:miss|skip|pass)\b",
        r"\b(?:shut up and take my money)\b",
        r"\b(?:call me|color me|colour me) (?:stupid|dumb|crazy|an idiot|a fool)\b",
        r"\b(?:turn|switch|shut) (?:off )?your brains? (?:off )?|\b(?:leave|check) your brains? at the door\b",
        # What the film does to the people in it: "the CGI makes everyone look like wax".
        r"\bmakes? (?:\w+ ){0,2}(?:look|sound) like\b",
    )
]

# --- Scoring ------------------------------------------------------------------------------------------

# How hostile each kind of word is when aimed at each kind of target (None: no target found). The
# threshold sits at 0.5: an insult at "you" is abuse, the same word at the plot is not.
_COLUMNS: tuple[str | None, ...] = (YOU, GROUP, CAST, PERSON, THIRD, MAKER, CHARACTER, WORK, SELF, None)
_ROWS = {
    #        you   group cast  person he/she maker char  work  self  none
    STRONG: (0.92, 0.88, 0.85, 0.70, 0.58, 0.30, 0.25, 0.30, 0.10, 0.62),
    JUDGING: (0.82, 0.75, 0.35, 0.40, 0.30, 0.08, 0.10, 0.08, 0.05, 0.12),
    BODY: (0.92, 0.85, 0.90, 0.82, 0.80, 0.30, 0.30, 0.15, 0.05, 0.35),
    THREAT: (0.97, 0.95, 0.95, 0.90, 0.88, 0.45, 0.20, 0.15, 0.30, 0.85),
}
_TABLE = {kind: dict(zip(_COLUMNS, row, strict=True)) for kind, row in _ROWS.items()}
_TARGET_WORDS = {
    YOU: "you",
    GROUP: "a group of people",
    CAST: "a cast member",
    PERSON: "a person",
    THIRD: "a person",
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
        elif key in _GROUP:
            kinds[index] = GROUP
        elif key in _THIRD:
            kinds[index] = THIRD
        elif key in _PERSON:
            kinds[index] = PERSON
        elif key in _CHARACTER:
            kinds[index] = CHARACTER
        elif key in _WORK:
            kinds[index] = WORK
        elif token.capitalised and index > 0 and len(token.norm) > 2 and tokens[index - 1].norm != "the":
            # A capitalised word inside a sentence that is no word we know: most likely a name.
            kinds[index] = PERSON
    for index in range(1, len(tokens)):
        owner = kinds[index - 1]
        # An attribute belongs to its owner: "your taste", "Keanu's face", "her body".
        if tokens[index].key in _ATTRIBUTES and owner in (YOU, CAST, PERSON, THIRD, GROUP):
            kinds[index] = owner
        # "this guy", "that woman": a person, not the work; "this stupid", "that dumb": a degree, not the work.
        if tokens[index - 1].key in ("this", "that", "so") and (kinds[index] == PERSON or _kind_of(tokens[index].key)):
            kinds[index - 1] = None
        # "the bad guy", "the good guys": characters.
        if tokens[index].key in ("guy", "guys") and tokens[index - 1].key in ("bad", "good", "main"):
            kinds[index] = CHARACTER
    return kinds


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
    if kind == PERSON and sentence.tokens[index].key in _GENERIC_PEOPLE and _you_are(sentence, kinds):
        return YOU
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
        if target == WORK:
            for back in range(index - 1, max(0, index - 6), -1):
                owner = kinds[back - 1]
                if sentence.tokens[back].key in ("who", "that", "whom") and owner in _PEOPLE_KINDS:
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
        score = _TABLE[kind][target]
        words = f"{_KIND_WORDS[kind]} aimed at {_TARGET_WORDS.get(target or '', 'no one named')} (“{token.written}”)"
        findings.append(_Finding(score, words, position))

    # Insults this module does not list, aimed at the reader: the model, on the sentence without its swearing.
    if YOU in kinds and WORK not in kinds and not findings and insult_probability >= 0.85:
        findings.append(
            _Finding(0.55 + 0.3 * (insult_probability - 0.85) / 0.15, "offensive words aimed at the reader", position)
        )
    return findings


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
    for candidate in (key, key[:-1] if key.endswith("s") else "", key[:-2] if key.endswith("es") else ""):
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
