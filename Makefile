# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
FLASK  := $(BIN)/flask --app app

.PHONY: run test test-fast install install-test translations messages clean lock

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/activate
	$(BIN)/pip install -q -c requirements.lock -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml requirements.lock $(VENV)/.installed
	$(BIN)/pip install -q -c requirements.lock -e '.[test]'
	touch $@

lock: install-test  # the versions in this venv become the pins (add the bench extra first: pip install -e '.[bench]')
	{ sed -n 1,2p requirements.lock; $(BIN)/pip freeze --exclude-editable | grep -v '^cdou'; } > requirements.lock.new
	mv requirements.lock.new requirements.lock

install: $(VENV)/.installed translations
install-test: $(VENV)/.installed-test translations

translations: $(VENV)/.installed
	@$(BIN)/pybabel compile -d consortium/translations >/dev/null

messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 --no-wrap --no-location --sort-output -o $(VENV)/messages.pot .
	$(BIN)/pybabel update -i $(VENV)/messages.pot -d consortium/translations --no-fuzzy-matching --no-wrap --ignore-pot-creation-date

run: install
	$(FLASK) db upgrade
	$(FLASK) load-reference-data
	$(FLASK) seed-demo --if-empty
	@# the job worker (exports, DCAT pages, e-mails) beside the web server, on huey's SQLite
	@# storage in instance/jobs.db: nothing to install; it stops with the web server. It runs at a
	@# lower CPU priority (--nice 10) so that the pages stay quick while it works (docs/jobs.md)
	$(FLASK) jobs worker --workers 2 --nice 10 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --port $(PORT)

test: install-test
	$(BIN)/ruff check consortium tests bench scripts app.py
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest -n auto --dist worksteal $(PYTEST_ARGS)

test-fast: install-test  # the suite without the slow tests (browser, multi-process, migrations)
	$(BIN)/python -m pytest -m "not slow" $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache
