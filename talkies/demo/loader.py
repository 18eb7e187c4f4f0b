"""Write the demo publication into the database, and take it out again.

Stories, reviews, comments, votes and ratings go through the same services the site uses, so every
counter and score the demo shows was earned the way a real one would be. The catalogue has no services
yet, so its rows are created directly. Timestamps the services set to "now" are moved back to the
plan's dates afterwards; none of them feed a counter or a score.

Callers wrap load_demo() and remove_demo() in one transaction (the `demo` command does), so a failure
leaves nothing half-loaded.
"""

import datetime
import functools
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db.models import Q

from talkies.accounts.models import Site, SiteMembership, User
from talkies.catalogue.models import (
    Character,
    Company,
    Credit,
    Film,
    FilmTitle,
    Franchise,
    FranchiseEntry,
    Person,
    ReleaseDate,
)
from talkies.comments.models import Comment, Thread, Vote
from talkies.comments.services import comment_create, comment_vote, thread_for_story
from talkies.ratings.models import Rating
from talkies.ratings.services import rating_set
from talkies.stories.models import Story
from talkies.stories.services import critic_review_create, story_create

from . import crowd as crowd_plan
from . import data
from .moderation import seed_moderation

DEMO_PASSWORD = "talkies-demo"
ADMIN_USERNAME = "admin"


class DemoConflict(Exception):
    """The database holds rows the demo would create or delete that do not belong to the demo."""


@dataclass(frozen=True)
class DemoSummary:
    readers: int
    films: int
    stories: int
    ratings: int
    comments: int
    votes: int
    reaction_path: str

    def describe(self) -> str:
        return (
            f"{self.stories} stories, {self.films} films, {self.readers} readers, {self.ratings} ratings, "
            f"{self.comments} comments, {self.votes} votes"
        )


@functools.cache
def _password_hash() -> str:
    """One hash shared by every demo account: hashing is slow on purpose, and they share one password."""
    return make_password(DEMO_PASSWORD)


def demo_site() -> Site | None:
    return Site.objects.filter(slug=data.SITE_SLUG).first()


def summarise(site: Site) -> DemoSummary:
    return DemoSummary(
        readers=User.objects.filter(username__in=_reader_usernames()).count(),
        films=Film.objects.filter(slug__in=data.FILM_SLUGS).count(),
        stories=Story.objects.filter(site=site).count(),
        ratings=Rating.objects.filter(site=site).count(),
        comments=Comment.objects.filter(thread__site=site).count(),
        votes=Vote.objects.filter(comment__thread__site=site).count(),
        reaction_path=data.story_path(data.REACTION_POST),
    )


# --- Loading -----------------------------------------------------------------------------------------


def load_demo() -> DemoSummary:
    """Create the demo publication from scratch. Raises DemoConflict if its rows already exist."""
    _refuse_conflicts()
    plan = _plan()
    site = _create_site()
    staff = _create_staff(site)
    films = _create_catalogue()
    stories = _create_stories(site, staff, films)
    readers = _create_readers(plan)
    _rate_films(site, films, readers, plan.ratings)
    comments = _post_comments(stories, readers, plan.comments)
    _cast_votes(comments, readers, plan.votes)
    seed_moderation(
        site=site,
        moderator=staff[data.MODERATOR.username],
        thread=thread_for_story(story=stories[data.REACTION_POST]),
        readers=list(readers.values())[:6],
    )
    return summarise(site)


@functools.cache
def _plan() -> crowd_plan.Crowd:
    return crowd_plan.plan_crowd()


def _reader_usernames() -> list[str]:
    return [reader.username for reader in _plan().readers]


def _demo_usernames() -> list[str]:
    return [member.username for member in data.STAFF] + _reader_usernames()


def _refuse_conflicts() -> None:
    """Name every existing row that would collide with the demo, rather than fail on the first one."""
    imdb_ids = [film.imdb_id for film in data.FILMS]
    taken = {
        "films": Film.objects.filter(Q(slug__in=data.FILM_SLUGS) | Q(imdb_id__in=imdb_ids)).values_list("slug"),
        "franchises": Franchise.objects.filter(slug__in=[data.FRANCHISE_SLUG, data.UNIVERSE_SLUG]).values_list("slug"),
        "characters": Character.objects.filter(slug__in=data.CHARACTER_SLUGS).values_list("slug"),
        "users": User.objects.filter(username__in=_demo_usernames()).values_list("username"),
    }
    found = {kind: names for kind, rows in taken.items() if (names := sorted(name for (name,) in rows))}
    if found:
        listed = "; ".join(f"{kind}: {', '.join(names)}" for kind, names in found.items())
        raise DemoConflict(
            f"the database already has rows the demo would create ({listed}). If an earlier demo left them "
            "behind, `talkies demo --reset` replaces them; otherwise rename or remove them first, or load the "
            "demo into a fresh database."
        )


def _create_site() -> Site:
    return Site.objects.create(
        slug=data.SITE_SLUG,
        name=data.SITE_NAME,
        tagline=data.SITE_TAGLINE,
        region=data.SITE_REGION,
        domain="",
        created_at=data.SITE_LAUNCHED,
    )


def _email(username: str) -> str:
    return f"{username}@{data.EMAIL_DOMAIN}"


def _create_staff(site: Site) -> dict[str, User]:
    staff = {}
    for member in data.STAFF:
        user = User.objects.create(
            username=member.username,
            display_name=member.display_name,
            email=_email(member.username),
            password=_password_hash(),
            date_joined=data.SITE_LAUNCHED,
        )
        SiteMembership.objects.create(site=site, user=user, role=member.role)
        staff[member.username] = user
    return staff


def _create_catalogue() -> dict[str, Film]:
    studio, _ = Company.objects.get_or_create(slug=data.STUDIO_SLUG, defaults={"name": data.STUDIO_NAME})
    franchise = _create_franchise()
    characters = {
        character.slug: Character.objects.create(
            slug=character.slug, name=character.name, franchise=franchise, description=character.description
        )
        for character in data.CHARACTERS
    }
    films = {film.slug: _create_film(film, franchise=franchise, studio=studio) for film in data.FILMS}
    people = _people()
    Credit.objects.bulk_create(
        Credit(
            film=films[credit.film],
            person=people[credit.person],
            role=credit.role,
            character=characters[credit.character] if credit.character else None,
            billing_order=credit.billing_order,
            note=credit.note,
        )
        for credit in data.CREDITS
    )
    return films


def _create_franchise() -> Franchise:
    universe = Franchise.objects.create(
        slug=data.UNIVERSE_SLUG,
        name=data.UNIVERSE_NAME,
        kind=Franchise.Kind.UNIVERSE,
        description=data.UNIVERSE_DESCRIPTION,
    )
    return Franchise.objects.create(
        slug=data.FRANCHISE_SLUG,
        name=data.FRANCHISE_NAME,
        kind=Franchise.Kind.FRANCHISE,
        parent=universe,
        description=data.FRANCHISE_DESCRIPTION,
    )


def _create_film(film: data.FilmData, *, franchise: Franchise, studio: Company) -> Film:
    row = Film.objects.create(
        slug=film.slug,
        title=film.title,
        synopsis=film.synopsis,
        runtime_minutes=film.runtime_minutes,
        imdb_id=film.imdb_id,
    )
    row.studios.add(studio)
    ReleaseDate.objects.create(film=row, region="US", kind=ReleaseDate.Kind.THEATRICAL, date=film.us_release)
    if film.marketing_title:
        FilmTitle.objects.create(film=row, title=film.marketing_title, kind=FilmTitle.Kind.MARKETING)
    FranchiseEntry.objects.create(
        franchise=franchise,
        film=row,
        release_order=film.release_order,
        chronology_order=film.chronology_order,
        chronology_note=film.chronology_note,
        is_spinoff=film.is_spinoff,
    )
    return row


def _people() -> dict[str, Person]:
    """People are shared with the rest of the catalogue: reuse anyone already there, add the rest."""
    people = {}
    for person in data.PEOPLE:
        people[person.slug], _ = Person.objects.get_or_create(
            slug=person.slug,
            defaults={
                "name": person.name,
                "birth_date": person.birth_date,
                "death_date": person.death_date,
                "bio": person.bio,
            },
        )
    return people


def _create_stories(site: Site, staff: dict[str, User], films: dict[str, Film]) -> dict[str, Story]:
    stories = {}
    for story in sorted(data.STORIES, key=lambda s: s.published_at):
        author = staff[story.author.username]
        row = story_create(
            site=site,
            kind=story.kind,
            title=story.title,
            slug=story.slug,
            dek=story.dek,
            body=story.body,
            author=author,
            published_at=story.published_at,
            films=[films[slug] for slug in story.films],
            call_to_action=story.call_to_action,
        )
        if story.review is not None:
            critic_review_create(
                story=row,
                film=films[story.review.film],
                critic=author,
                critic_name=author.public_name,
                score=story.review.score,
                verdict=story.review.verdict,
            )
        stories[story.slug] = row
    # stories.services has no way to relate stories yet; the relation is a plain symmetrical M2M.
    for first, second in data.RELATED_STORIES:
        stories[first].related.add(stories[second])
    return stories


def _create_readers(plan: crowd_plan.Crowd) -> dict[str, User]:
    User.objects.bulk_create(
        User(
            username=reader.username,
            display_name=reader.display_name,
            email=_email(reader.username),
            password=_password_hash(),
            date_joined=plan.joined[reader.username],
        )
        for reader in plan.readers
    )
    # Fetched back rather than trusting bulk_create to fill in primary keys on every database.
    return User.objects.in_bulk([reader.username for reader in plan.readers], field_name="username")


def _rate_films(
    site: Site,
    films: dict[str, Film],
    readers: dict[str, User],
    planned: Iterable[crowd_plan.PlannedRating],
) -> None:
    ratings = []
    for rating in planned:
        row = rating_set(site=site, film=films[rating.film], user=readers[rating.username], value=rating.value)
        row.created_at = row.updated_at = rating.at
        ratings.append(row)
    # rating_set stamps "now"; move each rating to the day the plan says it was given. The counters and
    # scores do not depend on when a rating was made, so this cannot disturb them.
    Rating.objects.bulk_update(ratings, ["created_at", "updated_at"])


def _post_comments(
    stories: dict[str, Story],
    readers: dict[str, User],
    planned: Iterable[crowd_plan.PlannedComment],
) -> dict[str, Comment]:
    threads: dict[str, Thread] = {}
    posted: dict[str, Comment] = {}
    for comment in planned:
        if comment.story not in threads:
            threads[comment.story] = _thread_opened_with(stories[comment.story])
        posted[comment.key] = comment_create(
            thread=threads[comment.story],
            author=readers[comment.author],
            body=comment.body,
            parent=posted[comment.parent] if comment.parent else None,
            is_spoiler=comment.is_spoiler,
            created_at=comment.at,
        )
    return posted


def _thread_opened_with(story: Story) -> Thread:
    thread = thread_for_story(story=story)
    # Created "now" by the service; a story's thread opens when the story is published.
    Thread.objects.filter(pk=thread.pk).update(created_at=story.published_at)
    return thread


def _cast_votes(
    comments: dict[str, Comment],
    readers: dict[str, User],
    planned: Iterable[crowd_plan.PlannedVote],
) -> None:
    cast_at: dict[tuple[int, int | None], datetime.datetime] = {}
    for vote in planned:
        comment, voter = comments[vote.comment], readers[vote.username]
        comment_vote(comment=comment, actor=voter, value=vote.value)
        cast_at[(comment.pk, voter.pk)] = vote.at
    votes = list(Vote.objects.filter(comment_id__in=[comment.pk for comment in comments.values()]))
    for row in votes:
        row.created_at = cast_at[(row.comment_id, row.user_id)]
    Vote.objects.bulk_update(votes, ["created_at"])


def ensure_admin() -> bool:
    """Create the demo's `admin` superuser when the installation has no superuser at all.

    Returns whether it was created. An installation that already has a superuser keeps it, and gets no
    account with a published password.
    """
    if User.objects.filter(Q(is_superuser=True) | Q(username=ADMIN_USERNAME)).exists():
        return False
    User.objects.create(
        username=ADMIN_USERNAME,
        password=_password_hash(),
        is_superuser=True,
        is_staff=True,
        display_name="Demo administrator",
    )
    return True


def has_superuser() -> bool:
    return User.objects.filter(is_superuser=True).exists()


# --- Removing ----------------------------------------------------------------------------------------


def remove_demo() -> None:
    """Delete the demo site, its accounts and its catalogue rows, leaving anything else untouched.

    Deleting the site cascades to its stories, threads, comments, votes, ratings and scores. Films,
    franchises and characters are the demo's own; people and the studio are removed only once nothing
    outside the demo refers to them.
    """
    _refuse_to_remove_shared_films()
    Site.objects.filter(slug=data.SITE_SLUG).delete()
    User.objects.filter(username__in=_demo_usernames(), email__endswith=f"@{data.EMAIL_DOMAIN}").delete()
    Film.objects.filter(slug__in=data.FILM_SLUGS).delete()
    Character.objects.filter(slug__in=data.CHARACTER_SLUGS).delete()
    Franchise.objects.filter(slug__in=[data.FRANCHISE_SLUG, data.UNIVERSE_SLUG]).delete()
    Person.objects.filter(slug__in=data.PERSON_SLUGS, credits__isnull=True).delete()
    Company.objects.filter(slug=data.STUDIO_SLUG, films__isnull=True).delete()


def _refuse_to_remove_shared_films() -> None:
    """Deleting a film deletes every site's ratings and links to it; never do that to another site."""
    films = Film.objects.filter(slug__in=data.FILM_SLUGS)
    other_sites = (
        Site.objects.exclude(slug=data.SITE_SLUG)
        .filter(Q(stories__films__in=films) | Q(ratings__film__in=films) | Q(threads__film__in=films))
        .distinct()
    )
    names = sorted(site.name for site in other_sites)
    if names:
        raise DemoConflict(
            f"the demo's films are also used by {', '.join(names)}, and resetting the demo would delete "
            "their ratings and story links. Remove the demo by hand instead."
        )
