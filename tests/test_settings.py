"""Start-up configuration: production refuses insecure defaults with an error that says what to do."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
# Set for this suite by talkies/testing.py; a process started here runs as a deployment would.
SUITE_ONLY = {"TALKIES_TESTING"}


def run_check(env_overrides: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", *SUITE_ONLY}}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_production_without_a_secret_key_is_a_clear_startup_error(tmp_path):
    result = run_check(
        {"TALKIES_ENV": "production", "ALLOWED_HOSTS": "films.example", "TALKIES_DATA_DIR": str(tmp_path)}
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_without_allowed_hosts_is_a_clear_startup_error(tmp_path):
    result = run_check({"TALKIES_ENV": "production", "SECRET_KEY": "x" * 50, "TALKIES_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_production_with_its_settings_starts(tmp_path):
    result = run_check(
        {
            "TALKIES_ENV": "production",
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "films.example",
            "TALKIES_DATA_DIR": str(tmp_path),
        }
    )
    assert result.returncode == 0, result.stderr


def test_the_default_sqlite_database_runs_in_wal_mode(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", *SUITE_ONLY}}
    env["TALKIES_DATA_DIR"] = str(tmp_path)
    probe = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'talkies.settings'); django.setup();"
        "from django.db import connection; c = connection.cursor();"
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0]);"
        "c.execute('PRAGMA busy_timeout'); print(c.fetchone()[0]);"
        "print(connection.settings_dict['OPTIONS']['transaction_mode'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    # The busy timeout is 10 s (settings.py says why: writes queue in each process first, talkies.lib.writegate).
    assert result.stdout.split() == ["wal", "10000", "IMMEDIATE"], result.stderr
    assert (tmp_path / "talkies.sqlite3").exists()


def settings_in_a_fresh_process(env_overrides: dict[str, str], *names: str) -> subprocess.CompletedProcess:
    """Load talkies.settings in a new interpreter, with pytest imported, and print the named settings."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", *SUITE_ONLY}}
    env.update(env_overrides)
    probe = (
        "import pytest, django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'talkies.settings');"
        "from django.conf import settings;"
        f"[print(repr(getattr(settings, name))) for name in {list(names)!r}]"
    )
    return subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_the_suite_runs_with_its_test_settings(settings):
    assert settings.TESTING is True
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_a_process_that_has_pytest_imported_is_not_taken_for_a_test_run(tmp_path):
    result = settings_in_a_fresh_process({"TALKIES_DATA_DIR": str(tmp_path)}, "TESTING")
    assert result.stdout.split() == ["False"], result.stderr


def test_postgresql_connections_come_from_a_pool_sized_by_the_environment(tmp_path):
    result = settings_in_a_fresh_process(
        {
            "DATABASE_URL": "postgres://talkies@db.example:5432/talkies",
            "DATABASE_POOL_MIN_SIZE": "3",
            "DATABASE_POOL_MAX_SIZE": "7",
            "TALKIES_DATA_DIR": str(tmp_path),
        },
        "DATABASES",
    )
    assert result.returncode == 0, result.stderr
    database = ast.literal_eval(result.stdout)["default"]
    assert database["CONN_MAX_AGE"] == 0
    assert database["OPTIONS"]["pool"] == {"min_size": 3, "max_size": 7, "timeout": 10}


def test_the_pool_has_sane_sizes_by_default(tmp_path):
    result = settings_in_a_fresh_process(
        {"DATABASE_URL": "postgres://talkies@db.example:5432/talkies", "TALKIES_DATA_DIR": str(tmp_path)},
        "DATABASES",
    )
    assert result.returncode == 0, result.stderr
    pool = ast.literal_eval(result.stdout)["default"]["OPTIONS"]["pool"]
    assert pool == {"min_size": 2, "max_size": 10, "timeout": 10}


def test_a_pool_whose_minimum_is_above_its_maximum_is_a_clear_startup_error(tmp_path):
    result = run_check(
        {
            "DATABASE_URL": "postgres://talkies@db.example:5432/talkies",
            "DATABASE_POOL_MIN_SIZE": "20",
            "DATABASE_POOL_MAX_SIZE": "10",
            "TALKIES_DATA_DIR": str(tmp_path),
        }
    )
    assert result.returncode != 0
    assert "DATABASE_POOL_MIN_SIZE (20) and DATABASE_POOL_MAX_SIZE (10)" in result.stderr


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_suite_connects_through_the_pool():
    if connection.vendor != "postgresql":
        pytest.skip("runs on PostgreSQL: set DATABASE_URL (make test-postgres does)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    pool = connection.pool
    assert pool is not None and pool.get_stats()["pool_max"] == settings.DATABASE_POOL["max_size"]
    connection.close()  # hands the connection back to the pool rather than closing it
    assert pool.get_stats()["pool_available"] >= 1


def test_a_webhook_network_that_is_not_one_is_a_clear_startup_error(tmp_path):
    result = run_check({"WEBHOOK_ALLOWED_NETWORKS": "10.1.2.0/24,intranet", "TALKIES_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "WEBHOOK_ALLOWED_NETWORKS: 'intranet' is not an IP address or network" in result.stderr


PRODUCTION_ENV = {"TALKIES_ENV": "production", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "films.example"}
SECURITY_SETTINGS = (
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
)


def test_production_redirects_to_https_sends_hsts_and_secure_cookies_by_default(tmp_path):
    result = settings_in_a_fresh_process({**PRODUCTION_ENV, "TALKIES_DATA_DIR": str(tmp_path)}, *SECURITY_SETTINGS)
    assert result.stdout.split("\n")[:5] == ["True", "31536000", "None", "True", "True"], result.stderr


def test_behind_a_tls_proxy_the_operator_trusts_its_header_and_a_plain_http_cluster_opts_out(tmp_path):
    proxy = settings_in_a_fresh_process(
        {**PRODUCTION_ENV, "SECURE_PROXY_SSL_HEADER": "true", "TALKIES_DATA_DIR": str(tmp_path)},
        "SECURE_PROXY_SSL_HEADER",
    )
    assert proxy.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')", proxy.stderr

    plain = settings_in_a_fresh_process(
        {
            **PRODUCTION_ENV,
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "SECURE_COOKIES": "false",
            "TALKIES_DATA_DIR": str(tmp_path),
        },
        *SECURITY_SETTINGS,
    )
    assert plain.stdout.split("\n")[:5] == ["False", "0", "None", "False", "False"], plain.stderr


def test_the_cluster_turns_off_what_plain_http_cannot_have():
    from tests.cluster.cluster import TEST_SETTINGS

    assert TEST_SETTINGS["SECURE_SSL_REDIRECT"] == "false" and TEST_SETTINGS["SECURE_HSTS_SECONDS"] == "0"
