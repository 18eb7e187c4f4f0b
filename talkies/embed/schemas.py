import datetime

from ninja import Field, Schema

from talkies.accounts.models import User
from talkies.comments.models import Comment
from talkies.comments.schemas import ThreadOut
from talkies.lib.api import InputSchema
from talkies.lib.text import Text

from .page_threads import MAX_COUNTED_PAGES


class PageThreadQuery(Schema):
    site: Text | None = Field(None, description="The site's slug (also picks the site of the request)")
    url: Text = Field(description="The page's canonical URL, on one of the site's allowed origins")
    thread: Text | None = Field(None, description="An explicit thread id, used as the key instead of the URL")
    film: Text | None = Field(None, description="imdb:tt7181546, tmdb:245891 or a Talkies film slug")
    title: Text = ""


class PageThreadIn(InputSchema):
    site: Text | None = None
    url: Text
    thread: Text | None = None
    film: Text | None = None
    title: Text = ""


class PageThreadOut(ThreadOut):
    key: str = Field(description="The thread's key: the explicit id, or the page URL normalised")


class PageCountsQuery(Schema):
    page: list[Text] = Field(
        default_factory=list, description=f"Page URLs or explicit thread ids, repeated; at most {MAX_COUNTED_PAGES}"
    )


class PageCountOut(Schema):
    comments: int
    ratings: int | None = Field(description="Ratings of the thread's film on this site; null without a film")


class PageCountsOut(Schema):
    counts: dict[str, PageCountOut]


class EmbedUserOut(Schema):
    username: str
    name: str = Field(description="The name shown with the reader's comments")

    @staticmethod
    def resolve_name(user: User) -> str:
        return user.public_name


class EmbedSessionOut(Schema):
    user: EmbedUserOut | None


class SsoIn(InputSchema):
    sso: Text = Field(description="<base64url JSON payload>.<hex HMAC-SHA256>, signed by the host site's server")


class ReaderTokenOut(Schema):
    token: str = Field(description="Send as Authorization: Bearer <token>, from the same origin")
    expires_in: int = Field(description="Seconds the token works for")
    user: EmbedUserOut


class PendingCommentOut(Schema):
    id: int
    thread_id: int
    thread_key: str
    author_name: str
    body_html: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_thread_key(comment: Comment) -> str:
        return comment.thread.key


class PendingPageOut(Schema):
    items: list[PendingCommentOut]
    count: int
    page: int
    page_size: int
    next_page: int | None
