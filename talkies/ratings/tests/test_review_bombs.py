"""The review-bomb rule on simulated attacks and simulated honest surges (rule: docs/ratings.md)."""

import datetime
import random

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from talkies.accounts.models import User
from talkies.catalogue.models import Film, ReleaseDate
from talkies.ratings.bombs import audit_film, decide_window
from talkies.ratings.models import FilmScore, Rating, SuspectWindow
from talkies.ratings.selectors import film_audience_score
from talkies.ratings.services import rating_remove, rating_set

NOW = timezone.now()


def established_readers(n: int, *, site, other_film, prefix: str = "regular") -> list[User]:
    """Readers who joined long ago and have rated another film: the site's usual audience."""
    User.objects.bulk_create(
        [User(username=f"{prefix}{i}", password="!", date_joined=NOW - datetime.timedelta(days=400)) for i in range(n)]
    )
    users = list(User.objects.filter(username__startswith=prefix).order_by("id"))
    for user in users:
        rating_set(site=site, film=other_film, user=user, value=7)
    return users


def new_accounts(n: int, *, prefix: str = "bomber") -> list[User]:
    User.objects.bulk_create(
        [User(username=f"{prefix}{i}", password="!", date_joined=NOW - datetime.timedelta(hours=2)) for i in range(n)]
    )
    return list(User.objects.filter(username__startswith=prefix).order_by("id"))


def backdate(*, site, film, users: list[User], start: datetime.datetime, span: datetime.timedelta) -> None:
    """Spread these users' ratings of `film` evenly over [start, start + span)."""
    step = span / max(len(users), 1)
    for index, user in enumerate(users):
        Rating.objects.filter(site=site, film=film, user=user).update(created_at=start + step * index)


@pytest.fixture
def other_film(db) -> Film:
    film = Film.objects.create(title="John Wick", slug="john-wick")
    ReleaseDate.objects.create(film=film, region="US", date=datetime.date(2014, 10, 24))
    return film


@pytest.fixture
def rated_film(site, film, other_film):
    """Ballerina with 60 honest ratings spread over the past month."""
    regulars = established_readers(60, site=site, other_film=other_film)
    rng = random.Random(1)
    for user in regulars:
        rating_set(site=site, film=film, user=user, value=rng.choice([5, 6, 7, 7, 8, 8, 9]))
    backdate(
        site=site, film=film, users=regulars, start=NOW - datetime.timedelta(days=30), span=datetime.timedelta(days=28)
    )
    return film


def test_a_bomb_of_500_one_star_ratings_from_new_accounts_in_an_hour_is_caught_as_it_happens(
    site, rated_film, django_capture_on_commit_callbacks
):
    before = film_audience_score(site=site, film=rated_film)
    bombers = new_accounts(500)
    with django_capture_on_commit_callbacks(execute=True):
        for user in bombers:
            rating_set(site=site, film=rated_film, user=user, value=1)

    window = SuspectWindow.objects.get(site=site, film=rated_film)
    assert window.status == SuspectWindow.Status.PENDING
    assert window.rating_count == 500
    assert window.extreme_share == 1.0 and window.suspect_rater_share == 1.0

    shown = film_audience_score(site=site, film=rated_film)
    assert shown.count == before.count == 60
    assert shown.mean == pytest.approx(before.mean)
    assert shown.held == 500
    everything = film_audience_score(site=site, film=rated_film, include_held=True)
    assert everything.count == 560 and everything.held == 0
    assert Rating.objects.filter(film=rated_film).count() == 560  # nothing was deleted


def test_an_opening_weekend_surge_is_not_flagged(site, film, other_film):
    """400 ratings in 48 hours, peaks of 40+ an hour, from a real audience: most were readers before."""
    regulars = established_readers(300, site=site, other_film=other_film)
    newcomers = new_accounts(100, prefix="newcomer")  # a big release does bring new readers
    rng = random.Random(7)
    audience = regulars + newcomers
    rng.shuffle(audience)
    for user in audience:
        value = min(10, max(1, round(rng.gauss(7.4, 1.8))))
        rating_set(site=site, film=film, user=user, value=value)
    # Friday and Saturday evenings carry most of it: 160 ratings in each of two 4-hour peaks.
    opening = NOW - datetime.timedelta(days=2)
    backdate(site=site, film=film, users=audience[:160], start=opening, span=datetime.timedelta(hours=4))
    backdate(
        site=site,
        film=film,
        users=audience[160:320],
        start=opening + datetime.timedelta(days=1),
        span=datetime.timedelta(hours=4),
    )
    backdate(
        site=site,
        film=film,
        users=audience[320:],
        start=opening + datetime.timedelta(hours=5),
        span=datetime.timedelta(hours=30),
    )

    assert audit_film(site=site, film=film) == []
    assert film_audience_score(site=site, film=film).held == 0


def test_established_readers_who_hate_a_film_together_are_not_a_bomb(site, film, other_film):
    regulars = established_readers(120, site=site, other_film=other_film)
    for user in regulars:
        rating_set(site=site, film=film, user=user, value=1)
    backdate(
        site=site,
        film=film,
        users=regulars,
        start=NOW - datetime.timedelta(hours=3),
        span=datetime.timedelta(minutes=50),
    )
    assert audit_film(site=site, film=film) == []


def test_the_audit_finds_a_past_bomb_and_dismissing_it_counts_the_ratings_again(site, rated_film, moderator, capsys):
    bombers = new_accounts(80)
    for user in bombers:
        rating_set(site=site, film=rated_film, user=user, value=10)
    backdate(
        site=site,
        film=rated_film,
        users=bombers,
        start=NOW - datetime.timedelta(days=3),
        span=datetime.timedelta(minutes=40),
    )

    call_command("scores", "audit")
    assert "1 suspect window" in capsys.readouterr().out
    window = SuspectWindow.objects.get(film=rated_film)
    assert film_audience_score(site=site, film=rated_film).count == 60

    decide_window(window=window, moderator=moderator, confirm=False)
    assert film_audience_score(site=site, film=rated_film).count == 140
    call_command("scores", "audit")  # a dismissed window is not flagged again
    assert SuspectWindow.objects.filter(film=rated_film).count() == 1
    assert film_audience_score(site=site, film=rated_film).count == 140


def test_changing_or_removing_a_held_rating_keeps_the_held_counters_exact(site, rated_film, moderator):
    bombers = new_accounts(40)
    for user in bombers:
        rating_set(site=site, film=rated_film, user=user, value=1)
    audit_film(site=site, film=rated_film)
    rating_set(site=site, film=rated_film, user=bombers[0], value=2)
    rating_remove(site=site, film=rated_film, user=bombers[1])

    score = FilmScore.objects.get(site=site, film=rated_film)
    assert score.held_count == 39
    assert score.held_histogram[0:2] == [38, 1]
    shown = film_audience_score(site=site, film=rated_film)
    assert shown.count == 60

    decide_window(window=SuspectWindow.objects.get(film=rated_film), moderator=moderator, confirm=True)
    assert film_audience_score(site=site, film=rated_film).count == 60


def test_the_consistency_check_covers_held_ratings(site, rated_film):
    bombers = new_accounts(30)
    for user in bombers:
        rating_set(site=site, film=rated_film, user=user, value=1)
    audit_film(site=site, film=rated_film)
    call_command("scores", "check")
    FilmScore.objects.filter(film=rated_film).update(held_count=3, held_histogram=[3] + [0] * 9)
    with pytest.raises(CommandError, match="hold the wrong ratings"):
        call_command("scores", "check")
    call_command("scores", "check", "--repair")
    assert FilmScore.objects.get(film=rated_film).held_count == 30


def test_a_moderator_dismisses_a_window_from_the_admin(client, site, rated_film):
    from talkies.accounts.models import User as Account

    bombers = new_accounts(30)
    for user in bombers:
        rating_set(site=site, film=rated_film, user=user, value=1)
    (window,) = audit_film(site=site, film=rated_film)
    staff = Account.objects.create_superuser("boss", password="x")
    client.force_login(staff)
    response = client.post(
        "/admin/ratings/suspectwindow/", {"action": "dismiss_and_count", "_selected_action": [window.pk]}
    )
    assert response.status_code == 302
    window.refresh_from_db()
    assert window.status == SuspectWindow.Status.DISMISSED and window.decided_by == staff
    assert film_audience_score(site=site, film=rated_film).count == 90


def test_the_api_shows_the_held_count_and_an_all_ratings_view(client, site, rated_film):
    for user in new_accounts(30):
        rating_set(site=site, film=rated_film, user=user, value=1)
    audit_film(site=site, film=rated_film)
    shown = client.get(f"/api/v1/films/{rated_film.slug}/scores").json()["audience"]
    assert (shown["count"], shown["held"]) == (60, 30)
    everything = client.get(f"/api/v1/films/{rated_film.slug}/scores?include_held=true").json()["audience"]
    assert (everything["count"], everything["held"]) == (90, 0)
    assert everything["histogram"][0] == shown["histogram"][0] + 30
