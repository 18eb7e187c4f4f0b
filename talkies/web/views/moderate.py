"""The moderation screen, /moderate/: the site's queues, one comment's record, one author's record.

Server-rendered and complete without JavaScript: every action is a form that POSTs and comes back to
the queue where it was. With JavaScript (talkies/static/talkies/moderate.js) the same forms are sent in
the background, items leave the list as they are decided, j/k/a/r/f/b/? work, and new items arrive
over the live stream. Every action goes through talkies.moderation.services, as the API's and the
admin's do.
"""

import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from talkies.accounts.models import User
from talkies.accounts.requests import SiteRequest
from talkies.catalogue.models import Film
from talkies.lib.errors import ServiceError
from talkies.moderation.models import (
    Action,
    AuditEntry,
    AuthorStanding,
    ListedWord,
    ModerationSettings,
    PremoderationRule,
    Report,
)
from talkies.moderation.permissions import (
    Moderator,
    can_configure_moderation,
    can_moderate_comments,
    can_sanction_authors,
)
from talkies.moderation.selectors import (
    QUEUE_LABELS,
    Queue,
    QueueFilter,
    audit_for_author,
    audit_for_comment,
    author_histories,
    queue_counts,
    queue_item,
    queue_page,
)
from talkies.moderation.services import (
    AUTHOR_ACTIONS,
    COMMENT_ACTIONS,
    comment_for_site,
    comments_for_site,
    moderate_author,
    moderate_comment,
    moderate_comments,
    moderation_settings_update,
    premoderation_rule_add,
    premoderation_rule_remove,
    settings_for,
    standing_of,
    word_lists_set,
)
from talkies.stories.models import Story

from .common import current_site, safe_next

PER_PAGE = 25
SUSPENSIONS = {"1d": datetime.timedelta(days=1), "7d": datetime.timedelta(days=7), "30d": datetime.timedelta(days=30)}


def _moderator_or_refusal(request: SiteRequest) -> Moderator | HttpResponse:
    site = current_site(request)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    moderator = Moderator.of_user(request.user, site)  # type: ignore[arg-type]
    if not can_moderate_comments(moderator, site):
        return render(request, "web/moderate/refused.html", status=403)
    return moderator


def _wants_json(request: SiteRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _whole(value: str | None) -> int | None:
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 12 else None


def moderate_queue(request: SiteRequest) -> HttpResponse:
    """GET /moderate/?queue=pending&order=newest&story=&film=&author=&cursor=: one page of a queue."""
    moderator = _moderator_or_refusal(request)
    if isinstance(moderator, HttpResponse):
        return moderator
    site = moderator.site
    queue = request.GET.get("queue") or Queue.PENDING
    order = request.GET.get("order") or "newest"
    filters = QueueFilter(
        story_id=_whole(request.GET.get("story")),
        film_id=_whole(request.GET.get("film")),
        author_id=_author_id(request.GET.get("author", "")),
    )
    error = ""
    try:
        page = queue_page(
            site=site, queue=queue, order=order, filters=filters, cursor=request.GET.get("cursor"), limit=PER_PAGE
        )
    except ServiceError as refused:
        error = refused.message
        queue, order = Queue.PENDING, "newest"
        page = queue_page(site=site, queue=queue, order=order, filters=filters, limit=PER_PAGE)
    base = {
        key: value
        for key, value in {
            "queue": page.queue,
            "order": order,
            "story": request.GET.get("story", ""),
            "film": request.GET.get("film", ""),
            "author": request.GET.get("author", ""),
        }.items()
        if value
    }
    here = f"{request.path}?{urlencode(base)}"
    if request.GET.get("cursor"):
        here += "&" + urlencode({"cursor": request.GET["cursor"]})
    counts = queue_counts(site)
    context = {
        "moderator": moderator,
        "page": page,
        "queue": page.queue,
        "queue_label": QUEUE_LABELS[page.queue],
        "tabs": [(q, QUEUE_LABELS[q], counts[q], f"{request.path}?{urlencode({**base, 'queue': q})}") for q in Queue],
        "order": order,
        "orders": [
            ("newest", "Newest first", f"{request.path}?{urlencode({**base, 'order': 'newest'})}"),
            ("reported", "Most reported first", f"{request.path}?{urlencode({**base, 'order': 'reported'})}"),
        ],
        "filters": base,
        "stories": Story.objects.filter(site=site).order_by("-published_at", "-id").only("id", "title")[:200],
        "films": Film.objects.filter(threads__site=site).distinct().order_by("title").only("id", "title")[:300],
        "next_url": f"{request.path}?{urlencode({**base, 'cursor': page.next_cursor})}" if page.next_cursor else "",
        "first_url": f"{request.path}?{urlencode(base)}" if request.GET.get("cursor") else "",
        "here": here,
        "error": error,
        "can_sanction": can_sanction_authors(moderator, site),
        "report_reasons": dict(Report.Reason.choices),
        "live_site": site.pk,
    }
    return render(request, "web/moderate/queue.html", context)


def _author_id(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if value.isascii() and value.isdigit() and len(value) <= 18:  # "²" is a username, not an id
        return int(value)
    return User.objects.filter(username__iexact=value).values_list("pk", flat=True).first() or 0


def moderate_item(request: SiteRequest, pk: int) -> HttpResponse:
    """One comment as the queue shows it, with its whole audit log. Also the fragment moderate.js
    inserts when an item arrives live (?fragment=1)."""
    moderator = _moderator_or_refusal(request)
    if isinstance(moderator, HttpResponse):
        return moderator
    site = moderator.site
    try:
        comment = comment_for_site(site, pk)
    except ServiceError as error:
        raise Http404(error.message) from error
    item = queue_item(site=site, comment=comment)
    context = {
        "moderator": moderator,
        "item": item,
        "here": request.GET.get("next") or request.path,
        "can_sanction": can_sanction_authors(moderator, site),
        "report_reasons": dict(Report.Reason.choices),
        "audit": audit_for_comment(site=site, comment_id=comment.pk),
    }
    if request.GET.get("fragment"):
        return render(request, "web/moderate/item.html", context)
    return render(request, "web/moderate/comment.html", context)


def moderate_author_page(request: SiteRequest, user_id: int) -> HttpResponse:
    """One author's record on this site: history, standing, every action about them, and the sanctions."""
    moderator = _moderator_or_refusal(request)
    if isinstance(moderator, HttpResponse):
        return moderator
    site = moderator.site
    author = get_object_or_404(User, pk=user_id)
    context = {
        "moderator": moderator,
        "author": author,
        "history": author_histories(site, {author.pk}).get(author.pk),
        "standing": standing_of(site=site, user=author),
        "standing_notes": standing_summary(standing_of(site=site, user=author)),
        "audit": audit_for_author(site=site, user_id=author.pk),
        "can_sanction": can_sanction_authors(moderator, site),
        "queue_url": f"/moderate/?{urlencode({'queue': 'unmoderated', 'author': author.pk})}",
        "now": timezone.now(),
    }
    return render(request, "web/moderate/author.html", context)


@require_POST
def moderate_comment_action(request: SiteRequest, pk: int) -> HttpResponse:
    """POST /moderate/comments/<pk>/: action=approve|reject|… with reason (and body for edit_spoilers)."""
    moderator = _moderator_or_refusal(request)
    if isinstance(moderator, HttpResponse):
        return moderator
    back = safe_next(request, "/moderate/")
    action = request.POST.get("action", "")
    try:
        comment = comment_for_site(moderator.site, pk)
        moderate_comment(
            comment=comment,
            moderator=moderator,
            action=action,
            reason=request.POST.get("reason", ""),
            body=request.POST.get("body") if action == "edit_spoilers" else None,
        )
    except ServiceError as error:
        return _answer(request, back, ok=False, message=f"Comment {pk}: {error.message}.", field=error.field)
    return _answer(request, back, ok=True, message=f"Comment {pk}: {_DONE.get(action, action)}.", comment_id=pk)


_DONE = {
    "approve": "approved",
    "reject": "rejected",
    "remove": "removed",
    "restore": "restored",
    "feature": "featured",
    "unfeature": "no longer featured",
    "mark_spoiler": "marked as a spoiler",
    "unmark_spoiler": "no longer marked as a spoiler",
    "edit_spoilers": "spoiler markup saved",
}
assert set(_DONE) == set(COMMENT_ACTIONS)


@require_POST
def moderate_bulk_action(request: SiteRequest) -> HttpResponse:
    """POST /moderate/bulk/: the same action on the selected comments (comment_ids)."""
    moderator = _moderator_or_refusal(request)
    if isinstance(moderator, HttpResponse):
        return moderator
    back = safe_next(request, "/moderate/")
    ids = [int(i) for i in request.POST.getlist("comment_ids") if i.isascii() and i.isdigit()][:100]
    if not ids:
        return _answer(request, back, ok=False, message="Select at least one comment first.", field="comment_ids")
    action = request.POST.get("action", "")
    found = comments_for_site(moderator.site, ids)
    try:
        outcome = moderate_comments(
            comments=[found[i] for i in dict.fromkeys(ids) if i in found],
            moderator=moderator,
            action=action,
            reason=request.POST.get("reason", ""),
        )
    except ServiceError as error:
        return _answer(request, back, ok=False, message=error.message, field=error.field)
    message = f"{len(outcome.done)} comment(s) {_DONE.get(action, action)}."
    if outcome.failed:
        message += " Not done: " + "; ".join(f"{i}: {why}" for i, why in outcome.failed.items())
    return _answer(request, back, ok=not outcome.failed, message=message, done=outcome.done)


@require_POST
def moderate_author_action(request: SiteRequest, user_id: int) -> HttpResponse:
    """POST /moderate/authors/<user_id>/act/: action=ban|suspend|shadow_ban|premoderate|trust (and their undoing)."""
    author = get_object_or_404(User, pk=user_id)
    return _sanction(request, user=author, guest_key="", back_to=f"/moderate/authors/{user_id}/")


@require_POST
def moderate_guest_action(request: SiteRequest, guest_key: str) -> HttpResponse:
    """POST /moderate/guests/<guest_key>/act/: the same, for a guest known by their key."""
    if not (len(guest_key) == 64 and all(c in "0123456789abcdef" for c in guest_key)):
        raise Http404("No such guest.")
    return _sanction(request, user=None, guest_key=guest_key, back_to="/moderate/")


def _sanction(request: SiteRequest, *, user: User | None, guest_key: str, back_to: str) -> HttpResponse:
    moderator = _moderator_or_refusal(request)
    if isinstance(moderator, HttpResponse):
        return moderator
    back = safe_next(request, back_to)
    name = user.public_name if user is not None else "The guest"
    action = request.POST.get("action", "")
    until = None
    if action == "suspend":
        length = SUSPENSIONS.get(request.POST.get("length", ""))
        if length is None:
            return _answer(request, back, ok=False, message="Choose how long the suspension lasts.", field="length")
        until = timezone.now() + length
    if action not in AUTHOR_ACTIONS:
        return _answer(request, back, ok=False, message=f"There is no action “{action}”.", field="action")
    try:
        moderate_author(
            site=moderator.site,
            moderator=moderator,
            action=action,
            user=user,
            guest_key=guest_key,
            reason=request.POST.get("reason", ""),
            until=until,
        )
    except ServiceError as error:
        return _answer(request, back, ok=False, message=error.message, field=error.field)
    return _answer(request, back, ok=True, message=f"{name}: {action.replace('_', ' ')} done.")


def _answer(request: SiteRequest, back: str, *, ok: bool, message: str, **extra: Any) -> HttpResponse:
    """JSON for moderate.js (which asked for it), else a message and a redirect back to the queue."""
    if _wants_json(request):
        return JsonResponse({"ok": ok, "message": message, **extra}, status=200 if ok else 400)
    (messages.success if ok else messages.error)(request, message)
    return redirect(back)


def standing_summary(standing: AuthorStanding | None) -> list[str]:
    if standing is None:
        return []
    now = timezone.now()
    notes = []
    if standing.is_banned:
        notes.append("banned")
    if standing.suspended_until and standing.suspended_until > now:
        notes.append(f"suspended until {standing.suspended_until:%Y-%m-%d %H:%M}")
    if standing.is_shadow_banned:
        notes.append("shadow-banned")
    if standing.always_premoderate:
        notes.append("always pre-moderated")
    if standing.is_trusted:
        notes.append("trusted")
    return notes


def moderate_settings(request: SiteRequest) -> HttpResponse:
    """/moderate/settings/: the site's pre-moderation rules, word lists and signal settings, for its
    moderators and admins (who need no Django admin access for it). Every change is in the audit log."""
    moderator = _moderator_or_refusal(request)
    if isinstance(moderator, HttpResponse):
        return moderator
    site = moderator.site
    if not can_configure_moderation(moderator, site):
        return render(request, "web/moderate/refused.html", {"configure": True}, status=403)
    if request.method == "POST":
        try:
            _save_settings(request, moderator)
        except ServiceError as error:
            messages.error(request, f"Not saved: {error.message}.")
        else:
            messages.success(request, "Saved.")
        return redirect("moderate-settings")
    words = ListedWord.objects.filter(site=site).order_by("word")
    context = {
        "moderator": moderator,
        "settings": settings_for(site),
        "actions": Action.choices,
        "spoiler_actions": ModerationSettings._meta.get_field("spoiler_action").choices,
        "banned": "\n".join(w.word for w in words if w.kind == ListedWord.Kind.BANNED),
        "suspect": "\n".join(w.word for w in words if w.kind == ListedWord.Kind.SUSPECT),
        "rules": PremoderationRule.objects.filter(site=site).select_related("story", "film", "user").order_by("id"),
        "scopes": PremoderationRule.Scope.choices,
        "stories": Story.objects.filter(site=site).order_by("-published_at", "-id").only("id", "title")[:200],
        "films": Film.objects.order_by("title").only("id", "title")[:500],
        "audit": AuditEntry.objects.filter(site=site, action__in=CONFIG_ACTIONS).order_by("-created_at", "-id")[:20],
    }
    return render(request, "web/moderate/settings.html", context)


CONFIG_ACTIONS = ("settings", "word_lists", "rule_added", "rule_removed")


def _save_settings(request: SiteRequest, moderator: Moderator) -> None:
    site, post = moderator.site, request.POST
    form = post.get("form")
    if form == "words":
        word_lists_set(
            site=site,
            moderator=moderator,
            banned=post.get("banned", "").splitlines(),
            suspect=post.get("suspect", "").splitlines(),
        )
    elif form == "settings":
        changes: dict[str, Any] = {"bad_domains": post.get("bad_domains", ""), "digest_emails": "digest_emails" in post}
        for name in ("toxicity", "spam", "spoiler"):
            changes[f"{name}_action"] = post.get(f"{name}_action", "")
            changes[f"{name}_threshold"] = _number(post.get(f"{name}_threshold", "0"), f"{name}_threshold")
        changes["reports_to_queue"] = int(_number(post.get("reports_to_queue", "1"), "reports_to_queue"))
        moderation_settings_update(site=site, moderator=moderator, changes=changes)
    elif form == "add_rule":
        user = None
        if post.get("username"):
            user = User.objects.filter(username__iexact=post["username"].strip()).first()
            if user is None:
                raise ServiceError("username", f"there is no user called {post['username'].strip()!r}")
        needed = int(_number(post.get("approved_comments_needed", "1"), "approved_comments_needed"))
        premoderation_rule_add(
            site=site,
            moderator=moderator,
            scope=post.get("scope", ""),
            story=Story.objects.filter(site=site, pk=_whole(post.get("story")) or 0).first(),
            film=Film.objects.filter(pk=_whole(post.get("film")) or 0).first(),
            user=user,
            approved_comments_needed=needed,
        )
    elif form == "remove_rule":
        rule = PremoderationRule.objects.filter(site=site, pk=_whole(post.get("rule")) or 0).first()
        if rule is None:
            raise ServiceError("rule", "that rule is gone already")
        premoderation_rule_remove(rule=rule, moderator=moderator)
    else:
        raise ServiceError("form", "that form was not understood")


def _number(value: str, field: str) -> float:
    try:
        return float(value.strip() or "0")
    except ValueError:
        raise ServiceError(field, f"{field} must be a number, not {value!r}") from None
