import base64
import datetime
import json
import random

import pytest
from django.utils import timezone

from talkies.accounts.actors import Actor
from talkies.accounts.models import User
from talkies.comments.models import Comment, Thread
from talkies.comments.read_models import reading
from talkies.comments.selectors import MAX_PAGE_SIZE, SORTS, thread_page
from talkies.comments.services import comment_create, comment_remove
from talkies.lib.errors import ServiceError
from talkies.lib.scoring import wilson_lower_bound
from talkies.ratings.services import rating_set

NOW = timezone.now()


@pytest.fixture
def authors(db) -> list[User]:
    return [User.objects.create_user(username=f"author{i}") for i in range(6)]


def post(thread, author, *, minutes_ago: float = 0, up: int = 0, down: int = 0, parent=None, body="A comment"):
    """A comment posted `minutes_ago`, with its vote counters set directly (votes are not under test here)."""
    comment = comment_create(
        thread=thread,
        author=author,
        body=body,
        parent=parent,
        created_at=NOW - datetime.timedelta(minutes=minutes_ago),
    )
    Comment.objects.filter(pk=comment.pk).update(upvotes=up, downvotes=down, best_score=wilson_lower_bound(up, down))
    return Comment.objects.get(pk=comment.pk)


def controversy(up: int, down: int) -> float:
    return (up + down) ** (min(up, down) / max(up, down)) if up and down else 0.0


def ids(page) -> list[int]:
    return [node.comment.pk for node in page.nodes]


def all_pages(thread, *, sort: str, limit: int) -> list[list[int]]:
    pages, cursor = [], None
    while True:
        page = thread_page(thread=thread, sort=sort, cursor=cursor, limit=limit, with_replies=False)
        pages.append(ids(page))
        cursor = page.next_cursor
        if cursor is None:
            return pages
        assert len(pages) < 100, "the cursor never ran out"


def fresh(thread: Thread) -> Thread:
    """The thread as the API loads it, with the site and film it reads selected."""
    return Thread.objects.select_related("site", "film").get(pk=thread.pk)


# --- sorts ------------------------------------------------------------------------------------------


@pytest.fixture
def four_comments(thread, authors):
    """A: 10 up; B: 5 up 5 down; C: 3 down; D: 1 up. Posted A first, D last."""
    return {
        "A": post(thread, authors[0], minutes_ago=40, up=10),
        "B": post(thread, authors[1], minutes_ago=30, up=5, down=5),
        "C": post(thread, authors[2], minutes_ago=20, down=3),
        "D": post(thread, authors[3], minutes_ago=10, up=1),
    }


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        # Wilson lower bounds: A 10/10 = 0.722, B 5/10 = 0.237, D 1/1 = 0.207, C 0/3 = 0.
        ("best", "ABDC"),
        # Net votes: A +10, D +1, B 0, C -3.
        ("top", "ADBC"),
        ("new", "DCBA"),
        ("old", "ABCD"),
        # Many votes, evenly split first: B (5/5) leads, the unanimous A (10/0) comes last.
        ("controversial", "BDCA"),
    ],
)
def test_each_sort_orders_top_level_comments_as_readers_expect(thread, four_comments, sort, expected):
    page = thread_page(thread=thread, sort=sort)
    assert ids(page) == [four_comments[letter].pk for letter in expected]
    assert page.sort == sort
    assert page.next_cursor is None


def test_controversial_ranks_a_big_close_split_above_quiet_and_unanimous_comments(thread, authors):
    # Reddit's controversy, (up + down) ** (min / max): 20/14 → 34^0.7 = 11.8; 3/3 → 6^1 = 6; unanimous → 0.
    big_split = post(thread, authors[0], minutes_ago=4, up=20, down=14)
    small_split = post(thread, authors[1], minutes_ago=3, up=3, down=3)
    unvoted = post(thread, authors[2], minutes_ago=2)
    unanimous = post(thread, authors[3], minutes_ago=1, up=40)

    order = ids(thread_page(thread=thread, sort="controversial"))

    assert order[:2] == [big_split.pk, small_split.pk]
    assert set(order[2:]) == {unvoted.pk, unanimous.pk}


# --- keyset pagination ------------------------------------------------------------------------------


@pytest.fixture
def crowded_thread(thread, authors):
    """37 top-level comments full of ties: few distinct vote counts and timestamps shared in threes."""
    rng = random.Random(7)
    for index in range(37):
        post(
            thread,
            rng.choice(authors),
            minutes_ago=index // 3,  # three comments per minute: created_at ties
            up=rng.choice([0, 0, 1, 2, 5]),
            down=rng.choice([0, 0, 1, 3, 6]),  # nets and controversy below zero cross page boundaries too
        )
    return thread


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("limit", [1, 4, 10])
def test_cursor_pages_cover_every_top_level_comment_exactly_once(crowded_thread, sort, limit):
    pages = all_pages(crowded_thread, sort=sort, limit=limit)
    paged = [pk for page in pages for pk in page]

    assert len(paged) == len(set(paged)) == 37
    assert all(len(page) == limit for page in pages[:-1])
    assert paged == ids(thread_page(thread=crowded_thread, sort=sort, limit=MAX_PAGE_SIZE))


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("best", lambda c: (-c.best_score, -c.pk)),
        ("top", lambda c: (-(c.upvotes - c.downvotes), -c.pk)),
        ("controversial", lambda c: (-controversy(c.upvotes, c.downvotes), -c.pk)),
        ("new", lambda c: (-c.created_at.timestamp(), -c.pk)),
        ("old", lambda c: (c.created_at, c.pk)),
    ],
)
def test_ties_are_broken_by_id_so_the_order_is_total(crowded_thread, sort, key):
    expected = [c.pk for c in sorted(Comment.objects.filter(thread=crowded_thread), key=key)]
    assert ids(thread_page(thread=crowded_thread, sort=sort, limit=MAX_PAGE_SIZE)) == expected


def test_a_comment_posted_while_paging_does_not_repeat_earlier_ones(thread, authors):
    for index in range(6):
        post(thread, authors[0], minutes_ago=60 - index)
    first = thread_page(thread=thread, sort="old", limit=3)
    post(thread, authors[1], minutes_ago=0)

    second = thread_page(thread=thread, sort="old", limit=3, cursor=first.next_cursor)

    assert set(ids(first)).isdisjoint(ids(second))
    assert len(ids(second)) == 3


# --- replies and what is hidden ---------------------------------------------------------------------


def test_replies_are_nested_under_their_parents_in_posting_order(thread, authors):
    top = post(thread, authors[0], minutes_ago=30)
    late_reply = post(thread, authors[1], minutes_ago=5, parent=top)
    early_reply = post(thread, authors[2], minutes_ago=20, parent=top)
    nested = post(thread, authors[3], minutes_ago=10, parent=early_reply)

    (node,) = thread_page(thread=thread, sort="old").nodes

    assert node.comment == top
    assert [reply.comment for reply in node.replies] == [early_reply, late_reply]
    assert [reply.comment for reply in node.replies[0].replies] == [nested]
    assert node.replies[1].replies == []


def test_replies_are_left_out_when_not_asked_for(thread, authors):
    top = post(thread, authors[0])
    post(thread, authors[1], parent=top)
    (node,) = thread_page(thread=thread, with_replies=False).nodes
    assert node.replies == []


def test_pending_and_rejected_comments_are_not_shown_and_a_rejected_one_with_replies_is_a_placeholder(thread, authors):
    shown = post(thread, authors[0], minutes_ago=4)
    pending = post(thread, authors[1], minutes_ago=3)
    rejected = post(thread, authors[2], minutes_ago=2)
    rejected_with_reply = post(thread, authors[5], minutes_ago=1)
    pending_reply = post(thread, authors[3], parent=shown)
    reply_under_rejected = post(thread, authors[4], parent=rejected_with_reply)
    Comment.objects.filter(pk__in=[pending.pk, pending_reply.pk]).update(status=Comment.Status.PENDING)
    Comment.objects.filter(pk__in=[rejected.pk, rejected_with_reply.pk]).update(status=Comment.Status.REJECTED)
    Comment.objects.filter(pk=rejected.pk).update(reply_count=0)

    nodes = thread_page(thread=thread, sort="old").nodes

    assert [node.comment for node in nodes] == [shown, rejected_with_reply]
    assert nodes[0].replies == []
    # The rejected comment holds up its reply, as a removed one does; readers see a placeholder for it.
    assert [reply.comment for reply in nodes[1].replies] == [reply_under_rejected]
    read = reading(thread).tree(nodes[1])
    assert "removed by a moderator" in read.body_html and read.author_name is None
    # Its author sees their own held comments, each with why it is held.
    mine = thread_page(thread=thread, sort="old", viewer=Actor.of(authors[1])).nodes
    assert pending in [node.comment for node in mine]
    own = reading(thread, Actor.of(authors[1])).comment(next(n.comment for n in mine if n.comment == pending))
    assert own.status == "pending" and "moderator" in (own.moderation_notice or "")


def test_a_removed_comment_without_replies_disappears(thread, authors):
    gone = post(thread, authors[0], minutes_ago=2)
    kept = post(thread, authors[1], minutes_ago=1)
    comment_remove(comment=gone, actor=authors[0])

    assert ids(thread_page(thread=thread, sort="old")) == [kept.pk]


def test_a_removed_comment_with_replies_stays_as_a_placeholder_above_them(thread, authors):
    top = post(thread, authors[0])
    reply = post(thread, authors[1], parent=top)
    comment_remove(comment=top, actor=authors[0])

    (node,) = thread_page(thread=thread).nodes

    assert node.comment.pk == top.pk
    assert node.comment.status == Comment.Status.REMOVED
    assert "removed" in node.comment.body_html
    assert [r.comment.pk for r in node.replies] == [reply.pk]


def test_a_removed_reply_with_replies_keeps_its_own_replies_attached(thread, authors):
    top = post(thread, authors[0], minutes_ago=3)
    middle = post(thread, authors[1], minutes_ago=2, parent=top)
    leaf = post(thread, authors[2], minutes_ago=1, parent=middle)
    comment_remove(comment=middle, actor=authors[1])

    (node,) = thread_page(thread=thread).nodes

    assert node.replies[0].comment.status == Comment.Status.REMOVED
    assert [r.comment.pk for r in node.replies[0].replies] == [leaf.pk]


# --- rating badges ----------------------------------------------------------------------------------


def test_a_top_level_comment_carries_its_authors_rating_of_the_film(thread, site, film, authors):
    rating_set(site=site, film=film, user=authors[0], value=8)
    rating_set(site=site, film=film, user=authors[1], value=3)
    top = post(thread, authors[0], minutes_ago=2)
    post(thread, authors[1], minutes_ago=1, parent=top)
    unrated = post(thread, authors[2], minutes_ago=1)

    nodes = thread_page(thread=thread, sort="old").nodes

    assert [(node.comment.pk, node.author_rating) for node in nodes] == [(top.pk, 8), (unrated.pk, None)]
    assert nodes[0].replies[0].author_rating is None  # badges are for top-level comments only


def test_a_rating_on_another_site_is_not_a_badge_here(thread, other_site, film, authors):
    rating_set(site=other_site, film=film, user=authors[0], value=9)
    post(thread, authors[0])
    assert thread_page(thread=thread).nodes[0].author_rating is None


def test_a_thread_about_no_film_has_no_badges(site, authors, film):
    rating_set(site=site, film=film, user=authors[0], value=9)
    page_thread = Thread.objects.create(site=site, key="https://reelnews.example/about")
    post(page_thread, authors[0])
    assert thread_page(thread=page_thread).nodes[0].author_rating is None


# --- bad input --------------------------------------------------------------------------------------


def forged_cursor(values) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    ("sort", "cursor"),
    [
        ("best", "garbage"),
        ("best", forged_cursor([0.5])),
        ("best", forged_cursor(["2025-06-06T00:00:00+00:00", 3])),  # an "old" cursor replayed on "best"
        ("top", forged_cursor(["many", 3])),
        ("controversial", forged_cursor([None, 3])),
        ("old", forged_cursor([0.5, 3])),  # a "best" cursor replayed on "old"
        ("new", forged_cursor(["not a date", 3])),
        ("old", forged_cursor(["2025-06-06T00:00:00+00:00", "three"])),
        ("best", forged_cursor([0.5, {"id": 3}])),
        ("best", forged_cursor([0.5, True])),
        ("best", "WyJOYU4iLCAzXQ"),  # ["NaN", 3]
        ("best", forged_cursor([float("nan"), 3])),  # json.dumps writes NaN, and json.loads reads it back
    ],
)
def test_it_refuses_a_cursor_it_did_not_issue_naming_the_cursor(thread, authors, sort, cursor):
    post(thread, authors[0])
    with pytest.raises(ServiceError) as caught:
        thread_page(thread=thread, sort=sort, cursor=cursor)
    assert caught.value.field == "cursor"


@pytest.mark.parametrize(
    ("sort", "cursor"),
    [
        ("best", forged_cursor([0.5, 10**20])),  # ids beyond any integer column
        ("top", forged_cursor([10**20, 3])),
        ("new", forged_cursor(["9999-12-31T23:59:59+00:00", 10**20])),
    ],
)
def test_a_cursor_with_integers_beyond_any_column_is_refused(thread, authors, sort, cursor):
    post(thread, authors[0])
    with pytest.raises(ServiceError) as caught:
        thread_page(thread=thread, sort=sort, cursor=cursor)
    assert caught.value.field == "cursor"


@pytest.mark.parametrize(
    ("sort", "cursor"),
    [
        ("controversial", forged_cursor([1e308, 3])),
        ("new", forged_cursor(["9999-12-31T23:59:59+00:00", 3])),
    ],
)
def test_a_well_typed_but_far_off_cursor_is_answered_not_crashed_on(thread, authors, sort, cursor):
    post(thread, authors[0])
    page = thread_page(thread=thread, sort=sort, cursor=cursor)
    assert len(page.nodes) <= 1


def test_it_refuses_an_unknown_sort_listing_the_ones_it_knows(thread):
    with pytest.raises(ServiceError) as caught:
        thread_page(thread=thread, sort="random")
    assert caught.value.field == "sort"
    assert "best, top, new, old, controversial" in caught.value.message


@pytest.mark.parametrize("limit", [0, -1, MAX_PAGE_SIZE + 1])
def test_it_refuses_a_page_size_out_of_range(thread, limit):
    with pytest.raises(ServiceError) as caught:
        thread_page(thread=thread, limit=limit)
    assert caught.value.field == "limit"
    assert f"from 1 to {MAX_PAGE_SIZE}" in caught.value.message


# --- cost -------------------------------------------------------------------------------------------


def populate(thread, authors, *, top_level: int) -> None:
    """`top_level` comments, each with two replies and one reply to a reply, from authors who rated the film."""
    for author in authors:
        rating_set(site=thread.site, film=thread.film, user=author, value=7)
    for index in range(top_level):
        top = post(thread, authors[index % len(authors)], minutes_ago=index)
        reply = post(thread, authors[(index + 1) % len(authors)], parent=top)
        post(thread, authors[(index + 2) % len(authors)], parent=top)
        post(thread, authors[(index + 3) % len(authors)], parent=reply)


@pytest.mark.parametrize("top_level", [3, 30])
def test_a_page_costs_the_same_three_queries_however_many_comments_it_holds(
    thread, authors, top_level, django_assert_num_queries
):
    populate(thread, authors, top_level=top_level)
    loaded = fresh(thread)

    # Top-level comments with authors, their replies with authors, the authors' rating badges.
    with django_assert_num_queries(3):
        page = thread_page(thread=loaded, sort="best", limit=50)
        # Reading what a page shows must not go back to the database either.
        rendered = [
            (
                node.comment.author_name,
                node.author_rating,
                [(r.comment.author_name, len(r.replies)) for r in node.replies],
            )
            for node in page.nodes
        ]

    assert len(rendered) == top_level
    assert all(len(replies) == 2 for _, _, replies in rendered)
    assert all(rating == 7 for _, rating, _ in rendered)
