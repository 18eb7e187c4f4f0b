"""Changes outside the conversation that change how a thread page reads, and bump its version.

A page shows, besides the comments themselves, each top-level comment's author rating of the thread's
film (the badge) and every author's public name. Neither is written by comments.services, so neither
calls events.announce; these receivers bump `Thread.version` of the threads concerned instead, which is
all the page cache needs (store.PageKey holds the version):

- a rating change, heard on ratings.events.rating_changed after the rating's transaction commits. Bumping
  after the change is visible is safe (a page rendered in between is stored under the old version, which
  no reader asks for once the bump lands); were the process to stop in between, the page's maximum age
  (store.PAGE_MAX_AGE_SECONDS) bounds how long the old badge shows;
- a name change or an account deletion, heard on the User model's signals inside the change's transaction.

They bump without announcing: nothing was said in the thread, so live updates have nothing to show.
Connected in PageCacheConfig.ready().
"""

from typing import Any

from django.db.models import F, QuerySet
from django.db.models.signals import post_save, pre_delete

from talkies.accounts.models import User
from talkies.comments.models import Comment, Thread
from talkies.ratings.events import RatingEvent, rating_changed

# The User fields a comment shows (User.public_name); a save that touches none of them changes no page.
NAME_FIELDS = frozenset({"display_name", "username"})


def bump_versions(threads: QuerySet[Thread]) -> None:
    threads.update(version=F("version") + 1)


def rating_event(event: RatingEvent) -> None:
    """A reader's rating of a film was set, changed or removed: their top-level comments in that film's
    threads on that site show it."""
    badged_threads = Comment.objects.filter(
        author_id=event.user_id,
        parent=None,
        thread__site_id=event.site_id,
        thread__film_id=event.film_id,
    ).values("thread_id")
    bump_versions(Thread.objects.filter(pk__in=badged_threads))


def user_saved(sender: type[User], instance: User, created: bool, update_fields: Any = None, **kwargs: Any) -> None:
    """A reader may have changed their name. Logging in (last_login) and the like change no page."""
    if created or (update_fields is not None and not NAME_FIELDS & set(update_fields)):
        return
    bump_versions(Thread.objects.filter(pk__in=Comment.objects.filter(author_id=instance.pk).values("thread_id")))


def user_deleted(sender: type[User], instance: User, **kwargs: Any) -> None:
    """Deleting an account leaves its comments with no author (shown as the guest name, or "Guest")."""
    bump_versions(Thread.objects.filter(pk__in=Comment.objects.filter(author_id=instance.pk).values("thread_id")))


def connect() -> None:
    rating_changed.connect(rating_event, dispatch_uid="talkies.pagecache.dependencies.rating_event")
    post_save.connect(user_saved, sender=User, dispatch_uid="talkies.pagecache.dependencies.user_saved")
    pre_delete.connect(user_deleted, sender=User, dispatch_uid="talkies.pagecache.dependencies.user_deleted")
