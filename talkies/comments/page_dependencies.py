"""Changes outside the conversation that change how a thread page reads, and bump its version.

A page shows, besides the comments themselves, each top-level comment's author rating of the thread's
film (the badge) and every author's public name. Neither is written by comments.services, so neither
calls events.announce; these receivers bump `Thread.version` of the threads concerned instead, inside the
same transaction as the change, which is all the page cache needs (cache.PageKey holds the version).

They bump without announcing: nothing was said in the thread, so live updates have nothing to show.
Connected in CommentsConfig.ready().
"""

from typing import Any

from django.db.models import F, QuerySet
from django.db.models.signals import post_delete, post_save, pre_delete

from talkies.accounts.models import User
from talkies.ratings.models import Rating

from .models import Comment, Thread

# The User fields a comment shows (User.public_name); a save that touches none of them changes no page.
NAME_FIELDS = frozenset({"display_name", "username"})


def bump_versions(threads: QuerySet[Thread]) -> None:
    threads.update(version=F("version") + 1)


def rating_changed(sender: type[Rating], instance: Rating, **kwargs: Any) -> None:
    """A reader's rating of a film changed: their top-level comments in that film's threads show it."""
    badged_threads = Comment.objects.filter(
        author_id=instance.user_id,
        parent=None,
        thread__site_id=instance.site_id,
        thread__film_id=instance.film_id,
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
    post_save.connect(rating_changed, sender=Rating, dispatch_uid="comments.page_dependencies.rating_saved")
    post_delete.connect(rating_changed, sender=Rating, dispatch_uid="comments.page_dependencies.rating_deleted")
    post_save.connect(user_saved, sender=User, dispatch_uid="comments.page_dependencies.user_saved")
    pre_delete.connect(user_deleted, sender=User, dispatch_uid="comments.page_dependencies.user_deleted")
