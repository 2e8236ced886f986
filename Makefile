# Frontline: the two commands of the README are `make site` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install site serve preview check test lint clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	$(BIN)/python -m compileall -q frontline hooks  # bytecode, as a regular install has (an editable one has none)
	touch $(STAMP)

site: install  ## install everything, then build the demo site into site/
	$(BIN)/frontline build

serve: install  ## live preview on http://127.0.0.1:8000/ (drafts shown, marked)
	$(BIN)/frontline preview

test: install  ## lint, then the whole test suite
	$(BIN)/ruff check frontline hooks scripts tests
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check frontline hooks scripts tests
	$(BIN)/ruff format --check frontline hooks scripts tests

clean:
	rm -rf site $(VENV) *.egg-info .pytest_cache
