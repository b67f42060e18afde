# Two commands do all setup on a fresh machine with Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

.PHONY: run test bench permissions

run: $(STAMP)  ## The demo histories, then the whole system (Ctrl-C stops it).
	$(VENV)/bin/assured demo
	$(VENV)/bin/assured up

test: $(STAMP)  ## The whole suite: domain in memory, persistence on a real PostgreSQL.
	$(VENV)/bin/pytest

permissions: $(STAMP)  ## The README's permissions table, regenerated from the policy.
	$(VENV)/bin/assured permissions --readme README.md

bench: $(STAMP)  ## Benchmarks print their figures.
	$(VENV)/bin/python bench/aggregate.py
	$(VENV)/bin/python bench/projection_catchup.py
	$(VENV)/bin/python bench/case_authorisation.py
	command -v wrk >/dev/null || apt-get install -y wrk  # the load generator (Debian)
	$(VENV)/bin/python bench/api_load.py

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11+ is needed")'
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $@
