# Two commands for a fresh machine: `make run` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest test-postgres test-browser screenshots bench bench-rollup clean

$(STAMP): pyproject.toml requirements/constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/baocao demo
	$(BIN)/baocao serve

# The linters and mypy run beside the tests (make -j): they take a core for 2-3 s on a desk (mypy's cache) and
# about 20 s on a fresh clone, while the tests' own start leaves it idle; their few lines of output come first.
test: $(STAMP)
	@$(MAKE) --no-print-directory -j3 lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools

typecheck: $(STAMP)
	$(BIN)/mypy

# In parallel (pytest-xdist, one worker per core; each worker has its own test database, test_<name>_gwN);
# --dist loadfile keeps a file's tests on one worker, so module-scoped fixtures (browser, demo) load once;
# --no-loadscope-reorder lets tests/ordering.py hand out the longest first (their seconds from the last run, in
# .pytest_cache), so both workers finish together; it also keeps the browser files on one worker (one Chromium).
# Bytecode caches (__pycache__, git-ignored) are written even when the environment sets PYTHONDONTWRITEBYTECODE:
# without them every worker compiles the project and re-does pytest's assertion rewriting of ~460 modules
# (test files and the plugins' packages), about 5 s of CPU per worker.
XDIST ?= -n auto --dist loadfile --no-loadscope-reorder
PYCACHE := PYTHONDONTWRITEBYTECODE=
pytest: $(STAMP)
	$(PYCACHE) $(BIN)/pytest $(XDIST)

# The same tests against PostgreSQL; pytest-django creates (and drops) the database test_<name>.
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/baocao
test-postgres: $(STAMP)
	$(PYCACHE) DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest $(XDIST)

# Browser tests only: Debian's Chromium (apt-get install chromium-headless-shell, or chromium); skipped when
# it is missing.
test-browser: $(STAMP)
	$(BIN)/pytest -m browser tests/browser

# Refresh the README's and the guide's screenshots in docs/screenshots/ (and build/screenshots/); an ordinary
# test run takes none.
screenshots: $(STAMP)
	BAOCAO_SCREENSHOTS=1 $(BIN)/pytest -m browser tests/browser

bench: $(STAMP)
	$(BIN)/python bench/bench_evaluate.py
	$(BIN)/python bench/bench_forms.py
	$(BIN)/python bench/bench_web.py
	$(BIN)/python bench/bench_documents.py
	$(BIN)/python bench/bench_check.py

# National rollups: generates 80,376 reports once (about 7 minutes), then measures; see docs/benchmarks.md.
bench-rollup: $(STAMP)
	$(BIN)/python bench/bench_rollup.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
