"""Something for the demo's moderator to do: a few comments in each queue, written for the demo.

Posted through the comments and moderation services, as a real site's would be, after the demo's
conversation, so the moderation screen (/moderate/, as reelnews_moderator) opens on a held spam link,
a reported comment with its readers' reasons, and a rejection and an approval in the audit log.
"""

import datetime

from talkies.accounts.actors import Actor
from talkies.accounts.models import Site, User
from talkies.comments.models import Comment, Thread
from talkies.comments.services import comment_create
from talkies.moderation.models import ListedWord, ModerationSettings, PremoderationRule
from talkies.moderation.permissions import Moderator
from talkies.moderation.services import comment_report, moderate_author, moderate_comment

# Held by the links rule: one a moderator should reject, one they should let through.
HELD_SPAM = "Watch Ballerina full movie free in HD here: https://free-movies-hd.example/ballerina no signup!!!"
HELD_LINK = (
    "The stunt team's breakdown of the flamethrower fight is worth a watch: https://www.youtube.com/watch?v=demo"
)
HELD_BY_RULE = "Honestly the third act dragged, but Ana de Armas sold every punch."
REPORTED = "Anyone who liked this is an idiot with no taste. Go back to your superhero slop."
TO_REJECT = "You people are pathetic, nobody cares what you think."
TO_APPROVE = (
    "Trailer breakdown with timestamps: https://www.youtube.com/watch?v=demo2 — the chandelier shot is at 1:12."
)


def seed_moderation(*, site: Site, moderator: User, thread: Thread, readers: list[User]) -> None:
    """`readers` are demo readers to write as (at least six); the newest comments of `thread` get the work."""
    ModerationSettings.objects.update_or_create(site=site, defaults={"reports_to_queue": 2})
    ListedWord.objects.get_or_create(site=site, word="slop", defaults={"kind": ListedWord.Kind.SUSPECT})
    # Kept after the demo loads, as a real site would keep it.
    PremoderationRule.objects.create(site=site, scope=PremoderationRule.Scope.LINKS)
    as_moderator = Moderator.of_user(moderator, site)
    # After the thread's last planned comment, not "now": the demo loads the same every time.
    last = Comment.objects.filter(thread=thread).order_by("-created_at").values_list("created_at", flat=True).first()
    start = (last or thread.created_at) + datetime.timedelta(hours=1)

    def post(author: User, body: str, minutes_after: int) -> Comment:
        return comment_create(
            thread=thread, author=author, body=body, created_at=start + datetime.timedelta(minutes=minutes_after)
        )

    post(readers[0], HELD_SPAM, 0)
    post(readers[1], HELD_LINK, 10)
    moderate_author(site=site, moderator=as_moderator, action="premoderate", user=readers[2], reason="demo")
    post(readers[2], HELD_BY_RULE, 15)

    reported = post(readers[3], REPORTED, 20)
    if reported.status != Comment.Status.APPROVED:  # a text signal held it: publish it, so it can be reported
        moderate_comment(comment=reported, moderator=as_moderator, action="approve")
    comment_report(comment=reported, actor=Actor.of(readers[4]), reason="abuse", text="Insulting everyone who liked it")
    comment_report(comment=reported, actor=Actor.of(readers[5]), reason="off_topic")

    rejected = post(readers[4], TO_REJECT, 25)
    moderate_comment(comment=rejected, moderator=as_moderator, action="reject", reason="attacks other readers")
    approved = post(readers[5], TO_APPROVE, 30)
    moderate_comment(comment=approved, moderator=as_moderator, action="approve")
