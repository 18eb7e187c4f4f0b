"""Seed a benchmark database with one site, one film and one story thread per requested size.

Run as a subprocess of bench/thread_read.py, with TALKIES_DATA_DIR (or DATABASE_URL) pointing at a fresh,
migrated database; prints one JSON object describing the seeded threads on its last line of stdout:

    TALKIES_DATA_DIR=/tmp/x .venv/bin/python bench/seed_threads.py --sizes 10,200,2000

Comments are written with bulk_create, not through the services (2,000 comment_create calls would take
longer than the benchmark), so this module sets every counter the services would have kept:
thread.comment_count, comment.reply_count, up/down votes and best_score, FilmScore. The mix is meant
to look like a real thread: about 70% top-level comments, replies up to depth 2, a long-tailed vote
distribution with Vote rows behind every count, markdown bodies of varied length, some spoilers, and
authors of whom most have rated the film (so top-level comments carry rating badges).
"""

import argparse
import datetime
import json
import os
import random
import sys
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOP_LEVEL_SHARE = 0.7
DEPTH_2_SHARE_OF_REPLIES = 1 / 3
READERS = 400
SHARE_OF_READERS_WHO_RATED = 0.6
SEED = 20250606

WORDS = [
    *("ballerina", "eve", "winston", "charon", "ruska", "roma", "assassin", "chandelier", "flamethrower"),
    *("grenade", "skates", "snow", "village", "choreography", "action", "sequence", "the", "a", "was", "and"),
    *("but", "really", "loved", "hated", "boring", "brilliant", "slow", "fast", "ending", "ana", "de", "armas"),
    *("keanu", "cameo", "franchise", "spinoff", "wick", "continental", "fight", "score", "soundtrack", "plot"),
    *("twist", "scene"),
]


@dataclass(frozen=True)
class SeededThread:
    """What a benchmark needs to know about a seeded thread, for any server that serves it."""

    label: str
    comments: int
    top_level: int
    thread_id: int
    story_slug: str
    key: str  # the thread's canonical key, e.g. for a server that looks threads up by page URI
    # The publisher's page that embeds the thread (its key then), when seeded with an embed origin.
    page_url: str = ""


def body(rng: random.Random) -> str:
    """A markdown comment of one to four short paragraphs, now and then with emphasis or a spoiler."""
    paragraphs = []
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3, 4])):
        words = [rng.choice(WORDS) for _ in range(rng.randint(6, 45))]
        if rng.random() < 0.2:
            words[rng.randrange(len(words))] = f"**{rng.choice(WORDS)}**"
        if rng.random() < 0.1:
            words.append(f">!{rng.choice(WORDS)} {rng.choice(WORDS)}!<")
        paragraphs.append(" ".join(words).capitalize() + ".")
    return "\n\n".join(paragraphs)


def vote_count(rng: random.Random) -> int:
    """Most comments get a handful of votes or none; a few get dozens (a long tail, as in real threads)."""
    return min(int(rng.paretovariate(1.3)) - 1, 60)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talkies.settings")
    import django

    django.setup()


def seed_readers(site, film, rng: random.Random) -> list:
    from talkies.accounts.models import User
    from talkies.ratings.models import RATING_MAX, FilmScore, Rating

    User.objects.bulk_create([User(username=f"reader{i}", password="!") for i in range(READERS)])
    readers = list(User.objects.filter(username__startswith="reader").order_by("id"))
    raters = rng.sample(readers, int(len(readers) * SHARE_OF_READERS_WHO_RATED))
    values = [rng.choice([3, 5, 6, 7, 7, 8, 8, 8, 9, 10]) for _ in raters]
    Rating.objects.bulk_create(
        [Rating(site=site, film=film, user=u, value=v) for u, v in zip(raters, values, strict=True)]
    )
    histogram = [values.count(v) for v in range(1, RATING_MAX + 1)]
    FilmScore.objects.create(site=site, film=film, count=len(values), total=sum(values), histogram=histogram)
    return readers


def seed_thread(
    *, site, film, editor, readers: list, size: int, rng: random.Random, embed_origin: str | None = None
) -> SeededThread:
    """A reaction story whose thread holds `size` approved comments, counters included.

    With `embed_origin`, the thread is also the one a page of that origin embeds: its key and URL are that
    page's, so the embed's lookup by URL finds it, and count.js counts it, as it would a WordPress post.
    """
    from django.utils import timezone

    from talkies.comments.models import Comment, Thread
    from talkies.comments.services import thread_for_story
    from talkies.lib.markdown import render_markdown
    from talkies.stories.services import story_create

    opened = timezone.now() - datetime.timedelta(days=3)
    story = story_create(
        site=site,
        kind="reaction",
        title=f"What did you think of Ballerina? ({size:,} comments)",
        slug=f"ballerina-reactions-{size}",
        body="Tell us in the comments below.",
        author=editor,
        published_at=opened,
        films=[film],
    )
    thread = thread_for_story(story=story)
    if embed_origin:
        thread.key = thread.url = f"{embed_origin}/reactions/ballerina-{size}/"
        thread.save(update_fields=["key", "url"])

    top_level = max(1, round(size * TOP_LEVEL_SHARE))
    depth_2 = round((size - top_level) * DEPTH_2_SHARE_OF_REPLIES)
    depth_1 = size - top_level - depth_2
    if depth_1 == 0:
        depth_1, depth_2 = depth_2, 0  # a reply to a reply needs a reply to answer

    def comment(parent: Comment | None, after: datetime.datetime) -> Comment:
        source = body(rng)
        return Comment(
            thread=thread,
            parent=parent,
            root=(parent.root or parent) if parent else None,
            depth=parent.depth + 1 if parent else 0,
            author=rng.choice(readers),
            body_source=source,
            body_html=render_markdown(source),
            is_spoiler=rng.random() < 0.03,
            created_at=after + datetime.timedelta(seconds=rng.randint(30, 36 * 3600)),
        )

    roots = Comment.objects.bulk_create([comment(None, opened) for _ in range(top_level)])
    first_replies = [comment(parent, parent.created_at) for parent in rng.choices(roots, k=depth_1)]
    first_replies = Comment.objects.bulk_create(first_replies)
    second_replies = [comment(parent, parent.created_at) for parent in rng.choices(first_replies, k=depth_2)]
    second_replies = Comment.objects.bulk_create(second_replies)
    every = [*roots, *first_replies, *second_replies]

    set_reply_counts(every)
    seed_votes(every, readers, rng)
    Thread.objects.filter(pk=thread.pk).update(comment_count=len(every))
    return SeededThread(
        label=f"{size:,} comments",
        comments=len(every),
        top_level=top_level,
        thread_id=thread.pk,
        story_slug=story.slug,
        key=thread.key,
        page_url=thread.url if embed_origin else "",
    )


def set_reply_counts(comments: list) -> None:
    from talkies.comments.models import Comment

    replies = Counter(c.parent_id for c in comments if c.parent_id)
    for c in comments:
        c.reply_count = replies[c.pk]
    Comment.objects.bulk_update(comments, ["reply_count"], batch_size=500)


def seed_votes(comments: list, readers: list, rng: random.Random) -> None:
    """Vote rows from distinct readers (never the author), and the counters and best_score they imply."""
    from talkies.comments.models import Comment, Vote
    from talkies.lib.scoring import wilson_lower_bound

    votes = []
    for c in comments:
        voters = rng.sample([r for r in readers if r.pk != c.author_id], vote_count(rng))
        # Each comment leans its own way, so "best" and "controversial" have something to sort.
        lean = rng.choice([0.9, 0.75, 0.6, 0.5, 0.3])
        values = [1 if rng.random() < lean else -1 for _ in voters]
        votes += [Vote(comment=c, user=v, value=value) for v, value in zip(voters, values, strict=True)]
        c.upvotes, c.downvotes = values.count(1), values.count(-1)
        c.best_score = wilson_lower_bound(c.upvotes, c.downvotes)
    Vote.objects.bulk_create(votes, batch_size=2000)
    Comment.objects.bulk_update(comments, ["upvotes", "downvotes", "best_score"], batch_size=500)


def seed(sizes: list[int], *, host: str, embed_origin: str | None = None) -> list[SeededThread]:
    from django.db import transaction

    from talkies.accounts.models import Site, SiteMembership, User
    from talkies.catalogue.models import Film, ReleaseDate
    from talkies.embed.models import EmbedSettings

    rng = random.Random(SEED)
    with transaction.atomic():
        # The site answers to the benchmark's host name, so CurrentSiteMiddleware finds it by domain.
        site = Site.objects.create(slug="bench", name="Bench News", domain=host, region="US")
        film = Film.objects.create(title="Ballerina", slug="ballerina", imdb_id="tt7181546", runtime_minutes=125)
        ReleaseDate.objects.create(film=film, region="US", date=datetime.date(2025, 6, 6))
        editor = User.objects.create(username="editor", password="!")
        SiteMembership.objects.create(site=site, user=editor, role=SiteMembership.Role.EDITOR)
        if embed_origin:
            EmbedSettings.objects.create(site=site, allowed_origins=embed_origin)
        readers = seed_readers(site, film, rng)
        common = {"site": site, "film": film, "editor": editor, "readers": readers, "embed_origin": embed_origin}
        return [seed_thread(**common, size=n, rng=rng) for n in sizes]


def main() -> None:
    parser = argparse.ArgumentParser(description="Seed benchmark threads (see the module docstring).")
    parser.add_argument("--sizes", default="10,200,2000", help="comments per thread, comma-separated")
    parser.add_argument("--host", default="127.0.0.1", help="the host name the seeded site answers to")
    parser.add_argument(
        "--embed-origin",
        help="let pages of this origin (https://host) embed the site, each thread on its own page there",
    )
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    if any(size < 1 for size in sizes):
        parser.error("every thread needs at least one comment")
    setup_django()
    threads = seed(sizes, host=args.host, embed_origin=args.embed_origin)
    print(json.dumps([asdict(thread) for thread in threads]))


if __name__ == "__main__":
    main()
