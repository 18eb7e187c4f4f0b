"""Page numbers past the last page, however large: an empty page, never an offset the database refuses."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from talkies.catalogue.models import Film


@pytest.mark.parametrize("path", ["/api/v1/films", "/api/v1/people", "/api/v1/franchises"])
@pytest.mark.parametrize("page", [3, 2**63 - 1, 2**63, 10**40])
def test_a_page_past_the_last_is_empty(site, film, client, path, page):
    response = client.get(path, {"page": page, "page_size": 50})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["items"], body["page"], body["next_page"]) == ([], page, None)


def test_a_page_past_the_last_asks_only_for_the_count(site, film, client):
    Film.objects.create(title="John Wick", slug="john-wick")

    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/v1/films", {"page": 2**62, "page_size": 200}).json()

    assert body["count"] == 2
    film_queries = [q["sql"] for q in queries.captured_queries if '"catalogue_film"' in q["sql"]]
    assert len(film_queries) == 1 and "COUNT(" in film_queries[0], film_queries
