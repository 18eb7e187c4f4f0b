"""What moderation decides about each new comment before it is saved (the comments screening hook).

In order: a banned or suspended author is refused; the site's word lists and text signals may reject,
hold or report it; the pre-moderation rules may hold it (a trusted author skips them); an author whom
moderators always pre-moderate is held; a shadow-banned author's comment is shown to them alone. Every
comment gets a queue entry recording why it is where it is, and every hold, rejection or report an
audit entry in the rule's name.
"""

import re

from django.db.models import Q

from talkies.comments.models import Comment
from talkies.comments.screening import Draft, Screening
from talkies.lib.errors import PermissionDenied
from talkies.tasks.queue import enqueue

from .config_snapshot import PremoderationRuleFacts, site_moderation
from .decisions import Decision
from .events import ModerationEvent, ModerationEventKind, moderation_changed
from .models import PremoderationRule, QueueEntry
from .notifications import email_author_about
from .services import audit, refusal_for, standing_of
from .site_config import assess_draft

# A link as readers write them: a URL, a markdown link, or a bare domain with a common ending.
LINK = re.compile(
    r"https?://|www\.|\]\(|\b[a-z0-9-]+\.(?:com|net|org|ly|io|co|tv|ru|xyz|info|biz|me|gg|to|cc|link|site)\b",
    re.IGNORECASE,
)

HELD_NOTICE = "Your comment is waiting for a moderator: it will be shown to others once they have read it."
_RULE_NOTICES: dict[str, str] = {
    PremoderationRule.Scope.SITE: "this site reviews every comment before it appears",
    PremoderationRule.Scope.STORY: "comments on this story are reviewed before they appear",
    PremoderationRule.Scope.FILM: "comments about this film are reviewed before they appear",
    PremoderationRule.Scope.NEW_COMMENTERS: "comments from new commenters are reviewed before they appear",
    PremoderationRule.Scope.LINKS: "comments with links are reviewed before they appear",
    PremoderationRule.Scope.USER: "a moderator reviews your comments before they appear",
}


def screen_new_comment(draft: Draft) -> Screening:
    thread, actor = draft.thread, draft.actor
    site = thread.site
    standing = standing_of(site=site, user=actor.user, guest_key=actor.guest_key)
    refusal = refusal_for(standing, site)
    if refusal:
        raise PermissionDenied("author", refusal)
    trusted = standing is not None and standing.is_trusted

    # The site's settings, words and rules, read once for both uses below.
    moderation = site_moderation(site)
    decision = assess_draft(draft, moderation.config)
    flags: list[dict] = []
    status, notice = Comment.Status.APPROVED, ""
    reported = False
    if decision is not None:
        flags += _decision_flags(decision)
        if decision.decision == "reject":
            status = Comment.Status.REJECTED
            notice = "Your comment was not published: " + "; ".join(decision.reasons[:2])
        elif decision.decision == "premoderate":
            if trusted:
                reported = True  # a trusted author is not held, but a moderator should still look
            else:
                status, notice = Comment.Status.PENDING, HELD_NOTICE
        elif decision.decision == "report":
            reported = True

    if status == Comment.Status.APPROVED and not trusted:
        rule = _matching_rule(draft, moderation.rules)
        if rule is not None:
            flags.append({"source": "rule", "name": rule.scope, "detail": rule.description})
            status = Comment.Status.PENDING
            notice = f"Your comment is waiting for a moderator: {_RULE_NOTICES[rule.scope]}."
        elif standing is not None and standing.always_premoderate:
            flags.append(
                {"source": "rule", "name": "always_premoderate", "detail": "a moderator pre-moderates this author"}
            )
            status = Comment.Status.PENDING
            notice = f"Your comment is waiting for a moderator: {_RULE_NOTICES[PremoderationRule.Scope.USER]}."
    if standing is not None and standing.is_shadow_banned and status != Comment.Status.REJECTED:
        flags.append({"source": "rule", "name": "shadow_ban", "detail": "the author is shadow-banned"})
        status, notice = Comment.Status.SHADOWED, ""

    def record(comment: Comment) -> None:
        QueueEntry.objects.create(
            comment=comment,
            site_id=site.pk,
            status=comment.status,
            created_at=comment.created_at,
            author_id=comment.author_id,
            is_reported=reported,
            flags=flags,
            signals=decision.signals if decision is not None else {},
            suggest_spoiler=bool(decision and decision.suggest_spoiler),
        )
        if comment.status != Comment.Status.APPROVED or reported:
            audit(
                site=site,
                action={"pending": "hold", "rejected": "reject", "shadowed": "shadow"}.get(
                    comment.status, "report_queue"
                ),
                actor_label="rule: " + (flags[0]["name"] if flags else "screening"),
                comment=comment,
                reason="; ".join(str(f.get("detail", "")) for f in flags)[:500],
                status_after=comment.status,
            )
        if comment.status in (Comment.Status.PENDING, Comment.Status.REJECTED) and comment.author_id:
            enqueue(email_author_about, comment_id=comment.pk)  # queued with the comment (talkies.tasks)
        queue = "pending" if comment.status == Comment.Status.PENDING else "reported" if reported else ""
        if queue:
            moderation_changed.send_on_commit(
                ModerationEvent(
                    kind=ModerationEventKind.REPORTED if queue == "reported" else ModerationEventKind.QUEUED,
                    site_id=site.pk,
                    thread_id=thread.pk,
                    comment_id=comment.pk,
                    queue=queue,
                )
            )

    return Screening(status=status, notice=notice, after_save=[record])


def _decision_flags(decision: Decision) -> list[dict]:
    flags: list[dict] = []
    for word in decision.banned_words:
        flags.append({"source": "word", "name": "banned", "detail": word})
    for word in decision.suspect_words:
        flags.append({"source": "word", "name": "suspect", "detail": word})
    if decision.decision != "allow" and not (decision.banned_words or decision.suspect_words):
        strongest = max(decision.signals.items(), key=lambda item: item[1], default=None)
        if strongest is not None:
            flags.append(
                {
                    "source": "signal",
                    "name": strongest[0],
                    "score": round(strongest[1], 3),
                    "detail": "; ".join(decision.reasons[:3]),
                }
            )
    if decision.suggest_spoiler:
        flags.append({"source": "signal", "name": "spoiler", "detail": "may be an untagged spoiler"})
    return flags


def _matching_rule(draft: Draft, rules: tuple[PremoderationRuleFacts, ...]) -> PremoderationRuleFacts | None:
    """The first of the site's pre-moderation rules (in the order they were made) that holds this draft."""
    for rule in rules:
        if not _rule_covers(rule, draft):
            continue
        if rule.scope != PremoderationRule.Scope.NEW_COMMENTERS:
            return rule
        if _approved_count(draft) < rule.approved_comments_needed:
            return rule
    return None


def _rule_covers(rule: PremoderationRuleFacts, draft: Draft) -> bool:
    """Whether the rule is about this draft's site, story, film, author or text (new commenters are
    counted by the caller)."""
    thread, user = draft.thread, draft.actor.user
    scope = rule.scope
    if scope in (PremoderationRule.Scope.SITE, PremoderationRule.Scope.NEW_COMMENTERS):
        return True
    if scope == PremoderationRule.Scope.STORY:
        return thread.story_id is not None and rule.story_id == thread.story_id
    if scope == PremoderationRule.Scope.FILM:
        return thread.film_id is not None and rule.film_id == thread.film_id
    if scope == PremoderationRule.Scope.USER:
        return user is not None and rule.user_id == user.pk
    if scope == PremoderationRule.Scope.LINKS:
        return LINK.search(draft.body) is not None
    return False


def _approved_count(draft: Draft) -> int:
    author = (
        Q(author=draft.actor.user) if draft.actor.user is not None else Q(author=None, guest_key=draft.actor.guest_key)
    )
    return Comment.objects.filter(author, thread__site=draft.thread.site, status=Comment.Status.APPROVED).count()
