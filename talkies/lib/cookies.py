"""The cookies Talkies sets on readers' browsers, named once, so that the stored-page fast path
(talkies.pagecache.routes) knows which of them make a page personal and which only choose a view of it.
"""

from django.conf import settings
from django.http import HttpRequest

from .guests import GUEST_COOKIE, GUEST_TOKEN_HEADER

# A guest's display name, remembered for their next comment form (talkies.web.guests).
GUEST_NAME_COOKIE = "talkies_guest_name"
# The reader's chosen sort of comments, remembered across stories (talkies.web.views.stories).
SORT_COOKIE = "talkies_sort"
# Django's messages framework keeps a flash message ("your comment was posted") in this cookie.
MESSAGES_COOKIE = "messages"
# Set by site.js on every page it runs on: this browser runs our script, so a signed-in reader's story page
# may be the shared shell that site.js makes theirs (talkies.web.reader_shell). Says nothing about who.
JS_COOKIE = "talkies_js"
# The request header the page store renders that shell with, and the response header that says it is one.
READER_SHELL_HEADER = "X-Talkies-Reader-Shell"


def personal_cookies() -> frozenset[str]:
    """Cookies that make a page this reader's own: who they are, or what they were just told. A request
    carrying any of them is rendered for its reader, never answered from a page shared by everyone."""
    return frozenset({settings.SESSION_COOKIE_NAME, GUEST_COOKIE, GUEST_NAME_COOKIE, MESSAGES_COOKIE})


def request_is_personal(request: HttpRequest) -> bool:
    """Whether Django answers this request for its reader alone: it names them (a session, a guest's
    cookie or token, an Authorization header) or carries something they were just told. Everything else is
    answered with the page everyone gets, which caches may keep (talkies.pagecache.cache_headers)."""
    token_header = "HTTP_" + GUEST_TOKEN_HEADER.upper().replace("-", "_")
    return (
        "HTTP_AUTHORIZATION" in request.META
        or token_header in request.META
        or bool(request.COOKIES.keys() & personal_cookies())
    )
