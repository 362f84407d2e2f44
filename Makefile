# EcoGov: `make run` serves the sample district, `make test` runs every test.
# Both set up what they need first (a virtual environment in .venv, the database
# under var/, the translations), and running them again changes nothing.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run test test-pg lint browser clean

$(BIN)/python:
	@scripts/make-venv "$(PYTHON)" "$(VENV)"

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[test]"
	@touch $@

setup: $(VENV)/.installed
	$(BIN)/ecogov messages compile
	$(BIN)/ecogov migrate --noinput
	$(BIN)/ecogov sample load
	$(BIN)/ecogov ensureadmin

# The job consumer (monthly dispatch, reminders, case clocks) runs beside the server and stops with it.
run: setup
	@echo "EcoGov: http://$(HOST):$(PORT)/ (sign in as admin); scheduled jobs: ecogov run_huey"
	@$(BIN)/ecogov run_huey --quiet & consumer=$$!; \
	trap 'kill $$consumer 2>/dev/null' EXIT INT TERM; \
	$(BIN)/ecogov runserver $(HOST):$(PORT)

browser:
	@scripts/ensure-chromium

test: setup $(VENV)/.installed-test browser
	$(BIN)/ruff check src tests bench
	$(BIN)/ecogov makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The same suite against PostgreSQL: DATABASE_URL=postgres://… make test-pg
test-pg: $(VENV)/.installed-test browser
	@test -n "$(DATABASE_URL)" || { echo "set DATABASE_URL=postgres://…"; exit 2; }
	$(BIN)/ecogov messages compile
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

clean:
	rm -rf $(VENV) var .pytest_cache
