"""The demo's scripted conversations: who says what under the review and the reaction post.

Written in our own words. Each comment carries how the room receives it (Reception), which crowd.py turns
into votes; a regular's opinion of the film is fixed in crowd.py so their rating badge matches their words.
"""

import datetime
import enum
from dataclasses import dataclass

from . import data


class Reception(enum.Enum):
    """How the room takes a comment: (how many readers vote on it, share of those votes that are up)."""

    QUIET = ((0, 4), 0.75)
    LIKED = ((8, 15), 0.85)
    HIT = ((18, 30), 0.92)
    MIXED = ((6, 12), 0.55)
    DIVISIVE = ((14, 24), 0.5)
    PANNED = ((6, 12), 0.2)


@dataclass(frozen=True)
class Said:
    """One comment in the script, with the replies it drew."""

    author: str
    body: str
    replies: tuple["Said", ...] = ()
    spoiler: bool = False
    reception: Reception = Reception.QUIET


@dataclass(frozen=True)
class Conversation:
    story: str
    opens: datetime.datetime
    closes: datetime.datetime
    comments: tuple[Said, ...]


def said(author: str, body: str, *replies: Said, spoiler: bool = False, reception: Reception = Reception.QUIET) -> Said:
    return Said(author, body, replies, spoiler, reception)


LIKED = Reception.LIKED
HIT = Reception.HIT
MIXED = Reception.MIXED
DIVISIVE = Reception.DIVISIVE
PANNED = Reception.PANNED

REACTION_THREAD = Conversation(
    story=data.REACTION_POST,
    opens=data.at(2025, 6, 6, 15),
    closes=data.at(2025, 6, 20, 22),
    comments=(
        said(
            "wickwatcher",
            "Opening night, packed screen, and the room clapped twice: once for a certain "
            "entrance and once at the end. It's not Chapter 4, nothing is, but Ana de Armas absolutely belongs "
            "in this world. 8/10 from me.",
            said(
                "concierge_theo",
                "The clapping for >!John's entrance!< happened at mine too. Half the room knew "
                "it was coming and cheered anyway.",
            ),
            said(
                "ray_dunmore",
                "Genuine question: does she belong, or does she just get to stand next to people "
                "who do? Every time the film wanted me to feel something, it cut to a familiar face.",
                said(
                    "wickwatcher",
                    "Fair for the first half. By the last act she's carrying the whole thing on "
                    "her own, and I thought she earned it.",
                ),
                said("macarro_stan", "She sells every hit she takes. That's belonging.", reception=LIKED),
                reception=MIXED,
            ),
            reception=HIT,
        ),
        said(
            "concierge_theo",
            "I wasn't ready for Charon. Every scene Lance Reddick is in, he makes the "
            "Continental feel like the calmest room on earth. Seeing him one more time on a big screen was a "
            "gift. Rest easy.",
            said("nightshift_odile", "Same. The whole theatre went quiet the first time he spoke.", reception=LIKED),
            said(
                "retro_rewinder",
                "If anyone hasn't seen him in *The Wire* or *Fringe*, this is a good week to "
                "start. He was so much more than a great concierge.",
                said("concierge_theo", "*Bosch* too. He could make a line about hotel policy sound like scripture."),
            ),
            reception=HIT,
        ),
        said(
            "tom_in_row_k",
            "I'll be the one to say it: this is a John Wick cover band. Same neon, same hotel, "
            "same rules explained again, same gun-fu, minus the thing that made it work. Ana de Armas is fine. "
            "The film around her is karaoke.",
            said(
                "gunfu_gabe",
                "A cover band that plays the songs this well is still a great night out. The "
                "village sequence alone is worth the ticket.",
                said(
                    "tom_in_row_k",
                    "If the best thing you can say is that it reminded you of better films, "
                    "that's not much of a recommendation.",
                ),
                reception=DIVISIVE,
            ),
            said(
                "reel_rosalind",
                "I get the frustration, but I'd push back on 'minus the thing that made it "
                "work'. What made Wick work was grief turned into motion, and Eve has that. It just takes "
                "longer to arrive.",
                said(
                    "ray_dunmore",
                    "'Takes longer to arrive' is doing a lot of work there. Forty minutes of set-up is a lot.",
                ),
                reception=LIKED,
            ),
            reception=DIVISIVE,
        ),
        said(
            "flamethrower_fan",
            "Flamethrower. Versus. **Flamethrower.** I have nothing else to add. 10/10, would be set on fire again.",
            said(
                "kevlar_tailor",
                "And then >!someone brings a fire hose to a flamethrower fight!<. I laughed, "
                "then I cheered, then I laughed again.",
                reception=LIKED,
            ),
            reception=HIT,
        ),
        said(
            "lurking_larry",
            "Seeing it Saturday. Please, *please* use the spoiler tags. I've managed to avoid "
            "every trailer since the first one.",
            said(
                "headshot_hannah",
                "You're in for a good time. Sit as close to the middle as you can; the sound design is wild.",
                reception=LIKED,
            ),
            reception=LIKED,
        ),
        said(
            "grumpy_projectionist",
            "Technically fine, emotionally empty. The flashbacks to Eve as a kid do all "
            "the heavy lifting and they keep interrupting the momentum. And the cutting in the first half is "
            "choppy in a way the Stahelski films never are.",
            said(
                "slowburn_sam",
                "Aren't the flashbacks the point? It's about who raised her and why. Without "
                "them she's just another killer with a grudge.",
                said(
                    "grumpy_projectionist",
                    "Then put them up front and let the film run. Cutting back every ten "
                    "minutes tells me it doesn't trust its own present-day story.",
                ),
            ),
            reception=MIXED,
        ),
        said(
            "macarro_stan",
            "Ana de Armas is a movie star, and this proves she can carry action the way she "
            "carries everything else. Eve gets hurt, gets knocked down, grabs whatever is in the room. She never "
            "fights like John; she fights like someone who is smaller and knows it. 9/10.",
            said(
                "ballet_mom_bev",
                "That's what I loved. She loses a lot of fights before she wins one. It felt honest.",
                reception=LIKED,
            ),
            said(
                "tom_in_row_k",
                "She's good. She isn't the problem. But 'proves she can carry action' is a "
                "stretch when half the fights are chopped into a hundred pieces.",
                said(
                    "macarro_stan",
                    "Then we saw different films. The last forty minutes are as clean as anything in the series.",
                ),
                reception=PANNED,
            ),
            reception=HIT,
        ),
        said(
            "kevlar_tailor",
            "Spoiler talk: the whole town being in on it is such a great escalation. Every "
            "door, every window, every shopkeeper is a threat. The moment she realises the village itself is "
            "the enemy is my favourite beat in the film.",
            said(
                "subtitles_on",
                "A snowy mountain village where the baker wants you dead. It's a Christmas card that shoots back.",
                spoiler=True,
                reception=LIKED,
            ),
            said(
                "headshot_hannah",
                "And the kid caught in the middle of it all. I was genuinely worried for her the whole time.",
                spoiler=True,
            ),
            spoiler=True,
            reception=LIKED,
        ),
        said(
            "dogperson_dee",
            "No dogs were harmed, in case you're wondering. Yes, I check. Yes, I will always "
            "check now. Thank you, John Wick (2014).",
            said("wickwatcher", "This is the most important comment in the thread.", reception=LIKED),
            said("babayaga_bri", "Every film in this series should open with that reassurance on a title card."),
            reception=LIKED,
        ),
        said(
            "doubtful_dom",
            "Len Wiseman did a decent job, but you can feel the difference between scenes with "
            "the series' usual fingerprints on them and scenes without. The last act has that Wick sense of "
            "geography. The first act feels like a different film.",
            said(
                "stuntdouble_steve",
                "The fight performers are clearly top tier, and it shows even in the weaker "
                "scenes. The choreography is never the problem; the coverage sometimes is.",
                said(
                    "doubtful_dom",
                    "'The choreography is never the problem; the coverage sometimes is.' You "
                    "said it better than I did.",
                ),
                reception=LIKED,
            ),
            reception=MIXED,
        ),
        said(
            "sofa_cinema",
            "Waiting for it to hit streaming. Is it a big-screen film, or will it work on a TV?",
            said("imax_ike", "Big screen, no question. The sound in the fire scenes alone. Go once.", reception=LIKED),
        ),
        said(
            "matinee_marc",
            "Tuesday matinee, maybe twelve people. One cheered at every headshot, two were asleep by the halfway "
            "mark. Good, not essential. A 6 from me.",
        ),
        said(
            "babayaga_bri",
            "Keanu vs. Ana. I was NOT prepared for them to actually fight. He fights her like "
            "she's the real deal, which is the best compliment the film could pay her.",
            said(
                "wickwatcher",
                "The way it turns from a fight into a kind of respect is so John. He's seen this "
                "story before. He *was* this story.",
                spoiler=True,
                reception=LIKED,
            ),
            said(
                "high_table_hank",
                "Great scene, but doesn't it undercut her a bit? The film needs him to show up to tell us she's good.",
                said(
                    "babayaga_bri",
                    "I read it the other way round: he shows up because the Director thinks "
                    "she's dangerous enough to need him. That's a promotion.",
                    spoiler=True,
                    reception=LIKED,
                ),
                spoiler=True,
                reception=MIXED,
            ),
            spoiler=True,
            reception=HIT,
        ),
        said(
            "plotholepatrol",
            "The story was thin even by this series' standards. The lore got so much screen "
            "time there was no room left for an actual plot.",
            said(
                "nora_reads_credits",
                "Was it really thinner than 'man's dog is killed, man settles the "
                "matter'? The first film is the purest in the series and it's exactly that thin.",
                said(
                    "plotholepatrol",
                    "The first one is thin and tight. This one is thin and long. Big "
                    "difference past the two-hour mark.",
                ),
                reception=LIKED,
            ),
            reception=MIXED,
        ),
        said(
            "the_adjudicator",
            "For a revenge film it spends a lot of time on rules: who may kill whom, where, and with whose "
            "blessing. I like the lore, but at times it felt like a very violent board-game tutorial.",
            reception=MIXED,
        ),
        said(
            "ballet_mom_bev",
            "I took my daughter, who actually dances. She wants to know why nobody at the "
            "Ruska Roma is ever in rehearsal. I told her they are rehearsing, just not for the ballet.",
            said("reel_rosalind", "This is wonderful. Also a fair question!", reception=LIKED),
            reception=HIT,
        ),
        said(
            "ray_dunmore",
            "Controversial opinion: the best things in this film are the ones it borrowed from "
            "Parabellum. The Director, the theatre, the Continental. When it goes off on its own it loses steam.",
            said(
                "lateshow_lucia",
                "I'd argue the snowy village is the most original place the series has "
                "taken us since the Osaka Continental.",
                said("ray_dunmore", "Okay, the village is good. I'll give you the village."),
                reception=LIKED,
            ),
            reception=DIVISIVE,
        ),
        said(
            "headshot_hannah",
            "Norman Reedus as the one man who got out was a nice surprise. I wish he'd had "
            "more to do; he's great at that tired, cornered energy.",
            said(
                "doubtful_dom",
                "He and his daughter were the emotional centre of the last act for me, more than Eve's revenge.",
                spoiler=True,
            ),
            spoiler=True,
            reception=LIKED,
        ),
        said(
            "gunfu_gabe",
            "Checklist for a Wick film: clear fights, one new weapon gimmick, a place you've "
            "never seen in an action film, and someone from the Continental being dry about it. Ballerina ticks "
            "all four. Call it derivative if you like; I call it a franchise that knows what it's good at.",
            said(
                "franchise_fatigue",
                "A checklist is exactly the problem. When a franchise starts ticking boxes it stops surprising you.",
                said(
                    "gunfu_gabe",
                    "Chapter 2 ticked the same boxes and nobody called it a checklist. "
                    "Sometimes a formula is just a form.",
                ),
                reception=MIXED,
            ),
            reception=HIT,
        ),
        said(
            "filmclub_farid",
            "Our film club went as a group of eight. Scores ranged from 4 to 9, which says a "
            "lot. Consensus: de Armas great, second half great, first half needs twenty minutes cut.",
            said(
                "thirdrowcenter",
                "That was roughly the split at my screening too. Nobody hated it; nobody thought it was Chapter 4.",
            ),
            reception=LIKED,
        ),
        said(
            "slowburn_sam",
            "Liked it more than I expected. The opening hooked me, the middle lost me, and then "
            ">!the whole snowy village turning on her!< won me back completely. A solid 7.",
            said("lateshow_lucia", "Same curve for me. The middle is where it needed tightening."),
            reception=LIKED,
        ),
        said(
            "pixel_pauline",
            "Favourite small moment: >!Winston being completely unbothered while everyone around "
            "him panics!<. Ian McShane could do that in his sleep and it would still be the best line reading "
            "in the film.",
            said("concierge_theo", "McShane and Reddick in one scene is my comfort food.", reception=LIKED),
        ),
        said(
            "critic_of_critics",
            "Seven out of ten from the review feels right to generous. I'd say 5. It's "
            "loud and well made, but a day later I've forgotten most of it.",
            said(
                "wickwatcher",
                "Dana's [review](/stories/ballerina-review/) is worth reading for the point "
                "about the fights getting better as Eve gets better. It made the first half click for me in "
                "hindsight.",
                reception=LIKED,
            ),
            reception=MIXED,
        ),
        said(
            "quietcar_quinn",
            "Came for the action, stayed for Anjelica Huston. Every line she says sounds "
            "like a threat wrapped in velvet.",
            said(
                "ballet_mom_bev",
                "The Director is my favourite character in this whole world. Give her a prequel.",
                said(
                    "nightshift_odile",
                    "A Director prequel about the Ruska Roma's early days would be my most anticipated film overnight.",
                ),
                reception=LIKED,
            ),
            reception=LIKED,
        ),
        said(
            "cinephile_cass",
            "Can we talk about the production design? The Continental lobby, the theatre, that snowy village. "
            "Even when the script sags there is always something lovely to look at.",
            reception=LIKED,
        ),
        said(
            "franchise_fatigue",
            "The revenge plot resolves exactly how you expect, and the final confrontation "
            "with Byrne is over far too fast after all that build-up. Two hours of set-up for a two-minute "
            "payoff.",
            said(
                "gunfu_gabe",
                "The payoff is the whole last act, not the last two minutes. The villain is "
                "almost an afterthought by design.",
                spoiler=True,
            ),
            spoiler=True,
            reception=MIXED,
        ),
        said(
            "retro_rewinder",
            "Rewatched Parabellum the night before and I recommend it. Ballerina slots in "
            "neatly, and >!the Director!< means a lot more when you have that film fresh in your mind.",
            reception=LIKED,
        ),
        said(
            "ticketstub_tess",
            "The opening with young Eve sets everything up, and Winston being the one who "
            "brings her to the Ruska Roma is a neat link. Now I want a whole film about Winston's side deals.",
            said(
                "pixel_pauline",
                "Winston collecting strays for the Director is such a Winston thing to do.",
                spoiler=True,
            ),
            spoiler=True,
            reception=LIKED,
        ),
        said(
            "coinsandmarkers",
            "Lore question: if this all happens during Parabellum, is Eve at the theatre when John comes to the "
            "Director for help? The timeline feature says the stories overlap but I couldn't quite place it.",
            said(
                "retro_rewinder",
                "That's how I read it. The film keeps the overlap loose, probably so you don't need to have "
                "seen Parabellum to follow it.",
            ),
        ),
        said(
            "high_table_hank",
            "Unpopular take: Keanu's appearance is the weakest part. It pulls focus from Eve "
            "right when her story should be peaking.",
            said(
                "babayaga_bri",
                "Hard disagree. That appearance is why half the audience showed up, and it pays off.",
                said("high_table_hank", "Sure, but 'why people showed up' is a marketing argument, not a story one."),
            ),
            reception=DIVISIVE,
        ),
        said(
            "thirdrowcenter",
            "Three things:\n\n1. De Armas is great.\n2. The fights get better as the film "
            "goes on, which is clever, because Eve gets better as it goes on.\n3. I need more Charon in "
            "everything, forever.",
            said("sunday_snacker", "Point 2 is a good catch. Her early fights are scrappy on purpose."),
            reception=HIT,
        ),
        said(
            "popcornprophet",
            "Honestly? Solid. Great action, clunky dialogue, a few too many callbacks. Exactly what I expected, "
            "no more and no less. 6/10.",
        ),
    ),
)

REVIEW_THREAD = Conversation(
    story=data.BALLERINA_REVIEW,
    opens=data.at(2025, 6, 4, 15),
    closes=data.at(2025, 6, 12, 22),
    comments=(
        said(
            "wickwatcher",
            "A 7 from Dana is practically a rave, given she gave Chapter 4 a B+ on Monday. Very curious now.",
            said(
                "critic_of_critics",
                "Different scales, different films. In my head a B+ is roughly an 8.8, so they're not that far apart.",
            ),
        ),
        said("lurking_larry", "Read this with one eye closed. Thanks for keeping it spoiler-free.", reception=LIKED),
        said(
            "grumpy_projectionist",
            "Saw it. Agree with the review on the first hour, disagree on the score. Seven is generous.",
            said("kevlar_tailor", "The point about the action improving as Eve improves is spot on, though."),
            reception=MIXED,
        ),
        said(
            "imax_ike",
            "Went in after reading this, and it set my expectations perfectly. Good review.",
            reception=LIKED,
        ),
    ),
)

CONVERSATIONS = (REVIEW_THREAD, REACTION_THREAD)
