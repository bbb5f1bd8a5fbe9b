# giamngheo — `make run` to try it, `make test` before you push. See README.md.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
# PostgreSQL used by the second test pass (pytest-django creates and drops `test_giamngheo`).
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/giamngheo
# Extra pytest arguments, e.g. `make test PYTEST_ARGS="-x -k login"`.
PYTEST_ARGS ?=
# pytest-xdist workers (each gets its own test database); `make test PYTEST_WORKERS=0` runs in one process.
PYTEST_WORKERS ?= 2

.PHONY: help install run test test-sqlite test-postgres lint fmt typecheck

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

# The stamp is rebuilt (pip install again) whenever pyproject.toml changes.
$(STAMP): pyproject.toml
	@set -e; \
	if [ -x "$(PY)" ] && ! "$(PY)" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then \
	  echo "error: $(VENV) is not Python 3.11; remove it (rm -rf $(VENV)) and run make again." >&2; exit 1; \
	fi; \
	if [ ! -x "$(PY)" ]; then \
	  if command -v python3.11 >/dev/null 2>&1; then boot=python3.11; \
	  elif command -v python3 >/dev/null 2>&1 && python3 -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then boot=python3; \
	  else echo "error: Python 3.11 is required (no python3.11, and python3 is not 3.11)." >&2; exit 1; fi; \
	  echo "Creating $(VENV) with $$boot"; \
	  "$$boot" -m venv "$(VENV)"; \
	fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(STAMP) ## create .venv and install giamngheo with its dev tools

run: install ## set up the database, load the demo, serve http://127.0.0.1:8000
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo ""
	@echo "Mở / open  http://127.0.0.1:8000  (Ctrl+C để dừng / to stop)"
	@echo ""
	$(PY) manage.py runserver 127.0.0.1:8000

test: lint typecheck test-sqlite test-postgres ## ruff, mypy, tests on SQLite then PostgreSQL

lint: install ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: install ## format and auto-fix with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: install ## mypy (strict, django-stubs)
	$(BIN)/mypy

test-sqlite: install ## pytest on SQLite (in memory)
	@echo "== Kiểm thử trên SQLite / tests on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Runs when PostgreSQL answers on 127.0.0.1:5432, starting the local cluster first if one is installed.
# Only the tests that use the database run again (GIAMNGHEO_TEST_DB_ONLY, see tests/conftest.py): a test
# that touches the database without saying so already fails on SQLite, so nothing is missed.
# Set SKIP_POSTGRES=1 to skip it on purpose.
test-postgres: install ## pytest on PostgreSQL (skipped with a message when none is installed)
	@set -euo pipefail; \
	up() { "$(PY)" -c 'import socket, sys; s = socket.socket(); s.settimeout(1); sys.exit(s.connect_ex(("127.0.0.1", 5432)))'; }; \
	if [ -n "$${SKIP_POSTGRES:-}" ]; then \
	  echo "== PostgreSQL pass SKIPPED (SKIP_POSTGRES is set) =="; exit 0; \
	fi; \
	if ! up; then \
	  if [ -d /etc/postgresql ] && [ -n "$$(ls /etc/postgresql)" ]; then \
	    version=$$(ls /etc/postgresql | sort -V | tail -n 1); \
	    echo "Starting PostgreSQL $$version: pg_ctlcluster --skip-systemctl-redirect $$version main start"; \
	    pg_ctlcluster --skip-systemctl-redirect "$$version" main start || true; \
	    for _ in $$(seq 40); do up && break; sleep 0.25; done; \
	    if ! up; then \
	      echo "error: PostgreSQL $$version is installed but does not answer on 127.0.0.1:5432." >&2; \
	      echo "       Start it, or run with SKIP_POSTGRES=1 to skip the PostgreSQL pass." >&2; \
	      exit 1; \
	    fi; \
	  else \
	    echo "== PostgreSQL pass SKIPPED: nothing on 127.0.0.1:5432 and no PostgreSQL installed (/etc/postgresql) =="; \
	    exit 0; \
	  fi; \
	fi; \
	echo "== Kiểm thử trên PostgreSQL / tests on PostgreSQL ($(PG_TEST_URL)), database tests only =="; \
	GIAMNGHEO_TEST_DB_ONLY=1 DATABASE_URL="$(PG_TEST_URL)" $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)
