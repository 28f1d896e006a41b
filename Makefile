# The two commands of the README: `make demo` (the main job) and `make test` (the whole check).
# Both create the virtual environment and install the project on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

# Parallel test workers: the suite waits more than it computes (consumer groups, processes,
# restarts), so more workers than the two cores pay; handed one test at a time, long ones first
# (tests/conftest.py), they finish together. Measured in the README.
TEST_WORKERS ?= 4
PYTEST_PARALLEL := -n $(TEST_WORKERS) --maxschedchunk 1

.PHONY: demo test test-fast test-cpu install lint clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(INSTALLED)

install: $(INSTALLED)

demo: $(INSTALLED)
	$(BIN)/journeys demo

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest $(PYTEST_PARALLEL) --durations=40

# The unit tests alone (no database, no broker): seconds.
test-fast: $(INSTALLED)
	$(BIN)/pytest tests/unit -q

# The whole suite with the processor time of every test recorded, then summed by folder and
# file (the suite is bound by the processor: wall times mislead).
test-cpu: $(INSTALLED)
	rm -rf .cpu-usage
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) -p tests.cpu_usage -q
	$(BIN)/python -m tests.cpu_report .cpu-usage

clean:
	rm -rf $(VENV) journeys.sqlite3
