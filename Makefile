# Sijill: `make run` sets everything up and serves the site; `make test` installs and runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Two test processes (pytest-xdist): each has its own test database and data directory.
PYTEST_WORKERS ?= 2
export SIJILL_DATA_DIR ?= $(CURDIR)/var
# One Tesseract thread per process: OCR is parallelised with processes, and threads only contend.
export OMP_THREAD_LIMIT := 1

.PHONY: run test setup setup-test bench clean

run: setup
	$(BIN)/python manage.py serve --host $(HOST) --port $(PORT)

setup: $(VENV)/.installed-run
	@echo "== sijill: OS packages =="
	@site/setup/os-packages.sh run
	@echo "== sijill: database, static files and demo data =="
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py reindex --verbosity 0

test: setup-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	@echo "== test suite on PostgreSQL (a throwaway server) =="
	$(BIN)/python -m tests.pgcluster -- $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)
	@echo "== test suite on SQLite (PostgreSQL's own triggers were checked in the pass above) =="
	$(BIN)/pytest -n $(PYTEST_WORKERS) -m "not postgresql" $(PYTEST_ARGS)

setup-test: $(VENV)/.installed-test
	@site/setup/os-packages.sh test

bench: setup-test
	$(BIN)/python -m tests.pgcluster -- $(BIN)/python benchmarks/case_lookups.py --database postgres
	$(BIN)/python benchmarks/case_lookups.py --database sqlite
	$(BIN)/python -m tests.pgcluster -- $(BIN)/python benchmarks/hidden_vs_missing.py --database postgres
	$(BIN)/python benchmarks/hidden_vs_missing.py --database sqlite
	$(BIN)/python benchmarks/ocr_accuracy.py --compare
	$(BIN)/python benchmarks/ingest_throughput.py --pages 200 --workers 2
	$(BIN)/python benchmarks/pdf_text_speed.py

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV) || { echo "sijill: creating a virtual environment failed; on Debian run: sudo apt-get install -y python3-venv" >&2; exit 1; }

# Without --quiet: pip names each package as it fetches and installs it, so the first run is not two silent minutes.
$(VENV)/.installed-run: $(VENV)/bin/python pyproject.toml constraints.txt
	@echo "== sijill: installing the Python packages into $(VENV) (a few minutes the first time) =="
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --progress-bar on -c constraints.txt -e .
	@echo "== sijill: Python packages installed =="
	@touch $@

$(VENV)/.installed-test: $(VENV)/bin/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	@touch $@ $(VENV)/.installed-run

clean:
	rm -rf $(VENV) build *.egg-info
