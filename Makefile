# Two commands do all set-up on a fresh machine (Python 3.11 and Debian's chromium + poppler-utils assumed):
#   make site   - install coursekit (what the site, PDFs and SCORM need) and build the sample course site into site/
#   make test   - add the test tools and run the whole test suite
# Both install exactly the versions in requirements.lock; `make lock` refreshes it from pyproject.toml.
PYTHON ?= python3
VENV := .venv
LOCK := requirements.lock
INSTALL := $(VENV)/bin/pip install --quiet --constraint $(LOCK)
SITE_STAMP := $(VENV)/.site-installed
TEST_STAMP := $(VENV)/.test-installed

.PHONY: site test bench lock clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(SITE_STAMP): $(VENV)/bin/python pyproject.toml $(LOCK) tooling/quiet_theme_notice.py
	$(INSTALL) --editable .
	$(VENV)/bin/python tooling/quiet_theme_notice.py
	$(VENV)/bin/python -m compileall -q tooling/coursekit > /dev/null  # an editable install is not compiled by pip
	touch $@

$(TEST_STAMP): $(SITE_STAMP)
	$(INSTALL) --editable '.[test]'
	touch $@

site: $(SITE_STAMP)
	$(VENV)/bin/course build .

test: $(TEST_STAMP)
	$(VENV)/bin/python -m pytest

bench: $(TEST_STAMP)
	$(VENV)/bin/python tooling/bench/run.py $(BENCH_ARGS)

# Pin every package (the test tools and every transitive dependency included) to the newest versions that
# pyproject.toml's ranges allow. pip-tools runs in a throw-away environment of its own.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet pip-tools
	.lock-venv/bin/pip-compile --quiet --upgrade --extra test --strip-extras --allow-unsafe \
		--no-emit-index-url --no-emit-find-links --output-file $(LOCK) pyproject.toml
	rm -rf .lock-venv

clean:
	rm -rf site $(VENV) .lock-venv bench-results
