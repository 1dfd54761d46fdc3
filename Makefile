# Claimpath: `make run` serves the app, `make test` runs the whole suite.
# Both install whatever is missing first: Debian packages, a .venv, the project.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
STAMP  := $(VENV)/.installed

# Debian packages the project needs, as "command:package" pairs: a package is
# installed only when its command is missing. PostgreSQL is for the tests that
# prove the app works on it as well as on SQLite.
SYSTEM_DEPS := dot:graphviz chromium:chromium pg_ctlcluster:postgresql

.PHONY: run test lint bench system-deps install clean

run: install
	$(BIN)/flask --app app db upgrade
	$(BIN)/flask --app app seed-demo
	@echo "Claimpath is at http://127.0.0.1:$(PORT) (Ctrl-C stops it)"
	$(BIN)/waitress-serve --listen=127.0.0.1:$(PORT) --threads=8 --call app:create_app

test: install
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q
	@echo "The web app's tests again, on PostgreSQL:"
	.ci/with-postgres $(BIN)/python -m pytest -q -p no:cacheprovider tests/app

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: install
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/web.py

install: system-deps $(STAMP)

system-deps:
	@missing=""; \
	for pair in $(SYSTEM_DEPS); do \
	  cmd=$${pair%%:*}; pkg=$${pair##*:}; \
	  command -v $$cmd >/dev/null 2>&1 || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache .hypothesis
