"""The demo's readers and everything they do: who they are, how they rate, what they say, how they vote.

`plan_crowd()` is pure and deterministic: it turns the script below and a fixed random seed into a plan
(readers, ratings, comments, votes, each with a timestamp) without touching the database, so the same
checkout always loads the same demo and the plan can be tested on its own. loader.py writes the plan.

Two kinds of reader make a thread look lived in: the *regulars* who talk (their opinion of Ballerina is
fixed, so a top-level comment's rating badge always agrees with what the comment says) and the *quiet
raters* who only rate and vote, who give Ballerina the weight of ratings a real opening week would.
"""

import datetime
import random
from dataclasses import dataclass

from . import data
from .conversations import CONVERSATIONS, Conversation, Reception, Said

SEED = 20250606

# Ratings are spread from each film's release to the end of the summer Ballerina came out.
RATINGS_CLOSE = data.at(2025, 8, 31, 23)
# Before Ballerina, many readers caught up on the earlier films.
REWATCH_SEASON = (data.at(2025, 5, 1), data.at(2025, 6, 5, 22))
REWATCH_SHARE = 0.4
VOTING_CLOSES = data.at(2025, 6, 30, 23)


@dataclass(frozen=True)
class Reader:
    username: str
    display_name: str
    ballerina: int | None = None  # a regular's own rating of Ballerina; None: has not seen it
    is_regular: bool = True


# fmt: off
REGULARS = (
    Reader("wickwatcher", "Marisol Trejo", 8),
    Reader("concierge_theo", "Theo Banks", 9),
    Reader("ray_dunmore", "Ray Dunmore", 5),
    Reader("reel_rosalind", "Rosalind Pereira", 7),
    Reader("kevlar_tailor", "Jun Park", 8),
    Reader("popcornprophet", "", 6),
    Reader("nightshift_odile", "Odile Marchetti", 7),
    Reader("macarro_stan", "Bea", 9),
    Reader("stuntdouble_steve", "Steve K.", 8),
    Reader("grumpy_projectionist", "Hal Overby", 4),
    Reader("thirdrowcenter", "Nadia Q.", 7),
    Reader("lurking_larry", "", None),
    Reader("the_adjudicator", "", 6),
    Reader("headshot_hannah", "Hannah Voss", 8),
    Reader("filmclub_farid", "Farid Haddad", 7),
    Reader("tom_in_row_k", "Tom Kettering", 3),
    Reader("subtitles_on", "Ines Moreau", 7),
    Reader("dogperson_dee", "Dee Walsh", 8),
    Reader("matinee_marc", "Marc Lindgren", 6),
    Reader("high_table_hank", "Hank", 5),
    Reader("cinephile_cass", "Cass Oyelaran", 6),
    Reader("gunfu_gabe", "Gabe Ferreira", 9),
    Reader("slowburn_sam", "Sam Ito", 7),
    Reader("ballet_mom_bev", "Bev Harrow", 8),
    Reader("pixel_pauline", "Pauline Roux", 7),
    Reader("coinsandmarkers", "", 8),
    Reader("critic_of_critics", "Owen", 5),
    Reader("lateshow_lucia", "Lucía Benítez", 7),
    Reader("imax_ike", "Ike Adebayo", 8),
    Reader("plotholepatrol", "", 4),
    Reader("sofa_cinema", "Mei Lin", None),
    Reader("quietcar_quinn", "Quinn", 7),
    Reader("franchise_fatigue", "Bo Nilsson", 5),
    Reader("retro_rewinder", "Gus Albright", 8),
    Reader("flamethrower_fan", "", 10),
    Reader("nora_reads_credits", "Nora Fitzgerald", 7),
    Reader("doubtful_dom", "Dom Ricci", 6),
    Reader("babayaga_bri", "Bri Castillo", 9),
    Reader("sunday_snacker", "Pete Oduya", 6),
    Reader("ticketstub_tess", "Tess Arliss", 7),
)
# fmt: on

QUIET_RATERS = 50
_QUIET_FIRST = ("velvet", "aisle", "matinee", "reel", "frame", "nitrate", "popcorn", "marquee", "dolly", "encore")
_QUIET_SECOND = ("seat", "owl", "fox", "reader", "ghost", "critic", "fan", "buff", "viewer", "goer")


@dataclass(frozen=True)
class Taste:
    """How many readers rate a film, and how their 1–10 ratings are weighted (index 0 is a 1/10)."""

    raters: int
    weights: tuple[int, ...]


TASTES = {
    data.JOHN_WICK: Taste(30, (0, 0, 1, 1, 2, 4, 8, 14, 12, 8)),
    data.CHAPTER_2: Taste(25, (0, 1, 1, 2, 3, 6, 10, 12, 8, 4)),
    data.CHAPTER_3: Taste(25, (0, 1, 2, 2, 4, 7, 10, 10, 6, 3)),
    data.CHAPTER_4: Taste(38, (0, 0, 1, 1, 2, 3, 6, 12, 14, 11)),
    # Regulars rate Ballerina as their comments say; quiet raters are drawn from these weights.
    data.BALLERINA: Taste(80, (1, 1, 2, 3, 6, 10, 14, 13, 7, 4)),
}


# --- The plan ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedRating:
    username: str
    film: str
    value: int
    at: datetime.datetime


@dataclass(frozen=True)
class PlannedComment:
    key: str  # "<story>/<path>", e.g. "what-did-you-think-of-ballerina/3.1" is the 4th thread's 2nd reply
    story: str
    author: str
    body: str
    parent: str | None
    depth: int
    is_spoiler: bool
    at: datetime.datetime
    reception: Reception


@dataclass(frozen=True)
class PlannedVote:
    comment: str  # a PlannedComment.key
    username: str
    value: int
    at: datetime.datetime


@dataclass(frozen=True)
class Crowd:
    readers: tuple[Reader, ...]
    joined: dict[str, datetime.datetime]
    ratings: tuple[PlannedRating, ...]
    comments: tuple[PlannedComment, ...]  # in posting order: every parent before its replies
    votes: tuple[PlannedVote, ...]


def quiet_raters(rng: random.Random) -> tuple[Reader, ...]:
    """Readers who rate and vote but never comment; plausible handles, most without a display name."""
    names: list[str] = []
    while len(names) < QUIET_RATERS:
        name = f"{rng.choice(_QUIET_FIRST)}{rng.choice(_QUIET_SECOND)}{rng.randint(2, 99)}"
        if name not in names:
            names.append(name)
    return tuple(Reader(name, "", is_regular=False) for name in names)


def _to_the_second(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(microsecond=0)


def _comment_times(conversation: Conversation, rng: random.Random) -> list[datetime.datetime]:
    """When each top-level comment arrives: in script order, crowded towards the opening weekend."""
    span = conversation.closes - conversation.opens
    count = len(conversation.comments)
    # (i + jitter) / count stays below (i + 1) / count, so times rise with i; squaring front-loads them.
    return [_to_the_second(conversation.opens + span * ((i + 0.8 * rng.random()) / count) ** 2) for i in range(count)]


def _reply_delay(rng: random.Random) -> datetime.timedelta:
    return datetime.timedelta(seconds=round(60 * (4 + rng.expovariate(1 / 150))))


def _plan_conversation(conversation: Conversation, rng: random.Random) -> list[PlannedComment]:
    planned: list[PlannedComment] = []

    def visit(item: Said, path: str, parent: PlannedComment | None, when: datetime.datetime) -> None:
        comment = PlannedComment(
            key=f"{conversation.story}/{path}",
            story=conversation.story,
            author=item.author,
            body=item.body,
            parent=parent.key if parent else None,
            depth=parent.depth + 1 if parent else 0,
            is_spoiler=item.spoiler,
            at=when,
            reception=item.reception,
        )
        planned.append(comment)
        reply_at = when
        for index, reply in enumerate(item.replies):
            reply_at = min(reply_at + _reply_delay(rng), conversation.closes)
            visit(reply, f"{path}.{index}", comment, reply_at)

    for index, (item, when) in enumerate(zip(conversation.comments, _comment_times(conversation, rng), strict=True)):
        visit(item, str(index), None, when)
    return planned


def plan_comments(rng: random.Random) -> list[PlannedComment]:
    planned = [comment for conversation in CONVERSATIONS for comment in _plan_conversation(conversation, rng)]
    # A stable sort keeps script order for equal times, and script order always puts a parent first.
    return sorted(planned, key=lambda comment: comment.at)


def _random_moment(rng: random.Random, start: datetime.datetime, end: datetime.datetime) -> datetime.datetime:
    return _to_the_second(start + (end - start) * rng.random())


def _rating_moment(film: data.FilmData, rng: random.Random) -> datetime.datetime:
    opened = data.at(film.us_release.year, film.us_release.month, film.us_release.day, 16)
    if film.slug == data.BALLERINA:
        # Most people who rate a new release do it in its first couple of weeks.
        return min(_to_the_second(opened + datetime.timedelta(days=rng.expovariate(1 / 9))), RATINGS_CLOSE)
    if rng.random() < REWATCH_SHARE:
        return _random_moment(rng, *REWATCH_SEASON)
    return _random_moment(rng, opened, RATINGS_CLOSE)


def _weighted_value(taste: Taste, rng: random.Random) -> int:
    return rng.choices(range(1, 11), weights=taste.weights)[0]


def _ballerina_raters(readers: tuple[Reader, ...], rng: random.Random) -> list[Reader]:
    """Every regular who has seen it, topped up with quiet raters to the film's head count."""
    regulars = [reader for reader in readers if reader.ballerina is not None]
    quiet = [reader for reader in readers if not reader.is_regular]
    return regulars + rng.sample(quiet, TASTES[data.BALLERINA].raters - len(regulars))


def plan_ratings(
    readers: tuple[Reader, ...], comments: list[PlannedComment], rng: random.Random
) -> list[PlannedRating]:
    first_reaction: dict[str, datetime.datetime] = {}
    for comment in comments:
        if comment.story == data.REACTION_POST:
            first_reaction.setdefault(comment.author, comment.at)

    planned: list[PlannedRating] = []
    for film in data.FILMS:
        taste = TASTES[film.slug]
        if film.slug != data.BALLERINA:
            for reader in rng.sample(readers, taste.raters):
                planned.append(
                    PlannedRating(reader.username, film.slug, _weighted_value(taste, rng), _rating_moment(film, rng))
                )
            continue
        for reader in _ballerina_raters(readers, rng):
            value = reader.ballerina or _weighted_value(taste, rng)
            if reader.username in first_reaction:
                # Rate it, then come to the reaction post to say why: the comment's badge is already there.
                when = first_reaction[reader.username] - datetime.timedelta(minutes=rng.randint(10, 120))
            else:
                when = _rating_moment(film, rng)
            planned.append(PlannedRating(reader.username, film.slug, value, when))
    return planned


def plan_votes(readers: tuple[Reader, ...], comments: list[PlannedComment], rng: random.Random) -> list[PlannedVote]:
    planned: list[PlannedVote] = []
    usernames = [reader.username for reader in readers]
    for comment in comments:
        (fewest, most), up_share = comment.reception.value
        voters = rng.sample([name for name in usernames if name != comment.author], rng.randint(fewest, most))
        for voter in voters:
            value = 1 if rng.random() < up_share else -1
            delay = datetime.timedelta(seconds=round(3600 * rng.expovariate(1 / 8)))
            when = min(comment.at + delay, VOTING_CLOSES)
            planned.append(PlannedVote(comment.key, voter, value, when))
    return planned


def _join_dates(
    readers: tuple[Reader, ...],
    moments: list[tuple[str, datetime.datetime]],
    rng: random.Random,
) -> dict[str, datetime.datetime]:
    """Each reader signs up a few days to a few months before the first thing they do."""
    first: dict[str, datetime.datetime] = {}
    for username, when in moments:
        if username not in first or when < first[username]:
            first[username] = when
    joined = {}
    for reader in readers:
        lead = datetime.timedelta(days=rng.randint(2, 90), seconds=rng.randint(0, 86_399))
        # A reader the dice left idle still needs a sign-up date; the rewatch season is as good as any.
        first_seen = first.get(reader.username, REWATCH_SEASON[0])
        joined[reader.username] = max(first_seen - lead, data.SITE_LAUNCHED)
    return joined


def plan_crowd(seed: int = SEED) -> Crowd:
    """The whole crowd and its activity; the same seed always gives the same plan."""
    rng = random.Random(seed)
    readers = REGULARS + quiet_raters(rng)
    comments = plan_comments(rng)
    ratings = plan_ratings(readers, comments, rng)
    votes = plan_votes(readers, comments, rng)
    moments = [(r.username, r.at) for r in ratings] + [(c.author, c.at) for c in comments]
    moments += [(v.username, v.at) for v in votes]
    return Crowd(
        readers=readers,
        joined=_join_dates(readers, moments, rng),
        ratings=tuple(ratings),
        comments=tuple(comments),
        votes=tuple(votes),
    )
