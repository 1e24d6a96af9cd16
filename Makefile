# Two commands on a fresh clone: `make run` and `make test`. Everything else is a helper.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?= -n auto --dist loadgroup

# Development defaults for the local server; a real deployment sets its own environment
# (see .env.example and the README). Tests use tests/settings.py instead.
RUN_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG:-1}

# The newest working Python 3.11+ on this machine. `command -v` is not enough: pyenv shims for
# versions that are not selected exist but fail, so each candidate is run.
define FIND_PYTHON
best=""; bestv=0; \
for c in python3.14 python3.13 python3.12 python3.11 python3 $$HOME/.pyenv/versions/3.*/bin/python; do \
  v=$$($$c -c 'import sys; print(sys.version_info[0] * 100 + sys.version_info[1])' 2>/dev/null) || continue; \
  if [ "$$v" -ge 311 ] && [ "$$v" -gt "$$bestv" ]; then best=$$c; bestv=$$v; fi; \
done; \
if [ -z "$$best" ]; then echo "No Python 3.11+ found; install one (e.g. pyenv install 3.13)." >&2; exit 1; fi; \
echo "Using $$best ($$($$best --version))"; \
$$best -m venv $(VENV)
endef

.PHONY: help
help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(PY):
	@$(FIND_PYTHON)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	@touch $@

.PHONY: venv
venv: $(VENV)/.installed-dev ## Create .venv with the newest Python 3.11+ and install pinned requirements

.PHONY: run
run: venv ## Migrate SQLite, load demo data and serve on http://127.0.0.1:8000
	$(RUN_ENV) $(MANAGE) migrate --noinput
	$(RUN_ENV) $(MANAGE) seed_demo
	$(RUN_ENV) $(MANAGE) runserver $(HOST):$(PORT)

.PHONY: test
test: venv ## Run the whole suite (SQLite, or PostgreSQL when DATABASE_URL says so)
	$(VENV)/bin/pytest $(PYTEST_ARGS)

.PHONY: coverage
coverage: venv ## The suite under coverage, then every services raise no test reaches (must be none)
	$(VENV)/bin/pytest $(PYTEST_ARGS) --cov --cov-report=term:skip-covered --cov-report=
	$(PY) -m tests.tools.raises_covered

.PHONY: lint
lint: venv ## ruff check and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

.PHONY: format
format: venv ## Apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

.PHONY: models-dot
models-dot: venv ## Regenerate models.dot (the Graphviz diagram of our apps' models)
	DJANGO_SETTINGS_MODULE=tests.settings $(MANAGE) graph_models $(GRAPH_APPS) --output models.dot

GRAPH_APPS := accounts doctors patients appointments treatments prescriptions

.PHONY: migrations-check
migrations-check: venv ## Fail when a model change has no migration
	DJANGO_SETTINGS_MODULE=tests.settings $(MANAGE) makemigrations --check --dry-run

.PHONY: serve
serve: venv ## Serve with gunicorn (set DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL first)
	$(MANAGE) collectstatic --noinput
	$(MANAGE) migrate --noinput
	$(VENV)/bin/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-3} --no-control-socket --access-logfile -

.PHONY: bench
bench: venv ## Load benchmark (gunicorn + wrk; 10k/100k/1M appointments, PostgreSQL and SQLite) and reports
	@command -v wrk >/dev/null || apt-get install -y -q wrk >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }
	$(PY) bench/load.py $(BENCH_ARGS)
	$(PY) bench/reports.py
	DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} $(PY) bench/reports.py

.PHONY: bench-floor
bench-floor: venv ## Load benchmark at 10k appointments only, both databases: our lists against the plain DRF floor
	@command -v wrk >/dev/null || apt-get install -y -q wrk >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }
	$(PY) bench/load.py --sizes 10000 $(BENCH_ARGS)

.PHONY: clean
clean: ## Remove the venv, the SQLite database and caches
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
