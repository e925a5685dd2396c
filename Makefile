# casebrief: `make help` lists the targets. Two commands set everything up on a fresh Debian machine:
#   make briefs   installs what is needed and renders the default case into reports/
#   make test     installs what is needed and runs the test suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Debian packages: Noto Sans for Latin text and, through fallback, most other scripts (Arabic, Devanagari, Thai,
# ...), CJK fonts for Hangul, kana and hanzi, Pango and HarfBuzz subsetting for WeasyPrint, poppler and qpdf to
# inspect PDFs. An emoji font too: without one, every emoji in a case prints as a box and copies out of the PDF
# as the wrong text.
APT_PACKAGES := fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils qpdf
export MPLBACKEND := Agg
# Independent checkers of the built outputs (tests/test_outputs.py): from Debian, Chromium (axe runs in it),
# poppler and qpdf, Apache PDFBox preflight (PDF/A), and a headless JRE for vnu when no `java` is on PATH; from npm, vnu-jar, axe-core and
# playwright-core at the versions pinned by tests/tools/package-lock.json.
TOOLS_DIR := tests/tools
TOOLS_APT := chromium poppler-utils qpdf libpdfbox2-java libactivation-java libjaxb-api-java
TOOLS_STAMP := $(TOOLS_DIR)/node_modules/.installed

.PHONY: help setup system check-tools briefs test test-fast test-unit test-data test-notebook test-e2e test-tools \
	lab lint clean
help: ## Show this help
	@grep -hE '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

system: ## Install the Debian packages the project needs (as root), or say what is missing
	@missing=""; for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then echo "system packages: all present"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null && fc-cache -f >/dev/null; \
	else echo "missing system packages:$$missing"; echo "install them with: sudo apt-get install$$missing"; exit 1; fi

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

check-tools: $(TOOLS_STAMP) ## Install the output checkers the tests use (Chromium, Java, poppler, qpdf, vnu, axe-core)
	@missing=""; for p in $(TOOLS_APT); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	if [ -z "$$missing" ]; then echo "output checkers: all present"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else echo "missing output checkers:$$missing"; echo "install them with: sudo apt-get install$$missing"; exit 1; fi

# --ignore-scripts: vnu-jar's postinstall would download a Java from GitHub; we use the system's.
$(TOOLS_STAMP): $(TOOLS_DIR)/package.json $(TOOLS_DIR)/package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js 20 or newer"; exit 1; }
	cd $(TOOLS_DIR) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

setup: system $(STAMP) ## Create .venv and install the package with its dev extras (and system packages)

briefs: setup ## Render the default case (HTML and PDF, every audience) into reports/
	$(BIN)/casebrief build

test: setup check-tools ## Run the whole test suite
	$(BIN)/python -m pytest -q

test-fast: setup ## Run the tests that do not render notebooks
	$(BIN)/python -m pytest -q -m "not slow"

# The tiers (pyproject.toml markers; tests/conftest.py gives every test exactly one). Together they are `make test`.
test-unit: setup ## Tier: unit tests of the library (in process, fixture cases; seconds)
	$(BIN)/python -m pytest -q -m unit

test-data: setup ## Tier: every case validates; the default case is complete and fully sourced
	$(BIN)/python -m pytest -q -m data

test-notebook: setup ## Tier: notebooks run under papermill on the mini fixture case
	$(BIN)/python -m pytest -q -m notebook

test-e2e: setup ## Tier: real builds (HTML and PDF), inspected in Python, kills and Ctrl-C included
	$(BIN)/python -m pytest -q -m e2e

test-tools: setup check-tools ## Tier: built outputs checked by Chromium and axe-core, vnu, PDFBox, poppler, qpdf
	$(BIN)/python -m pytest -q -m tools

lab: setup ## Open JupyterLab on notebooks/ with the project's environment
	$(BIN)/pip install -q -e '.[lab]'
	$(BIN)/jupyter lab notebooks/

lint: setup ## ruff on src and tests
	$(BIN)/ruff check src tests benchmarks

clean: ## Remove generated reports (keeps the virtual environment)
	find reports -mindepth 1 ! -name .gitkeep ! -name README.md -exec rm -rf {} +
