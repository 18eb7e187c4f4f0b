# Talkies: `make run` serves the demo on http://127.0.0.1:8000, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint typecheck test-sqlite test-postgres bench bench-rate install clean

install: $(INSTALLED)

# Reinstall only when the declared dependencies change.
$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Talkies needs Python 3.11 or newer; this is " + sys.version.split()[0]'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(INSTALLED)

run: install
	$(VENV)/bin/talkies migrate --no-input
	$(VENV)/bin/talkies demo
	$(VENV)/bin/talkies serve --host $(HOST) --port $(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

typecheck: install
	$(VENV)/bin/mypy talkies

test-sqlite: install
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

# The same suite on PostgreSQL, when TALKIES_TEST_POSTGRES_URL is set or a server answers locally.
test-postgres: install
	@url="$${TALKIES_TEST_POSTGRES_URL:-}"; \
	if [ -z "$$url" ] && $(PY) -c 'import socket; socket.create_connection(("127.0.0.1", 5432), 1)' 2>/dev/null; then \
		url="postgres://postgres@127.0.0.1:5432/postgres"; \
	fi; \
	if [ -z "$$url" ]; then \
		echo "PostgreSQL tests skipped: set TALKIES_TEST_POSTGRES_URL or run a server on 127.0.0.1:5432."; \
	else \
		echo "Running the suite on PostgreSQL ($$url)"; \
		DATABASE_URL="$$url" $(VENV)/bin/pytest -m "not browser"; \
	fi

test: embed-check lint typecheck test-sqlite test-postgres

# Two nodes, the worker and nginx from deploy/, on PostgreSQL and Redis (tests/cluster; skipped with the
# reason where one is missing). .ci/run runs it after `make test` when PostgreSQL and Redis answer.
.PHONY: test-cluster
test-cluster: install
	$(VENV)/bin/pytest tests/cluster -m cluster -q

# The publisher scripts are built from talkies/embed/js/src by a pinned esbuild (docs/embed-development.md).
# Running Talkies needs no Node: the built files are committed, and embed-check proves they are current.
EMBED_JS := talkies/embed/js
.PHONY: embed-build embed-check

embed-build:
	@command -v node >/dev/null 2>&1 || { echo "embed-build needs Node.js: install nodejs and npm"; exit 1; }
	test -d $(EMBED_JS)/node_modules || (cd $(EMBED_JS) && npm ci --no-audit --no-fund)
	cd $(EMBED_JS) && node build.mjs --sizes

embed-check:
	@if ! command -v node >/dev/null 2>&1; then \
		echo "embed build check skipped: node not found (install nodejs)"; \
	elif [ "$$(node -p 'process.versions.node.split(".")[0]')" -lt 18 ]; then \
		echo "embed build check skipped: node $$(node --version) is older than the 18 esbuild needs"; \
	elif [ ! -d $(EMBED_JS)/node_modules ] && ! command -v npm >/dev/null 2>&1; then \
		echo "embed build check skipped: npm not found (install npm)"; \
	else \
		if [ ! -d $(EMBED_JS)/node_modules ]; then (cd $(EMBED_JS) && npm ci --no-audit --no-fund) || exit 1; fi; \
		$(EMBED_JS)/check.sh; \
	fi

# The whole picture (bench/README.md): every read of a page load, posts and memory, beside nginx and Isso.
bench: install
	$(PY) bench/full.py

.PHONY: bench-thread
bench-thread: install
	$(PY) bench/thread_read.py

bench-rate: install
	$(PY) bench/rate.py

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .mypy_cache .ruff_cache
