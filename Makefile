# Two entry points for a fresh machine: `make demo` and `make test`.
# Both create .venv and install the project with its dev extras first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install lint typecheck docs unasync bench

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

# Every benchmark at each object count of SCALE, one report (docs/benchmarking.md), e.g.
# make bench SCALE=10000,100000,1000000 BENCH_ARGS="--compare old/report.json"
SCALE ?= 10000,100000
BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/kbn-so bench --scale $(SCALE) $(BENCH_ARGS)

# The engines every engine-backed test runs on, one after the other (the pure tests run
# once, first). KBN_SO_ENGINE_URL replaces them with that one engine (Elasticsearch 8/9,
# OpenSearch 2/3, single node or cluster).
ENGINE_VERSIONS ?= 2.19.6 3.9.0
# Which tests the engine passes run; against your own server only the library's:
# make test ENGINE_MARK="engine and not local_engine"
ENGINE_MARK ?= engine
# pytest's exit code 5 ("no tests collected") passes only when PYTEST_ARGS narrowed the
# run (e.g. to a file of pure tests, leaving the engine passes empty).
ALLOW_EMPTY = { status=$$?; [ $$status -eq 5 ] && [ -n "$(strip $(PYTEST_ARGS))" ] || exit $$status; }

test: $(STAMP)
	$(BIN)/python tests/codegen/run_unasync.py --check
	$(BIN)/ruff check kbn_saved_objects tests benchmarks
	$(BIN)/ruff format --check kbn_saved_objects tests benchmarks
	$(BIN)/mypy
	$(BIN)/mkdocs build --strict --site-dir $(VENV)/site --quiet
	@echo "== pure tests (an engine URL that answers nothing: an unmarked engine test fails)"
	KBN_SO_ENGINE_URL=http://127.0.0.1:9 $(BIN)/pytest -m "not engine" $(PYTEST_ARGS) || $(ALLOW_EMPTY)
	@if [ -n "$$KBN_SO_ENGINE_URL" ]; then \
	  echo "== engine-backed tests on $$KBN_SO_ENGINE_URL"; \
	  $(BIN)/pytest -m "$(ENGINE_MARK)" $(PYTEST_ARGS) || $(ALLOW_EMPTY); \
	else \
	  for version in $(ENGINE_VERSIONS); do \
	    echo "== engine-backed tests on OpenSearch $$version"; \
	    KBN_SO_ENGINE_VERSION=$$version $(BIN)/pytest -m "$(ENGINE_MARK)" $(PYTEST_ARGS) || $(ALLOW_EMPTY); \
	  done; \
	fi
