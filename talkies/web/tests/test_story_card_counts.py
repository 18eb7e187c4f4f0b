from talkies.comments.services import comment_create


def test_story_cards_show_comment_counts_without_extra_queries(
    client, site, story, thread, reader, django_assert_max_num_queries
):
    for n in range(3):
        comment_create(thread=thread, author=reader, body=f"Comment {n}")
    client.get("/")  # warm the site cache
    with django_assert_max_num_queries(12):
        page = client.get("/").content.decode()
    assert "3 comments" in page


def test_a_story_without_a_thread_shows_no_count(client, site, story):
    page = client.get("/").content.decode()
    assert story.title in page and " comments</a>" not in page
