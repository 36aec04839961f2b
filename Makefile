# The two commands a new user needs: `make demo` and `make test`. Both set themselves up.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup contracts demo test test-fast lint site docs system-packages clean help

help:
	@echo "make demo   build the sample community site and serve it on http://$(HOST):$(PORT)/"
	@echo "make test   run linters, type checks, validate, the strict site build and the whole test suite"
	@echo "make test-fast   the edit-test loop: lint, type checks and the tests that need no browser and build no site"

# Dependencies are pinned in pyproject.toml and, with everything they pull in, in constraints.txt.
# EXTRAS=dev,semantic adds the semantic extra (ONNX Runtime, about 200 MB; CI installs it so its tests run).
EXTRAS ?= dev
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[$(EXTRAS)]'
	@touch $(STAMP)

# GitHub's published contracts for the tests (GraphQL schema, webhook examples and schemas, REST OpenAPI).
NPM_STAMP := node_modules/.installed-stamp
$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $(NPM_STAMP)

setup: $(STAMP)
contracts: $(NPM_STAMP)

# Debian's Chromium for the browser test (never a test tool's own browser download) and faketime, which runs the
# suite at far-apart dates (tests/test_clock.py).
DEBIAN_PACKAGES := chromium faketime
system-packages:
	@missing=""; for p in $(DEBIAN_PACKAGES); do command -v $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian's$$missing for the tests"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "not installed and we are not root:$$missing (apt-get install$$missing); the tests that need them are skipped"; fi; fi

site: setup
	$(BIN)/crowdcare validate
	$(BIN)/mkdocs build --strict --quiet

DEMO := build/demo
demo: setup
	@echo ""
	@echo "  Running crowdcare on the sample community (fictional company 'Tallybook'), offline, in $(DEMO):"
	@BIN=$(BIN) samples/build-demo.sh $(DEMO)
	@echo ""
	@echo "  Serving it on  http://$(HOST):$(PORT)/   (Ctrl-C to stop; PORT=8080 make demo for another port)"
	@echo "  See Metrics (charts) and Triage (who is waiting) for the response guarantee."
	@echo "  The same community in German (language: de): http://$(HOST):$(PORT)/de/"
	@echo ""
	$(BIN)/python -m http.server --bind $(HOST) --directory $(DEMO)/site $(PORT)

# The command reference, written from every command's --help (tests/test_docs.py checks it is current).
docs: setup
	$(BIN)/crowdcare commands-reference > docs/commands.md

lint: setup
	$(BIN)/ruff check tools tests bench samples
	$(BIN)/mypy  # tools/crowdcare, tests and bench (pyproject.toml)

test: setup contracts system-packages lint site
	$(BIN)/pytest -n 2 -q

# No browser, no whole-site builds, no runs at other dates: about a minute on 2 cores.
test-fast: setup contracts lint
	$(BIN)/pytest -n 2 -q -m "not slow and not browser"

clean:
	rm -rf site build test-output .pytest_cache .mypy_cache .ruff_cache
