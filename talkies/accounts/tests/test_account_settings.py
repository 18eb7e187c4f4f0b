"""The account page: reply emails on and off, and the address's confirmation status."""

from talkies.accounts.models import User


def test_the_account_page_needs_a_login(client, site):
    response = client.get("/accounts/settings/")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_reader_opts_in_to_and_out_of_reply_emails(client, site, reader):
    client.force_login(reader)
    page = client.get("/accounts/settings/").content.decode()
    assert 'name="notify_replies"' in page and "not confirmed yet" in page

    client.post("/accounts/settings/", {"notify_replies": "on"})
    assert User.objects.get(pk=reader.pk).notify_replies

    response = client.post("/accounts/settings/", {}, follow=True)
    assert not User.objects.get(pk=reader.pk).notify_replies
    assert "Reply emails are off." in response.content.decode()


def test_the_header_links_to_the_account_page(client, site, reader):
    client.force_login(reader)

    assert 'href="/accounts/settings/"' in client.get("/").content.decode()
