# Frontline: the two commands of the README are `make site` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
CMS_STAMP := cms/node_modules/.package-lock.json

.PHONY: install system site serve cms preview check test unit lint clean

install: system $(STAMP) $(CMS_STAMP)

# What the suite drives for real, from Debian's packages, installed where missing (root, as on CI): Chromium for the
# browser tests (Playwright drives /usr/bin/chromium; no browser is downloaded), npm (with Node.js) for the editor.
SYSTEM_COMMANDS := chromium npm
system:
	@missing=""; for command in $(SYSTEM_COMMANDS); do command -v $$command >/dev/null 2>&1 || missing="$$missing $$command"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	$(BIN)/python -m compileall -q frontline hooks  # bytecode, as a regular install has (an editable one has none)
	touch $(STAMP)

# The browser editor (Decap CMS and decap-server), exactly as cms/package-lock.json pins it; no install scripts run.
$(CMS_STAMP): cms/package.json cms/package-lock.json
	cd cms && npm ci --no-audit --no-fund --ignore-scripts
	touch $(CMS_STAMP)

site: install  ## install everything, then build the demo site into site/
	$(BIN)/frontline build

cms: install  ## the browser editor on http://127.0.0.1:8001/quan-tri/ (writes into this project)
	$(BIN)/frontline cms

serve: install  ## live preview on http://127.0.0.1:8000/ (drafts shown, marked)
	$(BIN)/frontline preview

test: install  ## lint, then the whole test suite
	$(BIN)/ruff check frontline hooks scripts tests
	$(BIN)/python -m pytest

unit: install  ## the unit tests alone, in seconds (no site built, no browser)
	$(BIN)/python -m pytest -m "not e2e"

lint: install
	$(BIN)/ruff check frontline hooks scripts tests
	$(BIN)/ruff format --check frontline hooks scripts tests

clean:
	rm -rf site $(VENV) *.egg-info .pytest_cache cms/node_modules
