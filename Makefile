# `make run` and `make test` each set up everything they need on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export HOTLINE_HOME ?= $(CURDIR)/.hotline-home

.PHONY: run test install bench screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) -m console.system_libs
	$(PY) main.py

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -n 2 --dist loadfile -q

bench: $(STAMP)
	for script in bench/bench_*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m console.screenshots docs/screenshots

clean:
	rm -rf $(VENV) .hotline-home .pytest_cache
