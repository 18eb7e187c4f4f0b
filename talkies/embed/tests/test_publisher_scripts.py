import gzip
from pathlib import Path

import pytest

from talkies.embed import scripts
from talkies.embed.scripts import accepts_encoding

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


@pytest.mark.parametrize("name", ["embed.js", "count.js"])
def test_a_browser_that_accepts_gzip_gets_the_script_gzipped_under_its_own_etag(client, db, name):
    plain = client.get(f"/{name}")
    gzipped = client.get(f"/{name}", HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert gzipped.status_code == 200
    assert gzipped["Content-Encoding"] == "gzip"
    assert gzipped["Content-Type"] == "text/javascript; charset=utf-8"
    assert gzip.decompress(gzipped.content) == (STATIC / name).read_bytes()
    assert len(gzipped.content) < len(plain.content) * 0.7
    assert gzipped["ETag"] != plain["ETag"], "two bodies, two ETags: a cache must never swap them"
    assert gzipped["Cache-Control"] == "public, max-age=300"
    assert gzipped["Access-Control-Allow-Origin"] == "*"
    assert client.get(f"/{name}", HTTP_ACCEPT_ENCODING="gzip").content == gzipped.content, "the same bytes every time"


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_every_process_compresses_a_script_to_the_same_bytes_as_its_strong_etag_promises(client, db, encoding):
    first = client.get("/count.js", HTTP_ACCEPT_ENCODING=encoding)
    scripts._compressed.clear()  # as a fresh worker process would start
    again = client.get("/count.js", HTTP_ACCEPT_ENCODING=encoding)
    assert again["Content-Encoding"] == encoding
    assert again.content == first.content
    if encoding == "gzip":
        assert first.content[4:8] == bytes(4), "no timestamp in the gzip header"


@pytest.mark.parametrize("accept_encoding", ["", "gzip", "br"])
def test_every_answer_says_it_varies_with_accept_encoding(client, db, accept_encoding):
    response = client.get("/embed.js", HTTP_ACCEPT_ENCODING=accept_encoding)
    assert "Accept-Encoding" in response["Vary"]
    not_modified = client.get("/embed.js", HTTP_ACCEPT_ENCODING=accept_encoding, HTTP_IF_NONE_MATCH=response["ETag"])
    assert not_modified.status_code == 304
    assert not_modified["ETag"] == response["ETag"]
    assert "Accept-Encoding" in not_modified["Vary"]


def test_each_encoding_revalidates_only_against_its_own_etag(client, db):
    plain = client.get("/embed.js")
    gzipped = client.get("/embed.js", HTTP_ACCEPT_ENCODING="gzip")
    assert client.get("/embed.js", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=gzipped["ETag"]).status_code == 304
    assert client.get("/embed.js", HTTP_IF_NONE_MATCH=plain["ETag"]).status_code == 304
    # The plain file's ETag does not vouch for the gzipped body, nor the other way round.
    fresh = client.get("/embed.js", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=plain["ETag"])
    assert fresh.status_code == 200
    assert fresh["Content-Encoding"] == "gzip"
    assert client.get("/embed.js", HTTP_IF_NONE_MATCH=gzipped["ETag"]).status_code == 200
    # A list of tags, and the weak form of ours, match too.
    listed = f'"other", W/{gzipped["ETag"]}'
    assert client.get("/embed.js", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=listed).status_code == 304


@pytest.mark.parametrize(
    "accept_encoding", ["identity", "br;q=0", "gzip;q=0", "*;q=0", "gzip;q=0, br;q=0, *", "deflate"]
)
def test_a_client_that_refuses_brotli_and_gzip_gets_the_plain_file(client, db, accept_encoding):
    response = client.get("/count.js", HTTP_ACCEPT_ENCODING=accept_encoding)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert response.content == (STATIC / "count.js").read_bytes()


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        ("gzip", True),
        ("GZip", True),
        ("x-gzip", True),
        ("deflate, gzip;q=0.5", True),
        ("gzip ; q=1.0", True),
        ("*", True),
        ("br;q=1, *;q=0.1", True),
        ("", False),
        ("br", False),
        ("gzip;q=0", False),
        ("gzip;q=0.000", False),
        ("gzip;q=nonsense", False),
        ("*;q=0", False),
        ("gzip;q=0, *", False),  # named and refused: the wildcard does not bring it back
        ("*, gzip;q=0", False),
        ("gzipped", False),
    ],
)
def test_accept_encoding_is_read_with_its_quality_values(header, accepted):
    assert accepts_encoding(header, "gzip") is accepted


def test_a_rebuilt_script_is_compressed_afresh_not_served_from_the_old_copy(client, db, monkeypatch):
    monkeypatch.setattr(scripts, "_read", lambda name: b"console.log('one');")
    first = client.get("/embed.js", HTTP_ACCEPT_ENCODING="gzip")
    monkeypatch.setattr(scripts, "_read", lambda name: b"console.log('two');")
    second = client.get("/embed.js", HTTP_ACCEPT_ENCODING="gzip")
    assert gzip.decompress(first.content) == b"console.log('one');"
    assert gzip.decompress(second.content) == b"console.log('two');"
    assert first["ETag"] != second["ETag"]


# --- Brotli, and the panel's languages -------------------------------------------------------------


@pytest.mark.parametrize("name", ["embed.js", "count.js"])
def test_a_browser_that_accepts_brotli_gets_it_before_gzip(client, db, name):
    import brotli

    plain = client.get(f"/{name}")
    compressed = client.get(f"/{name}", HTTP_ACCEPT_ENCODING="gzip, deflate, br, zstd")
    gzipped = client.get(f"/{name}", HTTP_ACCEPT_ENCODING="gzip")

    assert compressed["Content-Encoding"] == "br"
    assert brotli.decompress(compressed.content) == (STATIC / name).read_bytes()
    assert len(compressed.content) < len(gzipped.content)
    assert len({plain["ETag"], gzipped["ETag"], compressed["ETag"]}) == 3, "three bodies, three ETags"
    assert client.get(f"/{name}", HTTP_ACCEPT_ENCODING="br", HTTP_IF_NONE_MATCH=compressed["ETag"]).status_code == 304
    # An ETag of one encoding does not revalidate another: the cached body would be the wrong bytes.
    assert client.get(f"/{name}", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=compressed["ETag"]).status_code == 200


def test_brotli_refused_by_q_0_falls_back_to_gzip(client, db):
    response = client.get("/embed.js", HTTP_ACCEPT_ENCODING="br;q=0, gzip")
    assert response["Content-Encoding"] == "gzip"


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_each_panel_language_is_served_from_any_origin_compressed(client, db, lang):
    import json

    import brotli

    response = client.get(f"/embed/i18n/{lang}.json", HTTP_ACCEPT_ENCODING="br", HTTP_ORIGIN="https://news.example")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    strings = json.loads(brotli.decompress(response.content))
    assert strings == json.loads((STATIC / "i18n" / f"{lang}.json").read_text())
    assert isinstance(strings["loading"], str) and len(strings["comments"]) == 2


@pytest.mark.parametrize("path", ["/embed/i18n/de.json", "/embed/i18n/en.json", "/embed/i18n/..%2fembed.json"])
def test_a_language_without_a_file_is_not_found(client, db, path):
    assert client.get(path).status_code == 404
