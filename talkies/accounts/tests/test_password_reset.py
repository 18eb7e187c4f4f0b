"""Password reset: Django's views with our templates, and a real email whose link uses SITE_URL."""

import re

from django.core import mail

from talkies.accounts.models import User


def test_a_reader_resets_their_password_through_the_emailed_link(client, site, reader, settings):
    settings.SITE_URL = "https://talkies.example"
    settings.ALLOWED_HOSTS = ["testserver", "alias.example"]  # a second name this install answers to
    assert "Forgotten your password?" in client.get("/accounts/login/").content.decode()

    response = client.post("/accounts/password-reset/", {"email": "reader@example.com"}, HTTP_HOST="alias.example")

    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "Reset your password"
    body = str(mail.outbox[0].body)
    assert "alias.example" not in body  # the link comes from SITE_URL, never the request's Host header
    link = re.search(r"https://talkies\.example(/accounts/password-reset/\S+/)", body)
    assert link is not None, body
    path = link.group(1)
    form_url = client.get(path)["Location"]  # Django swaps the token for a session-bound URL
    page = client.get(form_url)
    assert "Choose a new password" in page.content.decode()

    client.post(form_url, {"new_password1": "a new sturdy passphrase", "new_password2": "a new sturdy passphrase"})

    assert User.objects.get(pk=reader.pk).check_password("a new sturdy passphrase")


def test_an_unknown_address_sends_nothing_but_says_the_same(client, site):
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.com"}, follow=True)

    assert "Check your email" in response.content.decode()
    assert mail.outbox == []
