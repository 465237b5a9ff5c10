# picsweb: `make run` starts the site with demo data; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# axe-core, pinned in package-lock.json: the browser suite injects it into every page it visits.
AXE := node_modules/axe-core/axe.min.js
PORT ?= 8000
# `make test` runs against PostgreSQL and Redis on this machine unless told otherwise.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/picsweb
TEST_BROKER_URL ?= redis://127.0.0.1:6379/15

.PHONY: run test install setup lint typecheck migrations-check pytest pytest-sqlite bench audit clean \
	node_modules

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(AXE)

node_modules: $(AXE)

run: $(STAMP)
	@mkdir -p var
	DEBUG=true $(BIN)/python manage.py migrate --no-input -v0
	DEBUG=true $(BIN)/python manage.py seed_demo --learners 3000 --if-empty
	@DEBUG=true PORT=$(PORT) $(BIN)/python bin/run-dev

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	DEBUG=true $(BIN)/mypy .

migrations-check: $(STAMP)
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run

pytest: $(STAMP) $(AXE)
	DEBUG=true DATABASE_URL=$(TEST_DATABASE_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) \
		PICSWEB_VAR_DIR=$(CURDIR)/var/test \
		$(BIN)/pytest --create-db

# The embedded default (SQLite) too, for everything that needs no worker or browser.
pytest-sqlite: $(STAMP)
	env -u DATABASE_URL -u CELERY_BROKER_URL DEBUG=true PICSWEB_VAR_DIR=$(CURDIR)/var/test-sqlite \
		$(BIN)/pytest --create-db -p no:cacheprovider -m "not worker and not browser"

# `make test` first gets the machine ready (bin/setup_test_machine.py: starts PostgreSQL and
# Redis, installs chromium, creates the test role). Without PostgreSQL or Redis installed it runs
# what the embedded default can run, then fails, naming what did not run.
test: $(STAMP)
	@$(PYTHON) bin/setup_test_machine.py --database-url $(TEST_DATABASE_URL) \
		--broker-url $(TEST_BROKER_URL); status=$$?; \
	if [ $$status -eq 0 ]; then \
		$(MAKE) --no-print-directory lint typecheck migrations-check pytest pytest-sqlite; \
	elif [ $$status -eq 3 ]; then \
		$(MAKE) --no-print-directory lint typecheck migrations-check pytest-sqlite; \
		echo "make test: NOT COMPLETE: the PostgreSQL, real-worker and browser tests did not run"; \
		exit 1; \
	else exit $$status; fi

setup: $(STAMP)
	$(PYTHON) bin/setup_test_machine.py --database-url $(TEST_DATABASE_URL) \
		--broker-url $(TEST_BROKER_URL)

bench: $(STAMP)
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Needs PyPI's advisory database (not part of `make test`); --strict fails when a package could
# not be checked, instead of "No known vulnerabilities found" after skipping them all.
audit: $(STAMP)
	$(PYTHON) -m venv var/audit
	var/audit/bin/pip install --quiet pip-audit==2.10.1
	var/audit/bin/pip-audit --strict --desc --path $(wildcard $(VENV)/lib/python3*/site-packages)

clean:
	rm -rf $(VENV) var node_modules .pytest_cache .mypy_cache .ruff_cache
