# Scrutiny: `make run` serves the app on http://127.0.0.1:8000; `make test` runs every test.
# Both create .venv and install what they need; a second run reuses what is there.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format install static demo lock worker bench audit clean

# requirements.lock pins what production runs (the Dockerfile installs it);
# requirements-dev.lock pins the same plus the test and lint tools, and is what .venv gets.
$(VENV)/.installed: pyproject.toml requirements.lock requirements-dev.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

static: install
	$(PY) manage.py collectstatic --noinput --verbosity 0

run: install static
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) manage.py collectstatic --noinput --verbosity 0 --settings=scrutiny.settings.test
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker: install
	$(VENV)/bin/celery -A scrutiny worker --loglevel=info

# Needs DATABASE_URL=postgres://... of a database it may fill (bench/README.md).
bench: install
	$(PY) -m bench $(BENCH_ARGS)

# Re-pin everything after changing pyproject.toml: production first, then the development
# lock constrained to the same versions. To move a pin, edit pyproject.toml or delete the line.
LOCK_FLAGS := --quiet --strip-extras --no-header --no-annotate --no-emit-index-url --no-emit-find-links
lock: $(VENV)/.installed
	$(VENV)/bin/pip-compile $(LOCK_FLAGS) --output-file requirements.lock pyproject.toml
	$(VENV)/bin/pip-compile $(LOCK_FLAGS) --extra dev --constraint requirements.lock \
		--output-file requirements-dev.lock pyproject.toml

# Known vulnerabilities in the pinned dependencies (needs PyPI's vulnerability data, which the
# CI machines cannot reach: run it where they can).
audit: $(VENV)/.installed
	$(VENV)/bin/pip-audit --requirement requirements-dev.lock --no-deps --strict --progress-spinner off

clean:
	rm -rf $(VENV) node_modules staticfiles
