"""What the API takes and says about threads, comments and votes."""

import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict

from talkies.accounts.models import Site
from talkies.catalogue.schemas import FilmRef
from talkies.lib.api import InputSchema, RowId
from talkies.lib.text import Text
from talkies.stories.schemas import StoryRef

from .models import Thread
from .selectors import MAX_COUNTED_THREADS, MAX_PAGE_SIZE, MAX_REPLIES_PAGE_SIZE


class ThreadOut(Schema):
    id: int
    title: str
    url: str
    is_closed: bool
    comment_count: int = Field(description="Visible comments, replies included")
    created_at: datetime.datetime
    default_sort: str = Field(description="The sort the site shows first: best, top, new, old or controversial")
    story: StoryRef | None
    film: FilmRef | None = Field(description="The film this conversation is about; top-level comments carry badges")

    @staticmethod
    def resolve_default_sort(thread: Thread) -> str:
        return thread.site.default_comment_sort


# Plain pydantic models rather than Ninja Schemas: a page can hold thousands of comments, and Ninja's
# Schema wraps every object it validates in a getter meant for ORM instances. These validate the comments'
# read model (comments.read_models.CommentRead) by attribute, directly.
class PublicCommentOut(BaseModel):
    """A comment as everyone may see it: what live payloads and webhooks carry."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    parent_id: int | None
    depth: int = Field(description="0 for a top-level comment")
    author_name: str | None = Field(description="null once the author has removed the comment")
    body_html: str = Field(description="Sanitised HTML; inline spoilers are <span class=spoiler data-spoiler>")
    is_spoiler: bool = Field(description="The whole comment stays hidden until the reader asks to see it")
    has_inline_spoiler: bool = Field(False, description="body_html hides part of its text as a spoiler")
    is_featured: bool = Field(False, description="Pinned above the thread by the site's editors")
    status: str = Field(
        description="approved; or removed (by its author) or rejected (by a moderator), shown as a placeholder "
        "while it has replies; or, to its author only, pending or rejected (see moderation_notice)"
    )
    created_at: datetime.datetime
    edited_at: datetime.datetime | None
    upvotes: int
    downvotes: int
    reply_count: int
    author_rating: int | None = Field(
        description="On a top-level comment in a film's thread: its author's rating of the film, 1–10"
    )
    more_replies: int = Field(0, description="Replies not included here: fetch them from /comments/{id}/replies")
    more_replies_cursor: str | None = Field(
        None, description="Pass as ?cursor= to /comments/{id}/replies to continue after the replies shown"
    )


class CommentOut(PublicCommentOut):
    """A comment as the API shows it to one reader: with what that reader may do with it."""

    replies: list["CommentOut"] = Field(description="Its first visible replies, nested, oldest first")
    can_edit: bool = Field(description="You may edit it now (until editable_until)")
    can_remove: bool = Field(description="You may remove it")
    can_report: bool = Field(description="You may report it to the moderators")
    editable_until: datetime.datetime | None = Field(description="When your edit window ends; null if you cannot edit")
    moderation_notice: str | None = Field(
        None, description="Your own comment only: why it is not published (waiting for a moderator, or rejected)"
    )


class CommentPageOut(BaseModel):
    thread_id: int
    sort: str
    comments: list[CommentOut] = Field(description="Top-level comments of this page, each with its first replies")
    next_cursor: str | None = Field(description="Pass as ?cursor= (with the same sort) for the next page")
    comment_count: int = Field(0, description="Visible comments in the whole thread, replies included")
    featured: list[CommentOut] = Field(
        default_factory=list, description="Comments the editors pinned above the thread (first page only)"
    )


SpoilerFilter = Literal["show", "hide"]


class CommentPageQuery(Schema):
    sort: Site.CommentSort | None = Field(None, description="Default: the site's default sort")
    cursor: Text | None = None
    limit: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description="Top-level comments per page")
    spoilers: SpoilerFilter = Field("show", description="hide: leave out every comment that contains a spoiler")


class RepliesQuery(Schema):
    cursor: Text | None = None
    limit: int = Field(20, ge=1, le=MAX_REPLIES_PAGE_SIZE, description="Direct replies per page")
    spoilers: SpoilerFilter = Field("show", description="hide: leave out every comment that contains a spoiler")


class RepliesPageOut(BaseModel):
    comment_id: int = Field(description="The comment these reply to")
    replies: list[CommentOut] = Field(description="Direct replies, oldest first, each with its first replies")
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page of replies")


class CommentContextOut(BaseModel):
    thread_id: int
    comment_id: int = Field(description="The comment asked for")
    path: list[int] = Field(description="Ids from the top-level comment down to the comment asked for")
    root: CommentOut = Field(
        description="The top-level comment; each comment on the path holds the next, down to the one asked for, "
        "which holds its first page of replies"
    )
    next_cursor: str | None = Field(description="More replies to the comment: pass to /comments/{id}/replies")


class CountsQuery(Schema):
    thread: list[Text] = Field(
        default_factory=list,
        description=f"Thread ids or keys (page URLs, story:12), repeated; at most {MAX_COUNTED_THREADS}",
    )


class ThreadCountOut(Schema):
    comments: int


class CountsOut(Schema):
    counts: dict[str, ThreadCountOut] = Field(description="By the id or key asked for; unknown ones count 0")


class FeatureIn(InputSchema):
    featured: bool


class CloseIn(InputSchema):
    closed: bool


class CommentIn(InputSchema):
    body: Text = Field(description="Markdown; >!text!< hides a spoiler inline")
    parent_id: RowId | None = Field(None, description="The comment this replies to; null for a top-level comment")
    is_spoiler: bool = False
    guest_name: Text | None = Field(
        None, description="Guests only (where the site allows them): the name shown with the comment"
    )
    guest_token: Text | None = Field(None, description="Guests only: the token from POST /guest-token")


class CommentEditIn(InputSchema):
    body: Text
    is_spoiler: bool | None = Field(None, description="Leave out to keep the current setting")


class VoteIn(InputSchema):
    value: Literal[1, -1, 0] = Field(description="1 up, -1 down, 0 withdraws your vote")


class GuestTokenOut(Schema):
    guest_token: str = Field(
        description="Keep it (the embed uses the host page's storage) and send it with every write as a guest"
    )


class VoteOut(Schema):
    """A VoteResult: the comment's tallies after the vote, and the vote the reader now has on it."""

    comment_id: int
    upvotes: int
    downvotes: int
    your_vote: int = Field(description="1, -1, or 0 once withdrawn")
