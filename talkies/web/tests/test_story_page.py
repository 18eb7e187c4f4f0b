import datetime

from django.utils import timezone

from talkies.accounts.models import Site, User
from talkies.comments.services import comment_create
from talkies.ratings.services import rating_set
from talkies.stories.services import story_create

from .helpers import page_queries, text_of


def rate(site, film, values: list[int]) -> None:
    for i, value in enumerate(values):
        user = User.objects.create_user(username=f"rater{i}-{value}-{User.objects.count()}")
        rating_set(site=site, film=film, user=user, value=value)


def scores_block(page: str, film_slug: str = "ballerina") -> str:
    return page.split(f'id="rate-{film_slug}"')[1].split("</section>")[0]


def test_a_story_shows_its_title_kind_author_date_body_and_films(client, story):
    response = client.get(story.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="story-title">What did you think of Ballerina?</h1>' in page
    assert '<span class="badge badge-reaction">Reaction</span>' in page
    assert '<span class="author">editor</span>' in page
    assert f'<time datetime="{story.published_at.isoformat()}">' in page
    assert "<p>Tell us <strong>below</strong>.</p>" in page  # the sanitised body, as HTML
    assert 'About\n      <a href="/films/ballerina/">Ballerina</a>' in page
    assert '<h2 id="conversation-heading" class="section-title">What did you think of the movie?</h2>' in page


def test_another_sites_story_is_not_found(client, site, other_site):
    elsewhere = story_create(
        site=other_site,
        kind="news",
        title="Only on Other Reel",
        body="x",
        published_at=timezone.now() - datetime.timedelta(minutes=1),
    )

    assert client.get(elsewhere.get_absolute_url()).status_code == 404


def test_a_draft_or_scheduled_story_is_not_found(client, site, editor):
    draft = story_create(site=site, kind="news", title="Draft", body="x", author=editor)
    scheduled = story_create(
        site=site,
        kind="news",
        title="Scheduled",
        body="x",
        published_at=timezone.now() + datetime.timedelta(days=1),
    )

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(scheduled.get_absolute_url()).status_code == 404


def test_the_critic_card_shows_the_sites_review_with_its_native_score(client, story, review):
    block = scores_block(client.get(story.get_absolute_url()).content.decode())

    assert "7/10" in block
    assert "Chris Bumbray" in block
    assert "A worthy spin-off." in block
    assert f'href="{review.story.get_absolute_url()}">Read the review</a>' in block


def test_the_critic_card_ignores_reviews_from_other_sites(client, story, other_site, film):
    from talkies.stories.services import critic_review_create

    elsewhere = story_create(
        site=other_site,
        kind="review",
        title="Their review",
        body="x",
        published_at=timezone.now() - datetime.timedelta(days=1),
    )
    critic_review_create(story=elsewhere, film=film, critic_name="Someone Else", score="2/5")

    block = scores_block(client.get(story.get_absolute_url()).content.decode())

    assert "Someone Else" not in block
    assert "No review from our critics yet." in block


def test_below_the_minimum_the_audience_card_only_says_there_are_not_enough_ratings(client, site, story, film):
    rate(site, film, [10, 10, 10])  # the site's minimum is 5

    block = scores_block(client.get(story.get_absolute_url()).content.decode())

    assert "Not enough ratings yet (3)" in block
    assert "liked it" not in block
    assert '<table class="histogram">' not in block


def test_the_audience_card_shows_count_bayesian_stars_liked_share_and_histogram(client, site, story, film):
    site.bayesian_prior_weight = 0  # no prior: the Bayesian average is the plain mean, easy to check
    site.save()
    rate(site, film, [10, 8, 8, 6, 3])  # mean 7 → 3.5 stars; 3 of 5 rated 7+ → 60% liked

    page = client.get(story.get_absolute_url()).content.decode()
    block = scores_block(page)
    text = text_of(block)

    assert '<span class="score-big">3.5</span><span class="score-max">/5</span>' in block
    assert "5 ratings" in text
    assert "60% liked it" in text
    assert "95% confidence 23–88%" in text  # the Wilson interval for 3 of 5
    assert "rated 3.5 stars or more" in text
    rows = block.split('<table class="histogram">')[1].split("</table>")[0]
    assert rows.count('<th scope="row">') == 10
    assert '<th scope="row">5 stars</th>' in rows
    assert '<th scope="row">0.5 stars</th>' in rows
    four_stars = rows.split('<th scope="row">4 stars</th>')[1].split("</tr>")[0]
    assert '<rect class="bar" width="100"' in four_stars and '<span class="bar-count">2</span>' in four_stars


def test_a_points_site_shows_the_audience_score_out_of_ten(client, site, story, film):
    site.rating_display = Site.RatingDisplay.POINTS
    site.bayesian_prior_weight = 0
    site.save()
    rate(site, film, [10, 8, 8, 6, 3])

    block = scores_block(client.get(story.get_absolute_url()).content.decode())

    assert '<span class="score-big">7</span><span class="score-max">/10</span>' in block
    assert '<th scope="row">7 out of 10</th>' in block


def test_a_percent_site_shows_the_audience_score_out_of_a_hundred(client, site, story, film):
    site.rating_display = Site.RatingDisplay.PERCENT
    site.bayesian_prior_weight = 0
    site.save()
    rate(site, film, [10, 8, 8, 6, 4])  # mean 7.2

    block = scores_block(client.get(story.get_absolute_url()).content.decode())

    assert '<span class="score-big">72</span><span class="score-max">/100</span>' in block


def test_a_story_about_two_films_has_a_score_panel_for_each(client, site, editor, universe, film):
    both = story_create(
        site=site,
        kind="feature",
        title="Ballerina and Parabellum",
        body="x",
        published_at=timezone.now() - datetime.timedelta(minutes=1),
        films=[film, universe["parabellum"]],
    )

    page = client.get(both.get_absolute_url()).content.decode()

    assert 'id="rate-ballerina"' in page
    assert 'id="rate-john-wick-chapter-3"' in page


def test_the_story_page_costs_the_same_queries_with_3_or_30_comments(
    client, site, story, thread, reader, second_reader, review, django_assert_max_num_queries
):
    client.force_login(reader)

    def add_comments(n: int) -> None:
        for i in range(n):
            top = comment_create(thread=thread, author=second_reader, body=f"Top {i}")
            reply = comment_create(thread=thread, author=reader, body=f"Reply {i}", parent=top)
            comment_create(thread=thread, author=second_reader, body=f"Deeper {i}", parent=reply)

    # 12 before featured comments (one query), the editor controls (is the reader staff here: one) and
    # the comments the reader has reported (one).
    add_comments(1)
    few = page_queries(client, story.get_absolute_url(), django_assert_max_num_queries, 15)
    add_comments(9)
    many = page_queries(client, story.get_absolute_url(), django_assert_max_num_queries, 15)

    assert few == many


def test_a_logged_out_reader_costs_fewer_queries_however_long_the_thread(
    client, story, thread, reader, django_assert_max_num_queries
):
    comment_create(thread=thread, author=reader, body="Only one")
    # 8 before featured comments (one query).
    few = page_queries(client, story.get_absolute_url(), django_assert_max_num_queries, 9)
    for i in range(29):
        comment_create(thread=thread, author=reader, body=f"Comment {i}")
    many = page_queries(client, story.get_absolute_url(), django_assert_max_num_queries, 9)

    assert few == many
