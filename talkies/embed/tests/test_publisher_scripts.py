from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "static" / "embed"


@pytest.mark.parametrize("name", ["embed.js", "count.js"])
def test_the_short_script_urls_serve_the_released_files(client, db, name):
    response = client.get(f"/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response.content == (STATIC / name).read_bytes()
    assert response["Cache-Control"] == "public, max-age=300"
    assert client.get(f"/{name}", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_only_the_two_scripts_are_served_this_way(client, db):
    assert client.get("/site.js").status_code == 404
