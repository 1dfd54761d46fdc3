# Claimpath: `make run` serves the app, `make test` runs the whole suite.
# Both install whatever is missing first: Debian packages, a .venv, the project.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
STAMP  := $(VENV)/.installed
# make run installs only the app; make serve adds the Redis client; the tests everything.
RUN_STAMP   := $(VENV)/.installed-run
SERVE_STAMP := $(VENV)/.installed-serve
PIP_QUIET   := PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore $(BIN)/python -m pip install -q

# Debian packages the project needs, as "command:package" pairs: a package is
# installed only when its command is missing. Running needs only Graphviz;
# Chromium (browser tests), PostgreSQL (the tests that prove the app works
# on it as well as on SQLite) and Redis (the shared-store tests) are for the tests.
RUN_DEPS    := dot:graphviz
TEST_DEPS   := chromium:chromium pg_ctlcluster:postgresql redis-server:redis-server
SYSTEM_DEPS := $(RUN_DEPS) $(TEST_DEPS)

# make serve: the address gunicorn binds (0.0.0.0 behind a proxy on another machine),
# its worker processes (one a core: the work is CPU-bound, and each worker analyses and
# caches every new revision itself; bench/load.py measured 81 req/s with 4 workers and
# 99 with 2 on 2 cores) and threads per worker.
HOST            ?= 127.0.0.1
WEB_CONCURRENCY ?= $(shell nproc 2>/dev/null || echo 2)
THREADS         ?= 4

.PHONY: run serve test lint bench system-deps run-deps install clean

run: run-deps $(RUN_STAMP)
	@$(BIN)/flask --app app db upgrade >$(VENV)/upgrade.log 2>&1 || { cat $(VENV)/upgrade.log; exit 1; }
	@$(BIN)/flask --app app seed-demo >$(VENV)/seed.log || { cat $(VENV)/seed.log; exit 1; }
	@echo ""
	@echo "  Claimpath is at http://127.0.0.1:$(PORT)  (Ctrl-C stops it)"
	@echo "  $$(tail -n 1 $(VENV)/seed.log)"
	@echo ""
	@# waitress's own "Serving on" line would come after the login: only its warnings show.
	@$(BIN)/python -c 'import logging, sys; from waitress.runner import run; \
	  logging.getLogger("waitress").setLevel(logging.WARNING); sys.exit(run(sys.argv))' \
	  --listen=127.0.0.1:$(PORT) --threads=8 --call app:create_app

# Production: migrations, then gunicorn on CLAIMPATH_DATABASE_URL (SQLite when unset),
# JSON request logs on standard error; the demo account only with CLAIMPATH_SEED_DEMO=1.
serve: run-deps $(SERVE_STAMP)
	@$(BIN)/flask --app app db upgrade >$(VENV)/upgrade.log 2>&1 || { cat $(VENV)/upgrade.log; exit 1; }
	@if [ "$${CLAIMPATH_SEED_DEMO:-0}" = "1" ]; then $(BIN)/flask --app app seed-demo; fi
	CLAIMPATH_REQUEST_LOG=$${CLAIMPATH_REQUEST_LOG:-1} $(BIN)/gunicorn \
	  --bind $(HOST):$(PORT) --workers $(WEB_CONCURRENCY) --threads $(THREADS) \
	  --timeout 60 --graceful-timeout 20 --worker-tmp-dir /dev/shm 'app:create_app()'

test: install
	$(BIN)/ruff check .
	$(BIN)/mypy journeys
	$(BIN)/python -m pytest -q
	@echo "The web app's tests again, on PostgreSQL:"
	.ci/with-postgres $(BIN)/python -m pytest -q -p no:cacheprovider tests/app

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy journeys

bench: install
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/web.py

install: system-deps $(STAMP)

run-deps:
	@$(MAKE) --no-print-directory system-deps SYSTEM_DEPS="$(RUN_DEPS)"

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
	$(BIN)/python -m pip install -qq --upgrade pip
	$(BIN)/python -m pip install -qq -e '.[test,redis]'
	touch $(STAMP)

# Only what running needs, its output kept in pip.log and shown only when it fails,
# so that the demo login stays the last thing make run prints.
$(RUN_STAMP) $(SERVE_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(PIP_QUIET) -e '.$(if $(filter $@,$(SERVE_STAMP)),[redis])' >$(VENV)/pip.log 2>&1 \
	  || { cat $(VENV)/pip.log; exit 1; }
	@touch $@

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache .hypothesis
