"""Moderation's writes: decisions on comments and authors, reader reports, and the audit log of them all.

Every decision goes through here, whether it comes from the /moderate/ screen, the JSON API (a
moderator's session or a site's API key), the Django admin or a rule: each checks the moderator's role
(talkies.moderation.permissions), changes the comment through the comments services (which keep the
counters and announce the thread event), updates the comment's queue entry and writes one audit entry.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from talkies.accounts.actors import Actor
from talkies.accounts.models import Site, User
from talkies.catalogue.models import Film
from talkies.comments.models import Comment
from talkies.comments.permissions import can_report_comment, is_author
from talkies.comments.services import comment_feature, comment_set_spoiler, comment_set_status
from talkies.lib.errors import NotFound, PermissionDenied, ServiceError
from talkies.stories.models import Story

from .config_snapshot import bump_config_version
from .events import ModerationEvent, ModerationEventKind, moderation_changed
from .models import AuditEntry, AuthorStanding, ListedWord, ModerationSettings, PremoderationRule, QueueEntry, Report
from .permissions import (
    Moderator,
    can_configure_moderation,
    can_moderate_comments,
    can_sanction_authors,
    role_on_site,
)

REASON_MAX = 500


# --- Settings -----------------------------------------------------------------------------------------


def settings_for(site: Site) -> ModerationSettings:
    """The site's moderation settings; the defaults (unsaved) for a site that never changed them."""
    found = ModerationSettings.objects.filter(site=site).first()
    return found if found is not None else ModerationSettings(site=site)


# --- The audit log ------------------------------------------------------------------------------------


def audit(
    *,
    site: Site,
    action: str,
    actor_label: str,
    actor: User | None = None,
    comment: Comment | None = None,
    subject_user_id: int | None = None,
    subject_guest_key: str = "",
    reason: str = "",
    status_before: str = "",
    status_after: str = "",
) -> AuditEntry:
    if comment is not None and subject_user_id is None and not subject_guest_key:
        subject_user_id, subject_guest_key = comment.author_id, comment.guest_key
    return AuditEntry.objects.create(
        site=site,
        comment_id=comment.pk if comment is not None else None,
        subject_user_id=subject_user_id,
        subject_guest_key=subject_guest_key,
        actor_id=actor.pk if actor is not None else None,
        actor_label=actor_label[:150],
        action=action,
        reason=reason[:REASON_MAX],
        status_before=status_before,
        status_after=status_after,
    )


# --- Queue entries ------------------------------------------------------------------------------------


def entry_for(comment: Comment) -> QueueEntry:
    """The comment's queue entry, made on first need for comments older than moderation (or imported)."""
    entry = QueueEntry.objects.filter(comment=comment).first()
    if entry is not None:
        return entry
    entry, _ = QueueEntry.objects.get_or_create(
        comment=comment,
        defaults={
            "site_id": comment.thread.site_id,
            "status": comment.status,
            "created_at": comment.created_at,
            "author_id": comment.author_id,
        },
    )
    return entry


# --- Decisions on comments ----------------------------------------------------------------------------

COMMENT_ACTIONS = (
    "approve",
    "reject",
    "remove",
    "restore",
    "feature",
    "unfeature",
    "mark_spoiler",
    "unmark_spoiler",
    "edit_spoilers",
)
REMOVED_NOTICE = "A moderator removed your comment."


def _reject_notice(reason: str) -> str:
    return f"A moderator rejected your comment: {reason}" if reason else "A moderator rejected your comment."


def moderate_comment(
    *, comment: Comment, moderator: Moderator, action: str, reason: str = "", body: str | None = None
) -> Comment:
    """Do one of COMMENT_ACTIONS to `comment`, as `moderator`, and log it.

    - approve: publish it (from pending, rejected or shadowed; or confirm a published one), and take it
      out of the reported and unmoderated queues;
    - reject: take it off the thread; its author is told, with `reason`;
    - remove: take a published comment down without a reason to its author (its replies stay, under a
      "removed by a moderator" placeholder, as for a rejected one); restore undoes either;
    - feature / unfeature; mark_spoiler / unmark_spoiler; edit_spoilers: `body` with only the >!…!<
      markers moved or added.
    """
    site = comment.thread.site
    if action not in COMMENT_ACTIONS:
        raise ServiceError("action", f"action must be one of {', '.join(COMMENT_ACTIONS)}, not {action!r}")
    if not can_moderate_comments(moderator, site):
        raise PermissionDenied("comment", f"only {site.name}'s editors and moderators can moderate its comments")
    reason = " ".join(reason.split())
    if len(reason) > REASON_MAX:
        raise ServiceError("reason", f"reason is too long (the maximum is {REASON_MAX} characters)")
    before = comment.status
    with transaction.atomic():
        _ACTIONS[action](comment, moderator, reason, body)
        entry = entry_for(comment)
        entry.status = comment.status
        entry.is_moderated = True
        if action in ("approve", "reject", "remove", "restore"):
            # Decided: reports so far are answered, and only new ones count towards the queue again.
            entry.is_reported = False
            entry.report_count = 0
        entry.save(update_fields=["status", "is_moderated", "is_reported", "report_count"])
        audit(
            site=site,
            action=action,
            actor_label=moderator.label,
            actor=moderator.user,
            comment=comment,
            reason=reason,
            status_before=before,
            status_after=comment.status,
        )
        if action == "reject":
            _tell_author_by_email(comment)
    return comment


def _approve(comment: Comment, moderator: Moderator, reason: str, body: str | None) -> None:
    if comment.status != Comment.Status.APPROVED:
        comment_set_status(comment=comment, status=Comment.Status.APPROVED)


def _reject(comment: Comment, moderator: Moderator, reason: str, body: str | None) -> None:
    if comment.status == Comment.Status.REJECTED:
        raise ServiceError("comment", "this comment has already been rejected")
    comment_set_status(comment=comment, status=Comment.Status.REJECTED, notice=_reject_notice(reason))


def _remove(comment: Comment, moderator: Moderator, reason: str, body: str | None) -> None:
    if comment.status != Comment.Status.APPROVED:
        raise ServiceError("comment", "only a published comment can be removed: reject a held one instead")
    comment_set_status(comment=comment, status=Comment.Status.REJECTED, notice=REMOVED_NOTICE)


def _restore(comment: Comment, moderator: Moderator, reason: str, body: str | None) -> None:
    # One its author removed goes on to comment_set_status, whose refusal says that its author removed it.
    if comment.status not in (Comment.Status.REJECTED, Comment.Status.REMOVED):
        raise ServiceError("comment", "only a rejected or removed comment can be restored")
    comment_set_status(comment=comment, status=Comment.Status.APPROVED)


def _feature(comment: Comment, moderator: Moderator, reason: str, body: str | None) -> None:
    comment_feature(comment=comment, featured=True, featured_by=moderator.user)


def _unfeature(comment: Comment, moderator: Moderator, reason: str, body: str | None) -> None:
    comment_feature(comment=comment, featured=False, featured_by=moderator.user)


def _mark_spoiler(comment: Comment, moderator: Moderator, reason: str, body: str | None) -> None:
    comment_set_spoiler(comment=comment, is_spoiler=True)


def _unmark_spoiler(comment: Comment, moderator: Moderator, reason: str, body: str | None) -> None:
    comment_set_spoiler(comment=comment, is_spoiler=False)


def _edit_spoilers(comment: Comment, moderator: Moderator, reason: str, body: str | None) -> None:
    if body is None:
        raise ServiceError("body", "body is missing: send the comment with its >!spoiler!< markers where you want them")
    comment_set_spoiler(comment=comment, is_spoiler=comment.is_spoiler, body=body)


_ACTIONS: dict[str, Callable[[Comment, Moderator, str, str | None], None]] = {
    "approve": _approve,
    "reject": _reject,
    "remove": _remove,
    "restore": _restore,
    "feature": _feature,
    "unfeature": _unfeature,
    "mark_spoiler": _mark_spoiler,
    "unmark_spoiler": _unmark_spoiler,
    "edit_spoilers": _edit_spoilers,
}


@dataclass(frozen=True)
class BulkOutcome:
    done: list[int]
    failed: dict[int, str]  # comment id: why it was not done


def moderate_comments(
    *, comments: Iterable[Comment], moderator: Moderator, action: str, reason: str = ""
) -> BulkOutcome:
    """The same action on a selection. Each comment is its own transaction: one that cannot take the
    action (already rejected, removed by its author) is reported, and the others are still done."""
    done, failed = [], {}
    for comment in comments:
        try:
            moderate_comment(comment=comment, moderator=moderator, action=action, reason=reason)
        except ServiceError as error:
            if isinstance(error, PermissionDenied) and not can_moderate_comments(moderator, comment.thread.site):
                raise
            failed[comment.pk] = error.message
        else:
            done.append(comment.pk)
    return BulkOutcome(done=done, failed=failed)


def _tell_author_by_email(comment: Comment) -> None:
    """Queue the email in the decision's transaction (talkies.tasks): it goes if, and only if, it is saved."""
    # Imported here: notifications pull in the mail machinery, which most decisions never need.
    from talkies.tasks.queue import enqueue

    from .notifications import email_author_about

    enqueue(email_author_about, comment_id=comment.pk)


# --- Decisions on authors -----------------------------------------------------------------------------

AUTHOR_ACTIONS = (
    "ban",
    "unban",
    "suspend",
    "unsuspend",
    "shadow_ban",
    "unshadow_ban",
    "premoderate",
    "unpremoderate",
    "trust",
    "untrust",
)


# What restricts an author: only someone of a higher role may do these to staff.
SANCTIONS = ("ban", "suspend", "shadow_ban", "premoderate")


def standing_of(*, site: Site, user: User | None = None, guest_key: str = "") -> AuthorStanding | None:
    if user is not None:
        return AuthorStanding.objects.filter(site=site, user=user).first()
    if guest_key:
        return AuthorStanding.objects.filter(site=site, user=None, guest_key=guest_key).first()
    return None


def moderate_author(
    *,
    site: Site,
    moderator: Moderator,
    action: str,
    user: User | None = None,
    guest_key: str = "",
    reason: str = "",
    until: datetime.datetime | None = None,
) -> AuthorStanding:
    """Do one of AUTHOR_ACTIONS to an author on `site` (an account, or a guest by guest key), and log it.

    A ban is site-wide and lasts until lifted; a suspension lasts `until`; a shadow ban hides the author's
    new comments from everyone but them; premoderate holds all their comments; trust skips the
    pre-moderation rules (banned words and rejecting signals still apply).
    """
    if action not in AUTHOR_ACTIONS:
        raise ServiceError("action", f"action must be one of {', '.join(AUTHOR_ACTIONS)}, not {action!r}")
    if not can_sanction_authors(moderator, site):
        raise PermissionDenied("author", f"only {site.name}'s moderators can ban, suspend or trust authors")
    if user is None and not guest_key:
        raise ServiceError("author", "say which author: an account or a guest")
    if (
        user is not None
        and moderator.user is not None
        and user.pk == moderator.user.pk
        and action in ("ban", "suspend", "shadow_ban")
    ):
        raise ServiceError("author", "you cannot sanction yourself")
    if user is not None and action in SANCTIONS and not moderator.outranks(role_on_site(user, site)):
        raise PermissionDenied(
            "author", f"{user.public_name} is one of {site.name}'s staff at your level or above: ask an administrator"
        )
    reason = " ".join(reason.split())
    if len(reason) > REASON_MAX:
        raise ServiceError("reason", f"reason is too long (the maximum is {REASON_MAX} characters)")
    if action == "suspend":
        if until is None:
            raise ServiceError("until", "until is missing: say when the suspension ends")
        until = until.replace(tzinfo=datetime.UTC) if timezone.is_naive(until) else until.astimezone(datetime.UTC)
        if until <= timezone.now():
            raise ServiceError("until", "until is in the past: a suspension must end in the future")
    with transaction.atomic():
        standing = standing_of(site=site, user=user, guest_key=guest_key)
        if standing is None:
            standing = AuthorStanding(site=site, user=user, guest_key="" if user is not None else guest_key)
        _apply_author_action(standing, action, until)
        if action in ("ban", "suspend"):
            standing.reason = reason
        standing.save()
        audit(
            site=site,
            action=action,
            actor_label=moderator.label,
            actor=moderator.user,
            subject_user_id=user.pk if user is not None else None,
            subject_guest_key="" if user is not None else guest_key,
            reason=reason + (f" (until {until:%Y-%m-%d %H:%M} UTC)" if action == "suspend" and until else ""),
        )
    return standing


def _apply_author_action(standing: AuthorStanding, action: str, until: datetime.datetime | None) -> None:
    if action in ("ban", "unban"):
        standing.is_banned = action == "ban"
    elif action == "suspend":
        standing.suspended_until = until
    elif action == "unsuspend":
        standing.suspended_until = None
    elif action in ("shadow_ban", "unshadow_ban"):
        standing.is_shadow_banned = action == "shadow_ban"
    elif action in ("premoderate", "unpremoderate"):
        standing.always_premoderate = action == "premoderate"
    elif action in ("trust", "untrust"):
        standing.is_trusted = action == "trust"
        if standing.is_trusted:
            standing.always_premoderate = False


def refusal_for(standing: AuthorStanding | None, site: Site, now: datetime.datetime | None = None) -> str:
    """Why a banned or suspended author may not write on `site`, or "" when they may."""
    if standing is None:
        return ""
    why = f": {standing.reason}" if standing.reason else ""
    if standing.is_banned:
        return f"you are banned from commenting on {site.name}{why}"
    if standing.suspended_until is not None and standing.suspended_until > (now or timezone.now()):
        return (
            f"you are suspended from commenting on {site.name} until {standing.suspended_until:%Y-%m-%d %H:%M} UTC{why}"
        )
    return ""


# --- Reader reports -----------------------------------------------------------------------------------

REPORT_TEXT_MAX = 500


def comment_report(*, comment: Comment, actor: Actor, reason: str, text: str = "") -> Report:
    """A reader reports a comment to the moderators. Once, per reader and comment; enough reports (the
    site's reports_to_queue) send it to the reported queue."""
    if reason not in Report.Reason.values:
        raise ServiceError("reason", f"reason must be one of {', '.join(Report.Reason.values)}, not {reason!r}")
    text = " ".join(text.split())
    if reason == Report.Reason.OTHER and not text:
        raise ServiceError("text", "text is empty: say what is wrong with this comment")
    if len(text) > REPORT_TEXT_MAX:
        raise ServiceError("text", f"text is too long (the maximum is {REPORT_TEXT_MAX} characters)")
    if is_author(actor, comment):
        raise PermissionDenied("comment", "you cannot report your own comment")
    if not can_report_comment(actor, comment):
        if not actor.is_identified:
            raise PermissionDenied("user", "log in to report a comment")
        raise PermissionDenied("comment", "this comment cannot be reported")
    site = comment.thread.site
    threshold = max(1, settings_for(site).reports_to_queue)
    try:
        with transaction.atomic():
            report = Report.objects.create(
                comment=comment,
                reporter=actor.user,
                reporter_guest_key="" if actor.user is not None else actor.guest_key,
                reason=reason,
                text=text,
            )
            entry = entry_for(comment)
            QueueEntry.objects.filter(pk=entry.pk).update(report_count=F("report_count") + 1)
            entry.refresh_from_db(fields=["report_count", "is_reported", "flags"])
            if entry.report_count >= threshold and not entry.is_reported:
                send_to_reported_queue(
                    entry, comment, detail=f"{entry.report_count} reader report(s)", source="reports"
                )
    except IntegrityError:
        raise ServiceError("comment", "you have already reported this comment") from None
    return report


def send_to_reported_queue(entry: QueueEntry, comment: Comment, *, detail: str, source: str) -> None:
    entry.is_reported = True
    entry.flags = [*entry.flags, {"source": source, "name": "reported", "detail": detail}]
    entry.save(update_fields=["is_reported", "flags"])
    audit(
        site=comment.thread.site,
        action="report_queue",
        actor_label="rule: reader reports" if source == "reports" else f"rule: {source}",
        comment=comment,
        reason=detail,
        status_before=comment.status,
        status_after=comment.status,
    )
    moderation_changed.send_on_commit(
        ModerationEvent(
            kind=ModerationEventKind.REPORTED,
            site_id=comment.thread.site_id,
            thread_id=comment.thread_id,
            comment_id=comment.pk,
            queue="reported",
        )
    )


def has_reported(*, comment: Comment, actor: Actor) -> bool:
    if actor.user is not None:
        return Report.objects.filter(comment=comment, reporter=actor.user).exists()
    return actor.is_guest and Report.objects.filter(comment=comment, reporter_guest_key=actor.guest_key).exists()


# --- Rules and word lists -----------------------------------------------------------------------------


def require_configure(moderator: Moderator, site: Site) -> None:
    if not can_configure_moderation(moderator, site):
        raise PermissionDenied("site", f"only {site.name}'s moderators and admins can change its moderation rules")


def comment_for_site(site: Site, comment_id: int) -> Comment:
    comment = (
        Comment.objects.select_related("thread__site", "thread__film", "thread__story", "author")
        .filter(thread__site=site, pk=comment_id)
        .first()
    )
    if comment is None:
        raise NotFound("comment_id", f"no comment {comment_id} on {site.name}")
    return comment


def comments_for_site(site: Site, comment_ids: list[int]) -> dict[int, Comment]:
    """Those of `comment_ids` that are comments of `site`, by id (one query)."""
    found = Comment.objects.select_related("thread__site", "thread__film", "thread__story", "author").filter(
        thread__site=site, pk__in=comment_ids
    )
    return {comment.pk: comment for comment in found}


# --- Configuring a site's moderation ------------------------------------------------------------------

SETTINGS_FIELDS = (
    "reports_to_queue",
    "toxicity_threshold",
    "toxicity_action",
    "spam_threshold",
    "spam_action",
    "spoiler_threshold",
    "spoiler_action",
    "bad_domains",
    "digest_emails",
)
WORD_MAX = 80


def moderation_settings_update(*, site: Site, moderator: Moderator, changes: dict) -> ModerationSettings:
    """Change the site's moderation settings (any of SETTINGS_FIELDS), validated, and log what changed."""
    require_configure(moderator, site)
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise ServiceError(sorted(unknown)[0], f"{sorted(unknown)[0]} is not a moderation setting")
    current = settings_for(site)
    before = {name: getattr(current, name) for name in changes}
    for name, value in changes.items():
        setattr(current, name, value)
    try:
        current.full_clean(exclude=["site"])
    except DjangoValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ServiceError(field, f"{field}: {' '.join(messages)}") from None
    for name in ("toxicity_threshold", "spam_threshold", "spoiler_threshold"):
        if not 0.0 <= getattr(current, name) <= 1.0:
            raise ServiceError(name, f"{name} must be from 0 to 1 (0 means the tuned default)")
    with transaction.atomic():
        current.save()
        changed = [
            f"{name}: {before[name]!r} → {getattr(current, name)!r}"
            for name in changes
            if before[name] != getattr(current, name)
        ]
        if changed:
            audit(
                site=site,
                action="settings",
                actor_label=moderator.label,
                actor=moderator.user,
                reason="; ".join(changed),
            )
    return current


def word_lists_set(*, site: Site, moderator: Moderator, banned: list[str], suspect: list[str]) -> None:
    """Replace the site's banned and suspect words (a word on both lists is banned)."""
    require_configure(moderator, site)
    banned_words = _clean_words(banned, "banned")
    suspect_words = [word for word in _clean_words(suspect, "suspect") if word not in banned_words]
    with transaction.atomic():
        before = set(ListedWord.objects.filter(site=site).values_list("word", "kind"))
        ListedWord.objects.filter(site=site).delete()
        ListedWord.objects.bulk_create(
            [ListedWord(site=site, word=word, kind=ListedWord.Kind.BANNED) for word in banned_words]
            + [ListedWord(site=site, word=word, kind=ListedWord.Kind.SUSPECT) for word in suspect_words]
        )
        bump_config_version(site.pk)  # bulk_create sends no post_save (config_snapshot)
        after = set(ListedWord.objects.filter(site=site).values_list("word", "kind"))
        if before != after:
            added = ", ".join(f"{w} ({k})" for w, k in sorted(after - before)) or "none"
            removed = ", ".join(f"{w} ({k})" for w, k in sorted(before - after)) or "none"
            audit(
                site=site,
                action="word_lists",
                actor_label=moderator.label,
                actor=moderator.user,
                reason=f"added {added}; removed {removed}",
            )


def _clean_words(words: list[str], which: str) -> list[str]:
    cleaned = []
    for line, word in enumerate(words, start=1):
        word = " ".join(word.split()).lower()
        if not word:
            continue
        if len(word) > WORD_MAX:
            raise ServiceError(which, f"{which} word {line} is too long (the maximum is {WORD_MAX} characters)")
        if word not in cleaned:
            cleaned.append(word)
    return cleaned


def premoderation_rule_add(
    *,
    site: Site,
    moderator: Moderator,
    scope: str,
    story: Story | None = None,
    film: Film | None = None,
    user: User | None = None,
    approved_comments_needed: int = 1,
) -> PremoderationRule:
    require_configure(moderator, site)
    if scope not in PremoderationRule.Scope.values:
        raise ServiceError("scope", f"scope must be one of {', '.join(PremoderationRule.Scope.values)}, not {scope!r}")
    needs: dict[str, tuple[str, object]] = {
        PremoderationRule.Scope.STORY: ("story", story),
        PremoderationRule.Scope.FILM: ("film", film),
        PremoderationRule.Scope.USER: ("user", user),
    }
    if scope in needs and needs[scope][1] is None:
        raise ServiceError(
            needs[scope][0], f"{needs[scope][0]} is missing: say which {needs[scope][0]} to pre-moderate"
        )
    if story is not None and story.site_id != site.pk:
        raise ServiceError("story", f"that story is not on {site.name}")
    if not 1 <= approved_comments_needed <= 1000:
        raise ServiceError("approved_comments_needed", "approved_comments_needed must be from 1 to 1000")
    with transaction.atomic():
        rule = PremoderationRule.objects.create(
            site=site,
            scope=scope,
            story=story if scope == PremoderationRule.Scope.STORY else None,
            film=film if scope == PremoderationRule.Scope.FILM else None,
            user=user if scope == PremoderationRule.Scope.USER else None,
            approved_comments_needed=approved_comments_needed,
        )
        audit(site=site, action="rule_added", actor_label=moderator.label, actor=moderator.user, reason=str(rule))
    return rule


def premoderation_rule_remove(*, rule: PremoderationRule, moderator: Moderator) -> None:
    require_configure(moderator, rule.site)
    with transaction.atomic():
        audit(
            site=rule.site, action="rule_removed", actor_label=moderator.label, actor=moderator.user, reason=str(rule)
        )
        rule.delete()
