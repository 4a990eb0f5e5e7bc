# `make run`: set everything up and start the demo Zope on 127.0.0.1:$(PORT).
# `make run-cluster`: a ZEO server on 127.0.0.1:$(ZEO_PORT) and two demo
#              Zopes on it, on $(PORT_A) and $(PORT_B); Ctrl+C stops all.
# `make test`: set everything up and run the whole test suite on what users
#              install: the wheel, built once, in one environment per
#              supported CPython found here (3.10 to 3.14, var/py3XY; the
#              Plone tests on $(PLONE_VERSIONS) too), then an editable install
#              of the checkout; it ends with a table of the versions that
#              ran, their results and times, and those not found. In CI
#              (CI=true) a version of $(CI_REQUIRE) not found fails it.
#              Then the docs are built, warnings as errors (`make docs`).
# `make test-wheel`, `make test-plone`: the suite, or the Plone tests, on
#              the wheel with the default $(PYTHON)'s version only.
PYTHON ?= python3
PORT ?= 8080
ZEO_PORT ?= 8100
PORT_A ?= $(PORT)
PORT_B ?= 8081
# The developer's environment: an editable install of the checkout (src
# layout, so setuptools writes a plain .pth file that Zope can see).
VENV := .venv
BIN := $(VENV)/bin
# What users get from `pip install Products.RefreshManager`: the wheel,
# built from the sdist; tools/matrix.py installs it into an environment
# per Python version (and Plone 6.2, pinned by plone/constraints.txt,
# into var/plone-py3XY: installed once and reused).
DIST := var/dist
INSTANCE := var/instance
PLONE_VERSIONS ?= 3.11,3.13
CI_REQUIRE := 3.11,3.13,3.14
REQUIRE ?= $(if $(filter true 1,$(CI)),$(CI_REQUIRE))
MATRIX = $(PYTHON) tools/matrix.py --wheel $(DIST)/*.whl
# The default $(PYTHON)'s X.Y, for the one-version targets.
PY_VERSION = $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])')

.PHONY: run run-cluster wheel test test-matrix test-wheel test-editable \
	test-plone test-dev screenshot browser docs clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Debian's Chromium for the browser test (Playwright drives it): installed
# where this runs as root with apt-get; elsewhere the test is skipped and
# says why (in CI, CI=true, it fails instead).
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo 'Installing Debian chromium for the browser test'; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo 'No chromium, and no root with apt-get to install it: the' \
	      'browser test will be skipped'; \
	  fi; }

run: $(BIN)/.installed
	$(BIN)/python demo/setup_instance.py $(INSTANCE) $(PORT)
	PYTHONPATH=$(CURDIR)/demo exec $(BIN)/runwsgi -d $(INSTANCE)/etc/zope.ini

run-cluster: $(BIN)/.installed
	exec $(BIN)/python demo/run_cluster.py var/cluster \
	  --zeo-port $(ZEO_PORT) --ports $(PORT_A) $(PORT_B)

# The sdist and the wheel built from it, as `python -m build` makes them
# for PyPI.
wheel: $(BIN)/.installed
	rm -rf $(DIST)
	mkdir -p $(DIST)
	$(BIN)/python -m build --outdir $(DIST) . >$(DIST).log 2>&1 \
	  || { cat $(DIST).log; exit 1; }

# The whole suite on the installed wheel, on every supported Python found
# (and the Plone tests on $(PLONE_VERSIONS)): what CI trusts.
test-matrix: wheel browser
	$(MATRIX) --plone $(PLONE_VERSIONS) $(if $(REQUIRE),--require $(REQUIRE))

# The whole suite on the installed wheel, on the default Python's version.
test-wheel: wheel browser
	$(MATRIX) --versions $(PY_VERSION)

# The installation tests again on the editable install of the checkout.
test-editable: $(BIN)/.installed
	REFRESHMANAGER_INSTALLED=editable $(BIN)/python -m pytest -m installation

# A real Plone site: tests_plone/ (minutes the first time, to install
# Plone; seconds after that), with the wheel users install, on the
# default Python's version.
test-plone: wheel
	$(MATRIX) --versions '' --plone $(PY_VERSION)

test: test-matrix test-editable docs

# The docs (docs/, Sphinx with MyST Markdown, as docs.plone.org writes
# them), built with warnings as errors: a broken link or reference fails.
DOCS_VENV := var/docs-venv
$(DOCS_VENV)/.installed: docs/requirements.txt
	test -d $(DOCS_VENV) || $(PYTHON) -m venv $(DOCS_VENV)
	$(DOCS_VENV)/bin/pip install --quiet --upgrade pip
	$(DOCS_VENV)/bin/pip install --quiet -r docs/requirements.txt
	touch $@

docs: $(DOCS_VENV)/.installed
	$(DOCS_VENV)/bin/sphinx-build -W --keep-going -q -b html docs var/docs-html
	@echo 'docs: built without warnings in var/docs-html'

# The fast loop while developing: the whole suite on the checkout.
test-dev: $(BIN)/.installed browser
	$(BIN)/python -m pytest

# Update the README's screenshot of the Refresh tab.
screenshot: $(BIN)/.installed browser
	REFRESHMANAGER_SCREENSHOT=$(CURDIR)/docs/refresh-tab.png \
	  $(BIN)/python -m pytest tests/processes/test_browser.py

clean:
	rm -rf $(VENV) var
