"""The standalone website: home, story, film, franchise, person and character pages, and their forms.

Reads go through selectors, writes through the services, so a page behaves exactly like the API. Every
write is a POST that redirects back to the page it came from (to the comment it touched, by its
#comment-<id> anchor); when a service refuses the input, the page is rendered again with the message
beside the field and the reader's text still in it.

A reader writes as their account or, where the site takes guest comments, as the guest their browser's
cookie names (see .guests); the cookie is issued with a guest's first comment.
"""

import datetime
from functools import partial
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from talkies.accounts.models import Site
from talkies.catalogue import selectors as catalogue
from talkies.catalogue.models import Film
from talkies.catalogue.status import film_status
from talkies.comments.api_auth import Writer
from talkies.comments.models import Comment, Thread
from talkies.comments.permissions import (
    can_edit_comment,
    can_moderate_site,
    is_author,
    thread_closes_at,
    thread_is_open,
)
from talkies.comments.selectors import (
    SORTS,
    CommentNode,
    comment_context,
    featured_comments,
    spoiler_shield_ends,
    thread_page,
)
from talkies.comments.services import (
    comment_create,
    comment_edit,
    comment_remove,
    comment_set_featured,
    comment_vote,
    thread_for_story,
    thread_set_closed,
)
from talkies.lib.errors import NotFound, ServiceError
from talkies.lib.ratelimit import enforce_rate_limit
from talkies.ratings.services import rating_remove, rating_set
from talkies.scorecard.selectors import film_scorecards
from talkies.stories.models import Story

from .display import rating_label
from .forms import CommentEditForm, CommentForm, RatingForm, VoteForm
from .guests import guest_key, guests_welcome, page_writer, remember_guest, remembered_name, writer_for_new_comment
from .selectors import latest_stories, stories_about_film, story_for_page
from .structured_data import json_ld_script, movie_json_ld, movie_open_graph, story_json_ld
from .threads import CommentView, ThreadViews

COMMENTS_PER_PAGE = 30


def current_site(request: HttpRequest) -> Site:
    site = getattr(request, "site", None)
    if site is None:
        raise Http404("No publication is set up yet: run `talkies demo`, or add a Site in the admin.")
    return site


def _today() -> datetime.date:
    return timezone.localdate()


def _safe_next(request: HttpRequest, fallback: str) -> str:
    """The page a form came from (its `next` field), if it is on this site; else `fallback`.

    Checked because a `next` is attacker-controllable and would otherwise make us an open redirect.
    """
    target = request.POST.get("next", "").split("#", 1)[0]
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


# --- Home ---------------------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    site = current_site(request)
    today = _today()
    in_theatres = catalogue.films_in_theatres(region=site.region, today=today)
    franchises = [
        (franchise, catalogue.franchise_films(franchise, region=site.region))
        for franchise in catalogue.root_franchises()
    ]
    return render(
        request,
        "web/home.html",
        {
            "stories": latest_stories(site=site),
            "in_theatres": in_theatres,
            # Only needed when nothing is showing, so only asked for then.
            "recent_releases": [] if in_theatres else catalogue.recent_releases(region=site.region, today=today),
            "franchises": franchises,
        },
    )


# --- Story and its thread -----------------------------------------------------------------------


# The reader's chosen sort, remembered across stories. A preference, not a secret: readable by scripts.
SORT_COOKIE = "talkies_sort"
SORT_COOKIE_MAX_AGE = 365 * 24 * 60 * 60


def story_detail(request: HttpRequest, slug: str) -> HttpResponse:
    site = current_site(request)
    story = story_for_page(site=site, slug=slug)
    sort, cursor = _thread_position(request.GET, site, remembered=request.COOKIES.get(SORT_COOKIE, ""))
    response = _render_story(request, story, sort=sort, cursor=cursor)
    if request.GET.get("sort") == sort and request.COOKIES.get(SORT_COOKIE) != sort:
        # Choosing a sort is a choice for every story, so it sticks until the reader chooses another.
        response.set_cookie(SORT_COOKIE, sort, max_age=SORT_COOKIE_MAX_AGE, samesite="Lax")
    return response


def _thread_position(data: QueryDict, site: Site, *, remembered: str = "") -> tuple[str, str]:
    """The sort and page the reader is looking at (from the query string, or a form's hidden fields),
    else the sort they chose last time (`remembered`), else the site's default."""
    sort = next((s for s in (data.get("sort", ""), remembered) if s in SORTS), site.default_comment_sort)
    return sort, data.get("cursor", "")


def _hides_spoilers(data: QueryDict) -> bool:
    return data.get("spoilers") == "hide"


def _thread_url(story: Story, *, sort: str, cursor: str = "", hide_spoilers: bool = False) -> str:
    query = {"sort": sort, **({"cursor": cursor} if cursor else {}), **({"spoilers": "hide"} if hide_spoilers else {})}
    return f"{story.get_absolute_url()}?{urlencode(query)}"


def _story_thread(story: Story) -> Thread | None:
    try:
        return story.thread
    except Thread.DoesNotExist:
        return None  # nobody has commented yet; the thread is created with the first comment


def _render_story(
    request: HttpRequest,
    story: Story,
    *,
    sort: str,
    cursor: str,
    comment_form: CommentForm | None = None,
    reply_form: CommentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    site = current_site(request)
    films = list(story.films.all())
    thread = _story_thread(story)
    hide_spoilers = _hides_spoilers(request.GET) or _hides_spoilers(request.POST)
    reading = _ThreadReading(request, story, thread, films)
    comments: list[CommentView] = []
    featured: list[CommentView] = []
    next_cursor, thread_error = None, ""
    if thread is not None:
        load_page = partial(thread_page, thread=thread, sort=sort, limit=COMMENTS_PER_PAGE, hide_spoilers=hide_spoilers)
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

    page_url = _thread_url(story, sort=sort, cursor=cursor, hide_spoilers=hide_spoilers)
    scores = film_scorecards(site=site, films=films, reader=request.user, today=_today())
    context = {
        **reading.context(),
        "story": story,
        "film_scores": scores,
        "json_ld": json_ld_script(story_json_ld(story=story, film_scores=scores, absolute=request.build_absolute_uri)),
        "comments": comments,
        "featured": featured,
        "sort": sort,
        "sorts": [
            (value, label, _thread_url(story, sort=value, hide_spoilers=hide_spoilers))
            for value, label in Site.CommentSort.choices
        ],
        "hide_spoilers": hide_spoilers,
        "spoiler_filter_url": _thread_url(story, sort=sort, hide_spoilers=not hide_spoilers),
        "cursor": cursor,
        "next_page_url": (
            _thread_url(story, sort=sort, cursor=next_cursor, hide_spoilers=hide_spoilers) if next_cursor else ""
        ),
        "first_page_url": _thread_url(story, sort=sort, hide_spoilers=hide_spoilers) if cursor else "",
        "thread_error": thread_error,
        "page_url": page_url,
        "comment_form": comment_form or CommentForm(),
        "reply_form": reply_form,
        "reply_to": reply_to,
    }
    return render(request, "web/story_detail.html", context, status=status)


class _ThreadReading:
    """What every page showing part of a story's thread needs to know besides the comments themselves:
    whether it is open, the spoiler shield, whether the reader moderates here, and the feed to follow."""

    def __init__(self, request: HttpRequest, story: Story, thread: Thread | None, films: list[Film]) -> None:
        self.request, self.story, self.thread = request, story, thread
        site = current_site(request)
        # The story's films have their release dates prefetched; the thread's film is one of them.
        film = next((f for f in films if thread is not None and f.pk == thread.film_id), None)
        shield_ends = spoiler_shield_ends(site=site, film=film)
        self.shield_ends = shield_ends if shield_ends is not None and _today() < shield_ends else None
        self.can_moderate = thread is not None and can_moderate_site(request.user, site)
        # A logged-out reader where guests are welcome gets the forms with a name field, and is known by
        # their guest cookie once they have commented.
        self.as_guest = guests_welcome(request, site)
        self.guest_key = guest_key(request) if self.as_guest else ""

    def views(self, nodes: list[CommentNode], *extra: Comment) -> ThreadViews:
        assert self.thread is not None
        views = ThreadViews(
            thread=self.thread,
            user=self.request.user,
            now=timezone.now(),
            permalink=lambda comment, cursor: _permalink(self.story, comment, cursor),
            can_moderate=self.can_moderate,
            shield=self.shield_ends is not None,
            guest_key=self.guest_key,
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
            "guest_name": remembered_name(self.request) if self.as_guest else "",
        }


def _permalink(story: Story, comment: Comment, cursor: str | None = None) -> str:
    url = reverse("comment-permalink", kwargs={"slug": story.slug, "pk": comment.pk})
    return f"{url}?{urlencode({'cursor': cursor})}#replies" if cursor else f"{url}#comment-{comment.pk}"


REPLIES_PER_PAGE = 20


def comment_permalink(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One comment in its thread: the comments above it, the comment highlighted, then its replies."""
    site = current_site(request)
    story = story_for_page(site=site, slug=slug)
    thread = _story_thread(story)
    comment = get_object_or_404(Comment.objects.select_related("author"), pk=pk, thread=thread)
    comment.thread = thread  # type: ignore[assignment]
    hide_spoilers = _hides_spoilers(request.GET)
    cursor = request.GET.get("cursor") or None
    load_context = partial(comment_context, comment=comment, limit=REPLIES_PER_PAGE, hide_spoilers=hide_spoilers)
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


@require_POST
def comment_feature_view(request: HttpRequest, pk: int) -> HttpResponse:
    """An editor features a comment above the thread, or stops featuring it."""
    comment = _site_comment_or_404(request, pk)
    back = _safe_next(request, _comment_story_url(comment))
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    featured = request.POST.get("featured") == "1"
    try:
        comment_set_featured(comment=comment, user=request.user, featured=featured)  # type: ignore[arg-type]
    except ServiceError as error:
        messages.error(request, f"The comment was not {'featured' if featured else 'unfeatured'}: {error.message}.")
    else:
        messages.success(request, "Comment featured above the thread." if featured else "Comment no longer featured.")
    return redirect(f"{back}#comment-{comment.pk}")


@require_POST
def thread_close_view(request: HttpRequest, slug: str) -> HttpResponse:
    """An editor closes the story's thread to new comments, or reopens it."""
    story = story_for_page(site=current_site(request), slug=slug)
    back = _safe_next(request, story.get_absolute_url())
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    closed = request.POST.get("closed") == "1"
    try:
        thread_set_closed(thread=thread_for_story(story=story), user=request.user, closed=closed)  # type: ignore[arg-type]
    except ServiceError as error:
        messages.error(request, f"The thread was not {'closed' if closed else 'reopened'}: {error.message}.")
    else:
        messages.success(request, "The thread is closed to new comments." if closed else "The thread is open again.")
    return redirect(f"{back}#comments")


def _shows_comment(comments: list[CommentView], comment_id: int | None) -> bool:
    return any(v.comment.pk == comment_id or _shows_comment(v.replies, comment_id) for v in comments)


@require_POST
def comment_post(request: HttpRequest, slug: str) -> HttpResponse:
    """A new top-level comment, or a reply when the form names a parent; by an account, or by a guest where
    the site takes guest comments (their first comment gives their browser its guest cookie)."""
    site = current_site(request)
    story = story_for_page(site=site, slug=slug)
    sort, cursor = _thread_position(request.POST, site)
    if not request.user.is_authenticated and not site.allow_guest_comments:
        return redirect_to_login(_thread_url(story, sort=sort, cursor=cursor))
    form = CommentForm(request.POST)
    status = 400
    if form.is_valid():
        writer, new_token = writer_for_new_comment(request, site)
        try:
            enforce_rate_limit(request, "comment", actor=writer.rate_key, field="body")
            comment = _create_comment(story, writer, form.cleaned_data)
        except ServiceError as error:
            form.add_service_error(error)
            status = error.status_code
        else:
            # A reply appears under its parent, on the page the reader was on; a new comment is newest,
            # so it is first when sorted by "new".
            target = (
                _thread_url(story, sort=sort, cursor=cursor) if comment.parent_id else _thread_url(story, sort="new")
            )
            response = redirect(f"{target}#comment-{comment.pk}")
            if writer.user is None:
                remember_guest(request, response, token=new_token, name=comment.guest_name)
            return response
    is_reply = bool(form.cleaned_data.get("parent"))
    return _render_story(
        request,
        story,
        sort=sort,
        cursor=cursor,
        comment_form=None if is_reply else form,
        reply_form=form if is_reply else None,
        status=status,
    )


def _create_comment(story: Story, writer: Writer, data: dict) -> Comment:
    thread = thread_for_story(story=story)
    parent = None
    if data["parent"]:
        parent = Comment.objects.filter(thread=thread, pk=data["parent"]).first()
        if parent is None:
            raise ServiceError("parent", "the comment you replied to is not in this thread any more")
    return comment_create(
        thread=thread,
        author=writer.user,
        body=data["body"],
        parent=parent,
        is_spoiler=data["is_spoiler"],
        guest_name=data["guest_name"],
        guest_key=writer.guest_key,
    )


def _site_comment_or_404(request: HttpRequest, pk: int) -> Comment:
    """A comment of this site's stories. Another site's comment is a 404, as if it did not exist."""
    return get_object_or_404(
        Comment.objects.select_related("thread__site", "thread__story", "author"),
        pk=pk,
        thread__site=current_site(request),
        thread__story__isnull=False,
    )


def _comment_story_url(comment: Comment) -> str:
    assert comment.thread.story is not None  # _site_comment_or_404 only finds story comments
    return comment.thread.story.get_absolute_url()


@require_POST
def comment_vote_view(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _site_comment_or_404(request, pk)
    back = _safe_next(request, _comment_story_url(comment))
    writer = page_writer(request, current_site(request))
    if writer is None:
        return redirect_to_login(back)
    form = VoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That vote was not understood: use the up or down button.")
    else:
        try:
            enforce_rate_limit(request, "vote", actor=writer.rate_key, field="value")
            comment_vote(
                comment=comment, user=writer.user, guest_key=writer.guest_key, value=form.cleaned_data["value"]
            )
        except ServiceError as error:
            messages.error(request, f"Your vote was not counted: {error.message}.")
    return redirect(f"{back}#comment-{comment.pk}")


def comment_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The author (an account, or the guest whose browser holds the cookie) edits within the edit window."""
    comment = _site_comment_or_404(request, pk)
    story_url = _comment_story_url(comment)
    writer = page_writer(request, current_site(request))
    if writer is None:
        return redirect_to_login(request.get_full_path())
    if not is_author(writer.user, comment, writer.guest_key):
        raise Http404("You can only edit your own comments.")
    if request.method == "POST":
        form = CommentEditForm(request.POST)
        if form.is_valid():
            try:
                comment_edit(
                    comment=comment,
                    user=writer.user,
                    guest_key=writer.guest_key,
                    body=form.cleaned_data["body"],
                    is_spoiler=form.cleaned_data["is_spoiler"],
                )
            except ServiceError as error:
                form.add_service_error(error)
            else:
                messages.success(request, "Your comment was updated.")
                return redirect(f"{_safe_next(request, story_url)}#comment-{comment.pk}")
        status = 400
    else:
        if not can_edit_comment(writer.user, comment, guest_key=writer.guest_key):
            messages.error(
                request,
                f"This comment can no longer be edited: comments can be edited for "
                f"{comment.thread.site.comment_edit_window_minutes} minutes after posting.",
            )
            return redirect(f"{story_url}#comment-{comment.pk}")
        form = CommentEditForm(initial={"body": comment.body_source, "is_spoiler": comment.is_spoiler})
        status = 200
    back = request.POST.get("next") or request.GET.get("next") or story_url
    context = {"comment": comment, "form": form, "story": comment.thread.story, "next": back}
    return render(request, "web/comment_edit.html", context, status=status)


@require_POST
def comment_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _site_comment_or_404(request, pk)
    back = _safe_next(request, _comment_story_url(comment))
    writer = page_writer(request, current_site(request))
    if writer is None:
        return redirect_to_login(back)
    try:
        comment_remove(comment=comment, user=writer.user, guest_key=writer.guest_key)
    except ServiceError as error:
        messages.error(request, f"The comment was not removed: {error.message}.")
        return redirect(f"{back}#comment-{comment.pk}")
    messages.success(request, "Your comment was removed.")
    # A removed comment with replies stays as a placeholder; without replies it is gone from the page.
    anchor = f"comment-{comment.pk}" if comment.reply_count else "comments"
    return redirect(f"{back}#{anchor}")


# --- Ratings ------------------------------------------------------------------------------------


def _film_for_rating(request: HttpRequest, slug: str) -> tuple[Film, str]:
    film = get_object_or_404(Film.objects.prefetch_related("release_dates"), slug=slug)
    return film, _safe_next(request, film.get_absolute_url())


@require_POST
def film_rate(request: HttpRequest, slug: str) -> HttpResponse:
    film, back = _film_for_rating(request, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    site = current_site(request)
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Your rating was not saved: {form.errors['value'][0]}.")
    else:
        value = form.cleaned_data["value"]
        try:
            rating_set(site=site, film=film, user=request.user, value=value)  # type: ignore[arg-type]
        except ServiceError as error:
            messages.error(request, f"Your rating was not saved: {error.message}.")
        else:
            messages.success(request, f"You rated {film.title} {rating_label(value, site.rating_display)}.")
    return redirect(f"{back}#rate-{film.slug}")


@require_POST
def film_rating_remove(request: HttpRequest, slug: str) -> HttpResponse:
    film, back = _film_for_rating(request, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    if rating_remove(site=current_site(request), film=film, user=request.user):  # type: ignore[arg-type]
        messages.success(request, f"Your rating of {film.title} was removed.")
    else:
        messages.info(request, f"You had not rated {film.title}.")
    return redirect(f"{back}#rate-{film.slug}")


# --- Catalogue pages ----------------------------------------------------------------------------


def film_detail(request: HttpRequest, slug: str) -> HttpResponse:
    site = current_site(request)
    page = catalogue.film_page(slug=slug)
    today = _today()
    scores = film_scorecards(site=site, films=[page.film], reader=request.user, today=today)[0]
    context = {
        "page": page,
        "film": page.film,
        "status": film_status(page.film, site.region, today),
        "scores": scores,
        "stories": list(stories_about_film(site=site, film=page.film)),
    }
    url = request.build_absolute_uri(page.film.get_absolute_url())
    context["json_ld"] = json_ld_script(
        movie_json_ld(page=page, scores=scores, url=url, absolute=request.build_absolute_uri)
    )
    context["open_graph"] = movie_open_graph(
        page=page, url=url, absolute=request.build_absolute_uri, site_name=site.name
    )
    return render(request, "web/film_detail.html", context)


def franchise_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = catalogue.franchise_page(slug=slug, region=current_site(request).region)
    return render(request, "web/franchise_detail.html", {"page": page, "franchise": page.franchise})


def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = catalogue.person_page(slug=slug, region=current_site(request).region)
    return render(request, "web/person_detail.html", {"page": page, "person": page.person})


def character_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = catalogue.character_page(slug=slug, region=current_site(request).region)
    return render(request, "web/character_detail.html", {"page": page, "character": page.character})
