"""Typed events: one channel per event family, carrying one frozen payload type, sent after commit.

An app declares its events once, next to its services (comments.events, ratings.events): an enum of the
kinds, a frozen dataclass for the payload, and an `EventChannel` of that payload. Higher floors connect
receivers to the channel; the app that sends never imports them. That is how a lower floor lets a higher
one react without knowing it is there (DESIGN.md, "Which app may import which").

A channel wraps a django.dispatch.Signal, so receivers are connected once per `dispatch_uid` however often
ready() runs, and are sent with `send_robust`: a receiver that raises is logged (by Django, to the
"django.dispatch" logger) and the others still run. Receivers run after the write's transaction has
committed, in the request that made it: they must be quick, and cannot undo what was saved.

Work that must not be lost once the write is saved (an email, a webhook, the live-event log's row) has a
second kind of receiver, connected with `connect_in_transaction`: it runs inside the write's transaction,
when the event is announced, and does nothing but write a row of its own, quickly (queue a task with
talkies.tasks.queue.enqueue, record the live event), which then commits or rolls back with the write.
Such a receiver is not shielded: if it raises, the write fails with it.
"""

from collections.abc import Callable, Hashable
from functools import partial
from typing import Any, Generic, TypeVar

from django.db import transaction
from django.dispatch import Signal

E = TypeVar("E")
Receiver = Callable[[E], object]


def _adapt(receiver: Receiver[E]) -> Callable[..., None]:
    """A typed receiver, which takes the payload alone, as Django's (sender, **kwargs) protocol wants it."""

    def call(sender: object, event: E, **kwargs: Any) -> None:
        receiver(event)

    # Named after the receiver, so that Django's log of a receiver that raised says which one it was (not
    # functools.update_wrapper: Django reads the signature through __wrapped__ and wants **kwargs there).
    call.__qualname__ = getattr(receiver, "__qualname__", repr(receiver))
    return call


class EventChannel(Generic[E]):
    """Where events of one family are announced and heard. Declare one per family, at module level."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._signal = Signal()
        self._in_transaction = Signal()

    def __repr__(self) -> str:
        return f"EventChannel({self.name!r})"

    def connect(self, receiver: Receiver[E], *, dispatch_uid: Hashable | None = None) -> None:
        """Call `receiver(event)` for every event sent from now on. Held strongly, connected once per uid.

        Without a dispatch_uid the receiver itself identifies the connection (and `disconnect` finds it).
        """
        self._signal.connect(_adapt(receiver), weak=False, dispatch_uid=self._uid(receiver, dispatch_uid))

    def disconnect(self, receiver: Receiver[E], *, dispatch_uid: Hashable | None = None) -> bool:
        return self._signal.disconnect(dispatch_uid=self._uid(receiver, dispatch_uid))

    def connect_in_transaction(self, receiver: Receiver[E], *, dispatch_uid: Hashable) -> None:
        """Call `receiver(event)` inside the announcing transaction, for queueing durable work only."""
        self._in_transaction.connect(_adapt(receiver), weak=False, dispatch_uid=dispatch_uid)

    def disconnect_in_transaction(self, *, dispatch_uid: Hashable) -> bool:
        return self._in_transaction.disconnect(dispatch_uid=dispatch_uid)

    def send(self, event: E) -> None:
        """Call every receiver now; one that raises is logged and does not stop the others."""
        self._signal.send_robust(sender=self, event=event)

    def send_on_commit(self, event: E) -> None:
        """Send `event` once the current transaction commits (at once outside one); never if it rolls back.

        The in-transaction receivers run now, in the caller's transaction; an exception from one propagates.
        """
        self._in_transaction.send(sender=self, event=event)
        transaction.on_commit(partial(self.send, event))

    @staticmethod
    def _uid(receiver: Receiver[E], dispatch_uid: Hashable | None) -> Hashable:
        # id() is safe as an identity here: the channel holds the receiver for as long as it is connected.
        return dispatch_uid if dispatch_uid is not None else ("receiver", id(receiver))
