# `make run`: set everything up and start the demo Zope on 127.0.0.1:8080.
# `make test`: set everything up and run the whole test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTANCE := var/instance

.PHONY: run test browser clean

# Zope finds products by listing the folders of the Products namespace;
# an editable install hides this checkout behind an import hook, so a .pth
# file puts the checkout itself on the path too.
$(BIN)/.installed: setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/python -c "import site; print('$(CURDIR)', \
	  file=open(site.getsitepackages()[0] + '/refreshmanager-checkout.pth', 'w'))"
	touch $@

# Debian's Chromium for the browser test (Playwright drives it).
browser:
	@command -v chromium >/dev/null || { \
	  echo 'Installing Debian chromium for the browser test'; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	  apt-get install -y -qq chromium >/dev/null; }

run: $(BIN)/.installed
	$(BIN)/python demo/setup_instance.py $(INSTANCE)
	PYTHONPATH=$(CURDIR)/demo exec $(BIN)/runwsgi -d $(INSTANCE)/etc/zope.ini

test: $(BIN)/.installed browser
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) var
