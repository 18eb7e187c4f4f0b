import pytest

from talkies.embed.page_urls import BadUrl, normalise_origin, normalise_page_url


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://reelnews.example/2025/ballerina", "https://reelnews.example/2025/ballerina"),
        ("HTTPS://ReelNews.Example/2025/Ballerina", "https://reelnews.example/2025/Ballerina"),
        ("https://reelnews.example:443/a", "https://reelnews.example/a"),
        ("http://reelnews.example:80/a", "http://reelnews.example/a"),
        ("http://reelnews.example:8080/a", "http://reelnews.example:8080/a"),
        ("https://reelnews.example", "https://reelnews.example/"),
        ("https://reelnews.example/a#comments", "https://reelnews.example/a"),
        ("https://reelnews.example/a?utm_source=news&utm_medium=mail", "https://reelnews.example/a"),
        ("https://reelnews.example/a?p=2&fbclid=xyz&gclid=1", "https://reelnews.example/a?p=2"),
        ("https://reelnews.example/a?UTM_Campaign=x&b=2&a=1", "https://reelnews.example/a?b=2&a=1"),
        ("https://reelnews.example/a?q=two%20words", "https://reelnews.example/a?q=two%20words"),
        ("  https://reelnews.example/a  ", "https://reelnews.example/a"),
        ("http://[::1]:8000/a", "http://[::1]:8000/a"),
    ],
)
def test_it_normalises_page_urls_into_thread_keys(url, key):
    assert normalise_page_url(url) == key


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://reelnews.example/a",
        "/relative/path",
        "https://user:pass@reelnews.example/a",
        "https://reelnews.example:99999/a",
        "https://reel news.example/a",
        "",
    ],
)
def test_it_refuses_what_is_not_an_http_page_url(url):
    with pytest.raises(BadUrl):
        normalise_page_url(url)


@pytest.mark.parametrize(
    ("origin", "normalised"),
    [
        ("https://reelnews.example", "https://reelnews.example"),
        ("HTTPS://ReelNews.Example:443", "https://reelnews.example"),
        ("https://reelnews.example/", "https://reelnews.example"),
        ("http://localhost:8080", "http://localhost:8080"),
    ],
)
def test_it_normalises_origins(origin, normalised):
    assert normalise_origin(origin) == normalised


@pytest.mark.parametrize(
    "origin",
    ["https://reelnews.example/blog", "https://reelnews.example?x=1", "https://reelnews.example#a", "*", "null"],
)
def test_an_origin_with_a_path_query_or_fragment_is_refused(origin):
    with pytest.raises(BadUrl):
        normalise_origin(origin)
