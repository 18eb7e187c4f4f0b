"""Acting on a thread from the story page: posting, voting, editing, removing, featuring, closing.

Every action on an existing comment opens the same way (comment_action): find the comment among this
site's, or 404; know who is acting, or send them to log in; count the attempt against the rate limit;
and, whatever the service then says, go back to the comment on the page the form came from.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from talkies.accounts.actors import Actor
from talkies.accounts.requests import SiteRequest
from talkies.comments.models import Comment
from talkies.comments.permissions import can_edit_comment, is_author
from talkies.comments.services import (
    comment_create,
    comment_edit,
    comment_remove,
    comment_set_featured,
    comment_vote,
    thread_for_story,
    thread_set_closed,
)
from talkies.lib.errors import ServiceError
from talkies.lib.markdown import contains_inline_spoiler
from talkies.lib.ratelimit import enforce_rate_limit
from talkies.moderation.services import comment_report
from talkies.moderation.site_config import spoiler_suggestion
from talkies.stories.models import Story

from ..forms import CommentEditForm, CommentForm, VoteForm
from ..guests import actor_for_new_comment, remember_guest
from ..selectors import story_for_page
from .common import current_site, safe_next
from .stories import render_story, thread_position, thread_url


@dataclass(frozen=True)
class CommentAction:
    """One reader's action on one comment of this site, and the page to go back to afterwards."""

    request: SiteRequest
    comment: Comment
    actor: Actor
    # The story page the form came from (its `next`, if on this site), else the comment's story.
    back: str
    story_url: str

    def back_to_comment(self) -> HttpResponse:
        return redirect(f"{self.back}#comment-{self.comment.pk}")


ActionView = Callable[[CommentAction], HttpResponse]


def comment_action(
    *, refused: Callable[[SiteRequest], str], accounts_only: bool = False, rate_limit: tuple[str, str] | None = None
) -> Callable[[ActionView], Callable[[SiteRequest, int], HttpResponse]]:
    """Open an action on comment `pk` once for every view that acts on one.

    The reader must be known (an account, or a guest by their cookie; an account only with
    `accounts_only`), else they are sent to log in and come back. `rate_limit` is the (action, field) the
    attempt counts against. A ServiceError from the limit or from the view is shown as a message,
    `refused(request)` followed by its reason, back on the comment.
    """

    def decorate(view: ActionView) -> Callable[[SiteRequest, int], HttpResponse]:
        @wraps(view)
        def opened(request: SiteRequest, pk: int) -> HttpResponse:
            comment = _site_comment_or_404(request, pk)
            assert comment.thread.story is not None  # _site_comment_or_404 only finds story comments
            story_url = comment.thread.story.get_absolute_url()
            back = safe_next(request, story_url)
            actor = request.actor
            if not (actor.is_account if accounts_only else actor.is_identified):
                # A form shown by a GET comes back to itself after the login; a POST to the page it was on.
                return redirect_to_login(request.get_full_path() if request.method == "GET" else back)
            action = CommentAction(request=request, comment=comment, actor=actor, back=back, story_url=story_url)
            try:
                if rate_limit is not None:
                    limited, field = rate_limit
                    enforce_rate_limit(request, limited, actor=actor.rate_key, field=field)
                return view(action)
            except ServiceError as error:
                messages.error(request, f"{refused(request)}: {error.message}.")
                return action.back_to_comment()

        return opened

    return decorate


def _site_comment_or_404(request: SiteRequest, pk: int) -> Comment:
    """A comment of this site's stories. Another site's comment is a 404, as if it did not exist."""
    return get_object_or_404(
        Comment.objects.select_related("thread__site", "thread__story", "author"),
        pk=pk,
        thread__site=current_site(request),
        thread__story__isnull=False,
    )


def _featuring(request: SiteRequest) -> bool:
    return request.POST.get("featured") == "1"


@require_POST
@comment_action(
    accounts_only=True,
    refused=lambda request: f"The comment was not {'featured' if _featuring(request) else 'unfeatured'}",
)
def comment_feature_view(action: CommentAction) -> HttpResponse:
    """An editor features a comment above the thread, or stops featuring it."""
    featured = _featuring(action.request)
    assert action.actor.user is not None  # accounts_only
    comment_set_featured(comment=action.comment, user=action.actor.user, featured=featured)
    messages.success(
        action.request, "Comment featured above the thread." if featured else "Comment no longer featured."
    )
    return action.back_to_comment()


@require_POST
@comment_action(refused=lambda request: "Your vote was not counted", rate_limit=("vote", "value"))
def comment_vote_view(action: CommentAction) -> HttpResponse:
    form = VoteForm(action.request.POST)
    if not form.is_valid():
        messages.error(action.request, "That vote was not understood: use the up or down button.")
    else:
        comment_vote(comment=action.comment, actor=action.actor, value=form.cleaned_data["value"])
    return action.back_to_comment()


@comment_action(refused=lambda request: "Your comment was not updated")
def comment_edit_view(action: CommentAction) -> HttpResponse:
    """The author (an account, or the guest whose browser holds the cookie) edits within the edit window."""
    request, comment, actor = action.request, action.comment, action.actor
    if not is_author(actor, comment):
        raise Http404("You can only edit your own comments.")
    if request.method == "POST":
        form = CommentEditForm(request.POST)
        if form.is_valid():
            try:
                comment_edit(
                    comment=comment,
                    actor=actor,
                    body=form.cleaned_data["body"],
                    is_spoiler=form.cleaned_data["is_spoiler"],
                )
            except ServiceError as error:
                form.add_service_error(error)
            else:
                messages.success(request, "Your comment was updated.")
                return action.back_to_comment()
        status = 400
    else:
        if not can_edit_comment(actor, comment):
            messages.error(
                request,
                f"This comment can no longer be edited: comments can be edited for "
                f"{comment.thread.site.comment_edit_window_minutes} minutes after posting.",
            )
            return redirect(f"{action.story_url}#comment-{comment.pk}")
        form = CommentEditForm(initial={"body": comment.body_source, "is_spoiler": comment.is_spoiler})
        status = 200
    back = request.POST.get("next") or request.GET.get("next") or action.story_url
    context = {"comment": comment, "form": form, "story": comment.thread.story, "next": back}
    return render(request, "web/comment_edit.html", context, status=status)


@require_POST
@comment_action(refused=lambda request: "The comment was not removed")
def comment_remove_view(action: CommentAction) -> HttpResponse:
    comment = comment_remove(comment=action.comment, actor=action.actor)
    messages.success(action.request, "Your comment was removed.")
    # A removed comment with replies stays as a placeholder; without replies it is gone from the page.
    anchor = f"comment-{comment.pk}" if comment.reply_count else "comments"
    return redirect(f"{action.back}#{anchor}")


@require_POST
@comment_action(refused=lambda request: "Your report was not sent", rate_limit=("report", "reason"))
def comment_report_view(action: CommentAction) -> HttpResponse:
    """A reader reports a comment to the moderators, with a reason."""
    post = action.request.POST
    comment_report(comment=action.comment, actor=action.actor, reason=post.get("reason", ""), text=post.get("text", ""))
    messages.success(action.request, "Thank you: the moderators will look at that comment.")
    return action.back_to_comment()


@require_POST
def thread_close_view(request: SiteRequest, slug: str) -> HttpResponse:
    """An editor closes the story's thread to new comments, or reopens it."""
    story = story_for_page(site=current_site(request), slug=slug)
    back = safe_next(request, story.get_absolute_url())
    user = request.actor.user
    if user is None:
        return redirect_to_login(back)
    closed = request.POST.get("closed") == "1"
    try:
        thread_set_closed(thread=thread_for_story(story=story), user=user, closed=closed)
    except ServiceError as error:
        messages.error(request, f"The thread was not {'closed' if closed else 'reopened'}: {error.message}.")
    else:
        messages.success(request, "The thread is closed to new comments." if closed else "The thread is open again.")
    return redirect(f"{back}#comments")


@require_POST
def comment_post(request: SiteRequest, slug: str) -> HttpResponse:
    """A new top-level comment, or a reply when the form names a parent; by an account, or by a guest where
    the site takes guest comments (their first comment gives their browser its guest cookie)."""
    site = current_site(request)
    story = story_for_page(site=site, slug=slug)
    sort, cursor = thread_position(request.POST, site)
    if not request.actor.is_account and not site.allow_guest_comments:
        return redirect_to_login(thread_url(story, sort=sort, cursor=cursor))
    form = CommentForm(request.POST)
    status = 400
    if form.is_valid() and _should_ask_about_spoilers(request, story, form):
        status = 200  # not refused: the reader is asked once, and posts as it is or ticks the box
    elif form.is_valid():
        author, new_token = actor_for_new_comment(request)
        try:
            enforce_rate_limit(request, "comment", actor=author.rate_key, field="body")
            comment = _create_comment(story, author, form.cleaned_data)
        except ServiceError as error:
            form.add_service_error(error)
            status = error.status_code
        else:
            # A reply appears under its parent, on the page the reader was on; a new comment is newest,
            # so it is first when sorted by "new".
            target = thread_url(story, sort=sort, cursor=cursor) if comment.parent_id else thread_url(story, sort="new")
            response = redirect(f"{target}#comment-{comment.pk}")
            if not author.is_account:
                remember_guest(request, response, token=new_token, name=comment.guest_name)
            return response
    is_reply = bool(form.cleaned_data.get("parent"))
    return render_story(
        request,
        story,
        sort=sort,
        cursor=cursor,
        comment_form=None if is_reply else form,
        reply_form=form if is_reply else None,
        status=status,
    )


def _should_ask_about_spoilers(request: SiteRequest, story: Story, form: CommentForm) -> bool:
    """Whether to show the form again once, suggesting the spoiler tag, before posting: when the text looks
    like it gives the film away and the reader neither tagged it nor has been asked already."""
    data = form.cleaned_data
    if data["is_spoiler"] or request.POST.get("spoiler_checked") or contains_inline_spoiler(data["body"]):
        return False
    thread = thread_for_story(story=story)
    if thread.film_id is None:
        return False
    suggestion = spoiler_suggestion(thread=thread, body=data["body"])
    form.spoiler_hint = suggestion.reasons or ["it may give away what happens"]  # type: ignore[attr-defined]
    return suggestion.suggest


def _create_comment(story: Story, author: Actor, data: dict) -> Comment:
    thread = thread_for_story(story=story)
    parent = None
    if data["parent"]:
        parent = Comment.objects.filter(thread=thread, pk=data["parent"]).first()
        if parent is None:
            raise ServiceError("parent", "the comment you replied to is not in this thread any more")
    return comment_create(
        thread=thread,
        author=author,
        body=data["body"],
        parent=parent,
        is_spoiler=data["is_spoiler"],
        guest_name=data["guest_name"],
    )
