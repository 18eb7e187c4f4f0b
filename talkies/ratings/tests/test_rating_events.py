"""rating_set and rating_remove announce what they did on ratings.events.rating_changed, after commit."""

from collections.abc import Iterator

import pytest

from talkies.ratings.events import RatingEvent, RatingEventKind, rating_changed
from talkies.ratings.models import Rating
from talkies.ratings.services import rating_remove, rating_set


@pytest.fixture
def heard() -> Iterator[list[RatingEvent]]:
    events: list[RatingEvent] = []
    rating_changed.connect(events.append, dispatch_uid="test_rating_events")
    yield events
    rating_changed.disconnect(events.append, dispatch_uid="test_rating_events")


def test_a_first_rating_a_change_and_a_removal_are_each_announced(
    site, film, reader, heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rating = rating_set(site=site, film=film, user=reader, value=8)
    with django_capture_on_commit_callbacks(execute=True):
        rating_set(site=site, film=film, user=reader, value=8)  # the same value: nothing happened
    with django_capture_on_commit_callbacks(execute=True):
        rating_set(site=site, film=film, user=reader, value=5)
    with django_capture_on_commit_callbacks(execute=True):
        assert rating_remove(site=site, film=film, user=reader)
    with django_capture_on_commit_callbacks(execute=True):
        assert not rating_remove(site=site, film=film, user=reader)  # nothing left to withdraw

    assert [(e.kind, e.value) for e in heard] == [
        (RatingEventKind.CREATED, 8),
        (RatingEventKind.CHANGED, 5),
        (RatingEventKind.REMOVED, None),
    ]
    assert {(e.site_id, e.film_id, e.user_id, e.rating_id) for e in heard} == {(site.pk, film.pk, reader.pk, rating.pk)}
    assert {e.created_at for e in heard} == {rating.created_at}
    assert not Rating.objects.exists()


def test_nothing_is_announced_before_the_transaction_commits(
    site, film, reader, heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        rating_set(site=site, film=film, user=reader, value=8)

    assert heard == []


def test_a_receiver_that_raises_does_not_undo_the_rating_nor_silence_the_others(
    site, film, reader, heard, django_capture_on_commit_callbacks, caplog
):
    def broken(event: RatingEvent) -> None:
        raise RuntimeError("receiver is down")

    rating_changed.connect(broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            rating_set(site=site, film=film, user=reader, value=8)
    finally:
        rating_changed.disconnect(broken)

    assert Rating.objects.filter(user=reader, value=8).exists()
    assert [e.kind for e in heard] == [RatingEventKind.CREATED]
    assert "receiver is down" in caplog.text


def test_the_kinds_keep_the_names_webhooks_store():
    assert [kind.value for kind in RatingEventKind] == ["rating.created", "rating.changed", "rating.removed"]
