"""The hook through which a higher floor decides what happens to a comment before it is saved.

Comments cannot import moderation (it is on the floor above), yet whether a new comment is published at
once, held for a moderator, shown only to its author or rejected must be known before the row is written:
the counters, the live stream and the webhooks all depend on it. So moderation registers a screener here
when its app is ready, and comment_create asks every registered screener about each draft.

A screener may:
- return None (nothing to say) or a Screening with the status the comment should have and, for its
  author, a notice saying why it is not published;
- raise a ServiceError or PermissionDenied to refuse the comment outright (a banned author), which reaches
  the author as any other refusal does;
- ask, through Screening.after_save, to be called back with the saved comment inside the transaction that
  saved it (to record why the comment was held, for the moderation queues).

With no screener registered (moderation not installed) every comment is published, as before.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from talkies.accounts.actors import Actor

from .models import Comment, Thread


@dataclass(frozen=True)
class Draft:
    """A comment about to be saved: everything a screener may judge it by."""

    thread: Thread
    actor: Actor
    body: str
    parent: Comment | None
    is_spoiler: bool


@dataclass
class Screening:
    status: str = Comment.Status.APPROVED
    notice: str = ""
    after_save: list[Callable[[Comment], None]] = field(default_factory=list)


Screener = Callable[[Draft], Screening | None]

# Which outcome wins when screeners disagree: the one that shows the comment to the fewest people.
_STRICTNESS: dict[str, int] = {
    Comment.Status.APPROVED: 0,
    Comment.Status.PENDING: 1,
    Comment.Status.SHADOWED: 2,
    Comment.Status.REJECTED: 3,
}
_screeners: dict[str, Screener] = {}


def register_screener(uid: str, screener: Screener) -> None:
    """Ask `screener` about every new comment. Registering the same uid again replaces it (ready() may
    run twice)."""
    _screeners[uid] = screener


def unregister_screener(uid: str) -> None:
    _screeners.pop(uid, None)


def screen(draft: Draft) -> Screening:
    """What every registered screener says about `draft`, combined: the strictest status, its notice, and
    every after_save callback."""
    outcome = Screening()
    for screener in list(_screeners.values()):
        said = screener(draft)
        if said is None:
            continue
        if said.status not in _STRICTNESS:
            raise ValueError(f"a screener may not give a new comment the status {said.status!r}")
        if _STRICTNESS[said.status] > _STRICTNESS[outcome.status]:
            outcome.status, outcome.notice = said.status, said.notice
        outcome.after_save.extend(said.after_save)
    return outcome
