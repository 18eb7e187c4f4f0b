"""Start-up configuration: production refuses insecure defaults with an error that says what to do."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_check(env_overrides: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"}}
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
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
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
    assert result.stdout.split() == ["wal", "20000", "IMMEDIATE"], result.stderr
    assert (tmp_path / "talkies.sqlite3").exists()
