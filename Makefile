# Two commands do all setup on a fresh machine with Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

.PHONY: run test bench

run: $(STAMP)  ## Run the demo on the embedded PostgreSQL (data under var/).
	$(VENV)/bin/assured demo

test: $(STAMP)  ## The whole suite: domain in memory, persistence on a real PostgreSQL.
	$(VENV)/bin/pytest

bench: $(STAMP)  ## Benchmarks print their figures.
	$(VENV)/bin/python bench/aggregate.py

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11+ is needed")'
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $@
