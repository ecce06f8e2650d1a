# Navis: `make run` sets up and runs the site; `make test` runs every check CI runs.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
ADDR ?= 127.0.0.1:8000

.PHONY: run test setup node-packages system-packages system-packages-test clamd lint format migrations-check check pytest bench lock clean

## run: set everything up, load demo content, and run web, worker and beat (Ctrl-C stops all)
run: setup system-packages clamd
	$(MANAGE) migrate --no-input
	$(MANAGE) demo_load
	$(MANAGE) rundev --addr $(ADDR)

## test: install what the tests need, start clamd, then lint, migration and system checks, and pytest
test: setup system-packages-test node-packages clamd lint migrations-check check pytest

setup: $(VENV)/.installed

$(VENV)/.installed: requirements-dev.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	touch $@

## node-packages: what the browser tests run in the page (axe-core), exactly as package-lock.json pins it
node-packages: node_modules/.package-lock.json

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts

system-packages:
	bash scripts/system-packages.sh run

system-packages-test:
	bash scripts/system-packages.sh test

## clamd: start the project's own clamd (scripts/clamd.sh; stop it with `scripts/clamd.sh stop`)
clamd:
	bash scripts/clamd.sh start

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: setup
	$(MANAGE) makemigrations --check --dry-run

check: setup
	$(MANAGE) check --fail-level WARNING

pytest: setup
	$(BIN)/pytest $(PYTEST_ARGS)

## bench: benchmarks that print figures
bench: setup
	bash scripts/system-packages.sh bench
	$(PY) -m bench $(BENCH)

## lock: re-pin every dependency after editing pyproject.toml
lock: setup
	$(BIN)/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml
	$(BIN)/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links --extra dev -o requirements-dev.lock pyproject.toml

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache
