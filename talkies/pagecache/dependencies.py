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

The stored HTML pages, feeds and embed lookups (routes.py) are keyed by the site's generation instead
(models.SiteGeneration), bumped here for everything a public page shows:

- every thread event (a comment posted, edited, voted on, moderated, featured; a thread closed) and every
  rating change, inside the write's own transaction (an in-transaction receiver): no extra transaction
  per write, and no window after the commit in which a crash could leave the old key standing. The row
  is one per site, so on PostgreSQL writers to one site queue on it from the bump to their commit; the
  bump comes last in a write (announce ends every comment service), and writers to one thread already
  queue on its version row the same way;
- saves and deletions in the editorial apps (stories, the catalogue, suspect windows that change a
  displayed score, a site's own settings, a thread's creation or link to a film), inside the change's
  transaction: these are rare staff edits. A story or thread bumps its own site; the shared catalogue
  bumps every site;
- a reader's name change or deletion (every site: names show wherever the reader commented).

Connected in PageCacheConfig.ready().
"""

from typing import Any

from django.apps import apps
from django.db.models import F, Model, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from talkies.accounts.models import Site, User
from talkies.comments.events import ThreadEvent, thread_changed
from talkies.comments.models import Comment, Thread
from talkies.ratings.events import RatingEvent, rating_changed
from talkies.ratings.models import SuspectWindow

from .generations import bump_every_site, bump_sites, start_site

# Apps whose every model is shown on public pages and written only by staff.
EDITORIAL_APPS = ("catalogue", "stories")

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


def site_written(event: ThreadEvent | RatingEvent) -> None:
    """In the write's transaction: every stored page of the site gets a new key once it commits."""
    bump_sites([event.site_id])


def editorial_change(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    """A staff edit: to the site's own pages when the object belongs to one site, else to every site's."""
    if isinstance(instance, Site):
        if kwargs.get("created"):
            start_site(instance.pk)
        elif kwargs.get("signal") is not post_delete:  # a deleted site's row goes with it (CASCADE)
            bump_sites([instance.pk])
        return
    site_id = getattr(instance, "site_id", None)
    if site_id is not None:
        bump_sites([site_id])
    else:
        bump_every_site()


def thread_saved(
    sender: type[Thread], instance: Thread, created: bool, update_fields: Any = None, **kwargs: Any
) -> None:
    """A thread opened (a story page now has one) or relinked to a film. Comment writes bump by event."""
    bump_sites([instance.site_id])


def user_saved(sender: type[User], instance: User, created: bool, update_fields: Any = None, **kwargs: Any) -> None:
    """A reader may have changed their name. Logging in (last_login) and the like change no page."""
    if created or (update_fields is not None and not NAME_FIELDS & set(update_fields)):
        return
    bump_versions(Thread.objects.filter(pk__in=Comment.objects.filter(author_id=instance.pk).values("thread_id")))
    bump_every_site()


def user_deleted(sender: type[User], instance: User, **kwargs: Any) -> None:
    """Deleting an account leaves its comments with no author (shown as the guest name, or "Guest")."""
    bump_versions(Thread.objects.filter(pk__in=Comment.objects.filter(author_id=instance.pk).values("thread_id")))
    bump_every_site()


def editorial_models() -> list[type[Model]]:
    return [*(m for label in EDITORIAL_APPS for m in apps.get_app_config(label).get_models()), SuspectWindow, Site]


def connect() -> None:
    rating_changed.connect(rating_event, dispatch_uid="talkies.pagecache.dependencies.rating_event")
    post_save.connect(user_saved, sender=User, dispatch_uid="talkies.pagecache.dependencies.user_saved")
    pre_delete.connect(user_deleted, sender=User, dispatch_uid="talkies.pagecache.dependencies.user_deleted")
    thread_changed.connect_in_transaction(site_written, dispatch_uid="talkies.pagecache.dependencies.thread_written")
    rating_changed.connect_in_transaction(site_written, dispatch_uid="talkies.pagecache.dependencies.rating_written")
    post_save.connect(thread_saved, sender=Thread, dispatch_uid="talkies.pagecache.dependencies.thread_saved")
    for model in editorial_models():
        uid = f"talkies.pagecache.dependencies.editorial_change.{model._meta.label}"
        post_save.connect(editorial_change, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(editorial_change, sender=model, dispatch_uid=uid + ".delete")
        for field in model._meta.many_to_many:
            through = getattr(model, field.name).through
            m2m_changed.connect(editorial_change, sender=through, dispatch_uid=f"{uid}.{field.name}.m2m")
