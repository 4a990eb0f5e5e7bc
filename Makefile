# `make run`: set everything up and start the demo Zope on 127.0.0.1:$(PORT).
# `make run-cluster`: a ZEO server on 127.0.0.1:$(ZEO_PORT) and two demo
#              Zopes on it, on $(PORT_A) and $(PORT_B); Ctrl+C stops all.
# `make test`: set everything up and run the whole test suite on what users
#              install: the wheel, and an editable install of the checkout.
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
# built from the sdist, installed into an environment of its own.
DIST := var/dist
WHEEL_VENV := var/wheel-venv
INSTANCE := var/instance
# Plone 6.2, pinned by plone/constraints.txt, installed once and reused;
# the wheel is installed into it again for each run.
PLONE_VENV := var/plone-venv

.PHONY: run run-cluster wheel test test-wheel test-editable test-plone \
	test-dev screenshot browser clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Debian's Chromium for the browser test (Playwright drives it).
browser:
	@command -v chromium >/dev/null || { \
	  echo 'Installing Debian chromium for the browser test'; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	  apt-get install -y -qq chromium >/dev/null; }

run: $(BIN)/.installed
	$(BIN)/python demo/setup_instance.py $(INSTANCE) $(PORT)
	PYTHONPATH=$(CURDIR)/demo exec $(BIN)/runwsgi -d $(INSTANCE)/etc/zope.ini

run-cluster: $(BIN)/.installed
	exec $(BIN)/python demo/run_cluster.py var/cluster \
	  --zeo-port $(ZEO_PORT) --ports $(PORT_A) $(PORT_B)

# The sdist and the wheel built from it, as `python -m build` makes them
# for PyPI; the wheel replaces the previous one in the wheel environment.
wheel: $(BIN)/.installed
	rm -rf $(DIST)
	mkdir -p $(DIST)
	$(BIN)/python -m build --outdir $(DIST) . >$(DIST).log 2>&1 \
	  || { cat $(DIST).log; exit 1; }
	test -d $(WHEEL_VENV) || $(PYTHON) -m venv $(WHEEL_VENV)
	$(WHEEL_VENV)/bin/pip install --quiet --upgrade pip
	$(WHEEL_VENV)/bin/pip install --quiet "$$(ls $(DIST)/*.whl)[test]"
	$(WHEEL_VENV)/bin/pip install --quiet --force-reinstall --no-deps \
	  $(DIST)/*.whl

# The whole suite on the installed wheel: what CI trusts.
test-wheel: wheel browser
	REFRESHMANAGER_INSTALLED=wheel $(WHEEL_VENV)/bin/python -m pytest

# The installation tests again on the editable install of the checkout.
test-editable: $(BIN)/.installed
	REFRESHMANAGER_INSTALLED=editable $(BIN)/python -m pytest -m installation

# A real Plone site: tests_plone/ (about a minute the first time, to
# install Plone; seconds after that), with the wheel users install.
$(PLONE_VENV)/.installed: plone/constraints.txt pyproject.toml
	test -d $(PLONE_VENV) || $(PYTHON) -m venv $(PLONE_VENV)
	$(PLONE_VENV)/bin/pip install --quiet --upgrade pip
	$(PLONE_VENV)/bin/pip install --quiet -c plone/constraints.txt \
	  Plone plone.reload pytest WebTest 'Zope[wsgi]' watchfiles
	touch $@

test-plone: wheel $(PLONE_VENV)/.installed
	$(PLONE_VENV)/bin/pip install --quiet --force-reinstall --no-deps \
	  $(DIST)/*.whl
	REFRESHMANAGER_INSTALLED=wheel $(PLONE_VENV)/bin/python -m pytest \
	  tests_plone

test: test-wheel test-editable test-plone

# The fast loop while developing: the whole suite on the checkout.
test-dev: $(BIN)/.installed browser
	$(BIN)/python -m pytest

# Update the README's screenshot of the Refresh tab.
screenshot: $(BIN)/.installed browser
	REFRESHMANAGER_SCREENSHOT=$(CURDIR)/docs/refresh-tab.png \
	  $(BIN)/python -m pytest tests/test_browser.py

clean:
	rm -rf $(VENV) var
