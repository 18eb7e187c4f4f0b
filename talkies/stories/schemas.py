"""What the API says about a site's stories and its critics' reviews."""

import datetime

from ninja import Field, Schema

from talkies.catalogue.schemas import FilmRef
from talkies.lib.text import Text

from .models import CriticReview, Story


class StoryRef(Schema):
    slug: str
    kind: str
    title: str


class StoryThreadOut(Schema):
    id: int = Field(description="GET /threads/{id}/comments reads the conversation")
    comment_count: int
    is_closed: bool


class StorySummaryOut(StoryRef):
    dek: str
    published_at: datetime.datetime
    author_name: str | None
    films: list[FilmRef]
    thread: StoryThreadOut | None = Field(
        description="The story's conversation; null until it is opened (GET /stories/{slug}/thread opens it)"
    )

    @staticmethod
    def resolve_author_name(story: Story) -> str | None:
        return story.author.public_name if story.author else None

    @staticmethod
    def resolve_thread(story: Story) -> object | None:
        # The reverse side of a one-to-one, which may not exist yet; Django's missing-relation error is
        # an AttributeError, which is what lets getattr fall back to None.
        return getattr(story, "thread", None)


class StoryCriticReviewOut(Schema):
    film: FilmRef
    critic_name: str
    score_text: str = Field(description='As published: "7/10", "3.5/5", "B+"')
    normalised: float = Field(description="0–100")
    verdict: str


class StoryDetailOut(StorySummaryOut):
    body_html: str = Field(description="Sanitised HTML; spoilers are <span class=spoiler data-spoiler>")
    call_to_action: str
    critic_reviews: list[StoryCriticReviewOut]
    related: list[StoryRef] = Field(description="Published stories on this site linked to this one")


class StoryPageOut(Schema):
    items: list[StorySummaryOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null on the last page")


class StoryListQuery(Schema):
    kind: Story.Kind | None = Field(None, description="Only stories of this kind")
    film: Text | None = Field(None, description="A film's slug: only stories about it")
    cursor: Text | None = None
    limit: int = Field(20, ge=1, le=100)


class CriticReviewOut(Schema):
    story: StoryRef
    published_at: datetime.datetime
    critic_name: str
    score_text: str = Field(description='As published: "7/10", "3.5/5", "B+"')
    normalised: float = Field(description="0–100, so reviews on different scales compare")
    verdict: str

    @staticmethod
    def resolve_published_at(review: CriticReview) -> datetime.datetime | None:
        return review.story.published_at


class CriticSideOut(Schema):
    reviews: list[CriticReviewOut] = Field(description="Newest first")
    average: float | None = Field(description="0–100; null until there are `minimum_for_average` reviews")
    minimum_for_average: int
