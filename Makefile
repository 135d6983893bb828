# The two commands of the README: `make run` and `make test`. Both create the
# virtual environment if it is missing and install the project into it.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PLANT  ?= data/demo_plant

.PHONY: run test lint bench fuzz install clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) main.py --plant $(PLANT)

lint: $(STAMP)
	$(VENV)/bin/ruff check --no-cache .
	$(VENV)/bin/lint-imports

# The core runs first with Qt hidden (a Qt import outside commandcenter/ui/ fails it), then the window tests.
test: lint
	CC_BLOCK_QT=1 $(PY) -m pytest -p no:pytest-qt --ignore=tests/ui -n 2 --dist loadfile
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest tests/ui

# Nightly-style: the hypothesis suite with many more examples (FUZZ_EXAMPLES=N per target, default 200).
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest tests/hardening -p no:cacheprovider

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m bench

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
