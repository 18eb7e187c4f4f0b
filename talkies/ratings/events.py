"""What happened to a reader's rating, announced after the transaction that did it commits.

rating_set and rating_remove (ratings.services) send a `RatingEvent` on `rating_changed` once their
transaction commits, whoever called them. Higher floors react without ratings knowing them: the thread-page
cache (an author's rating is the badge on their comments), webhooks (rating.created). Ratings never import
comments or delivery apps (DESIGN.md, "Which app may import which").

Receivers run in the request that made the change, after commit: they must be quick and must not raise
(talkies.lib.events logs a receiver that does, and the others still run).
"""

import datetime
from dataclasses import dataclass
from enum import StrEnum

from talkies.lib.events import EventChannel


class RatingEventKind(StrEnum):
    """Every kind of rating event, spelled once. "rating.created" is stored in webhooks' lists of events
    and sent in their envelopes: never change a value."""

    CREATED = "rating.created"  # the reader's first rating of the film on the site
    CHANGED = "rating.changed"  # a new value for an existing rating (setting the same value is no change)
    REMOVED = "rating.removed"  # the reader withdrew their rating


@dataclass(frozen=True)
class RatingEvent:
    """One reader's rating of one film on one site, as the change left it (value None once removed)."""

    kind: RatingEventKind
    site_id: int
    film_id: int
    user_id: int
    rating_id: int  # the row's id; after a removal, the id it had
    value: int | None  # canonical 1–10; None when kind is REMOVED
    created_at: datetime.datetime  # when the reader first rated the film

    def __post_init__(self) -> None:
        if (self.kind == RatingEventKind.REMOVED) != (self.value is None):
            raise ValueError(f"a {self.kind} event carries a value if and only if the rating still exists")


rating_changed: EventChannel[RatingEvent] = EventChannel("ratings.rating_changed")
