import datetime
import math
import random
from collections import defaultdict

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from talkies.accounts.models import User
from talkies.catalogue.models import Film, ReleaseDate
from talkies.lib.errors import PermissionDenied, ServiceError
from talkies.ratings.consistency import find_drift
from talkies.ratings.models import FilmScore, Rating
from talkies.ratings.services import rating_remove, rating_set, rating_value_from_scale


def score_of(site, film) -> tuple[int, int, list[int]]:
    row = FilmScore.objects.get(site=site, film=film)
    return row.count, row.total, row.histogram


def histogram_with(**counts: int) -> list[int]:
    """histogram_with(v8=1, v3=2) -> ten buckets with one 8/10 and two 3/10."""
    histogram = [0] * 10
    for name, count in counts.items():
        histogram[int(name[1:]) - 1] = count
    return histogram


@pytest.fixture
def upcoming_film(db) -> Film:
    film = Film.objects.create(title="Chapter 5", slug="chapter-5")
    release = timezone.now().date() + datetime.timedelta(days=30)
    ReleaseDate.objects.create(film=film, region="US", kind=ReleaseDate.Kind.THEATRICAL, date=release)
    return film


# --- rating_set and rating_remove ------------------------------------------------------------------


def test_a_first_rating_creates_the_rating_and_counts_it(site, film, reader):
    rating = rating_set(site=site, film=film, user=reader, value=8)

    assert Rating.objects.get(pk=rating.pk).value == 8
    assert score_of(site, film) == (1, 8, histogram_with(v8=1))


def test_changing_a_rating_moves_it_between_buckets_without_counting_it_twice(site, film, reader, second_reader):
    first = rating_set(site=site, film=film, user=reader, value=8)
    rating_set(site=site, film=film, user=second_reader, value=8)

    changed = rating_set(site=site, film=film, user=reader, value=3)

    assert changed.pk == first.pk
    assert changed.created_at == first.created_at
    assert changed.updated_at >= first.updated_at
    assert Rating.objects.filter(site=site, film=film).count() == 2
    assert score_of(site, film) == (2, 11, histogram_with(v8=1, v3=1))


def test_giving_the_same_rating_again_changes_nothing(site, film, reader):
    rating_set(site=site, film=film, user=reader, value=8)
    touched = FilmScore.objects.get(site=site, film=film).updated_at

    rating_set(site=site, film=film, user=reader, value=8)

    assert score_of(site, film) == (1, 8, histogram_with(v8=1))
    assert FilmScore.objects.get(site=site, film=film).updated_at == touched


def test_removing_a_rating_takes_it_out_of_the_score(site, film, reader, second_reader):
    rating_set(site=site, film=film, user=reader, value=8)
    rating_set(site=site, film=film, user=second_reader, value=5)

    assert rating_remove(site=site, film=film, user=reader) is True

    assert not Rating.objects.filter(site=site, film=film, user=reader).exists()
    assert score_of(site, film) == (1, 5, histogram_with(v5=1))


def test_removing_a_rating_that_does_not_exist_says_so_and_changes_nothing(site, film, reader, second_reader):
    rating_set(site=site, film=film, user=second_reader, value=5)

    assert rating_remove(site=site, film=film, user=reader) is False

    assert score_of(site, film) == (1, 5, histogram_with(v5=1))


@pytest.mark.parametrize("value", [0, 11, -1, 7.5, "7", True, None])
def test_it_rejects_a_value_that_is_not_a_whole_number_from_1_to_10_naming_the_value(site, film, reader, value):
    with pytest.raises(ServiceError) as caught:
        rating_set(site=site, film=film, user=reader, value=value)

    assert caught.value.field == "value"
    assert "from 1 to 10" in caught.value.message
    assert not Rating.objects.exists()


def test_it_asks_an_anonymous_visitor_to_log_in(site, film):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied) as caught:
        rating_set(site=site, film=film, user=AnonymousUser(), value=7)  # type: ignore[arg-type]
    assert caught.value.field == "user"


def test_an_inactive_account_cannot_rate(site, film, reader):
    reader.is_active = False
    reader.save()
    with pytest.raises(PermissionDenied) as caught:
        rating_set(site=site, film=film, user=reader, value=7)
    assert caught.value.field == "user"
    assert not Rating.objects.exists()


def test_an_anonymous_visitor_has_no_rating_to_remove(site, film, reader):
    from django.contrib.auth.models import AnonymousUser

    rating_set(site=site, film=film, user=reader, value=7)
    with pytest.raises(PermissionDenied) as caught:
        rating_remove(site=site, film=film, user=AnonymousUser())  # type: ignore[arg-type]
    assert caught.value.field == "user"
    assert score_of(site, film) == (1, 7, histogram_with(v7=1))


# --- the rating window ----------------------------------------------------------------------------


def test_it_refuses_a_rating_before_the_film_is_released_saying_when_rating_opens(site, upcoming_film, reader):
    with pytest.raises(PermissionDenied) as caught:
        rating_set(site=site, film=upcoming_film, user=reader, value=9)

    opens = timezone.now().date() + datetime.timedelta(days=30)
    assert caught.value.field == "film"
    assert f"{opens:%-d %B %Y}" in caught.value.message
    assert not Rating.objects.exists()
    assert not FilmScore.objects.filter(film=upcoming_film).exists()


def test_a_site_that_allows_early_rating_accepts_one_before_release(site, upcoming_film, reader):
    site.allow_early_rating = True
    site.save()

    rating_set(site=site, film=upcoming_film, user=reader, value=9)

    assert score_of(site, upcoming_film) == (1, 9, histogram_with(v9=1))


def test_rating_opens_on_the_release_day_itself(site, reader):
    film = Film.objects.create(title="Out today", slug="out-today")
    ReleaseDate.objects.create(film=film, region="US", date=timezone.now().date())

    rating_set(site=site, film=film, user=reader, value=6)

    assert Rating.objects.filter(film=film).count() == 1


def test_the_window_follows_the_release_in_the_sites_own_region(site, other_site, reader):
    # Out in the US last year, not until next month in the UK: Reel News (US) may rate, Other Reel (GB) may not.
    film = Film.objects.create(title="Transatlantic", slug="transatlantic")
    today = timezone.now().date()
    ReleaseDate.objects.create(film=film, region="US", date=today - datetime.timedelta(days=365))
    ReleaseDate.objects.create(film=film, region="GB", date=today + datetime.timedelta(days=30))

    rating_set(site=site, film=film, user=reader, value=6)
    with pytest.raises(PermissionDenied):
        rating_set(site=other_site, film=film, user=reader, value=6)


def test_it_refuses_a_rating_of_a_film_with_no_announced_release_date(site, reader):
    # No date is not "out already": a film whose release is still to be announced has not been seen.
    film = Film.objects.create(title="Chapter 6", slug="chapter-6")

    with pytest.raises(PermissionDenied) as caught:
        rating_set(site=site, film=film, user=reader, value=9)

    assert caught.value.field == "film"
    assert "no announced release date" in caught.value.message
    assert not Rating.objects.exists()


def test_a_site_that_allows_early_rating_accepts_one_for_an_undated_film(site, reader):
    site.allow_early_rating = True
    site.save()
    film = Film.objects.create(title="Chapter 6", slug="chapter-6")

    rating_set(site=site, film=film, user=reader, value=9)

    assert score_of(site, film) == (1, 9, histogram_with(v9=1))


# --- one rating per reader per film per site --------------------------------------------------------


def test_a_reader_has_one_rating_per_film_per_site_however_often_they_rate(site, film, reader):
    for value in (3, 9, 9, 4):
        rating_set(site=site, film=film, user=reader, value=value)

    assert list(Rating.objects.filter(site=site, film=film, user=reader).values_list("value", flat=True)) == [4]
    assert score_of(site, film) == (1, 4, histogram_with(v4=1))


def test_the_database_refuses_a_second_rating_row_for_the_same_reader_film_and_site(site, film, reader):
    rating_set(site=site, film=film, user=reader, value=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(site=site, film=film, user=reader, value=4)


def test_the_same_reader_rating_on_two_sites_gives_two_ratings_and_two_scores(site, other_site, film, reader):
    rating_set(site=site, film=film, user=reader, value=8)
    rating_set(site=other_site, film=film, user=reader, value=2)

    assert Rating.objects.filter(film=film, user=reader).count() == 2
    assert score_of(site, film) == (1, 8, histogram_with(v8=1))
    assert score_of(other_site, film) == (1, 2, histogram_with(v2=1))

    rating_remove(site=other_site, film=film, user=reader)
    assert score_of(site, film) == (1, 8, histogram_with(v8=1))
    assert score_of(other_site, film) == (0, 0, [0] * 10)


# --- converting from display scales --------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "scale", "canonical"),
    [
        (0.5, 5, 1),  # half a star is the lowest rating
        (3.5, 5, 7),
        (5, 5, 10),
        (1, 10, 1),
        (7, 10, 7),
        (10, 10, 10),
        (10, 100, 1),
        (70, 100, 7),  # 70 · 0.1 is 7.000000000000001 in binary floating point; still 7
        (100, 100, 10),
    ],
)
def test_it_converts_a_rating_on_a_display_scale_to_canonical_points(value, scale, canonical):
    assert rating_value_from_scale(value, scale) == canonical


@pytest.mark.parametrize(
    ("value", "scale", "field", "complaint"),
    [
        (3.25, 5, "value", "use half stars (0.5 to 5)"),
        (7.5, 10, "value", "use whole points (1 to 10)"),
        (75, 100, "value", "use tens (10 to 100)"),
        (0, 5, "value", "use 0.5 to 5"),
        (5.5, 5, "value", "use 0.5 to 5"),
        (11, 10, "value", "use 1 to 10"),
        (0, 100, "value", "use 10 to 100"),
        (110, 100, "value", "use 10 to 100"),
        (-2, 10, "value", "use 1 to 10"),
        (math.nan, 5, "value", "not a finite number"),
        (math.inf, 10, "value", "not a finite number"),
        (7, 7, "scale", "scale must be 5, 10 or 100"),
    ],
)
def test_it_rejects_a_value_off_its_scale_naming_the_field(value, scale, field, complaint):
    with pytest.raises(ServiceError) as caught:
        rating_value_from_scale(value, scale)
    assert caught.value.field == field
    assert complaint in caught.value.message


# --- the counters never drift -----------------------------------------------------------------------


def recount(site, film) -> tuple[int, int, list[int]]:
    """The score recomputed from the raw Rating rows, independently of the services and of FilmScore."""
    values = list(Rating.objects.filter(site=site, film=film).values_list("value", flat=True))
    histogram = [0] * 10
    for value in values:
        histogram[value - 1] += 1
    return len(values), sum(values), histogram


def test_thousands_of_random_rates_changes_and_removals_leave_no_drift(site, other_site):
    rng = random.Random(20250606)  # fixed, so a failure can be replayed
    users = [User.objects.create_user(username=f"rater{i}") for i in range(12)]
    films = []
    for i in range(4):
        film = Film.objects.create(title=f"Film {i}", slug=f"film-{i}")
        ReleaseDate.objects.create(film=film, region="US", date=datetime.date(2024, 1, 1))
        films.append(film)
    sites = [site, other_site]
    site.allow_early_rating = other_site.allow_early_rating = True  # GB has no release date for these films

    expected: dict[tuple, dict[int, int]] = defaultdict(dict)  # (site, film) -> {user id: value}
    removals = changes = 0
    for _ in range(3000):
        where = (rng.choice(sites), rng.choice(films))
        user = rng.choice(users)
        if rng.random() < 0.25:
            had = user.pk in expected[where]
            assert rating_remove(site=where[0], film=where[1], user=user) is had
            expected[where].pop(user.pk, None)
            removals += had
        else:
            value = rng.randint(1, 10)
            changes += user.pk in expected[where]
            rating_set(site=where[0], film=where[1], user=user, value=value)
            expected[where][user.pk] = value

    assert removals > 100 and changes > 500  # the walk really exercised every path
    for (rated_site, rated_film), by_user in expected.items():
        values = list(by_user.values())
        histogram = [values.count(v) for v in range(1, 11)]
        assert recount(rated_site, rated_film) == (len(values), sum(values), histogram)
        assert score_of(rated_site, rated_film) == recount(rated_site, rated_film)
    assert find_drift() == []
