"""What makes a signed-in reader's story page theirs: the parts of the shared shell that differ for them
(web/reader_shell.py says why there is a shell).

site.js asks with the page's own query (sort, cursor, spoilers) and the ids of the comments the shell
shows (`shown`, and `featured` for the featured ones). For an account, the shell's view of a comment and
the reader's differ only where the comment is theirs, they voted on it or they reported it
(comments.permissions: every other predicate is the same for any active account), so those comments are
loaded by id and rendered, and nothing else is: no page of the thread is built. Where that does not hold,
the whole thread is rendered for them, as the page would be (a moderator, who may feature any comment and
close the thread; a reader with a held comment of their own, which only they see and which may move the
page).
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET

from talkies.accounts.actors import Actor
from talkies.accounts.requests import SiteRequest
from talkies.comments.models import Comment, Thread
from talkies.comments.permissions import can_moderate_site, thread_is_open
from talkies.comments.selectors import HELD, CommentNode, spoiler_shield_ends
from talkies.moderation.models import Report
from talkies.moderation.selectors import reported_by
from talkies.ratings.models import Rating
from talkies.ratings.selectors import ratings_by_users
from talkies.scorecard.selectors import FilmScorecard, film_scorecards
from talkies.stories.models import Story

from ..selectors import story_for_page, user_votes
from ..threads import ThreadViews
from .common import current_site, today
from .stories import SORT_COOKIE, _hides_spoilers, _permalink, _story_thread, story_context, thread_position, thread_url

# The most comment ids a state request names: a page shows 30 comments and a few replies under each.
MAX_SHOWN = 400


@require_GET
def story_reader_state(request: SiteRequest, slug: str) -> JsonResponse:
    """{"reload": false, "parts": {part name: HTML}}: the shell's parts that differ for this reader,
    rendered for them; {"reload": true} for a session that names nobody (its cookie is removed)."""
    site = current_site(request)
    if not request.user.is_authenticated:
        response = JsonResponse({"reload": True, "parts": {}})
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            # Else the reload would get the shell again, from a session that names nobody.
            response.delete_cookie(settings.SESSION_COOKIE_NAME, path=settings.SESSION_COOKIE_PATH)
        return _never_cached(response)
    story = story_for_page(site=site, slug=slug)
    thread = _story_thread(story)
    actor: Actor = request.actor
    if thread is not None and (can_moderate_site(actor, site) or _has_held_comment(actor, thread)):
        return _never_cached(JsonResponse({"reload": False, "parts": _whole_page_parts(request, story)}))
    sort, cursor = thread_position(request.GET, site, remembered=request.COOKIES.get(SORT_COOKIE, ""))
    hide_spoilers = _hides_spoilers(request.GET)
    context = {
        "story": story,
        "thread": thread,
        "sort": sort,
        "cursor": cursor,
        "hide_spoilers": hide_spoilers,
        "page_url": thread_url(story, sort=sort, cursor=cursor, hide_spoilers=hide_spoilers),
        "thread_open": thread is None or thread_is_open(thread),
        "as_guest": False,
        "guest_name": "",
        "can_moderate": False,
        "report_reasons": Report.Reason.choices,
        "reply_form": None,
        "reply_to": None,
    }
    parts: dict[str, str] = {"account": render_to_string("account_nav.html", context, request)}
    parts.update(_rating_parts(request, story, context))
    if thread is not None:
        parts.update(_comment_parts(request, story, thread, context))
    return _never_cached(JsonResponse({"reload": False, "parts": parts}))


def _never_cached(response: JsonResponse) -> JsonResponse:
    add_never_cache_headers(response)
    return response


def _has_held_comment(actor: Actor, thread: Thread) -> bool:
    return Comment.objects.filter(thread=thread, author=actor.user, status__in=HELD).exists()


def _whole_page_parts(request: SiteRequest, story: Story) -> dict[str, str]:
    """The reader's page built as Django renders it, and its account, rating and thread parts from it."""
    sort, cursor = thread_position(request.GET, current_site(request), remembered=request.COOKIES.get(SORT_COOKIE, ""))
    context = story_context(request, story, sort=sort, cursor=cursor)
    parts: dict[str, str] = {"account": render_to_string("account_nav.html", context, request)}
    for scores in context["film_scores"]:
        parts[f"rating-{scores.film.slug}"] = _rating_widget(request, context, scores)
    parts["thread"] = render_to_string("web/partials/thread.html", context, request)
    return parts


def _rating_widget(request: SiteRequest, context: dict, scores: FilmScorecard) -> str:
    return render_to_string(
        "web/partials/rating_widget.html", {**context, "scores": scores, "film": scores.film}, request
    )


def _rating_parts(request: SiteRequest, story: Story, context: dict) -> dict[str, str]:
    """The rating widgets of the films the reader rated (the shell's say "Rate it")."""
    films = list(story.films.all())
    rated = set(
        Rating.objects.filter(site=current_site(request), user=request.actor.user, film__in=films).values_list(
            "film_id", flat=True
        )
    )
    if not rated:
        return {}
    scorecards = film_scorecards(
        site=current_site(request), films=[f for f in films if f.pk in rated], reader=request.user, today=today()
    )
    return {f"rating-{scores.film.slug}": _rating_widget(request, context, scores) for scores in scorecards}


def _shown_ids(request: SiteRequest, name: str) -> list[int]:
    ids = []
    for value in request.GET.get(name, "").split(",")[:MAX_SHOWN]:
        if value.isascii() and value.isdigit() and len(value) <= 18:  # isdigit() alone takes "²"
            ids.append(int(value))
    return ids


def _comment_parts(request: SiteRequest, story: Story, thread: Thread, context: dict) -> dict[str, str]:
    """The cards of the shown comments the reader wrote, voted on or reported, rendered for them."""
    shown, featured = _shown_ids(request, "shown"), set(_shown_ids(request, "featured"))
    actor: Actor = request.actor
    ids = set(shown) | featured
    user_id = actor.user.pk if actor.user is not None else None
    votes = user_votes(actor=actor, comment_ids=list(ids))
    reported = reported_by(actor=actor, comment_ids=list(ids))
    theirs = set(Comment.objects.filter(thread=thread, pk__in=ids, author_id=user_id).values_list("pk", flat=True))
    mine = theirs | votes.keys() | reported
    if not mine:
        return {}
    # Shown to everyone (the shell showed them), or theirs: nothing else is rendered, whatever was asked.
    comments = list(
        Comment.objects.filter(Q(author_id=user_id) | ~Q(status__in=HELD), thread=thread, pk__in=mine)
        .select_related("author")
        .order_by("pk")
    )
    now = timezone.now()
    views = _views(request, story, thread, actor, now)
    views.prepare([CommentNode(c) for c in comments])
    badges = _badges(thread, comments)
    parts: dict[str, str] = {}
    for comment in comments:
        for prefix, wanted, badge in (
            ("comment", comment.pk in shown, badges.get(comment.pk)),
            ("featured", comment.pk in featured, None),  # featured cards carry no badge (threads.plain)
        ):
            if wanted:
                view = views.view(CommentNode(comment, author_rating=badge), level=0, with_replies=False)
                parts[f"{prefix}-{comment.pk}"] = render_to_string(
                    "web/partials/comment_article.html", {**context, "view": view, "part_prefix": prefix}, request
                )
    return parts


def _views(request: SiteRequest, story: Story, thread: Thread, actor: Actor, now: datetime.datetime) -> ThreadViews:
    films = list(story.films.all())
    film = next((f for f in films if f.pk == thread.film_id), None)
    shield_ends = spoiler_shield_ends(site=thread.site, film=film)
    return ThreadViews(
        thread=thread,
        actor=actor,
        now=now,
        permalink=lambda comment, cursor: _permalink(story, comment, cursor),
        can_moderate=False,
        shield=shield_ends is not None and today() < shield_ends,
    )


def _badges(thread: Thread, comments: list[Comment]) -> dict[int, int]:
    """{comment id: its author's rating of the thread's film}, for top-level comments, as pages show them."""
    tops = [c for c in comments if c.parent_id is None and c.author_id]
    if not thread.film_id or not tops:
        return {}
    ratings = ratings_by_users(site=thread.site, film=thread.film, user_ids={c.author_id for c in tops})  # type: ignore[arg-type,misc]
    return {c.pk: ratings[c.author_id] for c in tops if c.author_id in ratings}
