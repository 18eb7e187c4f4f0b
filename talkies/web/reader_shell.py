"""One stored story page for every signed-in reader, and the small request that makes it theirs.

A signed-in reader's story page differs from the next signed-in reader's in a few places only: their name
in the header, their votes, their rating, the Edit and Remove of their own comments, what they reported.
Rendering the whole page for each of them costs as much as rendering it for nobody, and under load it is
the page that cannot be stored (talkies.pagecache). So where the reader's browser runs our script:

1. the page store keeps one **shell** per page: the page as a signed-in reader with no history here sees
   it (`shell_reader`: an account that has voted on nothing, rated nothing, written nothing), with every
   form's CSRF field empty as on any shared page (forms_csrf.py). The fast path asks Django for it with the
   `X-Talkies-Reader-Shell: 1` request header, and serves it only to a request with a session cookie and
   the `talkies_js` cookie site.js sets (talkies.pagecache.routes): a browser without JavaScript always gets
   its own page rendered in full;
2. site.js then asks `story_reader_state` for what is theirs: the parts of the page (each marked
   `data-reader-part`) that differ for this reader, rendered for them, and swaps them in: their account
   links, the rating widgets of films they rated, and the cards of the comments they wrote, voted on or
   reported (views/reader_state.py), so a reader who voted on three comments gets three comments back.

Where the shell cannot be patched comment by comment (the reader moderates here, or sees a comment nobody
else does: their own held one), the whole thread is their part. A session that is no
longer signed in is told to reload, with the session cookie removed, and gets the page everyone gets.
"""

from typing import Any

from django.contrib.messages.storage.base import BaseStorage
from django.http import HttpRequest

from talkies.accounts.actors import Actor
from talkies.accounts.models import User
from talkies.lib.cookies import READER_SHELL_HEADER

# What the fast path adds to the request it renders a shell with (the header's WSGI-style name), and what
# a response rendered as a shell says, so that nothing else is ever stored as one.
SHELL_REQUEST_META = "HTTP_" + READER_SHELL_HEADER.upper().replace("-", "_")
SHELL_RESPONSE_HEADER = READER_SHELL_HEADER
# No account has this primary key (the database starts counting at 1), so every query made for the shell
# reader is a real query that finds nothing: no votes, no rating, no comments of their own.
SHELL_READER_PK = 0


def shell_reader() -> User:
    return User(pk=SHELL_READER_PK, username="", is_active=True)


def wants_shell(request: HttpRequest) -> bool:
    """Whether the fast path asked for the shell of this page, for a request whose session is signed in
    (an expired one gets its own page, the one everyone gets, which is not stored as a shell)."""
    return (
        request.method in ("GET", "HEAD")
        and request.META.get(SHELL_REQUEST_META) == "1"
        and bool(getattr(request, "user", None) and request.user.is_authenticated)
    )


def is_shell_render(request: HttpRequest) -> bool:
    return bool(getattr(request, "talkies_reader_shell", False))


class _NoMessages(BaseStorage):
    """The shell shows no flash messages, and leaves the real reader's where they are for their next page."""

    def _get(self, *args: Any, **kwargs: Any) -> tuple[list, bool]:
        return [], True

    def _store(self, messages: list, response: Any, *args: Any, **kwargs: Any) -> list:
        return []


def become_shell_reader(request: HttpRequest) -> None:
    """From here on, this request renders the shell: as the shell reader, without messages or tokens."""
    reader = shell_reader()
    request.user = reader
    request.actor = Actor(user=reader)  # type: ignore[attr-defined]  # set by ActorMiddleware on every request
    request._messages = _NoMessages(request)  # type: ignore[attr-defined]  # where MessageMiddleware keeps them
    request.talkies_reader_shell = True  # type: ignore[attr-defined]
