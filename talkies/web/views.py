"""The standalone website: home, story, film, franchise, person and character pages, and their forms.

Reads go through selectors, writes through the services, so a page behaves exactly like the API. Every
write is a POST that redirects back to the page it came from (to the comment it touched, by its
#comment-<id> anchor); when a service refuses the input, the page is rendered again with the message
beside the field and the reader's text still in it.
"""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from talkies.accounts.models import Site
from talkies.catalogue import selectors as catalogue
from talkies.catalogue.models import Film
from talkies.catalogue.status import film_status
from talkies.comments.models import Comment, Thread
from talkies.comments.permissions import can_edit_comment
from talkies.comments.selectors import SORTS, thread_page
from talkies.comments.services import (
    comment_create,
    comment_edit,
    comment_remove,
    comment_vote,
    thread_for_story,
)
from talkies.lib.errors import ServiceError
from talkies.ratings.services import rating_remove, rating_set
from talkies.stories.models import Story

from .display import rating_label
from .forms import CommentEditForm, CommentForm, RatingForm, VoteForm
from .selectors import film_scores, latest_stories, stories_about_film, story_for_page
from .structured_data import json_ld_script, movie_json_ld, movie_open_graph
from .threads import CommentView, comment_views

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


def story_detail(request: HttpRequest, slug: str) -> HttpResponse:
    site = current_site(request)
    story = story_for_page(site=site, slug=slug)
    sort, cursor = _thread_position(request.GET, site)
    return _render_story(request, story, sort=sort, cursor=cursor)


def _thread_position(data: QueryDict, site: Site) -> tuple[str, str]:
    """The sort and page the reader is looking at (from the query string, or a form's hidden fields)."""
    sort = data.get("sort", "")
    if sort not in SORTS:
        sort = site.default_comment_sort
    return sort, data.get("cursor", "")


def _thread_url(story: Story, *, sort: str, cursor: str = "") -> str:
    query = {"sort": sort, **({"cursor": cursor} if cursor else {})}
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
    comments: list[CommentView] = []
    next_cursor, thread_error = None, ""
    if thread is not None:
        try:
            page = thread_page(thread=thread, sort=sort, cursor=cursor or None, limit=COMMENTS_PER_PAGE)
        except ServiceError as error:  # a stale or edited cursor: show the first page and say why
            thread_error, cursor = error.message, ""
            page = thread_page(thread=thread, sort=sort, limit=COMMENTS_PER_PAGE)
        comments = comment_views(page, user=request.user, now=timezone.now())
        next_cursor = page.next_cursor

    reply_to = reply_form.cleaned_data.get("parent") if reply_form is not None else None
    if reply_form is not None and not _shows_comment(comments, reply_to):
        # The comment being answered is no longer on the page (removed, or on another page): keep the
        # reader's text in the main form rather than lose it.
        comment_form, reply_form, reply_to = reply_form, None, None
        comment_form.add_error(None, "The comment you replied to is not shown any more; your text is below.")

    page_url = _thread_url(story, sort=sort, cursor=cursor)
    context = {
        "story": story,
        "film_scores": film_scores(site=site, films=films, user=request.user, today=_today()),
        "thread": thread,
        "comments": comments,
        "sort": sort,
        "sorts": [(value, label, _thread_url(story, sort=value)) for value, label in Site.CommentSort.choices],
        "cursor": cursor,
        "next_page_url": _thread_url(story, sort=sort, cursor=next_cursor) if next_cursor else "",
        "first_page_url": _thread_url(story, sort=sort) if cursor else "",
        "thread_error": thread_error,
        "thread_open": thread is None or not thread.is_closed,
        "page_url": page_url,
        "comment_form": comment_form or CommentForm(),
        "reply_form": reply_form,
        "reply_to": reply_to,
    }
    return render(request, "web/story_detail.html", context, status=status)


def _shows_comment(comments: list[CommentView], comment_id: int | None) -> bool:
    return any(v.comment.pk == comment_id or _shows_comment(v.replies, comment_id) for v in comments)


@require_POST
def comment_post(request: HttpRequest, slug: str) -> HttpResponse:
    """A new top-level comment, or a reply when the form names a parent."""
    site = current_site(request)
    story = story_for_page(site=site, slug=slug)
    sort, cursor = _thread_position(request.POST, site)
    if not request.user.is_authenticated:
        return redirect_to_login(_thread_url(story, sort=sort, cursor=cursor))
    form = CommentForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            comment = _create_comment(story, request, form.cleaned_data)
        except ServiceError as error:
            form.add_service_error(error)
            status = error.status_code
        else:
            # A reply appears under its parent, on the page the reader was on; a new comment is newest,
            # so it is first when sorted by "new".
            target = (
                _thread_url(story, sort=sort, cursor=cursor) if comment.parent_id else _thread_url(story, sort="new")
            )
            return redirect(f"{target}#comment-{comment.pk}")
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


def _create_comment(story: Story, request: HttpRequest, data: dict) -> Comment:
    thread = thread_for_story(story=story)
    parent = None
    if data["parent"]:
        parent = Comment.objects.filter(thread=thread, pk=data["parent"]).first()
        if parent is None:
            raise ServiceError("parent", "the comment you replied to is not in this thread any more")
    return comment_create(
        thread=thread,
        author=request.user,  # type: ignore[arg-type]
        body=data["body"],
        parent=parent,
        is_spoiler=data["is_spoiler"],
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
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    form = VoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That vote was not understood: use the up or down button.")
    else:
        try:
            comment_vote(comment=comment, user=request.user, value=form.cleaned_data["value"])  # type: ignore[arg-type]
        except ServiceError as error:
            messages.error(request, f"Your vote was not counted: {error.message}.")
    return redirect(f"{back}#comment-{comment.pk}")


@login_required
def comment_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _site_comment_or_404(request, pk)
    story_url = _comment_story_url(comment)
    if comment.author_id != request.user.pk:
        raise Http404("You can only edit your own comments.")
    if request.method == "POST":
        form = CommentEditForm(request.POST)
        if form.is_valid():
            try:
                comment_edit(
                    comment=comment,
                    user=request.user,  # type: ignore[arg-type]
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
        if not can_edit_comment(request.user, comment):
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
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    try:
        comment_remove(comment=comment, user=request.user)  # type: ignore[arg-type]
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
    scores = film_scores(site=site, films=[page.film], user=request.user, today=today)[0]
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
