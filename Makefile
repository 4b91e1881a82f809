# Two commands do everything: `make demo` and `make test`. Both set up .venv from requirements.lock first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export ACCOUNT_HEALTH_WAREHOUSE ?= $(CURDIR)/data/warehouse/account_health.duckdb
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DO_NOT_TRACK := 1
export GX_ANALYTICS_ENABLED := false

.PHONY: setup browser demo test test-spark test-spark-demo lint format bench docs dagster dashboard screenshots clean lock

setup: $(STAMP)

# The venv is rebuilt when the lock or the package metadata changes (a stale venv), or when it is missing.
# --no-compile: pip would byte-compile every module of every package (pyspark, dagster, GX: half the
# install's time); Python compiles the modules a run imports, once, when it first imports them.
$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-compile -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-compile --no-deps -e .
	@touch $(STAMP)

# The report tests render the HTML in a real headless Chromium, from Debian's package (a registry package,
# not a browser download of a test tool's own).
browser:
	@command -v chromium >/dev/null || { \
	  echo "installing Debian's chromium for the report tests"; \
	  $(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq chromium >/dev/null; }

demo: setup
	$(BIN)/account-health demo

# Two workers (the CI machine's cores), one test file per worker at a time: a file's module fixtures are built
# once, and the shared `tiny_run` once per session (tests_py/_shared_data.py); tests_py/conftest.py orders
# the files so both workers stay busy. The slowest tests are listed at the end of the run.
PYTEST_WORKERS ?= 2

test: setup browser lint
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile --durations=15 -m "not spark and not spark_demo"

# The Spark parity tests (issue 13): every model, the snapshot and the seeds' tests built on the spark target
# (PySpark in-process, local mode) equal DuckDB's row for row on the tiny tier, and so do the marts published
# from Spark; so does a daily (incremental) Spark build on top of an earlier one. Tens of minutes, so
# `make test` runs only the smoke (README "When one machine is not enough").
test-spark: setup
	$(BIN)/python -m pytest -m "spark or spark_smoke" --durations=15 tests_py/engines

# The demo tier (300 accounts) through the DuckDB pipeline and on Spark: the marts published from Spark equal
# DuckDB's. Half an hour or more on 2 cores; each side's time is printed.
test-spark-demo: setup
	$(BIN)/python -m pytest -m spark_demo -s --durations=5 tests_py/engines

lint: setup
	$(BIN)/ruff check src tests_py
	$(BIN)/ruff format --check src tests_py
	@# the dbt templater opens the profile's database: give it an empty throwaway one, not the warehouse
	lint_dir=$$(mktemp -d) && ACCOUNT_HEALTH_WAREHOUSE=$$lint_dir/lint.duckdb ACCOUNT_HEALTH_LINT=1 \
	  $(BIN)/sqlfluff lint models tests macros snapshots analyses --processes 2; \
	  status=$$?; rm -rf $$lint_dir; exit $$status

format: setup
	$(BIN)/ruff check --fix src tests_py
	$(BIN)/ruff format src tests_py
	lint_dir=$$(mktemp -d) && ACCOUNT_HEALTH_WAREHOUSE=$$lint_dir/lint.duckdb ACCOUNT_HEALTH_LINT=1 \
	  $(BIN)/sqlfluff fix models tests macros snapshots analyses --processes 2; \
	  status=$$?; rm -rf $$lint_dir; exit $$status

# `make bench`: the medium tier (1,000 accounts, about 10M events) and the landing benchmarks;
# `make bench BENCH_TIERS="tiny demo"` for the small tiers (demo also checks calibration's targets).
BENCH_TIERS ?= medium
bench: setup
	$(BIN)/python -m bench.run --tiers $(BENCH_TIERS)

docs: setup
	$(BIN)/dbt docs generate --project-dir . --profiles-dir .

dagster: setup
	$(BIN)/account-health dagster

dashboard: setup
	$(BIN)/account-health dashboard

# README's dashboard screenshots, from a published data folder (after `make demo`; DATA_DIR=... for another)
DATA_DIR ?= data
screenshots: setup browser
	$(BIN)/python -m account_health.dashboard.screenshots --data-dir $(DATA_DIR) --out docs/screenshots

lock:
	$(PYTHON) -m venv /tmp/account-health-lock && /tmp/account-health-lock/bin/pip install -e .[dev]
	{ echo "# Pinned toolchain, installed by 'make' (pip install -r requirements.lock). Regenerate with 'make lock'."; \
	  /tmp/account-health-lock/bin/pip freeze --exclude-editable; } > requirements.lock

clean:
	rm -rf target logs data/warehouse data/serving data/quality data/report
