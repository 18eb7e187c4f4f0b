"""Names that only look like someone else's are refused: at sign-up, for an SSO display name, for a guest."""

import time

import pytest

from talkies.accounts.lookalike_names import mixes_scripts, refuse_lookalike, skeleton
from talkies.accounts.models import User
from talkies.embed.models import EmbedSettings
from talkies.embed.tokens import encode_sso
from talkies.lib.errors import ServiceError

PASSWORD = "a sturdy passphrase 42"
SSO_SECRET = "s" * 32


def register(client, username):
    data = {"username": username, "email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD}
    return client.post("/accounts/register/", data)


def refusal(name, **kwargs):
    with pytest.raises(ServiceError) as caught:
        refuse_lookalike(name, field="username", **kwargs)
    return caught.value.message


@pytest.mark.parametrize("name", ["аdmin", "admιn", "ᴀdmin", "ＡＤＭＩＮ"])
def test_it_refuses_the_look_alikes_of_admin(site, name):
    assert "admin" in refusal(name) or "alphabets" in refusal(name)


def test_it_refuses_a_site_name_with_a_staff_word_even_in_plain_letters(site):
    assert "Reel News" in refusal("reelnews_editor")
    assert "mixes alphabets" in refusal("reelnews_еditor")  # Cyrillic е


def test_it_refuses_a_look_alike_of_an_existing_readers_name(site):
    User.objects.create(username="sepp")
    assert "the existing name “sepp”" in refusal("ѕерр")  # wholly Cyrillic, so one script


@pytest.mark.parametrize("name", ["Anna", "Дмитрий", "山田さん", "Ελένη", "anna_b"])
def test_it_accepts_honest_names_in_one_script(site, name):
    User.objects.create(username="anna")
    refuse_lookalike(name, field="username")


def test_the_skeleton_folds_case_width_and_look_alike_letters():
    assert skeleton("Ｒｅｅｌ Ｎｅｗｓ") == skeleton("reel_news") == skeleton("rееlnews") == "reelnews"
    assert mixes_scripts("pаypal") and not mixes_scripts("Иван Smith")


def test_the_web_form_shows_the_refusal_on_the_username_field(client, site):
    response = register(client, "аdmin")

    assert response.status_code == 400
    assert not User.objects.filter(username="аdmin").exists()
    assert "mixes alphabets that look alike" in str(response.context["form"].errors["username"])


def test_the_web_form_still_registers_an_honest_non_latin_name(client, site):
    assert register(client, "Дмитрий").status_code == 302
    assert User.objects.filter(username="Дмитрий").exists()


def test_an_sso_display_name_that_looks_like_a_reader_is_refused_naming_the_field(client, site):
    EmbedSettings.objects.create(site=site, allowed_origins="https://reelnews.example", sso_secret=SSO_SECRET)
    User.objects.create(username="sepp")
    payload = {"id": "7", "name": "ѕерр", "email": "x@reelnews.example", "exp": int(time.time()) + 600}
    response = client.post(
        "/api/v1/embed/sso?site=reelnews",
        {"sso": encode_sso(payload, SSO_SECRET)},
        content_type="application/json",
        headers={"Origin": "https://reelnews.example"},
    )

    assert response.status_code == 400
    assert response.json() == {"error": "name looks like the existing name “sepp”: choose another", "field": "name"}
    assert not User.objects.filter(display_name="ѕерр").exists()


def test_a_guest_cannot_post_as_staff(site, thread):
    from talkies.accounts.actors import Actor
    from talkies.comments.services import comment_create

    site.allow_guest_comments = True
    site.save()
    guest = Actor.guest("g" * 32)
    with pytest.raises(ServiceError) as caught:
        comment_create(thread=thread, author=guest, body="hello", guest_name="Moderatоr")
    assert caught.value.field == "guest_name"
