# Two commands do all set-up on a fresh machine (Python 3.11 and Debian's chromium + poppler-utils assumed):
#   make site   - build the sample course site into site/
#   make test   - run the whole test suite
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: site test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $(STAMP)

site: $(STAMP)
	$(VENV)/bin/course build .

test: $(STAMP)
	$(VENV)/bin/python -m pytest

bench: $(STAMP)
	$(VENV)/bin/python tooling/bench/run.py $(BENCH_ARGS)

clean:
	rm -rf site $(VENV) bench-results
