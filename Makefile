# Toolbox: `make run` serves http://127.0.0.1:8000, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet
VENDOR := static/vendor

.PHONY: run test test-fast lint vendor audit lock clean

run: $(VENV)/.main $(VENDOR)/.built
	$(BIN)/toolbox serve

test: $(VENV)/.test $(VENDOR)/.built lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Unit and web tests only (no Chromium, no redis-server).
test-fast: $(VENV)/.test $(VENDOR)/.built
	$(BIN)/python -m pytest -m "not browser and not server" $(PYTEST_ARGS)

lint: $(VENV)/.test
	$(BIN)/ruff check toolbox tests bench wsgi.py
	$(BIN)/mypy

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Locked, hash-checked dependencies, then the project itself (editable, no dependencies).
$(VENV)/.main: requirements/main.lock pyproject.toml | $(VENV)/bin/python
	$(PIP) install --require-hashes -r requirements/main.lock
	$(PIP) install --no-deps -e .
	touch $@

$(VENV)/.test: requirements/test.lock $(VENV)/.main
	$(PIP) install --require-hashes -r requirements/test.lock
	touch $@

# Front-end assets come from npm (package-lock.json), copied into static/vendor/.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

$(VENDOR)/.built: node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	touch $@

vendor: $(VENDOR)/.built

# Known-vulnerability checks of the locked dependencies (run by .ci/run).
# pip-audit lives in its own venv so its dependencies never mix with the app's locked ones.
# A found vulnerability fails; a package the vulnerability service does not know is listed as
# skipped (some networks reach only the package index, not PyPI's JSON API or npm's audit API).
audit: $(VENDOR)/.built
	$(PYTHON) -m venv .venv-audit
	.venv-audit/bin/python -m pip --disable-pip-version-check --quiet install --require-hashes -r requirements/audit.lock
	.venv-audit/bin/pip-audit --require-hashes --disable-pip -r requirements/main.lock
	.venv-audit/bin/pip-audit --require-hashes --disable-pip -r requirements/test.lock
	@out=$$(npm audit --audit-level=low 2>&1); rc=$$?; echo "$$out"; \
	if echo "$$out" | grep -q "audit endpoint returned an error"; then \
	  echo "npm audit: the registry's audit endpoint is not reachable from this network"; \
	else exit $$rc; fi

# Regenerate the lock files after changing dependencies in pyproject.toml.
lock:
	$(PIP) install pip-tools
	cd requirements && ../$(BIN)/pip-compile -q --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links -o main.lock ../pyproject.toml
	cd requirements && ../$(BIN)/pip-compile -q --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links --extra test -o test.lock ../pyproject.toml
	cd requirements && ../$(BIN)/pip-compile -q --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links -o audit.lock audit.in
	npm install --package-lock-only --ignore-scripts --no-audit --no-fund

clean:
	rm -rf $(VENV) .venv-audit node_modules $(VENDOR) .pytest_cache .mypy_cache .ruff_cache

# DESIGN.md §5 budget: API decode ≥ 0.7 × /healthz req/s (real server, wrk; ~90 s, see bench/README.md).
bench: $(VENV)/.test $(VENDOR)/.built
	$(BIN)/python bench/http_decode.py

# DESIGN.md §5 budget: validate the 5 MB document ≤ 250 ms valid / ≤ 500 ms invalid (~30 s, see bench/json_validate.py).
bench-json-validate: $(VENV)/.test
	$(BIN)/python bench/json_validate.py

# DESIGN.md §5 budget: pretty-print the 5 MB document ≤ 2 × orjson loads+dumps (same run), faster than `jq .`.
.PHONY: bench-json
bench-json: $(VENV)/.test
	$(BIN)/python bench/json_format.py
