"""CORS for the embed: the site's allowed origins only, per endpoint, never `*`, never credentials."""

import pytest
from django.core.exceptions import ValidationError

from talkies.embed.models import EmbedSettings

from .conftest import ORIGIN, OTHER_ORIGIN


def test_an_allowed_origin_gets_its_own_origin_back_and_vary_origin(embedded, thread, client):
    response = client.get(f"/api/v1/threads/{thread.pk}/comments?site=reelnews", headers={"Origin": ORIGIN})

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == ORIGIN
    assert "Origin" in response["Vary"]
    assert "Access-Control-Allow-Credentials" not in response


def test_an_origin_not_on_the_list_gets_no_cors_header(embedded, thread, client):
    response = client.get(
        f"/api/v1/threads/{thread.pk}/comments?site=reelnews", headers={"Origin": "https://evil.example"}
    )

    assert response.status_code == 200  # the browser, not the server, keeps the answer from the page
    assert "Access-Control-Allow-Origin" not in response


def test_another_sites_origin_gets_no_cors_header_for_this_site(embedded, other_embedded, thread, client):
    response = client.get(f"/api/v1/threads/{thread.pk}?site=reelnews", headers={"Origin": OTHER_ORIGIN})

    assert "Access-Control-Allow-Origin" not in response


def test_an_endpoint_the_embed_does_not_use_gets_no_cors_header(embedded, thread, client):
    response = client.get("/api/v1/session?site=reelnews", headers={"Origin": ORIGIN})

    assert "Access-Control-Allow-Origin" not in response


def test_a_preflight_from_an_allowed_origin_lists_methods_and_headers(embedded, thread, client):
    response = client.options(
        f"/api/v1/threads/{thread.pk}/comments?site=reelnews",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )

    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == ORIGIN
    assert response["Access-Control-Allow-Methods"] == "GET, POST"
    assert "Authorization" in response["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in response


def test_a_preflight_allows_the_idempotency_key_every_embed_write_sends(embedded, thread, client):
    response = client.options(
        "/api/v1/guest-token?site=reelnews",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "idempotency-key",
        },
    )

    assert response.status_code == 204
    assert "Idempotency-Key" in [h.strip() for h in response["Access-Control-Allow-Headers"].split(",")]


@pytest.mark.parametrize(
    ("origin", "method"),
    [("https://evil.example", "POST"), (ORIGIN, "DELETE")],  # unknown origin; method the endpoint lacks
)
def test_a_preflight_for_another_origin_or_method_is_refused_without_cors_headers(
    embedded, thread, client, origin, method
):
    response = client.options(
        f"/api/v1/threads/{thread.pk}/comments?site=reelnews",
        headers={"Origin": origin, "Access-Control-Request-Method": method},
    )

    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response


def test_errors_reach_the_embed_readable(embedded, client):
    response = client.get("/api/v1/threads/999999?site=reelnews", headers={"Origin": ORIGIN})

    assert response.status_code == 404
    assert response["Access-Control-Allow-Origin"] == ORIGIN


def test_the_live_stream_answers_allowed_origins(embedded, thread, client):
    response = client.get(f"/live/threads/{thread.pk}/?site=reelnews", headers={"Origin": ORIGIN})

    assert response["Access-Control-Allow-Origin"] == ORIGIN


def test_a_site_without_embed_settings_allows_no_origin(site, thread, client):
    response = client.get(f"/api/v1/threads/{thread.pk}?site=reelnews", headers={"Origin": ORIGIN})

    assert "Access-Control-Allow-Origin" not in response


def test_an_unknown_site_parameter_is_a_404_naming_site(db, client):
    response = client.get("/api/v1/threads/1?site=nope")

    assert response.status_code == 404
    assert response.json()["field"] == "site"


def test_the_site_parameter_picks_the_site_so_another_sites_thread_is_not_found(embedded, other_site, thread, client):
    assert client.get(f"/api/v1/threads/{thread.pk}?site=reelnews").status_code == 200
    assert client.get(f"/api/v1/threads/{thread.pk}?site=otherreel").status_code == 404


def test_allowed_origins_are_validated_and_stored_normalised(site):
    settings = EmbedSettings(site=site, allowed_origins="HTTPS://ReelNews.Example:443\n\nhttp://localhost:8080")
    settings.full_clean()
    settings.save()
    assert settings.origins == {"https://reelnews.example", "http://localhost:8080"}

    with pytest.raises(ValidationError, match="scheme://host"):
        EmbedSettings(site=site, allowed_origins="https://reelnews.example/blog").full_clean()
