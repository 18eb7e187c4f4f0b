import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from talkies.catalogue.models import Film
from talkies.lib.errors import ServiceError
from talkies.stories.models import CriticReview, Story
from talkies.stories.services import critic_review_create, story_create, story_update_body


def create(site, **overrides) -> Story:
    fields = {"kind": "news", "title": "Ballerina opens this weekend", "body": "It opens *Friday*."}
    return story_create(site=site, **{**fields, **overrides})


# --- story_create -----------------------------------------------------------------------------------


def test_it_creates_a_story_with_a_slug_from_its_title_and_a_rendered_body(site, film, editor):
    published = timezone.now() - datetime.timedelta(hours=2)
    story = create(site, title="  Ballerina: the reactions  ", author=editor, published_at=published, films=[film])

    story = Story.objects.get(pk=story.pk)
    assert story.title == "Ballerina: the reactions"
    assert story.slug == "ballerina-the-reactions"
    assert story.body_html == "<p>It opens <em>Friday</em>.</p>\n"
    assert story.author == editor
    assert story.published_at == published
    assert list(story.films.all()) == [film]
    assert story.is_published


def test_a_story_without_a_publication_date_is_a_draft(site):
    story = create(site)
    assert story.is_published is False
    assert not Story.published.filter(pk=story.pk).exists()


def test_a_story_scheduled_for_later_is_not_published_yet(site):
    story = create(site, published_at=timezone.now() + datetime.timedelta(days=1))
    assert story.is_published is False


def test_an_explicit_slug_wins_over_the_title(site):
    assert create(site, slug="ballerina-weekend").slug == "ballerina-weekend"


def test_the_body_is_sanitised(site):
    story = create(site, body="<script>alert(1)</script> [x](javascript:alert(1))")
    assert "<script" not in story.body_html
    assert "javascript:" not in story.body_html.split("[x]")[0]  # only ever shown as text
    assert 'href="javascript' not in story.body_html


@pytest.mark.parametrize("kind", ["", "blog", "REVIEW"])
def test_it_rejects_an_unknown_kind_listing_the_known_ones(site, kind):
    with pytest.raises(ServiceError) as caught:
        create(site, kind=kind)
    assert caught.value.field == "kind"
    assert "news, review, reaction, feature" in caught.value.message
    assert not Story.objects.exists()


@pytest.mark.parametrize("title", ["", "   "])
def test_it_requires_a_title(site, title):
    with pytest.raises(ServiceError) as caught:
        create(site, title=title)
    assert caught.value.field == "title"


def test_it_rejects_a_title_longer_than_the_column(site):
    with pytest.raises(ServiceError) as caught:
        create(site, title="B" * 301)
    assert caught.value.field == "title"
    assert "300" in caught.value.message
    assert not Story.objects.exists()


@pytest.mark.parametrize(("field", "limit"), [("dek", 400), ("call_to_action", 300)])
def test_it_rejects_an_over_long_dek_or_call_to_action_naming_it(site, field, limit):
    with pytest.raises(ServiceError) as caught:
        create(site, **{field: "x" * (limit + 1)})
    assert caught.value.field == field
    assert caught.value.message == f"{field} is too long ({limit + 1} characters; the maximum is {limit})"


def test_it_refuses_a_second_story_with_the_same_slug_on_one_site(site):
    create(site)
    with pytest.raises(ServiceError) as caught:
        create(site, body="Another story, same headline")
    assert caught.value.field == "slug"
    assert "ballerina-opens-this-weekend" in caught.value.message
    assert Story.objects.count() == 1


def test_two_sites_may_use_the_same_slug(site, other_site):
    create(site)
    create(other_site)
    assert Story.objects.filter(slug="ballerina-opens-this-weekend").count() == 2


@pytest.mark.parametrize("title", ["!!!", "バレリーナ", "…"])
def test_a_title_that_gives_no_slug_asks_for_one(site, title):
    # A story with an empty slug has no address: its page and API URL could never be built.
    with pytest.raises(ServiceError) as caught:
        create(site, title=title)
    assert caught.value.field == "slug"
    assert not Story.objects.exists()


def test_the_same_title_with_an_explicit_slug_is_accepted(site):
    assert create(site, title="バレリーナ", slug="ballerina-japan").slug == "ballerina-japan"


@pytest.mark.parametrize("slug", ["has spaces", "slash/in/it", "émigré", "x" * 201])
def test_it_rejects_a_slug_that_cannot_be_part_of_a_url(site, slug):
    with pytest.raises(ServiceError) as caught:
        create(site, slug=slug)
    assert caught.value.field == "slug"
    assert not Story.objects.exists()


def test_a_long_title_gives_a_slug_that_fits(site):
    story = create(site, title="word " * 59)  # 295 characters, a slug of 294
    assert len(story.slug) <= 200
    assert not story.slug.endswith("-")


# --- story_update_body ------------------------------------------------------------------------------


def test_updating_the_body_rerenders_it(site):
    story = create(site)
    story_update_body(story=story, body="Now **Saturday**. <img src=x onerror=alert(1)>")

    story = Story.objects.get(pk=story.pk)
    assert story.body_source.startswith("Now **Saturday**.")
    assert story.body_html.startswith("<p>Now <strong>Saturday</strong>.")
    assert "<img" not in story.body_html


# --- critic_review_create ---------------------------------------------------------------------------


@pytest.fixture
def review_story(site, editor) -> Story:
    return create(site, kind="review", title="Ballerina review", published_at=timezone.now())


@pytest.mark.parametrize(
    ("score", "text", "value", "maximum", "normalised"),
    [
        ("7/10", "7/10", Decimal(7), Decimal(10), Decimal(70)),
        ("3.5/5", "3.5/5", Decimal("3.5"), Decimal(5), Decimal(70)),
        ("82/100", "82/100", Decimal(82), Decimal(100), Decimal(82)),
        ("B+", "B+", None, None, Decimal(88)),
    ],
)
def test_a_review_keeps_the_score_as_published_and_normalised(
    review_story, film, editor, score, text, value, maximum, normalised
):
    review = critic_review_create(
        story=review_story, film=film, critic=editor, critic_name="Ed Itor", score=score, verdict="Kicks hard."
    )

    review = CriticReview.objects.get(pk=review.pk)
    assert review.score_text == text
    assert review.score_value == value
    assert review.score_max == maximum
    assert review.normalised == normalised
    assert review.normalised_out_of_10 == float(normalised) / 10
    assert (review.critic, review.critic_name, review.verdict) == (editor, "Ed Itor", "Kicks hard.")


def test_a_review_links_the_story_to_its_film(review_story, film):
    assert not review_story.films.exists()
    critic_review_create(story=review_story, film=film, critic_name="Ed Itor", score="7/10")
    assert list(review_story.films.all()) == [film]


@pytest.mark.parametrize(
    ("score", "complaint"),
    [
        ("seven", "not a score we can read"),
        ("11/10", "above its own maximum"),
        ("7/0", "must be above 0"),
        ("90/1000", "scales above 100"),
    ],
)
def test_an_unreadable_score_is_refused_naming_score(review_story, film, score, complaint):
    with pytest.raises(ServiceError) as caught:
        critic_review_create(story=review_story, film=film, critic_name="Ed Itor", score=score)

    assert caught.value.field == "score"
    assert complaint in caught.value.message
    assert not CriticReview.objects.exists()
    assert not review_story.films.exists()  # nothing half-saved


def test_a_second_review_of_the_same_film_in_one_story_is_refused_clearly(review_story, film):
    critic_review_create(story=review_story, film=film, critic_name="Ed Itor", score="7/10")

    with pytest.raises(ServiceError) as caught:
        critic_review_create(story=review_story, film=film, critic_name="Ed Itor", score="8/10")

    assert caught.value.field == "film"
    assert "Ballerina" in caught.value.message
    assert CriticReview.objects.get().score_text == "7/10"  # the first review is untouched


def test_one_story_may_review_two_films(review_story, film):
    sequel = Film.objects.create(title="John Wick: Chapter 4", slug="john-wick-4")
    critic_review_create(story=review_story, film=film, critic_name="Ed Itor", score="7/10")
    critic_review_create(story=review_story, film=sequel, critic_name="Ed Itor", score="4/5")
    assert set(review_story.films.all()) == {film, sequel}


def test_a_spoiler_in_the_title_is_left_out_of_the_slug(site):
    story = story_create(site=site, kind="reaction", title="Did >!Winston betray her!< surprise you?", body="x")
    assert story.slug == "did-surprise-you"
