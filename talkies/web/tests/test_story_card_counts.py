import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from talkies.comments.services import comment_create, thread_for_story
from talkies.ratings.services import rating_set
from talkies.stories.services import story_create

# Everything the home page asks, however many story cards it shows: films in theatres, root franchises,
# the stories with their threads (for the counts), the stories' films, recent releases and their dates.
HOME_PAGE_QUERIES = 6


def publish_story_with_a_conversation(site, film, author, readers, n: int) -> None:
    story = story_create(
        site=site,
        kind="reaction",
        title=f"Ballerina, take {n}",
        body="Tell us.",
        author=author,
        published_at=timezone.now() - datetime.timedelta(minutes=n + 1),
        films=[film],
    )
    thread = thread_for_story(story=story)
    for reader in readers:
        comment_create(thread=thread, author=reader, body=f"Comment on take {n}")


def home_page(client) -> tuple[int, str]:
    """The queries one view of the home page makes, once the site lookup is cached, and the page."""
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/").content.decode()
    return len(queries), page


def test_story_cards_show_comment_counts_in_queries_that_do_not_grow_with_the_stories(
    client, site, film, editor, reader, second_reader
):
    rating_set(site=site, film=film, user=reader, value=8)
    rating_set(site=site, film=film, user=second_reader, value=6)
    publish_story_with_a_conversation(site, film, editor, [reader, second_reader], 0)
    with_one_story, page = home_page(client)
    assert page.count("2 comments") == 1

    for n in range(1, 5):
        publish_story_with_a_conversation(site, film, editor, [reader, second_reader], n)
    with_five_stories, page = home_page(client)
    assert page.count("2 comments") == 5

    assert with_one_story == with_five_stories == HOME_PAGE_QUERIES


def test_a_story_without_a_thread_shows_no_count(client, site, story):
    page = client.get("/").content.decode()
    assert story.title in page and " comments</a>" not in page
