"""The cookies Talkies sets on readers' browsers, named once, so that the stored-page fast path
(talkies.pagecache.routes) knows which of them make a page personal and which only choose a view of it.
"""

from django.conf import settings

from .guests import GUEST_COOKIE

# A guest's display name, remembered for their next comment form (talkies.web.guests).
GUEST_NAME_COOKIE = "talkies_guest_name"
# The reader's chosen sort of comments, remembered across stories (talkies.web.views.stories).
SORT_COOKIE = "talkies_sort"
# Django's messages framework keeps a flash message ("your comment was posted") in this cookie.
MESSAGES_COOKIE = "messages"


def personal_cookies() -> frozenset[str]:
    """Cookies that make a page this reader's own: who they are, or what they were just told. A request
    carrying any of them is rendered for its reader, never answered from a page shared by everyone."""
    return frozenset({settings.SESSION_COOKIE_NAME, GUEST_COOKIE, GUEST_NAME_COOKIE, MESSAGES_COOKIE})
