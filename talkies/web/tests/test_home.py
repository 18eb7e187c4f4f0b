import datetime

from django.utils import timezone

from talkies.catalogue.models import Film, FranchiseEntry
from talkies.stories.services import story_create

from .helpers import page_queries, release, text_of


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def test_the_home_page_shows_the_site_name_tagline_and_latest_stories(client, site, story):
    site.tagline = "Films, and what readers think of them"
    site.save()
    story.dek = "Tell us what you thought."
    story.save()

    response = client.get("/")

    page = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="masthead-title">Reel News</h1>' in page
    assert "Films, and what readers think of them" in page
    assert f'href="{story.get_absolute_url()}"' in page
    assert '<span class="badge badge-reaction">Reaction</span>' in page
    assert "Tell us what you thought." in page
    assert f'datetime="{story.published_at.isoformat()}"' in page


def test_drafts_and_other_sites_stories_are_not_on_the_home_page(client, site, other_site, story, editor):
    story_create(site=site, kind="news", title="A draft nobody should see", body="x", author=editor)
    story_create(
        site=other_site,
        kind="news",
        title="Another publication's scoop",
        body="x",
        published_at=timezone.now() - datetime.timedelta(minutes=5),
    )

    page = client.get("/").content.decode()

    assert story.title in page
    assert "A draft nobody should see" not in page
    assert "Another publication&#x27;s scoop" not in page


def test_a_film_that_opened_last_week_is_in_theatres(client, site, film):
    showing = Film.objects.create(title="Now Showing", slug="now-showing")
    release(showing, days_ago(7))

    page = client.get("/").content.decode()

    in_theatres = page.split('id="theatres-heading"')[1].split("</section>")[0]
    assert "Now Showing" in in_theatres
    assert "Ballerina" not in in_theatres  # released in 2025: its theatrical run is over
    assert "Recent releases" not in page


def test_films_not_yet_released_or_long_gone_are_not_in_theatres(client, site, film):
    coming = Film.objects.create(title="Coming Soon", slug="coming-soon")
    release(coming, days_ago(-10))
    gone = Film.objects.create(title="Long Gone", slug="long-gone")
    release(gone, days_ago(120))

    page = client.get("/").content.decode()

    in_theatres = page.split('id="theatres-heading"')[1].split("</section>")[0]
    assert "Coming Soon" not in in_theatres
    assert "Long Gone" not in in_theatres
    assert "Nothing we cover is in theatres right now." in in_theatres


def test_a_film_streaming_at_home_is_no_longer_in_theatres(client, site):
    streaming = Film.objects.create(title="Already Streaming", slug="already-streaming")
    release(streaming, days_ago(40))
    release(streaming, days_ago(5), kind="digital")

    page = client.get("/").content.decode()

    assert "Nothing we cover is in theatres right now." in page
    assert "Streaming and on home video" in page  # listed under recent releases with its status


def test_the_sites_region_decides_what_is_in_theatres(client, site):
    # Out in the UK a week ago, not in the US (the site's region) until next month.
    staggered = Film.objects.create(title="Staggered Release", slug="staggered")
    release(staggered, days_ago(7), region="GB")
    release(staggered, days_ago(-30), region="US")

    page = client.get("/").content.decode()

    in_theatres = page.split('id="theatres-heading"')[1].split("</section>")[0]
    assert "Staggered Release" not in in_theatres


def test_with_nothing_in_theatres_it_says_so_and_lists_recent_releases_newest_first(client, site, film):
    older = Film.objects.create(title="Older Release", slug="older")
    release(older, days_ago(400))
    newer = Film.objects.create(title="Newer Release", slug="newer")
    release(newer, days_ago(200))

    page = client.get("/").content.decode()

    assert "Nothing we cover is in theatres right now." in page
    recent = page.split('id="recent-heading"')[1].split("</section>")[0]
    assert recent.index("Newer Release") < recent.index("Older Release")
    assert "Released " in recent  # each with its status label


def test_franchises_are_listed_with_their_films_in_release_order(client, site, universe):
    page = client.get("/").content.decode()

    block = page.split('id="franchise-john-wick-universe"')[1].split("</section>")[0]
    assert 'href="/franchises/john-wick-universe/"' in block
    assert block.index("John Wick</a>") < block.index("Parabellum") < block.index("Ballerina")
    # The sub-franchise is reached through its universe, not listed again beside it.
    assert 'id="franchise-john-wick-films"' not in page


def test_a_universe_without_films_of_its_own_shows_its_franchises_films(client, site, universe):
    FranchiseEntry.objects.filter(franchise=universe["world"]).delete()

    block = client.get("/").content.decode().split('id="franchise-john-wick-universe"')[1].split("</section>")[0]

    assert "John Wick</a>" in block and "Parabellum" in block


def test_the_home_page_costs_the_same_queries_however_many_stories_and_films(
    client, site, editor, universe, django_assert_max_num_queries
):
    def add(n: int) -> None:
        for i in range(n):
            film = Film.objects.create(title=f"Film {i}", slug=f"film-{i}-{Film.objects.count()}")
            release(film, days_ago(i % 60))
            story_create(
                site=site,
                kind="news",
                title=f"Story {Film.objects.count()}",
                body="x",
                published_at=timezone.now() - datetime.timedelta(hours=i + 1),
                films=[film],
            )

    add(2)
    few = page_queries(client, "/", django_assert_max_num_queries, 11)
    add(20)
    many = page_queries(client, "/", django_assert_max_num_queries, 11)

    assert few == many


def test_the_home_page_renders_text_not_markup_from_titles(client, site, editor):
    story_create(
        site=site,
        kind="news",
        title="<b>Bold</b> claims",
        body="x",
        published_at=timezone.now() - datetime.timedelta(minutes=1),
    )

    page = client.get("/").content.decode()

    assert "<b>Bold</b>" not in page
    assert "<b>Bold</b> claims" in text_of(page)
