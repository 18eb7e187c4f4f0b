"""`talkies demo`: the demo publication loads whole, stays consistent, and reloads identically."""

import datetime
import hashlib
import io
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F, Max
from django.test import TestCase

from talkies.accounts.models import Site, SiteMembership, User
from talkies.catalogue.models import Character, Company, Credit, Film, FilmTitle, Franchise, FranchiseEntry, Person
from talkies.comments.models import Comment, Vote
from talkies.demo import crowd, data, loader
from talkies.ratings.bombs import audit_film
from talkies.ratings.consistency import find_drift
from talkies.ratings.models import FilmScore, Rating
from talkies.ratings.services import rating_set
from talkies.stories.models import CriticReview, Story


def run_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def demo_snapshot() -> dict[str, list[tuple]]:
    """Everything a reader could tell apart between two loads, in an order that ignores primary keys."""
    return {
        "stories": sorted(Story.objects.values_list("slug", "title", "body_source", "published_at")),
        "ratings": sorted(Rating.objects.values_list("user__username", "film__slug", "value", "created_at")),
        "comments": sorted(
            Comment.objects.values_list(
                "author__username", "body_source", "depth", "is_spoiler", "created_at", "upvotes", "downvotes"
            )
        ),
        "votes": sorted(Vote.objects.values_list("user__username", "comment__body_source", "value", "created_at")),
    }


@pytest.fixture
def demo(db) -> Site:
    run_demo()
    return Site.objects.get(slug=data.SITE_SLUG)


# Prints a digest of the whole plan; repr covers every field of every planned rating, comment and vote.
PLAN_DIGEST = (
    "import hashlib; from talkies.demo import crowd;"
    "print(hashlib.sha256(repr(crowd.plan_crowd()).encode()).hexdigest())"
)
REPO_ROOT = Path(__file__).resolve().parents[3]


def plan_digest_in_a_new_process(hash_seed: int) -> str:
    env = {
        **os.environ,
        "PYTHONHASHSEED": str(hash_seed),
        # This checkout's code, whatever the installed package points at.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH", "")])),
    }
    result = subprocess.run(
        [sys.executable, "-c", PLAN_DIGEST], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_crowd_plan_is_the_same_in_every_process_whatever_its_hash_seed():
    """Fresh interpreters with different string hashing plan the same crowd as this one.

    Comparing two plans made in one process would miss a plan that depends on the order of a set of strings
    (which follows the hash seed) or on module state both plans share; separate processes catch both.
    """
    digests = {plan_digest_in_a_new_process(seed) for seed in (1, 2, 3)}
    assert len(digests) == 1
    assert digests == {hashlib.sha256(repr(crowd.plan_crowd()).encode()).hexdigest()}


def test_running_it_twice_does_not_duplicate_the_demo(demo):
    before = demo_snapshot()

    output = run_demo()

    assert "The demo publication is already loaded" in output
    assert "Use --reset to reload it." in output
    assert Site.objects.filter(slug=data.SITE_SLUG).count() == 1
    assert demo_snapshot() == before


def test_reset_reloads_exactly_the_same_content(demo):
    before = demo_snapshot()

    output = run_demo("--reset")

    assert "Loaded the demo publication" in output
    assert demo_snapshot() == before
    assert Film.objects.filter(slug=data.BALLERINA).count() == 1


class TestTheLoadedDemo(TestCase):
    """Checks that only read the demo share one load: loading takes about a second, too slow to repeat."""

    demo: Site
    ballerina: Film

    @classmethod
    def setUpTestData(cls) -> None:
        run_demo()
        cls.demo = Site.objects.get(slug=data.SITE_SLUG)
        cls.ballerina = Film.objects.get(slug=data.BALLERINA)

    def test_it_loads_a_publication_with_a_crowd_that_rates_and_talks(self):
        readers = User.objects.filter(email__endswith=data.EMAIL_DOMAIN).exclude(memberships__site=self.demo)
        assert readers.filter(username__in=[r.username for r in crowd.REGULARS]).count() == 40
        assert 80 <= readers.count() <= 100
        assert 180 <= Rating.objects.filter(site=self.demo).count() <= 220
        comments = Comment.objects.filter(thread__site=self.demo, status=Comment.Status.APPROVED)
        assert 70 <= comments.count() <= 90
        assert comments.aggregate(deepest=Max("depth"))["deepest"] == 2
        assert comments.filter(is_spoiler=True).count() >= 8
        assert Vote.objects.filter(comment__thread__site=self.demo).count() > 300
        assert set(SiteMembership.objects.filter(site=self.demo).values_list("role", flat=True)) == {
            "critic",
            "editor",
            "moderator",
        }

    def test_ballerina_is_the_most_rated_film_with_enough_ratings_to_show_a_score(self):
        counts = {
            score.film.slug: score.count for score in FilmScore.objects.filter(site=self.demo).select_related("film")
        }
        assert counts[data.BALLERINA] == max(counts.values())
        assert counts[data.BALLERINA] > 5 * self.demo.min_ratings_to_show

    def test_ballerinas_audience_score_equals_a_recount_of_its_ratings(self):
        score = FilmScore.objects.get(site=self.demo, film=self.ballerina)
        values = list(Rating.objects.filter(site=self.demo, film=self.ballerina).values_list("value", flat=True))

        assert score.count == len(values)
        assert score.total == sum(values)
        assert score.histogram == [values.count(value) for value in range(1, 11)]
        assert find_drift() == []

    def test_comment_counters_agree_with_the_rows_they_count(self):
        for comment in Comment.objects.filter(thread__site=self.demo):
            votes = list(comment.votes.values_list("value", flat=True))
            assert (comment.upvotes, comment.downvotes) == (votes.count(1), votes.count(-1))
            assert comment.reply_count == comment.children.count()
        assert not Vote.objects.filter(comment__author_id=F("user_id")).exists()

    def test_the_conversation_happens_in_order_after_the_film_opens(self):
        reaction = Story.objects.get(site=self.demo, slug=data.REACTION_POST)
        published, thread_closes = reaction.published_at, data.at(2025, 6, 20, 23, 59)
        assert published is not None
        thread_comments = Comment.objects.filter(thread__story=reaction)
        assert thread_comments.count() >= 70
        assert all(published <= c.created_at <= thread_closes for c in thread_comments)
        replies = Comment.objects.filter(thread__site=self.demo, parent__isnull=False).values_list(
            "created_at", "parent__created_at"
        )
        assert all(replied >= posted for replied, posted in replies)
        opening = datetime.date(2025, 6, 6)
        assert all(r.created_at.date() >= opening for r in Rating.objects.filter(film=self.ballerina))
        assert all(r.created_at <= crowd.RATINGS_CLOSE for r in Rating.objects.filter(site=self.demo))

    def test_inline_spoilers_are_rendered_hidden(self):
        inline = Comment.objects.filter(thread__site=self.demo, body_source__contains=">!")
        assert inline.count() >= 4
        for comment in inline:
            assert 'class="spoiler"' in comment.body_html

    def test_what_a_regular_says_agrees_with_how_they_rated_ballerina(self):
        for regular in crowd.REGULARS:
            rating = Rating.objects.filter(film=self.ballerina, user__username=regular.username).first()
            assert (rating.value if rating else None) == regular.ballerina

    def test_ballerina_has_its_marketing_title_and_its_place_during_parabellum(self):
        assert FilmTitle.objects.filter(
            film=self.ballerina, kind=FilmTitle.Kind.MARKETING, title="From the World of John Wick: Ballerina"
        ).exists()
        entry = FranchiseEntry.objects.get(film=self.ballerina)
        assert entry.is_spinoff
        assert entry.chronology_order == Decimal("3.5")
        assert entry.release_order == 5
        assert entry.chronology_note == "Takes place during the events of John Wick: Chapter 3 – Parabellum"
        assert entry.franchise.parent is not None and entry.franchise.parent.kind == "universe"

    def test_lance_reddick_is_shown_with_the_date_he_died(self):
        reddick = Person.objects.get(slug="lance-reddick")
        assert reddick.death_date == datetime.date(2023, 3, 17)
        assert Credit.objects.filter(person=reddick, character__slug="charon").count() == 5

    def test_the_critic_scores_keep_their_own_scales(self):
        scores = dict(CriticReview.objects.values_list("film__slug", "score_text"))
        assert scores == {data.BALLERINA: "7/10", data.CHAPTER_4: "B+"}

    def test_the_demo_crowd_does_not_look_like_a_review_bomb(self):
        for film in Film.objects.filter(slug__in=data.FILM_SLUGS):
            assert audit_film(site=self.demo, film=film) == []


def test_it_creates_an_admin_with_the_demo_password_when_there_is_no_superuser(db):
    output = run_demo()

    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    assert admin.check_password("talkies-demo")
    assert "for the demo only" in output


def test_it_leaves_an_existing_superuser_as_the_only_one(db):
    User.objects.create_superuser("owner", password="a long private passphrase")

    output = run_demo()

    assert list(User.objects.filter(is_superuser=True).values_list("username", flat=True)) == ["owner"]
    assert "admin" not in output


def test_removing_the_demo_leaves_nothing_of_it_behind(demo):
    loader.remove_demo()

    assert not Site.objects.filter(slug=data.SITE_SLUG).exists()
    assert not User.objects.filter(email__endswith=data.EMAIL_DOMAIN).exists()
    assert not Film.objects.exists()
    assert not Person.objects.exists()
    assert not Character.objects.exists()
    assert not Franchise.objects.exists()
    assert not Company.objects.exists()
    assert not Rating.objects.exists()
    assert not Comment.objects.exists()
    assert User.objects.filter(username="admin", is_superuser=True).exists()


def test_reset_keeps_people_that_other_films_credit(db):
    keanu = Person.objects.create(slug="keanu-reeves", name="Keanu Reeves")
    speed = Film.objects.create(slug="speed", title="Speed")
    Credit.objects.create(film=speed, person=keanu, role=Credit.Role.ACTOR)
    run_demo()

    run_demo("--reset")

    assert Credit.objects.filter(person=keanu).count() == 6
    assert Credit.objects.filter(film=speed, person=keanu).exists()


def test_reset_refuses_to_delete_films_another_site_has_ratings_for(demo):
    ballerina = Film.objects.get(slug=data.BALLERINA)
    elsewhere = Site.objects.create(slug="elsewhere", name="Elsewhere Weekly")
    reader = User.objects.create_user("elsewhere_reader", password="another long passphrase")
    rating_set(site=elsewhere, film=ballerina, user=reader, value=8)

    with pytest.raises(CommandError, match="Elsewhere Weekly"):
        run_demo("--reset")

    assert Rating.objects.filter(site=elsewhere, film=ballerina).exists()


def test_it_names_existing_rows_it_will_not_overwrite(db):
    User.objects.create_user("wickwatcher", email="someone@example.com", password="a genuine reader's password")

    with pytest.raises(CommandError, match="wickwatcher"):
        run_demo()

    assert not Site.objects.filter(slug=data.SITE_SLUG).exists()


@pytest.mark.django_db
def test_the_demo_gives_its_moderator_something_in_each_queue():
    from talkies.moderation.selectors import Queue, queue_counts

    call_command("demo", stdout=io.StringIO())
    site = Site.objects.get(slug=data.SITE_SLUG)
    counts = queue_counts(site)
    assert counts[Queue.PENDING] >= 3
    assert counts[Queue.REPORTED] >= 1
    assert counts[Queue.REJECTED] >= 1 and counts[Queue.APPROVED] >= 1 and counts[Queue.UNMODERATED] >= 1
    moderator = User.objects.get(username=data.MODERATOR.username)
    assert SiteMembership.objects.filter(site=site, user=moderator, role="moderator").exists()
