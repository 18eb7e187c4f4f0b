"""lib.text: the one check that text input can be stored, and the API's 400 naming the field."""

import pytest

from talkies.lib.errors import ServiceError
from talkies.lib.text import check_text, unstorable_text_problem


@pytest.mark.parametrize("value", ["", "Ballerina", "Ana de Armas as Eve Macarro 🎬", "naïve café", "a\ufffdb"])
def test_ordinary_text_passes(value):
    assert unstorable_text_problem(value) is None
    assert check_text(value, field="body") == value


def test_a_nul_character_is_refused_naming_the_field():
    with pytest.raises(ServiceError) as refused:
        check_text("Winston\x00", field="guest_name")

    assert refused.value.field == "guest_name"
    assert refused.value.message.startswith("guest_name contains a NUL character")


@pytest.mark.parametrize(
    "value", ["\ud800", "Eve \udfff Macarro", "é\ud83d"], ids=["alone", "low half", "after non-ASCII"]
)
def test_a_lone_surrogate_is_refused_naming_the_field(value):
    with pytest.raises(ServiceError) as refused:
        check_text(value, field="title")

    assert refused.value.field == "title"
    assert "lone UTF-16 surrogate" in refused.value.message


def test_the_api_answers_400_naming_the_body_field(site, thread, reader, client):
    client.force_login(reader)

    response = client.post(
        f"/api/v1/threads/{thread.pk}/comments", '{"body": "Loved it \\ud800"}', content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["field"] == "body"
    assert response.json()["error"].startswith("body contains a lone UTF-16 surrogate")


def test_the_api_answers_400_naming_a_query_parameter(site, client):
    response = client.get("/api/v1/films?q=wick%00")

    assert response.status_code == 400
    assert response.json() == {
        "error": "q contains a NUL character (\\u0000), which text cannot hold: remove it",
        "field": "q",
    }


def test_the_api_answers_400_naming_a_path_slug(site, client):
    response = client.get("/api/v1/films/ballerina%00")

    assert response.status_code == 400
    assert response.json()["field"] == "slug"
