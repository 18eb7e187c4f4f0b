"""Bodies Django refuses before the API sees them still get the API's JSON error shape (issue 13, item 17).

Too large a body (past DATA_UPLOAD_MAX_MEMORY_SIZE), a multipart body without its boundary, and too many
fields come out of Django's request parsing as exceptions that, with DEBUG off, Django answers with its own
HTML 400 page. Under /api/v1/ a client gets JSON naming the part of the request at fault instead.
"""

import pytest
from django.test import Client, override_settings

pytestmark = [pytest.mark.django_db]

COMMENTS = "/api/v1/embed/sso"  # a public write: nothing is checked before the body is read


@pytest.fixture
def client() -> Client:
    # Django's exceptions become responses, as in production, instead of being raised into the test.
    return Client(raise_request_exception=False)


@override_settings(DEBUG=False, DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_a_body_past_the_upload_limit_is_a_json_413_naming_the_body(client):
    response = client.post(COMMENTS, data=b'{"body": "' + b"x" * 4096 + b'"}', content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["field"] == "body"
    assert "1024" in response.json()["error"]


@override_settings(DEBUG=False)
def test_a_multipart_body_without_its_boundary_is_a_json_400_naming_the_body(client):
    response = client.post(COMMENTS, data=b"--x\r\n", content_type="multipart/form-data")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["field"] == "body"


@override_settings(DEBUG=False, DATA_UPLOAD_MAX_NUMBER_FIELDS=10)
def test_too_many_query_parameters_is_a_json_400_naming_the_query(client):
    query = "&".join(f"p{number}=1" for number in range(50))
    response = client.get(f"/api/v1/films?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["field"] == "query"


@override_settings(DEBUG=False, DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_outside_the_api_the_site_keeps_its_own_error_page(client):
    response = client.post("/accounts/login/", data=b"x" * 4096, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
