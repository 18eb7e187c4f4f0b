import datetime
import re
from urllib.parse import quote

from django.utils import timezone

from talkies.catalogue.models import Film
from talkies.ratings.models import Rating
from talkies.ratings.services import rating_set

from .helpers import release


def widget(page: str, film_slug: str = "ballerina") -> str:
    block = page.split(f'id="rate-{film_slug}"')[1]
    return block.split('<div class="card rating-widget"')[1].split("</section>")[0]


def test_a_logged_out_reader_is_asked_to_log_in_to_rate(client, story):
    block = widget(client.get(story.get_absolute_url()).content.decode())

    next_url = quote(f"{story.get_absolute_url()}?sort=best")
    assert f'href="/accounts/login/?next={next_url}"' in block
    assert "Log in to rate" in block
    assert 'type="radio"' not in block


def test_the_widget_is_ten_labelled_radio_buttons_in_half_stars(reader_client, story):
    block = widget(reader_client.get(story.get_absolute_url()).content.decode())

    radios = re.findall(r'<input type="radio"[^>]*name="value" value="(\d+)"', block)
    assert radios == [str(v) for v in range(1, 11)]
    labels = re.findall(r'<span class="visually-hidden">([^<]+)</span>', block)
    assert labels == ["0.5 stars", "1 star", "1.5 stars", "2 stars", "2.5 stars", "3 stars", "3.5 stars", "4 stars",
                      "4.5 stars", "5 stars"]  # fmt: skip
    # Every radio has a label tied to it by id, so clicking a star or using a screen reader works.
    for value in range(1, 11):
        assert f'id="rate-ballerina-{value}"' in block
        assert f'for="rate-ballerina-{value}"' in block
    assert "<fieldset>" in block and "<legend>" in block
    assert "Remove my rating" not in block


def test_rating_a_film_saves_it_and_returns_to_the_story_with_a_message(reader_client, site, reader, story, film):
    page_url = f"{story.get_absolute_url()}?sort=best"

    response = reader_client.post("/films/ballerina/rating/", {"value": "7", "next": page_url})

    assert response.status_code == 302
    assert response["Location"] == f"{page_url}#rate-ballerina"
    assert Rating.objects.get(site=site, film=film, user=reader).value == 7
    page = reader_client.get(page_url).content.decode()
    assert "You rated Ballerina 3.5 stars." in page
    block = widget(page)
    assert 'value="7" id="rate-ballerina-7" checked' in block
    assert "You rated Ballerina <strong>3.5 stars</strong>" in block
    assert "Remove my rating" in block


def test_removing_my_rating_withdraws_it(reader_client, site, reader, story, film):
    rating_set(site=site, film=film, user=reader, value=4)

    response = reader_client.post("/films/ballerina/rating/remove/", {"next": story.get_absolute_url()})

    assert response.status_code == 302
    assert not Rating.objects.filter(user=reader).exists()
    page = reader_client.get(story.get_absolute_url()).content.decode()
    assert "Your rating of Ballerina was removed." in page
    assert " checked " not in widget(page)


def test_a_rating_off_the_scale_is_refused_with_a_message(reader_client, reader, story):
    response = reader_client.post("/films/ballerina/rating/", {"value": "11"}, follow=True)

    assert not Rating.objects.filter(user=reader).exists()
    assert "Your rating was not saved: choose a rating from the stars." in response.content.decode()


def test_before_release_the_widget_says_when_rating_opens(reader_client, site, editor):
    upcoming = Film.objects.create(title="Upcoming", slug="upcoming")
    opens = timezone.localdate() + datetime.timedelta(days=20)
    release(upcoming, opens)

    block = widget(reader_client.get("/films/upcoming/").content.decode(), "upcoming")

    assert f'Rating opens on <time datetime="{opens:%Y-%m-%d}">{opens:%-d %B %Y}</time>' in block
    assert 'type="radio"' not in block


def test_a_film_with_no_announced_release_date_offers_no_stars(reader_client, site):
    Film.objects.create(title="Untitled Sequel", slug="untitled-sequel")

    block = widget(reader_client.get("/films/untitled-sequel/").content.decode(), "untitled-sequel")

    assert "Untitled Sequel has no announced release date: rating opens when it is released." in block
    assert 'type="radio"' not in block


def test_rating_before_release_is_refused_by_the_service_with_its_reason(reader_client, reader):
    upcoming = Film.objects.create(title="Upcoming", slug="upcoming")
    release(upcoming, timezone.localdate() + datetime.timedelta(days=20))

    response = reader_client.post("/films/upcoming/rating/", {"value": "8"}, follow=True)

    assert not Rating.objects.filter(user=reader).exists()
    assert "Your rating was not saved: rating opens on" in response.content.decode()


def test_a_logged_out_rating_post_goes_to_the_login_page(client, story):
    response = client.post("/films/ballerina/rating/", {"value": "7", "next": story.get_absolute_url()})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/stories/")


def test_rating_never_redirects_to_another_host(reader_client, film):
    response = reader_client.post("/films/ballerina/rating/", {"value": "7", "next": "https://evil.example/"})

    assert response["Location"] == "/films/ballerina/#rate-ballerina"


def test_rating_reads_the_widget_only_by_post(reader_client):
    assert reader_client.get("/films/ballerina/rating/").status_code == 405
