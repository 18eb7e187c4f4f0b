"""Who is acting: one value for the reader behind a request, whatever proved who they are.

An actor is an account (signed in by session, or by an embed's Bearer token) or, where the site takes
guest comments, a guest known only by `guest_key`, the hash of a secret their browser keeps
(talkies.lib.guests). Anyone else is the anonymous actor: they may read, and nothing more.

Services and permission predicates take an Actor rather than a (user, guest_key) pair, so "a guest" and
"an account" cannot be half-given, and the rule that an account's identity wins over a guest key is stated
once, here.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from talkies.lib.ratelimit import actor_key

from .models import User


@dataclass(frozen=True)
class Actor:
    """An account (`user`), a guest (`guest_key`), or, with neither, someone we do not know.

    Build one with Actor.of, Actor.guest or ANONYMOUS rather than by hand: they keep the two identities
    exclusive (an account never carries a guest key).
    """

    user: User | None = None
    guest_key: str = ""

    @classmethod
    def of(cls, user: User | AnonymousUser | None) -> "Actor":
        """The actor a Django user is: their account if signed in, else the anonymous actor."""
        if isinstance(user, User) and user.is_authenticated:
            return cls(user=user)
        return ANONYMOUS

    @classmethod
    def guest(cls, guest_key: str) -> "Actor":
        return cls(user=None, guest_key=guest_key) if guest_key else ANONYMOUS

    @property
    def is_account(self) -> bool:
        return self.user is not None

    @property
    def is_guest(self) -> bool:
        return self.user is None and bool(self.guest_key)

    @property
    def is_identified(self) -> bool:
        """Whether we know who this is: an account or a guest, as opposed to an anonymous visitor."""
        return self.user is not None or bool(self.guest_key)

    @property
    def is_active_account(self) -> bool:
        return self.user is not None and self.user.is_active

    @property
    def rate_key(self) -> str | None:
        """The key rate limits count this actor's attempts under (None: only the client address counts)."""
        return actor_key(user_id=self.user.pk if self.user else None, guest_key=self.guest_key)


ANONYMOUS = Actor()


def as_actor(who: Actor | User) -> Actor:
    """`who` as an Actor: services take an account as itself too, for the many callers (the admin, the demo
    loader, tests) that act as a known account."""
    return who if isinstance(who, Actor) else Actor.of(who)
