"""Shared test personas and catalogue fixtures (named after hc/test.py's BaseTestCase personas).

- `site`: the publication under test, Reel News; `other_site` another publication on the same install.
- `reader`, `second_reader`: ordinary accounts; `editor`, `moderator`: staff of `site`;
  `outsider`: staff of `other_site` only, who should have no access to `site`'s staff features.
- `film`: Ballerina, released in the past so it can be rated; `story`: a published reaction post
  about it; `thread`: that story's conversation.
"""

import datetime

import pytest
from django.utils import timezone

from talkies.accounts.models import Site, SiteMembership, User
from talkies.catalogue.models import Film, ReleaseDate
from talkies.comments.services import thread_for_story
from talkies.stories.services import story_create


def make_user(username: str, **extra) -> User:
    return User.objects.create_user(username=username, password="correct horse battery staple", **extra)


@pytest.fixture
def site(db) -> Site:
    return Site.objects.create(slug="reelnews", name="Reel News", region="US")


@pytest.fixture
def other_site(db) -> Site:
    return Site.objects.create(slug="otherreel", name="Other Reel", region="GB")


@pytest.fixture
def reader(db) -> User:
    return make_user("reader", email="reader@example.com", display_name="Rita Reader")


@pytest.fixture
def second_reader(db) -> User:
    return make_user("second", email="second@example.com")


@pytest.fixture
def editor(site) -> User:
    user = make_user("editor")
    SiteMembership.objects.create(site=site, user=user, role=SiteMembership.Role.EDITOR)
    return user


@pytest.fixture
def moderator(site) -> User:
    user = make_user("moderator")
    SiteMembership.objects.create(site=site, user=user, role=SiteMembership.Role.MODERATOR)
    return user


@pytest.fixture
def outsider(other_site) -> User:
    user = make_user("outsider")
    SiteMembership.objects.create(site=other_site, user=user, role=SiteMembership.Role.MODERATOR)
    return user


@pytest.fixture
def film(db) -> Film:
    film = Film.objects.create(title="Ballerina", slug="ballerina", imdb_id="tt7181546", runtime_minutes=125)
    ReleaseDate.objects.create(film=film, region="US", kind=ReleaseDate.Kind.THEATRICAL, date=datetime.date(2025, 6, 6))
    return film


@pytest.fixture
def story(site, film, editor):
    return story_create(
        site=site,
        kind="reaction",
        title="What did you think of Ballerina?",
        body="Tell us **below**.",
        author=editor,
        published_at=timezone.now() - datetime.timedelta(hours=1),
        films=[film],
        call_to_action="What did you think of the movie?",
    )


@pytest.fixture
def thread(story):
    return thread_for_story(story=story)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached sites and scores must not leak between tests."""
    from django.core.cache import cache

    from talkies.moderation.config_snapshot import forget_snapshots

    cache.clear()
    forget_snapshots()  # a rolled-back test's site id may come back with other settings
    yield
    cache.clear()
