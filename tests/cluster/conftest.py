"""The cluster test (`make test-cluster`): left out of every other pytest run, skipped with the reason where
nginx, PostgreSQL or Redis is missing.

A plain `pytest` (or `pytest -m "not browser"`) deselects it; only a marker expression that names `cluster`
runs it, so the suite's other runs never pay its start-up.
"""

import os
import shutil
from collections.abc import Iterator

import pytest

from .cluster import Cluster, running_cluster

POSTGRES_URL = os.environ.get("TALKIES_TEST_POSTGRES_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
# A Redis database of the cluster's own: it is emptied at the start.
REDIS_URL = os.environ.get("TALKIES_CLUSTER_REDIS_URL") or "redis://127.0.0.1:6379/14"
ONLY_CLUSTER = pytest.StashKey[bool]()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if "cluster" in (config.option.markexpr or ""):
        return
    cluster_items = [item for item in items if item.get_closest_marker("cluster")]
    if cluster_items:
        config.hook.pytest_deselected(items=cluster_items)
        items[:] = [item for item in items if not item.get_closest_marker("cluster")]
        if not items:  # someone asked for these tests only
            config.stash[ONLY_CLUSTER] = True


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    if config.stash.get(ONLY_CLUSTER, False):
        terminalreporter.write_line("the cluster tests run only with -m cluster: `make test-cluster`")


def find_nginx() -> str | None:
    # Debian installs it in /usr/sbin, which is not on every user's PATH.
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


def missing_services() -> list[str]:
    import psycopg
    import redis

    missing = []
    if find_nginx() is None:
        missing.append("nginx (apt-get install nginx)")
    try:
        psycopg.connect(POSTGRES_URL, connect_timeout=2).close()
    except psycopg.Error as error:
        missing.append(f"PostgreSQL at {POSTGRES_URL} ({str(error).strip()}; set TALKIES_TEST_POSTGRES_URL)")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        missing.append(f"Redis at {REDIS_URL} ({error}; set TALKIES_CLUSTER_REDIS_URL)")
    return missing


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    missing = missing_services()
    if missing:
        pytest.skip("cluster test needs " + ", ".join(missing))
    nginx = find_nginx()
    assert nginx is not None
    with running_cluster(
        tmp_path_factory.mktemp("cluster"), nginx=nginx, postgres_admin_url=POSTGRES_URL, redis_url=REDIS_URL
    ) as running:
        yield running
