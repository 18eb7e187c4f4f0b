"""The demo publication as plain data: the site, its staff, the John Wick catalogue and the stories.

Everything here is fixed, so the demo reads the same on every machine. Facts (dates, credits, IMDb ids)
are limited to ones we are sure of; the prose is our own. loader.py turns this into rows.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

UTC = datetime.UTC


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=UTC)


# Where the standalone site serves stories and films. Written out rather than reversed because story bodies
# are data, built when this module is imported.
def story_path(slug: str) -> str:
    return f"/stories/{slug}/"


def film_path(slug: str) -> str:
    return f"/films/{slug}/"


# --- The publication ---------------------------------------------------------------------------------

# Deliberately not settings.TALKIES_DEFAULT_SITE: an operator may point that at their real publication,
# and `talkies demo --reset` deletes the demo site.
SITE_SLUG = "reelnews"
SITE_NAME = "Reel News"
SITE_TAGLINE = "New films, old favourites, and what our readers make of them"
SITE_REGION = "US"
SITE_LAUNCHED = at(2014, 9, 1, 9)

# Demo accounts get addresses on a reserved domain, so --reset can tell them from real accounts.
EMAIL_DOMAIN = "readers.reelnews.example"


@dataclass(frozen=True)
class StaffMember:
    username: str
    display_name: str
    role: str  # a SiteMembership.Role value


CRITIC = StaffMember("reelnews_critic", "Dana Okafor", "critic")
EDITOR = StaffMember("reelnews_editor", "Priya Lindqvist", "editor")
MODERATOR = StaffMember("reelnews_moderator", "Sam Adeyemi", "moderator")
STAFF = (CRITIC, EDITOR, MODERATOR)


# --- The catalogue -----------------------------------------------------------------------------------

STUDIO_SLUG = "lionsgate"
STUDIO_NAME = "Lionsgate"

UNIVERSE_SLUG = "world-of-john-wick"
UNIVERSE_NAME = "World of John Wick"
UNIVERSE_DESCRIPTION = (
    "The shared underworld of the John Wick films: the Continental hotels, the High Table, gold coins, "
    "blood markers and the crime families who live by their rules."
)
FRANCHISE_SLUG = "john-wick"
FRANCHISE_NAME = "John Wick"
FRANCHISE_DESCRIPTION = (
    "Keanu Reeves as a retired assassin dragged back into a secret society of killers, from 2014 onwards, "
    "and the spin-offs set in the same world."
)


@dataclass(frozen=True)
class FilmData:
    slug: str
    title: str
    us_release: datetime.date
    imdb_id: str
    runtime_minutes: int
    synopsis: str
    release_order: int
    chronology_order: Decimal
    chronology_note: str = ""
    is_spinoff: bool = False
    marketing_title: str = ""


JOHN_WICK = "john-wick"
CHAPTER_2 = "john-wick-chapter-2"
CHAPTER_3 = "john-wick-chapter-3-parabellum"
CHAPTER_4 = "john-wick-chapter-4"
BALLERINA = "ballerina"

FILMS = (
    FilmData(
        slug=JOHN_WICK,
        title="John Wick",
        us_release=datetime.date(2014, 10, 24),
        imdb_id="tt2911666",
        runtime_minutes=101,
        synopsis=(
            "John Wick has put his life as a hired killer behind him and is grieving his wife when a mobster's "
            "son breaks into his home, takes his car and kills the puppy she left him. The men responsible "
            "soon find out whose house they walked into, and New York's underworld finds out that its most "
            "feared assassin is back at work."
        ),
        release_order=1,
        chronology_order=Decimal(1),
    ),
    FilmData(
        slug=CHAPTER_2,
        title="John Wick: Chapter 2",
        us_release=datetime.date(2017, 2, 10),
        imdb_id="tt4425200",
        runtime_minutes=122,
        synopsis=(
            "An old debt comes due. A crime lord holds a blood oath over John Wick and sends him to Rome on a "
            "job he never wanted, and finishing it only makes his position worse."
        ),
        release_order=2,
        chronology_order=Decimal(2),
    ),
    FilmData(
        slug=CHAPTER_3,
        title="John Wick: Chapter 3 – Parabellum",
        us_release=datetime.date(2019, 5, 17),
        imdb_id="tt6146586",
        runtime_minutes=131,
        synopsis=(
            "With a fortune on his head and every killer in New York watching the clock, John Wick runs: to "
            "the Ruska Roma, the crime family that raised him, then to Casablanca and out into the desert, "
            "looking for anyone at the High Table willing to let him live."
        ),
        release_order=3,
        chronology_order=Decimal(3),
    ),
    FilmData(
        slug=CHAPTER_4,
        title="John Wick: Chapter 4",
        us_release=datetime.date(2023, 3, 24),
        imdb_id="tt10366206",
        runtime_minutes=169,
        synopsis=(
            "John Wick takes the fight to the High Table itself. From Osaka to Berlin to Paris, the Table's "
            "newest enforcer hunts him with the help of an old friend turned reluctant enemy, and the only "
            "way out may be one of the underworld's oldest rules."
        ),
        release_order=4,
        chronology_order=Decimal(4),
    ),
    FilmData(
        slug=BALLERINA,
        title="Ballerina",
        us_release=datetime.date(2025, 6, 6),
        imdb_id="tt7181546",
        runtime_minutes=125,
        synopsis=(
            "Eve Macarro is still early in her training with the Ruska Roma, the crime family that also raised "
            "John Wick, when she finds a way to go after the breakaway band of killers that wrecked her life. "
            "She takes with her everything the Director has taught her: a marksman's eye, a quick mind and a "
            "talent for very close combat."
        ),
        release_order=5,
        chronology_order=Decimal("3.5"),
        chronology_note="Takes place during the events of John Wick: Chapter 3 – Parabellum",
        is_spinoff=True,
        marketing_title="From the World of John Wick: Ballerina",
    ),
)
FILM_SLUGS = tuple(film.slug for film in FILMS)


@dataclass(frozen=True)
class PersonData:
    slug: str
    name: str
    birth_date: datetime.date | None = None
    death_date: datetime.date | None = None
    bio: str = ""


PEOPLE = (
    PersonData("ana-de-armas", "Ana de Armas", datetime.date(1988, 4, 30)),
    PersonData("anjelica-huston", "Anjelica Huston", datetime.date(1951, 7, 8)),
    PersonData("gabriel-byrne", "Gabriel Byrne", datetime.date(1950, 5, 12)),
    PersonData(
        "lance-reddick",
        "Lance Reddick",
        datetime.date(1962, 6, 7),
        datetime.date(2023, 3, 17),
        bio=(
            "Actor and musician, remembered for The Wire, Fringe and Bosch, and by John Wick audiences as "
            "Charon, the Continental's composed and loyal concierge. He died in March 2023, a week before "
            "John Wick: Chapter 4 opened; Ballerina was his last appearance in the role."
        ),
    ),
    PersonData("catalina-sandino-moreno", "Catalina Sandino Moreno"),
    PersonData("norman-reedus", "Norman Reedus", datetime.date(1969, 1, 6)),
    PersonData("ian-mcshane", "Ian McShane", datetime.date(1942, 9, 29)),
    PersonData("keanu-reeves", "Keanu Reeves", datetime.date(1964, 9, 2)),
    PersonData("choi-soo-young", "Choi Soo-young"),
    PersonData("david-castaneda", "David Castañeda"),
    PersonData("robert-maaser", "Robert Maaser"),
    PersonData("sharon-duncan-brewster", "Sharon Duncan-Brewster"),
    PersonData("len-wiseman", "Len Wiseman"),
    PersonData("shay-hatten", "Shay Hatten"),
    PersonData("chad-stahelski", "Chad Stahelski"),
    PersonData("derek-kolstad", "Derek Kolstad"),
)
PERSON_SLUGS = tuple(person.slug for person in PEOPLE)


@dataclass(frozen=True)
class CharacterData:
    slug: str
    name: str
    description: str


CHARACTERS = (
    CharacterData(
        "john-wick",
        "John Wick",
        "A legendary assassin, raised by the Ruska Roma, who keeps trying to leave the underworld behind.",
    ),
    CharacterData(
        "winston",
        "Winston",
        "Manager of the New York Continental, the hotel where killers rest and no business may be done.",
    ),
    CharacterData("charon", "Charon", "The Continental's unflappable concierge and Winston's right hand."),
    CharacterData(
        "the-director",
        "The Director",
        "Head of the Ruska Roma, who raises orphans at her theatre as dancers and as killers.",
    ),
    CharacterData(
        "eve-macarro",
        "Eve Macarro",
        "A young assassin trained by the Ruska Roma who goes after the killers who upended her life.",
    ),
)
CHARACTER_SLUGS = tuple(character.slug for character in CHARACTERS)


@dataclass(frozen=True)
class CreditData:
    film: str
    person: str
    role: str  # a Credit.Role value
    character: str | None = None
    billing_order: int = 100
    note: str = ""


def _cast(film: str, *billing: tuple[str, str | None]) -> tuple[CreditData, ...]:
    """Actor credits in billing order; the character is None where we do not record one."""
    return tuple(
        CreditData(film, person, "actor", character, billing_order=position)
        for position, (person, character) in enumerate(billing, start=1)
    )


# Only the recurring cast is recorded for the four John Wick films, so their billing order is relative to
# each other, not the full published billing.
_RECURRING_CAST = (("keanu-reeves", "john-wick"), ("ian-mcshane", "winston"), ("lance-reddick", "charon"))

CREDITS = (
    *_cast(JOHN_WICK, *_RECURRING_CAST),
    *_cast(CHAPTER_2, *_RECURRING_CAST),
    *_cast(CHAPTER_3, *_RECURRING_CAST, ("anjelica-huston", "the-director")),
    *_cast(CHAPTER_4, *_RECURRING_CAST),
    *_cast(
        BALLERINA,
        ("ana-de-armas", "eve-macarro"),
        ("anjelica-huston", "the-director"),
        ("gabriel-byrne", None),
        ("lance-reddick", "charon"),
        ("catalina-sandino-moreno", None),
        ("norman-reedus", None),
        ("ian-mcshane", "winston"),
        ("keanu-reeves", "john-wick"),
        ("choi-soo-young", None),
        ("david-castaneda", None),
        ("robert-maaser", None),
        ("sharon-duncan-brewster", None),
    ),
    *(CreditData(film, "chad-stahelski", "director") for film in (JOHN_WICK, CHAPTER_2, CHAPTER_3, CHAPTER_4)),
    CreditData(BALLERINA, "len-wiseman", "director"),
    *(CreditData(film, "derek-kolstad", "writer") for film in (JOHN_WICK, CHAPTER_2, CHAPTER_3)),
    *(CreditData(film, "shay-hatten", "writer") for film in (CHAPTER_3, CHAPTER_4, BALLERINA)),
)


# --- The stories -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriticScore:
    film: str
    score: str  # as published, on the critic's own scale
    verdict: str


@dataclass(frozen=True)
class StoryData:
    slug: str
    kind: str  # a Story.Kind value
    title: str
    dek: str
    body: str
    author: StaffMember
    published_at: datetime.datetime
    films: tuple[str, ...]
    call_to_action: str = ""
    review: CriticScore | None = None


SPEC_SCRIPT_NEWS = "ballerina-spec-script-joins-john-wick-world"
CASTING_NEWS = "ana-de-armas-to-lead-ballerina"
CHAPTER_4_REVISITED = "john-wick-chapter-4-revisited"
BALLERINA_REVIEW = "ballerina-review"
TIMELINE_FEATURE = "john-wick-films-in-order"
REACTION_POST = "what-did-you-think-of-ballerina"

STORIES = (
    StoryData(
        slug=SPEC_SCRIPT_NEWS,
        kind="news",
        title="Black List script Ballerina is being reworked for the John Wick world",
        dek="Lionsgate owns Shay Hatten's assassin thriller and wants it to live alongside Keanu Reeves's hitman.",
        author=EDITOR,
        published_at=at(2017, 12, 18, 16),
        films=(BALLERINA,),
        body="""\
The John Wick world may be about to grow, and the idea did not start inside it. Lionsgate owns **Ballerina**,
an original action thriller by screenwriter Shay Hatten, and the plan is for Hatten to rework it so that it
plays out in the same underworld of gold coins, blood markers and neutral-ground hotels that
John Wick made famous.

The script was turning heads before the franchise came into the picture: it made this year's Black List, the
industry's annual survey of the best screenplays nobody has produced yet. That is a useful endorsement for a
writer at the start of his career, and a sign that the studio is looking for voices of its own rather than
simply waiting for the next chapter.

The studio is saying little about the plot so far. Hatten's rewrite will decide how closely the film ties in:
whether John himself turns up, or whether the story simply borrows the rules of his world.

Nobody is attached to direct or star, and there is no release window. What is clear is the direction of
travel. With John Wick (2014) and Chapter 2 both doing well for Lionsgate and a third
chapter in the works, the studio wants the world around John to stand on its own.

We will keep following Ballerina as it develops.
""",
    ),
    StoryData(
        slug=CASTING_NEWS,
        kind="news",
        title="Ana de Armas will lead Ballerina, the John Wick spin-off Len Wiseman is directing",
        dek="The Knives Out star takes the title role in a story that grows out of Parabellum's ballet school.",
        author=EDITOR,
        published_at=at(2020, 10, 27, 15, 30),
        films=(BALLERINA,),
        body=f"""\
Ballerina has its lead. Ana de Armas will star in the John Wick spin-off, which Len Wiseman signed on to direct
last year from Shay Hatten's script.

De Armas is on a run. She was the warm, quick-witted centre of *Knives Out*, held her own opposite Ryan Gosling
in *Blade Runner 2049*, and is due to appear in the delayed Bond film *No Time to Die*. A franchise built on
long, clearly staged fights is a different kind of test, and by all accounts one she wants.

Wiseman knows stylish genre work: he created the *Underworld* series and directed *Live Free or Die Hard* and
the 2012 *Total Recall*. He steps into a world that Chad Stahelski has built over three films, and fans will be
watching to see how much of Stahelski's clean, long-take action survives the handover.

The story connects to John Wick: Chapter 3 – Parabellum, which Hatten co-wrote. That
film took John back to the Ruska Roma, the crime family that raised him, and to their theatre, where young
dancers train as killers under Anjelica Huston's Director. Ballerina follows a young woman trained in those
traditions as she sets out to settle a score.

How the project began: [our 2017 report]({story_path(SPEC_SCRIPT_NEWS)}). There is no release date yet.
""",
    ),
    StoryData(
        slug=CHAPTER_4_REVISITED,
        kind="review",
        title="John Wick: Chapter 4, revisited: still the longest night, still the best one",
        dek="Two years on, and days before Ballerina, our critic goes back to the series' biggest chapter.",
        author=CRITIC,
        published_at=at(2025, 6, 2, 14),
        films=(CHAPTER_4,),
        review=CriticScore(
            film=CHAPTER_4,
            score="B+",
            verdict="Too long by a reel, and worth every minute of the rest.",
        ),
        body=f"""\
Nearly three hours is a lot to ask of anyone, and Chapter 4 asks it without apology. Watching it again before
[Ballerina]({story_path(BALLERINA_REVIEW)}), what stands out is how little of that running time is wasted on
plot and how much is spent on *places*: a glass-walled hotel in Osaka, a Berlin nightclub with water pouring
down the dance floor, a traffic circle in Paris that turns into a shooting gallery.

Chad Stahelski and his stunt team treat every location as a puzzle with its own rules. The best sequence is
still the one seen from above, as John clears an abandoned building room by room and the camera floats over
the walls like a floor plan come to life. It is the kind of idea the series had been working towards since
2014, and nobody else in action cinema was attempting anything like it.

Donnie Yen's blind assassin gives the film a conscience, and Bill Skarsgård's Marquis is a villain you enjoy
hating. The weak spot is the middle: one set piece too many, and a detour that adds weight but not much else.

Watching Lance Reddick's Charon is bittersweet now. Reddick died in March 2023, a week before the film opened,
and every scene he shares with Ian McShane plays like a small, dignified farewell.

Where Ballerina fits in all of this is in [our guide to the films in order]({story_path(TIMELINE_FEATURE)}).
""",
    ),
    StoryData(
        slug=BALLERINA_REVIEW,
        kind="review",
        title="Ballerina review: Ana de Armas earns her place in the John Wick world",
        dek="A slow first hour, then a spin-off that finds its own fire.",
        author=CRITIC,
        published_at=at(2025, 6, 4, 13),
        films=(BALLERINA,),
        call_to_action="Agree with our critic? Rate Ballerina once you've seen it.",
        review=CriticScore(
            film=BALLERINA,
            score="7/10",
            verdict="Not quite a Wick, but de Armas makes it far more than a footnote.",
        ),
        body=f"""\
*This review is free of spoilers beyond the film's premise.*

Ballerina has an awkward job. It has to feel like a John Wick film while proving it can be something else,
and for its first hour it is not sure which it wants more. Eve Macarro (Ana de Armas) is a young recruit of the
Ruska Roma with a grudge that goes back to her childhood, and the film spends a long time explaining how she
came to be there: flashbacks, training, and a steady stream of rules about who may kill whom.

Then it finds its feet. Len Wiseman is a steadier action director than his reputation suggests, and the fights
grow more confident as Eve does. Her early scraps are messy and desperate on purpose; she is smaller than the
people she fights, and she wins by using whatever is within reach. By the final act she fights with the calm
of someone who has done this before, and the staging matches her. The trailers showed you a flamethrower. The
film does a lot more with it than the trailers let on.

De Armas is the reason it works. She gives Eve a stubborn, wounded humour that the franchise's men rarely
allow themselves, and she is fully convincing in the physical scenes. Anjelica Huston's Director is as
unreadable as she was in Parabellum, Ian McShane does a lot with very little, and Lance
Reddick's last turn as Charon lands with a weight the film did not have to earn. Gabriel Byrne is under-used
as the man at the end of Eve's road.

And yes, Keanu Reeves turns up. His appearance is more than a wink, and the film is smart about what it means
for Eve rather than letting him take the picture away from her.

It is not [Chapter 4]({story_path(CHAPTER_4_REVISITED)}); it is baggier, and more interested in lore than it
needs to be. But it earns the right to exist, and de Armas earns a sequel.

Ballerina opens in theatres on June 6. Not sure where it sits in the timeline?
[Here are the films in order]({story_path(TIMELINE_FEATURE)}).
""",
    ),
    StoryData(
        slug=TIMELINE_FEATURE,
        kind="feature",
        title="The John Wick films in order: by release date, and by the story's own clock",
        dek="Five films, two orders, and one spin-off that happens in the middle of another film.",
        author=CRITIC,
        published_at=at(2025, 6, 5, 14),
        films=(JOHN_WICK, CHAPTER_2, CHAPTER_3, CHAPTER_4, BALLERINA),
        body=f"""\
Most franchises can be watched in the order they came out. The John Wick films nearly can, with one
exception that arrives this week.

## In release order

1. [John Wick]({film_path(JOHN_WICK)}) (2014)
2. [John Wick: Chapter 2]({film_path(CHAPTER_2)}) (2017)
3. [John Wick: Chapter 3 – Parabellum]({film_path(CHAPTER_3)}) (2019)
4. [John Wick: Chapter 4]({film_path(CHAPTER_4)}) (2023)
5. [Ballerina]({film_path(BALLERINA)}) (2025)

## In story order

The first three films follow each other closely. Chapter 2 picks up soon after the first film ends, and
Parabellum begins right where Chapter 2 stops, with John's head start running out.

**Ballerina** takes place *during* Parabellum. While John is on the run, Eve Macarro is training with the
Ruska Roma, the same crime family he turns to for help in that film, so the two stories overlap in places
and share some faces. On a story-order rewatch, put it between Parabellum and Chapter 4.

**Chapter 4** comes after all of them: John has recovered from the end of Parabellum and goes after the High
Table itself.

## So which order should you watch?

For a first viewing, release order. The films were made to be seen that way, and Ballerina works best once
you already know the Director, Winston and Charon. For a rewatch, try the story's own order and see how
Ballerina looks with Parabellum fresh in your mind.

Our critic's verdicts: [Ballerina]({story_path(BALLERINA_REVIEW)}) and
[Chapter 4, revisited]({story_path(CHAPTER_4_REVISITED)}).
""",
    ),
    StoryData(
        slug=REACTION_POST,
        kind="reaction",
        title="What did you think of Ballerina?",
        dek="The John Wick spin-off is in theatres now. Rate it, then tell us — and mark your spoilers.",
        author=EDITOR,
        published_at=at(2025, 6, 6, 13),
        films=(BALLERINA,),
        call_to_action=(
            "What did you think of Ballerina? Once you've seen it, tell us below — and mark your spoilers."
        ),
        body=f"""\
**Ballerina**, sold in cinemas as *From the World of John Wick: Ballerina*, is out in theatres today. Our
critic Dana Okafor has already seen it and gives it 7/10:
[read her review]({story_path(BALLERINA_REVIEW)}). Now it is your turn.

The film has taken a long road here. It began as Shay Hatten's original script, which Lionsgate
[set out to fold into the John Wick world]({story_path(SPEC_SCRIPT_NEWS)}) back in 2017; Hatten went on to
co-write Parabellum, which introduced the Ruska Roma's ballet school, and then
[Len Wiseman and Ana de Armas came aboard]({story_path(CASTING_NEWS)}).

The story runs alongside Parabellum ([here is how the timeline fits]({story_path(TIMELINE_FEATURE)})). Eve
Macarro (Ana de Armas) is learning the Ruska Roma's trade when she picks up the trail of the killers who
shattered her life, and sets off to deal with them using everything she has been taught.

Familiar faces are along for the ride: Anjelica Huston as the Director, Ian McShane as Winston, and the late
Lance Reddick as Charon, in one of his final roles. Gabriel Byrne, Catalina Sandino Moreno, Norman Reedus,
Choi Soo-young, David Castañeda, Robert Maaser and Sharon Duncan-Brewster complete the cast, and John Wick
himself, Keanu Reeves, makes an appearance.

**A note on spoilers:** wrap details in `>!` and `!<` to hide them inline (>!like this!<), or tick *spoiler*
to hide your whole comment until a reader chooses to open it.
""",
    ),
)

# Pairs of stories shown as related to each other (the relation is symmetrical).
RELATED_STORIES = (
    (REACTION_POST, BALLERINA_REVIEW),
    (REACTION_POST, SPEC_SCRIPT_NEWS),
    (REACTION_POST, CASTING_NEWS),
    (REACTION_POST, TIMELINE_FEATURE),
    (BALLERINA_REVIEW, TIMELINE_FEATURE),
    (BALLERINA_REVIEW, CHAPTER_4_REVISITED),
    (SPEC_SCRIPT_NEWS, CASTING_NEWS),
)
