"""The toxicity signal's lexicons: the words that name a target, the hostile words, slurs, threats, and
abuse recognised by its form, each with the weight it carries (see toxicity.py for how they are used).

Matching is on normalised words (text.py): lower case, l33t undone, contractions opened, so "you're",
"ur" and "u r" all read "you are". Lists are keyed by squashed spelling (every doubled letter single).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import keyset

# --- Targets -------------------------------------------------------------------------------------------

YOU = "you"  # the person being answered, or any reader addressed directly
GROUP = "group"  # people who…, fans, identity groups
CAST = "cast"  # a cast member of this film, named
PERSON = "person"  # this guy, the director, a named person we do not know
MAKER = "maker"  # a studio, Hollywood, whoever made this
THIRD = "third"  # he, she: a person, or as often a character
NAME = "name"  # a capitalised name nobody can place: a character in a film's thread as often as a person
CHARACTER = "character"  # fiction: a character by name, the villain
WORK = "work"  # the film and its parts
SELF = "self"  # I, me

_YOU = keyset("you your yours yourself yourselves thou ye")
_GROUP = keyset(
    """people ppl anyone anybody everyone everybody whoever fans fanboys fanboy fangirls fanbase haters boomers
    zoomers millennials normies snowflakes incels liberals leftists conservatives republicans democrats
    feminists women females blacks whites gays lesbians jews muslims christians mexicans immigrants asians
    arabs indians foreigners trans commenters commentators posters redditors trolls audience audiences viewers
    moviegoers public"""
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
    zombies monster monsters vampire vampires mob cult sheriff detective detectives captain doctor nurse king queen
    prince princess president general mayor agent agents priest boss leader father mother dad mom mum son
    daughter brother sister wife husband boyfriend girlfriend kid kids mentor family team crew gang dog cat
    villagers townspeople locals police guests passengers survivors teenagers students campers victims hostages
    henchwoman"""
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
    gobshite numbskull numbskulls dimwit dimwits dingbat nincompoop twit twits prat prats berk scrote nonce
    cockwomble tosspot dullard airhead airheads himbo meathead meatheads bonehead boneheads blockhead pinhead
    knucklehead knuckleheads doofus dweeb ignoramus oaf oafs lout louts dirtbag dirtbags sleazebag scumbucket
    slimeball pleb plebs chav chavs bozo bozos
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
# "Keanu should have died instead": at a cast member or the reader, a death wish; at a character, or at
# someone the catalogue cannot place ("Han should have died"), an opinion of the plot.
PAST_WISHES = [re.compile(r"\bshould have (?:died|been killed|been shot)\b")]
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
        r"\bmake (?:you|him|her) (?:regret|pay|suffer|bleed)\b|\bmake your life (?:a )?(?:living )?(?:hell|misery|"
        r"miserable)\b",
        r"\bwatch (?:your|his|her) back\b",
        r"\b(?:you|he|she|they) (?:will|are going to|is going to|gonna) (?:pay|regret|die|bleed|suffer)\b",
        r"\b(?:you|he|she) (?:are|is) (?:dead|dead meat|so dead)\b(?! to me)",
        r"\byour days are numbered\b",
        r"\bsleep with one eye open\b",
        r"\b(?:someone|somebody) (?:should|needs to|ought to|has to|must|will|is going to) "
        + _VIOLENCE
        + " "
        + _OBJECT,
        r"\byou deserve (?:every bad thing|everything bad|all the (?:hate|pain|abuse)|to (?:suffer|be miserable|"
        r"be alone|rot))",
        r"\b(?:should|deserves? to|needs? to|ought to|must) (?:just )?(?:die|drop dead|be shot|be killed|be hanged|"
        r"be hung|be beaten|be raped|be executed|be lynched|be put down|be burned|burn|hang|rot|suffer|get cancer|"
        r"get shot|get raped|be punched|be slapped|be hit|get punched|get slapped|get beaten|get beaten up|"
        r"kill (?:himself|herself|themselves|yourself|yourselves))\b",
        r"\b(?:i )?hope " + _OBJECT + r" (?:die|dies|dying|gets? cancer|gets? aids|gets? hit|"
        r"gets? shot|gets? raped|rots?|burns?|suffers?|chokes?|crash(?:es)?|drowns?|gets? killed|gets? run over|"
        r"never wakes? up)\b",
        r"\bhope (?:that )?(?:\w+ ){0,6}?(?:you|your) (?:\w+ ){0,3}?(?:break your (?:neck|legs|back|face|skull)|die|"
        r"dies|"
        r"choke|chokes|burn|burns down|rot|suffer|crash|crashes|get hit|gets hit|get cancer|drown|collapses|"
        r"fall off|falls on)\b",
        r"\bwish (?:that )?(?:the )?" + _OBJECT + r" (?:was|were) dead\b",
        r"\b(?:kill|neck|hang|shoot|unalive|off) (?:yourself|yourselves|urself)\b",
        r"\bkys\b",
        r"\bdrink bleach\b",
        r"\bjump off a (?:bridge|cliff|building|roof)\b",
        r"\b(?:die|burn|rot) in (?:a fire|hell|a ditch)\b",
        r"\bgo (?:and )?(?:die|get cancer|choke|rot|drown|jump off)\b|\bchoke on (?:a|my|your) (?:dick|cock|bone)\b",
        r"(?:^|\b(?:just|please|pls|go|and) )get (?:cancer|aids|hit by a \w+|run over)\b",
        r"\b(?:beats?|beating|kicks?|kicking|knocks?) the (?:shit|crap|hell|life) out of (?:you|him|her|them)\b",
        r"\bstop breathing\b",
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
    _form(0.92, r"\b(?:fuck|f\*+k|f\*+ck|screw|bugger|sod) (?:you|off|your \w+)\b"),
    _form(0.95, r"\b(?:get|go) fuck (?:yourself|yourselves)\b"),
    _form(0.85, r"\b(?:shut|shut the fuck|shut the hell) up\b(?! and take my money)|\bshut your (?:mouth|face|trap)\b"),
    _form(0.9, r"\b(?:stfu|gtfo|foad)\b"),
    _form(0.85, r"\b(?:piss|bugger|naff|sod) off\b"),
    _form(0.9, r"\b(?:eat shit|suck my (?:dick|cock|balls)|blow me|(?:kiss|lick) my (?:ass|arse|balls|boots))\b"),
    _form(0.8, r"\bgo to hell\b", aimed=True),
    _form(0.7, r"\b(?:get a life|touch grass|get a job|go outside|get off the internet)\b"),
    _form(0.7, r"\b(?:nobody|no one|noone) (?:will|would|is going to) miss you\b|\blog off (?:forever|for good|and)\b"),
    _form(0.65, r"\b(?:delete|deactivate) your (?:account|profile)\b|\bdo us all a favou?r and\b"),
    _form(0.7, r"\b(?:sit down|be quiet|pipe down|run along|go play|the adults are talking|grown ups are talking)\b"),
    _form(
        0.7,
        # "Nobody asked" is a put-down; "nobody asked for this sequel" is an opinion of the sequel.
        r"\b(?:no one|nobody|noone) is talking to you\b|\b(?:no one|nobody|noone|who) (?:asked\b(?! for)|"
        r"cares what you)",
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
    _form(
        0.7,
        r"\b(?:you|u) (?:\w+ )?(?:write|writes|think|talk|act|argue|read|type|sound|behave) like an? (?:\w+ )?"
        + _SIMPLE
        + r"\b",
    ),
    _form(0.6, r"\byou are (?:so |too |really |just |a bit |kinda )?(?:slow|thick|simple|dense)\b"),
    _form(
        0.7,
        r"\byour (?:level of )?(?:iq|brain|brains|brain cells?|intelligence|reading comprehension|intellect|"
        r"mental age)\b",
    ),
    _form(
        0.75,
        r"\b(?:too|so) (?:dumb|stupid|thick|slow|dense|simple|ignorant|braindead) to (?:get|understand|follow|see|"
        r"read)\b",
        aimed=True,
    ),
    _form(
        0.8,
        r"\b(?:brain cells?|room temperature iq|smooth brain|pea brain|peanut brain|low iq|iq of a|brain ?dead|"
        r"brain damaged|brain damage|brain rot|brainrot)\b",
        aimed=True,
    ),
    _form(
        0.75,
        r"\b(?:attention span|brain|brains|iq|mind|intelligence|mental age|taste|maturity) of an? (?:\w+ )?"
        + _SIMPLE
        + r"\b",
        aimed=True,
    ),
    # "the personality of a wet sock": whatever the thing, said of a person it is an insult.
    _form(
        0.75,
        r"\b(?:personality|brain|iq|intelligence|mental age|attention span|social skills) of an? (?:\w+ ){0,2}\w+",
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
    _form(
        0.7,
        r"\byour (?:parents|mom|mum|mother|dad|father|family|kids|wife|husband) (?:must|would|should) (?:be|"
        r"feel) (?:so |very |"
        r"really )?(?:disappointed|ashamed|embarrassed|proud)\b",
    ),
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
    _form(0.6, r"\b(?:your|yo) (?:mom|mum|mama|momma)$"),
    _form(
        0.7,
        r"\bno wonder (?:you are|you|ur) (?:single|alone|lonely|unemployed|a virgin|divorced|still single|friendless|"
        r"so miserable|so bitter)\b",
    ),
    # Glad a real person died ("Reddick dying is the best thing that happened to it"); at a character, plot talk.
    _form(
        0.85,
        r"\b(?:dying|death|died|dies|dead) (?:is|was|would be) (?:the )?best thing\b|\bglad (?:he|she|they) (?:is|are) "
        r"dead\b",
        aimed=True,
    ),
    _form(0.6, r"\bput (?:him|her|them|you) out to pasture\b", aimed=True),
    _form(0.9, r"\bwaste of (?:space|oxygen|air|skin|sperm|a human)\b|\bwasting (?:air|oxygen|space)\b", aimed=True),
    _form(
        0.7,
        r"\byou(?: are)? (?:mentally ill|mentally unstable|psychotic|unwell|mental)\b|\byou (?:need|should get|should "
        r"see) (?:professional )?(?:help|therapy|a therapist|a shrink|a psychiatrist)\b",
    ),
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
        r"\b(?:treats?|treated|thinks?|thought|assumes?|assumed|talks? down to|talked down to) (?:you|us|the audience|"
        r"viewers|its audience|its viewers|fans|people|we)\b.*",
        r"\bwould be (?:a fool|an idiot|crazy|mad|insane|stupid) (?:not )?to (?:miss|skip|pass)\b",
        r"\b(?:shut up and take my money)\b",
        r"\b(?:call me|color me|colour me) (?:stupid|dumb|crazy|an idiot|a fool)\b",
        r"\b(?:turn|switch|shut) (?:off )?your brains? (?:off )?|\b(?:leave|check) your brains? at the door\b",
        r"\b(?:insult|insults|insulting|an affront) (?:to )?(?:your|our|my|the audience|the viewer|anyone|everyone)"
        r"(?: s)? (?:intelligence|iq)\b",
        # What the film does to the people in it: "the CGI makes everyone look like wax".
        r"\bmakes? (?:\w+ ){0,2}(?:look|sound) like\b",
        r"\b(?:makes?|made|making) (?:you|me|us|people|viewers|the audience|everyone) (?:feel|look|seem)\b.*",
    )
]
