# The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
GOVUK := node_modules/govuk-frontend/dist/govuk
HOST ?= 127.0.0.1:8000

.PHONY: run test install install-dev assets browser migrate seed lint format totp clean

run: install assets migrate  ## Install, migrate SQLite, load demo data once, serve on :8000
	$(BIN)/python manage.py seed_demo --if-empty
	@echo "Serving on http://$(HOST)/ (Ctrl+C to stop)"
	$(BIN)/python manage.py runserver $(HOST)

# One pytest worker per CPU (pytest-xdist); each worker gets its own test database.
PYTEST_ARGS ?= -n auto

# pytest exits 5 when it collected no tests: that is a failure, never a silent pass.
test: install-dev assets browser  ## Install test dependencies and run the whole suite
	@$(BIN)/pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest ran no tests: failing"; exit 1; fi; exit $$status

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install -q -e '.[dev]'
	@touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

node_modules/.package-lock.json: package.json
	npm install --no-fund --no-audit
	@touch $@

# GOV.UK Frontend's CSS asks for /assets/… at the site root; WhiteNoise serves static/govuk there.
# The source maps come too: the CSS and JS name them, and collectstatic's manifest storage
# refuses to finish when a named file is missing. Copied again when this recipe changes.
static/govuk/.copied: node_modules/.package-lock.json Makefile
	mkdir -p static/govuk
	cp $(addprefix $(GOVUK)/govuk-frontend.min.,css css.map js js.map) static/govuk/
	cp -r $(GOVUK)/assets static/govuk/
	@touch $@

assets: static/govuk/.copied

# Browser tests drive Debian's Chromium; Playwright cannot download its own here.
browser:
	@command -v chromium >/dev/null || { \
		echo "Installing Debian's chromium for the browser tests"; \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
		else sudo apt-get update -qq && sudo apt-get install -y -qq chromium; fi; }

migrate: install
	$(BIN)/python manage.py migrate --no-input

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

totp: install  ## Current sign-in code for a demo user: make totp EMAIL=…
	$(BIN)/python manage.py demo_totp $(EMAIL)

clean:
	rm -rf $(VENV) node_modules static staticfiles db.sqlite3 media private-media
