# EcoGov: `make run` serves the sample district, `make test` runs every test.
# Both set up what they need first (a virtual environment in .venv, the database
# under var/, the translations), and running them again changes nothing.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite runs on one worker per core (pytest-xdist; each worker has its own test
# database), at most 4. PYTEST_WORKERS=0 runs it in this process, e.g. to debug one test.
PYTEST_WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest --numprocesses=$(PYTEST_WORKERS) --maxprocesses=4

.PHONY: setup run test test-pg lint browser clean screenshots

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

# Beside the web server, and stopped with it: the job consumer (monthly dispatch, reminders,
# case clocks, monitoring scans), the HJ 212 ingestion server, and simulated data loggers
# of the sample points that send to it live (set SIMULATE= to run without them).
HJ212_PORT ?= 9212
SIMULATE ?= 1
run: setup
	@echo "EcoGov: http://$(HOST):$(PORT)/ (sign in as admin); HJ 212 uploads: $(HOST):$(HJ212_PORT)"
	@$(BIN)/ecogov run_huey --quiet & consumer=$$!; \
	$(BIN)/ecogov hj212 serve --host $(HOST) --port $(HJ212_PORT) & hj212=$$!; \
	if [ -n "$(SIMULATE)" ]; then sleep 2; $(BIN)/ecogov hj212 simulate --live --port $(HJ212_PORT) \
		--points 7 --interval 60 --exceed 0.01 --missing 0 --garbage 0.01 >/dev/null & fi; \
	simulator=$$!; \
	trap 'kill $$consumer $$hj212 $$simulator 2>/dev/null' EXIT INT TERM; \
	$(BIN)/ecogov runserver $(HOST):$(PORT)

browser:
	@scripts/ensure-chromium

test: setup $(VENV)/.installed-test browser
	$(BIN)/ruff check src tests bench
	$(BIN)/ecogov makemigrations --check --dry-run
	$(PYTEST) $(PYTEST_ARGS)

# The same suite against PostgreSQL: DATABASE_URL=postgres://… make test-pg
# (but the tests in a browser, the walk-through of every page included, which make test has
# run on SQLite: they check what the browser sees, whose database work the other tests run
# on PostgreSQL too, and they take minutes)
test-pg: $(VENV)/.installed-test browser
	@test -n "$(DATABASE_URL)" || { echo "set DATABASE_URL=postgres://…"; exit 2; }
	$(BIN)/ecogov messages compile
	$(PYTEST) -m "not browser" $(PYTEST_ARGS)

# Every page as every role, photographed, under var/screenshots/walkthrough/ (make test
# walks the same pages with the same checks, without the photographs).
screenshots: setup $(VENV)/.installed-test browser
	ECOGOV_WALKTHROUGH_SHOTS=1 $(PYTEST) -m walkthrough $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

clean:
	rm -rf $(VENV) var .pytest_cache
