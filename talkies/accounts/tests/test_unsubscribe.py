"""One-click unsubscribe: a signed link that works without logging in, for the one account it names."""

from talkies.accounts.models import User
from talkies.accounts.tokens import unsubscribe_token


def subscribed(user: User) -> User:
    user.notify_replies = True
    user.save()
    return user


def test_opening_the_link_only_asks_and_confirming_unsubscribes(client, site, reader):
    url = f"/accounts/unsubscribe/{unsubscribe_token(subscribed(reader))}/"

    page = client.get(url)
    assert page.status_code == 200 and "Yes, unsubscribe" in page.content.decode()
    assert User.objects.get(pk=reader.pk).notify_replies  # a link scanner's GET changes nothing

    done = client.post(url)

    assert "You are unsubscribed" in done.content.decode()
    assert not User.objects.get(pk=reader.pk).notify_replies


def test_a_mail_clients_one_click_post_works_without_csrf_or_login(site, reader):
    from django.test import Client

    url = f"/accounts/unsubscribe/{unsubscribe_token(subscribed(reader))}/"

    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert not User.objects.get(pk=reader.pk).notify_replies


def test_one_readers_token_cannot_unsubscribe_another(client, site, reader, second_reader):
    subscribed(second_reader)

    client.post(f"/accounts/unsubscribe/{unsubscribe_token(subscribed(reader))}/")

    assert User.objects.get(pk=second_reader.pk).notify_replies


def test_a_tampered_token_fails_with_a_clear_page_and_changes_nothing(client, site, reader):
    token = unsubscribe_token(subscribed(reader))

    response = client.post(f"/accounts/unsubscribe/{token[:-2]}zz/")

    assert response.status_code == 400
    assert "this unsubscribe link is not one we sent" in response.content.decode()
    assert User.objects.get(pk=reader.pk).notify_replies
