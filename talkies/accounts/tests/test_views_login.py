from talkies.accounts.models import User

PASSWORD = "correct horse battery staple"  # the personas' password (see /conftest.py)


def test_logging_in_returns_to_the_page_named_in_next(client, site, reader, story):
    response = client.post(
        "/accounts/login/", {"username": "reader", "password": PASSWORD, "next": story.get_absolute_url()}
    )

    assert response.status_code == 302
    assert response["Location"] == story.get_absolute_url()
    assert "Signed in as <strong>Rita Reader</strong>" in client.get("/").content.decode()


def test_a_wrong_password_is_refused_with_a_message(client, site, reader):
    response = client.post("/accounts/login/", {"username": "reader", "password": "nope"})

    assert response.status_code == 200
    assert "Please enter a correct username and password." in response.content.decode()


def test_the_login_page_hides_the_header_login_links(client, site):
    page = client.get("/accounts/login/").content.decode()

    assert 'class="account-nav"' not in page
    assert '<label for="id_username"' in page and '<label for="id_password"' in page


def test_the_header_offers_login_and_register_returning_to_the_current_page(client, site, story):
    page = client.get(story.get_absolute_url()).content.decode()

    assert f'href="/accounts/login/?next={story.get_absolute_url()}"' in page
    assert f'href="/accounts/register/?next={story.get_absolute_url()}"' in page


def test_the_header_shows_the_readers_name_and_a_logout_button(client, site, reader):
    client.force_login(reader)

    page = client.get("/").content.decode()

    assert "Signed in as <strong>Rita Reader</strong>" in page
    assert '<form method="post" action="/accounts/logout/">' in page


def test_logging_out_takes_a_post(client, site, reader):
    client.force_login(reader)

    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert "Signed in as" not in client.get("/").content.decode()


def test_a_user_without_a_display_name_is_shown_by_username(client, site):
    user = User.objects.create_user(username="plainname", password=PASSWORD)
    client.force_login(user)

    assert "Signed in as <strong>plainname</strong>" in client.get("/").content.decode()
