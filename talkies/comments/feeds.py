"""Atom feeds of the conversation: one thread, one story's comments, a site's latest comments and stories.

Feeds are read where the reader cannot choose what to reveal (a feed reader, a notification preview), so
they carry no spoiler: inline spoilers are replaced by "[spoiler]" in the HTML the comment was rendered to
when it was written (a feed never renders a body again: that is the write's work, done once), and a
comment its author marked as a spoiler is replaced by a notice. Only approved comments
of threads readers can see on the request's site are listed: a draft's thread, another site's thread or a
removed comment is never in a feed, nor a reply under a comment the thread hides.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from talkies.accounts.models import Site
from talkies.lib.markdown import html_without_spoilers, render_markdown, strip_spoilers
from talkies.stories.models import Story

from .models import Comment, Thread
from .selectors import under_hidden_comments, visible_threads_q

FEED_SIZE = 50
SPOILER_NOTICE = "This comment is marked as a spoiler — read it on the site."


def _site(request: HttpRequest) -> Site:
    site: Site | None = getattr(request, "site", None)
    if site is None:
        raise Http404("No publication is set up yet.")
    return site


def feed_body(comment: Comment) -> str:
    """The comment as a feed shows it: sanitised HTML with every spoiler left out."""
    if comment.is_spoiler:
        return f"<p>{SPOILER_NOTICE}</p>"
    return html_without_spoilers(comment.body_html)


def comment_link(comment: Comment) -> str:
    """Where the comment is read: its permalink on a story, else its anchor on the host site's page."""
    thread = comment.thread
    if thread.story is not None:
        return reverse("comment-permalink", kwargs={"slug": thread.story.slug, "pk": comment.pk})
    return f"{thread.url or '/'}#comment-{comment.pk}"


def _published_comments(threads: QuerySet[Thread]) -> QuerySet[Comment]:
    # A reply under a held comment is approved but hidden on the thread with it: hidden here too.
    return (
        Comment.objects.filter(status=Comment.Status.APPROVED, thread__in=threads)
        .exclude(pk__in=under_hidden_comments(threads))
        .select_related("author", "thread__story")
        .order_by("-created_at", "-id")[:FEED_SIZE]
    )


class _CommentFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, item: Comment) -> str:
        return f"{item.author_name} on {strip_spoilers(item.thread.title or item.thread.key)}"

    def item_description(self, item: Comment) -> str:
        return feed_body(item)

    def item_link(self, item: Comment) -> str:
        return comment_link(item)

    def item_author_name(self, item: Comment) -> str:
        return item.author_name

    def item_pubdate(self, item: Comment) -> datetime.datetime:
        return item.created_at

    def item_updateddate(self, item: Comment) -> datetime.datetime:
        return item.edited_at or item.created_at


class ThreadCommentsFeed(_CommentFeed):
    """/feeds/threads/<id>.atom: the latest comments of one thread."""

    def get_object(self, request: HttpRequest, pk: int) -> Thread:  # type: ignore[override]
        threads = Thread.objects.select_related("story", "site").filter(visible_threads_q(_site(request)))
        return get_object_or_404(threads, pk=pk)

    def title(self, obj: Thread) -> str:
        return f"Comments on {strip_spoilers(obj.title or obj.key)} — {obj.site.name}"

    def subtitle(self, obj: Thread) -> str:
        return f"The latest reader comments on {strip_spoilers(obj.title or obj.key)}."

    def link(self, obj: Thread) -> str:
        return obj.story.get_absolute_url() if obj.story else (obj.url or "/")

    def items(self, obj: Thread) -> QuerySet[Comment]:
        return _published_comments(Thread.objects.filter(pk=obj.pk))


class StoryCommentsFeed(_CommentFeed):
    """/feeds/stories/<slug>.atom: the latest comments on one published story."""

    def get_object(self, request: HttpRequest, slug: str) -> Story:  # type: ignore[override]
        return get_object_or_404(Story.published.select_related("site"), site=_site(request), slug=slug)

    def title(self, obj: Story) -> str:
        return f"Comments on {strip_spoilers(obj.title)} — {obj.site.name}"

    def subtitle(self, obj: Story) -> str:
        return f"The latest reader comments on {strip_spoilers(obj.title)}."

    def link(self, obj: Story) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Story) -> QuerySet[Comment]:
        return _published_comments(Thread.objects.filter(story=obj))


class SiteCommentsFeed(_CommentFeed):
    """/feeds/comments.atom: the latest comments anywhere on the site."""

    def get_object(self, request: HttpRequest) -> Site:  # type: ignore[override]
        return _site(request)

    def title(self, obj: Site) -> str:
        return f"{obj.name}: latest comments"

    def subtitle(self, obj: Site) -> str:
        return f"What readers of {obj.name} are saying."

    def link(self, obj: Site) -> str:
        return "/"

    def items(self, obj: Site) -> QuerySet[Comment]:
        return _published_comments(Thread.objects.filter(visible_threads_q(obj)))


class SiteStoriesFeed(Feed):
    """/feeds/stories.atom: the site's latest published stories."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest) -> Site:  # type: ignore[override]
        return _site(request)

    def title(self, obj: Site) -> str:
        return f"{obj.name}: latest stories"

    def subtitle(self, obj: Site) -> str:
        return obj.tagline or f"The latest from {obj.name}."

    def link(self, obj: Site) -> str:
        return "/"

    def items(self, obj: Site) -> QuerySet[Story]:
        return Story.published.filter(site=obj).select_related("author").order_by("-published_at", "-id")[:FEED_SIZE]

    def item_title(self, item: Story) -> str:
        return strip_spoilers(item.title)

    def item_description(self, item: Story) -> str:
        # The dek is one short line the editor wrote; the body was rendered once, when it was saved.
        return render_markdown(strip_spoilers(item.dek)) if item.dek else html_without_spoilers(item.body_html)

    def item_link(self, item: Story) -> str:
        return item.get_absolute_url()

    def item_author_name(self, item: Story) -> str | None:
        return item.author.public_name if item.author else None

    def item_pubdate(self, item: Story) -> datetime.datetime | None:
        return item.published_at
