# Two entry points for a fresh machine: `make demo` and `make test`.
# Both create .venv and install the project with its dev extras first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install lint typecheck docs unasync

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/kbn-so demo

unasync: $(STAMP)
	$(BIN)/python tests/codegen/run_unasync.py

lint: $(STAMP)
	$(BIN)/ruff check kbn_saved_objects tests benchmarks
	$(BIN)/ruff format --check kbn_saved_objects tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

docs: $(STAMP)
	$(BIN)/mkdocs build --strict --site-dir $(VENV)/site --quiet

test: $(STAMP)
	$(BIN)/python tests/codegen/run_unasync.py --check
	$(BIN)/ruff check kbn_saved_objects tests benchmarks
	$(BIN)/ruff format --check kbn_saved_objects tests benchmarks
	$(BIN)/mypy
	$(BIN)/mkdocs build --strict --site-dir $(VENV)/site --quiet
	$(BIN)/pytest $(PYTEST_ARGS)
