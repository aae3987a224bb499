# BinaPustaka — two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
# pytest-xdist workers for `make test` (SQLite: each worker has its own database file).
PYTEST_WORKERS ?= auto
VENV   := .venv
BIN    := $(VENV)/bin
export FLASK_APP := wsgi

.PHONY: run test screens test-deploy setup setup-dev translations db sync demo serve extract-messages requirements bench clean

# `make run` installs the runtime requirements only; `make test` adds the development ones.
run: setup db sync demo serve

test: setup-dev
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Refresh the screenshot baselines (tests/e2e/baselines/) after an intended visual change; look at them
# before committing. docs/design.md, "Screenshot tests".
screens: setup-dev
	UPDATE_BASELINES=1 $(BIN)/python -m pytest tests/e2e/test_screenshots.py -q

# The production recipe, run: two gunicorn hosts behind nginx (installed from Debian if missing) on
# one PostgreSQL (TEST_DATABASE_URL's server) and Redis (127.0.0.1:6379); see tests/deploy/two_hosts.py.
test-deploy: setup
	$(BIN)/python tests/deploy/two_hosts.py

setup: $(VENV)/.installed translations

setup-dev: $(VENV)/.installed-dev translations

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

# requirements-dev.txt pins every runtime package too (at the same versions): one install does both.
$(VENV)/.installed-dev: requirements-dev.txt requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

# Maintainers: re-pin after editing requirements.in or requirements-dev.in (pip-tools).
requirements: $(VENV)/.installed-dev
	$(BIN)/pip-compile --quiet --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links requirements.in
	$(BIN)/pip-compile --quiet --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links requirements-dev.in

translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d elearn/translations

db: setup
	$(BIN)/flask db upgrade

sync: db
	$(BIN)/flask courses sync --yes

demo: db
	$(BIN)/flask users demo

serve:
	$(BIN)/flask run --host 127.0.0.1 --port 5000

# Maintainers: refresh the catalogs after changing user-visible strings. Catalogs carry no source
# locations and are sorted by message, so parallel branches rarely conflict.
extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l --no-location --sort-output -o elearn/translations/messages.pot .
	$(BIN)/pybabel update -i elearn/translations/messages.pot -d elearn/translations --no-fuzzy-matching --ignore-obsolete

bench: setup
	$(BIN)/python bench/sync.py
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/certificates.py
	$(BIN)/python bench/reports.py
	$(BIN)/python bench/quiz_load.py --database sqlite

clean:
	rm -rf $(VENV) instance
