"""Reading a story and its thread: the story page (a page of the thread beneath it) and a comment's permalink."""

from functools import partial
from urllib.parse import urlencode

from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from talkies.accounts.models import Site
from talkies.accounts.requests import SiteRequest
from talkies.catalogue.models import Film
from talkies.comments.models import Comment, Thread
from talkies.comments.permissions import can_moderate_site, thread_closes_at, thread_is_open
from talkies.comments.selectors import (
    SORTS,
    CommentNode,
    comment_context,
    featured_comments,
    spoiler_shield_ends,
    thread_page,
)
from talkies.lib.cookies import SORT_COOKIE
from talkies.lib.errors import NotFound, ServiceError
from talkies.moderation.models import Report
from talkies.scorecard.selectors import film_scorecards
from talkies.stories.models import Story

from .. import reader_shell
from ..forms import CommentForm
from ..guests import guests_welcome, remembered_name
from ..selectors import story_for_page
from ..structured_data import json_ld_script, story_json_ld
from ..threads import CommentView, ThreadViews
from .common import current_site, today

COMMENTS_PER_PAGE = 30
REPLIES_PER_PAGE = 20

# The reader's chosen sort, remembered across stories. A preference, not a secret: readable by scripts.
SORT_COOKIE_MAX_AGE = 365 * 24 * 60 * 60


def story_detail(request: SiteRequest, slug: str) -> HttpResponse:
    site = current_site(request)
    story = story_for_page(site=site, slug=slug)
    sort, cursor = thread_position(request.GET, site, remembered=request.COOKIES.get(SORT_COOKIE, ""))
    shell = reader_shell.wants_shell(request)
    if shell:  # the page every signed-in reader gets, made theirs by story_reader_state (web/reader_shell.py)
        reader_shell.become_shell_reader(request)
    response = render_story(request, story, sort=sort, cursor=cursor)
    if shell:
        response[reader_shell.SHELL_RESPONSE_HEADER] = "1"
    if request.GET.get("sort") == sort and request.COOKIES.get(SORT_COOKIE) != sort:
        # Choosing a sort is a choice for every story, so it sticks until the reader chooses another.
        response.set_cookie(SORT_COOKIE, sort, max_age=SORT_COOKIE_MAX_AGE, samesite="Lax")
    return response


def thread_position(data: QueryDict, site: Site, *, remembered: str = "") -> tuple[str, str]:
    """The sort and page the reader is looking at (from the query string, or a form's hidden fields),
    else the sort they chose last time (`remembered`), else the site's default."""
    sort = next((s for s in (data.get("sort", ""), remembered) if s in SORTS), site.default_comment_sort)
    return sort, data.get("cursor", "")


def _hides_spoilers(data: QueryDict) -> bool:
    return data.get("spoilers") == "hide"


def thread_url(story: Story, *, sort: str, cursor: str = "", hide_spoilers: bool = False) -> str:
    query = {"sort": sort, **({"cursor": cursor} if cursor else {}), **({"spoilers": "hide"} if hide_spoilers else {})}
    return f"{story.get_absolute_url()}?{urlencode(query)}"


def _story_thread(story: Story) -> Thread | None:
    try:
        return story.thread
    except Thread.DoesNotExist:
        return None  # nobody has commented yet; the thread is created with the first comment


def render_story(
    request: SiteRequest,
    story: Story,
    *,
    sort: str,
    cursor: str,
    comment_form: CommentForm | None = None,
    reply_form: CommentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The story page at one page of its thread; also what a refused comment form is shown again on."""
    context = story_context(request, story, sort=sort, cursor=cursor, comment_form=comment_form, reply_form=reply_form)
    return render(request, "web/story_detail.html", context, status=status)


def story_context(
    request: SiteRequest,
    story: Story,
    *,
    sort: str,
    cursor: str,
    comment_form: CommentForm | None = None,
    reply_form: CommentForm | None = None,
) -> dict:
    """The story page's template context (also what reader-state renders a reader's parts from)."""
    site = current_site(request)
    films = list(story.films.all())
    thread = _story_thread(story)
    hide_spoilers = _hides_spoilers(request.GET) or _hides_spoilers(request.POST)
    reading = _ThreadReading(request, story, thread, films)
    comments: list[CommentView] = []
    featured: list[CommentView] = []
    next_cursor, thread_error = None, ""
    if thread is not None:
        load_page = partial(
            thread_page,
            thread=thread,
            sort=sort,
            limit=COMMENTS_PER_PAGE,
            hide_spoilers=hide_spoilers,
            viewer=request.actor,
        )
        try:
            page = load_page(cursor=cursor or None)
        except ServiceError as error:  # a stale or edited cursor: show the first page and say why
            thread_error, cursor = error.message, ""
            page = load_page()
        # Featured comments head the first page only, so paging on does not repeat them.
        featured_rows = [] if cursor else featured_comments(thread=thread, hide_spoilers=hide_spoilers)
        views = reading.views(page.nodes, *featured_rows)
        comments = views.tree(page.nodes)
        featured = [views.plain(comment) for comment in featured_rows]
        next_cursor = page.next_cursor

    reply_to = reply_form.cleaned_data.get("parent") if reply_form is not None else None
    if reply_form is not None and not _shows_comment(comments, reply_to):
        # The comment being answered is no longer on the page (removed, or on another page): keep the
        # reader's text in the main form rather than lose it.
        comment_form, reply_form, reply_to = reply_form, None, None
        comment_form.add_error(None, "The comment you replied to is not shown any more; your text is below.")

    page_url = thread_url(story, sort=sort, cursor=cursor, hide_spoilers=hide_spoilers)
    scores = film_scorecards(site=site, films=films, reader=request.user, today=today())
    context = {
        **reading.context(),
        "story": story,
        "film_scores": scores,
        "json_ld": json_ld_script(story_json_ld(story=story, film_scores=scores, absolute=request.build_absolute_uri)),
        "comments": comments,
        "featured": featured,
        "sort": sort,
        "sorts": [
            (value, label, thread_url(story, sort=value, hide_spoilers=hide_spoilers))
            for value, label in Site.CommentSort.choices
        ],
        "hide_spoilers": hide_spoilers,
        "spoiler_filter_url": thread_url(story, sort=sort, hide_spoilers=not hide_spoilers),
        "cursor": cursor,
        "next_page_url": (
            thread_url(story, sort=sort, cursor=next_cursor, hide_spoilers=hide_spoilers) if next_cursor else ""
        ),
        "first_page_url": thread_url(story, sort=sort, hide_spoilers=hide_spoilers) if cursor else "",
        "thread_error": thread_error,
        "page_url": page_url,
        "comment_form": comment_form or CommentForm(),
        "reply_form": reply_form,
        "reply_to": reply_to,
        # Only on a shell: where site.js asks for this reader's own parts of it.
        "reader_state_url": (
            f"{reverse('story-reader-state', kwargs={'slug': story.slug})}?{request.GET.urlencode()}"
            if reader_shell.is_shell_render(request)
            else ""
        ),
    }
    return context


def _shows_comment(comments: list[CommentView], comment_id: int | None) -> bool:
    return any(v.comment.pk == comment_id or _shows_comment(v.replies, comment_id) for v in comments)


class _ThreadReading:
    """What every page showing part of a story's thread needs to know besides the comments themselves:
    whether it is open, the spoiler shield, whether the reader moderates here, and the feed to follow."""

    def __init__(self, request: SiteRequest, story: Story, thread: Thread | None, films: list[Film]) -> None:
        self.request, self.story, self.thread = request, story, thread
        site = current_site(request)
        # The story's films have their release dates prefetched; the thread's film is one of them.
        film = next((f for f in films if thread is not None and f.pk == thread.film_id), None)
        shield_ends = spoiler_shield_ends(site=site, film=film)
        self.shield_ends = shield_ends if shield_ends is not None and today() < shield_ends else None
        self.can_moderate = thread is not None and can_moderate_site(request.actor, site)
        # A logged-out reader where guests are welcome gets the forms with a name field, and is known by
        # their guest cookie (request.actor) once they have commented.
        self.as_guest = guests_welcome(request, site)

    def views(self, nodes: list[CommentNode], *extra: Comment) -> ThreadViews:
        assert self.thread is not None
        views = ThreadViews(
            thread=self.thread,
            actor=self.request.actor,
            now=timezone.now(),
            permalink=lambda comment, cursor: _permalink(self.story, comment, cursor),
            can_moderate=self.can_moderate,
            shield=self.shield_ends is not None,
        )
        views.prepare(nodes, *extra)
        return views

    def context(self) -> dict:
        thread = self.thread
        return {
            "thread": thread,
            "thread_open": thread is None or thread_is_open(thread),
            "thread_closed_on": thread_closes_at(thread) if thread is not None and not thread.is_closed else None,
            "shield_ends": self.shield_ends,
            "can_moderate": self.can_moderate,
            "story_feed_url": reverse("feed-story", kwargs={"slug": self.story.slug}),
            "as_guest": self.as_guest,
            "report_reasons": Report.Reason.choices,
            "guest_name": remembered_name(self.request) if self.as_guest else "",
        }


def _permalink(story: Story, comment: Comment, cursor: str | None = None) -> str:
    url = reverse("comment-permalink", kwargs={"slug": story.slug, "pk": comment.pk})
    return f"{url}?{urlencode({'cursor': cursor})}#replies" if cursor else f"{url}#comment-{comment.pk}"


def comment_permalink(request: SiteRequest, slug: str, pk: int) -> HttpResponse:
    """One comment in its thread: the comments above it, the comment highlighted, then its replies."""
    site = current_site(request)
    story = story_for_page(site=site, slug=slug)
    thread = _story_thread(story)
    if thread is None:
        raise Http404("Nobody has commented on this story yet.")
    comment = get_object_or_404(Comment.objects.select_related("author"), pk=pk, thread=thread)
    comment.thread = thread
    hide_spoilers = _hides_spoilers(request.GET)
    cursor = request.GET.get("cursor") or None
    load_context = partial(
        comment_context, comment=comment, limit=REPLIES_PER_PAGE, hide_spoilers=hide_spoilers, viewer=request.actor
    )
    try:
        context = load_context(cursor=cursor)
    except NotFound as error:
        raise Http404(error.message) from error
    except ServiceError:  # a stale or edited cursor: start the replies again from the first
        context = load_context()
    films = list(story.films.all())
    reading = _ThreadReading(request, story, thread, films)
    views = reading.views([context.target], *context.path[:-1])
    path, target = views.context(context)
    page = {
        **reading.context(),
        "story": story,
        "path": path,
        "target": target,
        "next_replies_url": _permalink(story, comment, context.next_cursor) if context.next_cursor else "",
        "thread_url": f"{story.get_absolute_url()}#comments",
        "page_url": request.get_full_path(),
        "reply_form": None,
        "reply_to": None,
    }
    return render(request, "web/comment_permalink.html", page)
