from talkies.accounts.models import User

PASSWORD = "a sturdy passphrase 42"


def register(client, **overrides):
    data = {"username": "newreader", "email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD}
    return client.post("/accounts/register/", {**data, **overrides})


def test_the_register_page_asks_for_username_email_and_password_twice(client, site):
    page = client.get("/accounts/register/").content.decode()

    for field in ("id_username", "id_email", "id_password1", "id_password2"):
        assert f'for="{field}"' in page  # every field is labelled
    assert "Create account" in page


def test_registering_creates_the_account_and_logs_the_reader_in(client, site):
    response = register(client)

    assert response.status_code == 302
    assert response["Location"] == "/"
    user = User.objects.get(username="newreader")
    assert user.email == "new@example.com"
    assert user.check_password(PASSWORD)
    assert "Signed in as <strong>newreader</strong>" in client.get("/").content.decode()


def test_registering_returns_the_reader_to_where_they_were(client, site, story):
    response = register(client, next=story.get_absolute_url())

    assert response["Location"] == story.get_absolute_url()


def test_registering_never_redirects_off_the_site(client, site):
    response = register(client, next="https://evil.example/")

    assert response["Location"] == "/"


def test_mismatched_passwords_are_refused_beside_the_field_and_the_username_kept(client, site):
    response = register(client, password2="something else entirely")

    page = response.content.decode()
    assert response.status_code == 400
    assert not User.objects.filter(username="newreader").exists()
    assert "The two password fields didn’t match." in page
    assert 'value="newreader"' in page


def test_an_email_is_required(client, site):
    response = register(client, email="")

    assert response.status_code == 400
    assert not User.objects.filter(username="newreader").exists()


def test_a_taken_username_is_refused(client, site, reader):
    response = register(client, username="reader")

    assert response.status_code == 400
    assert "A user with that username already exists." in response.content.decode()


def test_a_logged_in_reader_visiting_register_goes_home(client, site, reader):
    client.force_login(reader)

    assert client.get("/accounts/register/")["Location"] == "/"
