"""The Story admin writes through stories.services, so it refuses and derives exactly what they do."""

import pytest

from talkies.accounts.models import User
from talkies.stories.models import CriticReview, Story
from talkies.stories.services import critic_review_create

ADD_URL = "/admin/stories/story/add/"


@pytest.fixture
def admin_client(client, db):
    client.force_login(User.objects.create_superuser(username="admin", password="unused-here"))
    return client


def story_form(site, **fields) -> dict:
    """The add/change form as the admin posts it, with no critic reviews unless `reviews` are given."""
    reviews = fields.pop("reviews", [])
    data = {
        "site": site.pk,
        "kind": "review",
        "title": "Ballerina review",
        "slug": "",
        "dek": "",
        "body_source": "A *good* film.",
        "published_at_0": "",
        "published_at_1": "",
        "call_to_action": "",
        "critic_reviews-TOTAL_FORMS": len(reviews),
        "critic_reviews-INITIAL_FORMS": sum(1 for review in reviews if review.get("id")),
        "critic_reviews-MIN_NUM_FORMS": 0,
        "critic_reviews-MAX_NUM_FORMS": 1000,
        **fields,
    }
    for n, review in enumerate(reviews):
        for name, value in review.items():
            data[f"critic_reviews-{n}-{name}"] = value
    return data


def review_form(film, score: str, **fields) -> dict:
    return {"film": film.pk, "critic_name": "Casey Critic", "score_text": score, "verdict": "", **fields}


def change_url(story: Story) -> str:
    return f"/admin/stories/story/{story.pk}/change/"


def test_a_story_added_without_a_slug_gets_one_from_its_title_with_the_spoiler_left_out(admin_client, site):
    response = admin_client.post(ADD_URL, story_form(site, title="Ballerina review: >!Winston survives!<"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    story = Story.objects.get()
    assert story.slug == "ballerina-review"
    assert story.title == "Ballerina review: >!Winston survives!<"
    assert story.body_html == "<p>A <em>good</em> film.</p>\n"


def test_the_add_form_does_not_fill_the_slug_in_the_browser(admin_client, site):
    response = admin_client.get(ADD_URL)
    assert response.context["adminform"].prepopulated_fields == []


def test_a_title_that_is_all_spoiler_is_refused_beside_the_slug(admin_client, site):
    response = admin_client.post(ADD_URL, story_form(site, title=">!Winston survives!<"))

    assert response.status_code == 200
    assert "gives no slug" in " ".join(response.context["adminform"].form.errors["slug"])
    assert not Story.objects.exists()


def test_a_slug_another_story_has_is_refused_beside_the_slug(admin_client, site, story):
    response = admin_client.post(ADD_URL, story_form(site, slug=story.slug))

    assert response.status_code == 200
    assert "already exists" in " ".join(response.context["adminform"].form.errors["slug"])
    assert Story.objects.count() == 1


def test_a_story_added_with_a_review_gets_its_score_normalised(admin_client, site, film):
    response = admin_client.post(ADD_URL, story_form(site, films=[film.pk], reviews=[review_form(film, "3.5/5")]))

    assert response.status_code == 302
    review = CriticReview.objects.get()
    assert (review.story, review.score_text, review.normalised) == (Story.objects.get(), "3.5/5", 70)


def test_a_bad_critic_score_is_an_error_on_the_score_and_nothing_is_saved(admin_client, site, film):
    response = admin_client.post(ADD_URL, story_form(site, films=[film.pk], reviews=[review_form(film, "eleven/10")]))

    assert response.status_code == 200
    [inline] = response.context["inline_admin_formsets"]
    [review_errors] = inline.formset.errors
    assert "not a score we can read" in " ".join(review_errors["score_text"])
    assert not Story.objects.exists()
    assert not CriticReview.objects.exists()


def test_changing_a_review_to_a_bad_score_saves_neither_the_story_nor_the_review(admin_client, site, film, story):
    review = critic_review_create(story=story, film=film, critic_name="Casey Critic", score="7/10")
    form = story_form(
        site,
        kind=story.kind,
        title="A new headline",
        slug=story.slug,
        body_source=story.body_source,
        films=[film.pk],
        reviews=[review_form(film, "12/10", id=review.pk, story=story.pk)],
    )

    response = admin_client.post(change_url(story), form)

    assert response.status_code == 200
    [inline] = response.context["inline_admin_formsets"]
    assert "above its own maximum" in " ".join(inline.formset.errors[0]["score_text"])
    story.refresh_from_db()
    review.refresh_from_db()
    assert story.title == "What did you think of Ballerina?"
    assert (review.score_text, review.normalised) == ("7/10", 70)


def test_changing_a_review_score_renormalises_it(admin_client, site, film, story):
    review = critic_review_create(story=story, film=film, critic_name="Casey Critic", score="7/10")
    form = story_form(
        site,
        kind=story.kind,
        title=story.title,
        slug=story.slug,
        body_source=story.body_source,
        films=[film.pk],
        reviews=[review_form(film, "B+", id=review.pk, story=story.pk)],
    )

    assert admin_client.post(change_url(story), form).status_code == 302

    review.refresh_from_db()
    assert (review.score_text, review.score_value, review.normalised) == ("B+", None, 88)


def test_a_body_edited_in_the_admin_is_rendered_and_sanitised(admin_client, site, film, story):
    form = story_form(
        site,
        kind=story.kind,
        title=story.title,
        slug=story.slug,
        body_source="Now **bold**. <script>alert(1)</script>",
        films=[film.pk],
    )

    assert admin_client.post(change_url(story), form).status_code == 302

    story.refresh_from_db()
    assert story.body_source == "Now **bold**. <script>alert(1)</script>"
    assert "<strong>bold</strong>" in story.body_html
    assert "<script" not in story.body_html


def test_changing_the_title_keeps_the_address(admin_client, site, film, story):
    form = story_form(
        site,
        kind=story.kind,
        title="Ballerina: >!Winston survives!<",
        slug=story.slug,
        body_source=story.body_source,
        films=[film.pk],
    )

    assert admin_client.post(change_url(story), form).status_code == 302

    story.refresh_from_db()
    assert (story.title, story.slug) == ("Ballerina: >!Winston survives!<", "what-did-you-think-of-ballerina")
