"""The embed scripts' budget, checked on every CI run: small, and talking to no host but their own.

Publishers paste embed.js under every article and count.js on every listing page; both are downloaded by
every reader. Disqus costs a page about a megabyte and Isso's client is 20 kB gzipped: ours must stay far
below, and must never make a reader's browser contact a third party (fonts, analytics, avatars).
"""

import gzip
import re
from pathlib import Path

import pytest

EMBED = Path(__file__).resolve().parents[1] / "talkies" / "static" / "embed"
# Bytes, gzipped at level 9. embed.js speaks English; a page in another language also fetches its file.
BUDGETS = {"embed.js": 15_000, "count.js": 2_000}
LANGUAGE_BUDGET = 2_000

# Any absolute or protocol-relative URL naming a host: "https://x", "http://x", or "//x.y" in a string.
ABSOLUTE_URL = re.compile(r"""https?://|["'`(]//[\w.-]+\.\w""", re.IGNORECASE)


def gzipped_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9))


@pytest.mark.parametrize(("name", "budget"), BUDGETS.items())
def test_each_script_stays_within_its_gzipped_budget(name, budget):
    size = gzipped_size(EMBED / name)
    assert size <= budget, f"{name} is {size} bytes gzipped, over its budget of {budget}: make it smaller"


@pytest.mark.parametrize("path", sorted((EMBED / "i18n").glob("*.json")), ids=lambda path: path.name)
def test_each_language_a_page_fetches_stays_within_its_budget(path):
    size = gzipped_size(path)
    assert size <= LANGUAGE_BUDGET, f"{path.name} is {size} bytes gzipped, over its budget of {LANGUAGE_BUDGET}"


def test_other_languages_are_not_built_into_embed_js():
    """They are fetched on demand: French strings in embed.js would cost every English reader too."""
    assert sorted(path.stem for path in (EMBED / "i18n").glob("*.json")) == ["es", "fr"]
    assert "Chargement des r" not in (EMBED / "embed.js").read_text()  # fr.js's "loading", however escaped


@pytest.mark.parametrize("name", BUDGETS)
def test_no_script_names_a_host_so_it_can_only_talk_to_its_own_origin(name):
    text = (EMBED / name).read_text()
    found = [match.group(0) for match in ABSOLUTE_URL.finditer(text)]
    assert not found, f"{name} contains absolute URLs {found}: build every URL from the script's own origin"


def test_the_url_check_catches_what_it_is_meant_to_catch():
    assert ABSOLUTE_URL.search('fetch("https://fonts.example.com/a.css")')
    assert ABSOLUTE_URL.search("const svg = 'http://www.w3.org/2000/svg'")
    assert ABSOLUTE_URL.search('img.src = "//cdn.example.net/pixel.gif"')
    assert not ABSOLUTE_URL.search('new URL("/api/v1/embed/counts", origin)')
