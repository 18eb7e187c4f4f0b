"""The standalone website: home, story, film, franchise, person and character pages, and their forms.

Reads go through selectors, writes through the services, so a page behaves exactly like the API. Every
write is a POST that redirects back to the page it came from (to the comment it touched, by its
#comment-<id> anchor); when a service refuses the input, the page is rendered again with the message
beside the field and the reader's text still in it.

A reader acts as `request.actor` (accounts.middleware): their account or, where the site takes guest
comments, the guest their browser's cookie names (see ..guests); the cookie is issued with a guest's
first comment.

One module per family of pages: home, reading a story and its thread, acting on comments, rating films,
and the catalogue's pages.
"""

from .catalogue import character_detail, film_detail, franchise_detail, person_detail
from .comment_actions import (
    comment_edit_view,
    comment_feature_view,
    comment_post,
    comment_remove_view,
    comment_report_view,
    comment_vote_view,
    thread_close_view,
)
from .home import home
from .ratings import film_rate, film_rating_remove
from .reader_state import story_reader_state
from .stories import comment_permalink, story_detail

__all__ = [
    "character_detail",
    "comment_edit_view",
    "comment_feature_view",
    "comment_permalink",
    "comment_post",
    "comment_remove_view",
    "comment_report_view",
    "comment_vote_view",
    "film_detail",
    "film_rate",
    "film_rating_remove",
    "franchise_detail",
    "home",
    "person_detail",
    "story_detail",
    "story_reader_state",
    "thread_close_view",
]
