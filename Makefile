# Every target creates or updates .venv itself, so a fresh clone needs nothing installed by hand.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
export EQUITABLE_DATA_DIR ?= $(CURDIR)/var

.PHONY: demo test test-postgres lint browser bench serve clean venv messages

$(BIN)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --quiet --upgrade pip setuptools wheel
	@$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

venv: $(BIN)/.installed

## make demo [PORT=8123]: set up, load the demo network and serve it at http://127.0.0.1:$(PORT)
demo: $(BIN)/.installed
	$(BIN)/equitable demo --port $(PORT)

## make test: the whole suite on the embedded SQLite database
test: $(BIN)/.installed
	$(BIN)/pytest -q

## make test-postgres: the suite on PostgreSQL (DATABASE_URL must point at it)
test-postgres: $(BIN)/.installed
	@test -n "$$DATABASE_URL" || (echo "Set DATABASE_URL=postgres://user:pass@host/db first." >&2; exit 2)
	$(BIN)/pytest -q

lint: $(BIN)/.installed
	$(BIN)/ruff check src tests bench

## make browser: real-browser tests in headless Debian Chromium (installed on first use)
browser: $(BIN)/.installed
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null)
	$(BIN)/pytest -q -m browser

bench: $(BIN)/.installed
	$(BIN)/python bench/run.py
	$(BIN)/python bench/outcomes_import.py
	$(BIN)/python bench/need_index.py
	$(BIN)/python bench/allocation.py
	$(BIN)/python bench/partner_matching.py

## make messages: refresh the Spanish catalog from the code and compile it (needs gettext; installed on first use)
messages: $(BIN)/.installed
	@command -v msgfmt >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null)
	cd src/equitable && ../../$(BIN)/django-admin makemessages -l es --ignore "*/migrations/*" --no-location --no-obsolete
	cd src/equitable && ../../$(BIN)/django-admin compilemessages -l es

serve: $(BIN)/.installed
	$(BIN)/equitable serve --port $(PORT)

clean:
	rm -rf $(VENV) var build *.egg-info src/*.egg-info
