import datetime

from django.utils import timezone

from talkies.accounts.models import User
from talkies.ratings.bombs import audit_film
from talkies.ratings.services import rating_set


def test_the_film_page_says_when_ratings_are_held_for_review(client, site, film):
    joined = timezone.now() - datetime.timedelta(hours=1)
    User.objects.bulk_create([User(username=f"b{i}", password="!", date_joined=joined) for i in range(30)])
    for user in User.objects.filter(username__startswith="b"):
        rating_set(site=site, film=film, user=user, value=1)
    assert audit_film(site=site, film=film)

    page = client.get(film.get_absolute_url()).content.decode()
    assert "30 ratings from a sudden burst are under review" in page
    assert "Not enough ratings yet (0)" in page


def test_no_notice_when_nothing_is_held(client, site, film, reader):
    rating_set(site=site, film=film, user=reader, value=8)
    assert "under review" not in client.get(film.get_absolute_url()).content.decode()
