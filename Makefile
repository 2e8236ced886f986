# Frontline: the two commands of the README are `make site` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
TOOLS := tests/tools/node_modules/.installed-stamp
CMS_STAMP := cms/node_modules/.package-lock.json

.PHONY: screenshots install system site serve cms preview check test unit e2e lint clean

install: system $(STAMP) $(TOOLS) $(CMS_STAMP)

# What the suite drives for real, from Debian's packages, installed where missing (root, as on CI): Chromium for the
# browser tests (Playwright drives /usr/bin/chromium; no browser is downloaded), Java for the Nu Html Checker and
# npm (with Node.js) for the readers' test tools (tests/tools/package.json) and the browser editor (cms/); nginx and
# Caddy, which serve a folder the publish tests publish to; git, whose bare repository they push a branch to;
# OpenSSH's server and rsync for the SSH publishing tests; Hugo, the benchmark's reference site (scripts/hugo_site.py).
# Each entry is command:package.
SYSTEM_COMMANDS := chromium:chromium java:default-jre-headless node:nodejs npm:npm nginx:nginx caddy:caddy git:git \
	rsync:rsync ssh:openssh-client /usr/sbin/sshd:openssh-server hugo:hugo
system:
	@missing=""; for entry in $(SYSTEM_COMMANDS); do command -v $${entry%%:*} >/dev/null 2>&1 || missing="$$missing $${entry#*:}"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	$(BIN)/python -m compileall -q frontline hooks  # bytecode, as a regular install has (an editable one has none)
	touch $(STAMP)

# The Nu Html Checker (vnu-jar), axe-core and TimelineJS the readers' tests run, at the versions package-lock.json
# pins; vnu-jar's install script (which would fetch a Java) is not run: Debian's is used.
$(TOOLS): tests/tools/package.json tests/tools/package-lock.json
	cd tests/tools && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(TOOLS)

# The browser editor (Decap CMS and decap-server), exactly as cms/package-lock.json pins it; no install scripts run.
$(CMS_STAMP): cms/package.json cms/package-lock.json
	cd cms && npm ci --no-audit --no-fund --ignore-scripts
	touch $(CMS_STAMP)

site: install  ## install everything, then build the demo site into site/
	$(BIN)/frontline build

cms: install  ## the browser editor on http://127.0.0.1:8001/quan-tri/ (writes into this project)
	$(BIN)/frontline cms

screenshots: install  ## the README's screenshots of the demo (docs/assets/anh-trang/), desktop and phone
	$(BIN)/python scripts/screenshots.py

serve: install  ## live preview on http://127.0.0.1:8000/ (drafts shown, marked)
	$(BIN)/frontline preview

# Tests run on every core (pytest-xdist); an end-to-end module's tests, and the browser tests, each on one worker
# (tests/conftest.py groups them), so a site a module builds once is built once.
PARALLEL := -n auto --dist loadgroup

test: install  ## lint, then the whole test suite
	$(BIN)/ruff check frontline hooks scripts tests
	$(BIN)/python -m pytest $(PARALLEL)

unit: install  ## the unit tests alone (tests/unit/), in seconds (no site built, no browser)
	$(BIN)/python -m pytest -m "not e2e" $(PARALLEL)

e2e: install  ## the end-to-end tests alone (tests/e2e/ and any test marked e2e)
	$(BIN)/python -m pytest -m e2e $(PARALLEL)

lint: install
	$(BIN)/ruff check frontline hooks scripts tests
	$(BIN)/ruff format --check frontline hooks scripts tests

clean:
	rm -rf site $(VENV) *.egg-info .pytest_cache tests/tools/node_modules cms/node_modules
