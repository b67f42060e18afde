# Two commands do all setup on a fresh machine with Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml package-lock.json | sha1sum | cut -c1-12)

.PHONY: run test bench permissions

# `make run UP=` runs it without the demo data.
UP ?= --demo

run: $(STAMP)  ## The whole system, with the demo data loaded once (Ctrl-C stops it all).
	$(VENV)/bin/assured up $(UP)

test: $(STAMP)  ## The whole suite: domain in memory, persistence on a real PostgreSQL, pages in Chromium.
	test -x /usr/bin/chromium || (apt-get update && apt-get install -y chromium)  # Debian's, for tests/web
	$(VENV)/bin/pytest

permissions: $(STAMP)  ## The README's permissions table, regenerated from the policy.
	$(VENV)/bin/assured permissions --readme README.md

bench: $(STAMP)  ## Benchmarks print their figures.
	$(VENV)/bin/python bench/aggregate.py
	$(VENV)/bin/python bench/append.py
	$(VENV)/bin/python bench/projection_catchup.py
	$(VENV)/bin/python bench/case_authorisation.py
	command -v wrk >/dev/null || apt-get install -y wrk  # the load generator (Debian)
	$(VENV)/bin/python bench/api_load.py
	$(VENV)/bin/python bench/web_pages.py
	$(VENV)/bin/python bench/history_at.py
	$(VENV)/bin/python bench/rebuild.py
	$(VENV)/bin/python bench/workflows_at_scale.py
	$(VENV)/bin/python bench/soak.py --minutes 10

$(STAMP): pyproject.toml package-lock.json
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11+ is needed")'
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e ".[test]"
	npm ci --no-audit --no-fund  # GOV.UK Frontend, htmx, axe-core (package-lock.json)
	rm -f $(VENV)/.installed-*
	touch $@
