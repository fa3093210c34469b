# graphkg: `make run` sets up, builds the graph from seeds/ and serves it; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
STORE ?= data/store

.PHONY: install run build static test lint format check bench bench-hostile bench-quick synth clean test-virtuoso

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

build: $(STAMP)
	$(BIN)/graphkg --store $(STORE) build

# YASGUI for the query page, from the npm registry at the version pinned in
# package-lock.json and served locally; without npm the built-in editor is used.
# The result views (readable table, timeline, graph) are the project's own scripts in
# graphkg/server/static/, with no dependency: nothing is fetched at run time.
YASGUI := graphkg/server/static/vendor/yasgui

static: $(YASGUI)/yasgui.min.js

$(YASGUI)/yasgui.min.js: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	mkdir -p $(YASGUI)
	cp node_modules/@zazuko/yasgui/build/yasgui.min.js node_modules/@zazuko/yasgui/build/yasgui.min.css $(YASGUI)/

# `make run PORT=8080`, `make run HOST=0.0.0.0` (every address: read-only unless write
# tokens are set).
HOST ?= 127.0.0.1
PORT ?= 8000
run: build $(if $(shell command -v npm),static)
	$(BIN)/graphkg --store $(STORE) serve --host $(HOST) --port $(PORT)

# The browser tests (tests/test_browser.py) drive Debian's Chromium through selenium,
# on the query page with YASGUI vendored.
test: $(STAMP) static
	command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
		{ $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium chromium-driver; }
	$(BIN)/pytest

# The tests that read a remote store, on a fresh Virtuoso (Debian's virtuoso-opensource)
# on 127.0.0.1 instead of oxigraph serve; see docs/settings.md#remote-stores.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
test-virtuoso: $(STAMP)
	command -v virtuoso-t >/dev/null || $(SUDO) apt-get install -y virtuoso-opensource
	tests/stores/virtuoso $(BIN)/pytest -p no:cacheprovider -m seeds_on_the_remote_store

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: lint test

# The HTTP benchmark against oxigraph serve (see bench/http.py: one round per workload,
# a 30 s limit per request), hostile input, and the quick rows with a build of 2,500
# articles, the remote rows and server memory (bench/quick-large.md), within 45 minutes;
# wrk, the load generator, comes from Debian's packages. BENCH_ROUNDS=3 and
# BENCH_SERVERS=all (rdflib-endpoint too, which reloads its million triples in memory
# after every timeout) make the longer run, about an hour and a half.
BENCH_ROUNDS ?= 1
BENCH_SERVERS ?= graphkg,graphkg (cache),bare Flask,oxigraph serve
bench: $(STAMP)
	$(BIN)/pip install --quiet -r bench/requirements.txt
	command -v wrk >/dev/null || $(SUDO) apt-get install -y wrk
	$(BIN)/python bench/http.py --rounds $(BENCH_ROUNDS) --timeout 30 \
		$(if $(filter all,$(BENCH_SERVERS)),,--servers "$(BENCH_SERVERS)") --output bench/results.md
	$(BIN)/python bench/http.py --alone --timeout 30
	$(MAKE) bench-hostile
	$(BIN)/python -P bench/quick.py --large 2500 --output bench/quick-large.md

# Hostile input (validation at 100 to 5,000 facts, an alias bomb, hostile requests)
# beside plain pyshacl, PyYAML and oxigraph serve, in about three minutes.
bench-hostile: $(STAMP)
	$(BIN)/pip install --quiet -r bench/requirements.txt
	$(BIN)/python bench/hostile.py --output bench/hostile.md

# While working (minutes, corpora cached in bench/.cache): builds, adds, exports and a
# remote build, each beside its peer.
bench-quick: $(STAMP)
	$(BIN)/python -P bench/quick.py --output bench/quick.md

# A synthetic corpus of SYNTH_N articles (about 400 triples each) for `graphkg build`,
# cached in bench/.cache/ (see bench/synth.py).
SYNTH_N ?= 250
synth: $(STAMP)
	$(BIN)/python bench/synth.py $(SYNTH_N)

clean:
	rm -rf $(VENV) data build dist .pytest_cache node_modules $(YASGUI)
