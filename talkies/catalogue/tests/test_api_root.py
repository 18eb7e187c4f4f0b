"""The API root (talkies/api.py): its documentation, the session endpoint, and errors outside any router."""

import pytest


def test_the_openapi_schema_is_served_and_lists_every_endpoint(client, site):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {
        "/api/v1/session": {"get"},
        "/api/v1/films": {"get"},
        "/api/v1/films/{slug}": {"get"},
        "/api/v1/films/{slug}/scores": {"get"},
        "/api/v1/films/{slug}/rating": {"get", "put", "delete"},
        "/api/v1/franchises": {"get"},
        "/api/v1/franchises/{slug}": {"get"},
        "/api/v1/people": {"get"},
        "/api/v1/people/{slug}": {"get"},
        "/api/v1/stories": {"get"},
        "/api/v1/stories/{slug}": {"get"},
        "/api/v1/stories/{slug}/thread": {"get"},
        "/api/v1/threads/{thread_id}": {"get"},
        "/api/v1/threads/{thread_id}/comments": {"get", "post"},
        "/api/v1/comments/{comment_id}": {"patch", "delete"},
        "/api/v1/comments/{comment_id}/vote": {"post"},
        "/api/v1/comments/{comment_id}/replies": {"get"},
        "/api/v1/comments/{comment_id}/context": {"get"},
        "/api/v1/comments/{comment_id}/feature": {"post"},
        "/api/v1/threads/{thread_id}/close": {"post"},
        "/api/v1/counts": {"get"},
        "/api/v1/guest-token": {"post"},
        "/api/v1/embed/threads": {"get", "post"},
        "/api/v1/embed/counts": {"get"},
        "/api/v1/embed/session": {"get"},
        "/api/v1/embed/sso": {"post"},
        "/api/v1/embed/moderation/pending": {"get"},
        "/api/v1/comments/{comment_id}/report": {"post"},
        "/api/v1/threads/{thread_id}/spoiler-check": {"post"},
        "/api/v1/moderation/queues/{queue}": {"get"},
        "/api/v1/moderation/counts": {"get"},
        "/api/v1/moderation/comments": {"post"},
        "/api/v1/moderation/comments/{comment_id}": {"get", "post"},
        "/api/v1/moderation/comments/{comment_id}/audit": {"get"},
        "/api/v1/moderation/authors": {"post"},
        "/api/v1/moderation/authors/{user_id}/audit": {"get"},
    } == {path: set(operations) for path, operations in paths.items()}


def test_the_openapi_schema_documents_the_error_shape_and_session_auth(client, site):
    schema = client.get("/api/v1/openapi.json").json()

    put_rating = schema["paths"]["/api/v1/films/{slug}/rating"]["put"]
    assert {"400", "401", "403", "404", "422"} <= set(put_rating["responses"])
    assert put_rating["security"] == [{"LoggedIn": []}]
    assert schema["components"]["securitySchemes"]["LoggedIn"] == {
        "type": "apiKey",
        "in": "cookie",
        "name": "sessionid",
    }
    assert set(schema["components"]["schemas"]["ErrorOut"]["properties"]) == {"error", "field", "errors"}


def test_the_interactive_docs_are_served(client, site):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    assert b"openapi.json" in response.content


def test_the_session_says_nobody_is_logged_in_and_sets_a_csrf_cookie(client, site):
    response = client.get("/api/v1/session")

    assert response.status_code == 200
    assert response.json()["user"] is None
    assert response.json()["csrf_token"]
    assert "csrftoken" in response.cookies


def test_the_session_names_the_reader_who_is_logged_in(client, site, reader):
    client.force_login(reader)

    assert client.get("/api/v1/session").json()["user"] == {"username": "reader", "name": "Rita Reader"}


@pytest.mark.parametrize("path", ["/api/v1/filmz", "/api/v1/films/ballerina/", "/api/v1/threads/x/y/z"])
def test_a_path_that_matches_no_endpoint_gets_a_json_404(client, site, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response.json() == {
        "error": f"no endpoint at {path}: the endpoints are listed at /api/v1/docs",
        "field": "path",
    }


def test_a_path_parameter_of_the_wrong_type_is_named(client, site):
    response = client.get("/api/v1/threads/abc")

    assert response.status_code == 422
    assert response.json()["field"] == "thread_id"
    assert response.json()["error"].startswith("thread_id: ")


def test_an_installation_with_no_site_yet_says_so(client, db):
    response = client.get("/api/v1/stories")

    assert response.status_code == 404
    assert response.json()["field"] == "site"
