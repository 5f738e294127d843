# Toolbox: `make run` serves http://127.0.0.1:8000, `make test` runs every test.
# Python 3.11.5 or newer (docs/decisions.md says why; Debian 12's own python3, 3.11.2, is older).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet
VENDOR := static/vendor
# Brotli and gzip copies of static/ made at build time (python -m toolbox.web.assets); the app
# checks each against its source at start. Our own files are recompressed when one changes.
PRECOMPRESSED := build/static
STATIC_SOURCES := $(shell find static -type f ! -path 'static/vendor/*' ! -name '.*' 2>/dev/null)
LIGHTHOUSE := bench/lighthouse

# pytest runs in parallel (pytest-xdist); PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= auto
PYTEST_XDIST := $(if $(filter 0,$(PYTEST_WORKERS)),-p no:xdist,-n $(PYTEST_WORKERS) --dist loadgroup)
# Markdown files whose tables are generated from the code by cog (docs/cogtables.py).
COG_FILES := docs/configuration.md docs/cli.md docs/jwt.md docs/headers.md
COG := $(BIN)/cog -I docs

.PHONY: run test test-fast lint docs vendor audit lock clean lighthouse screenshots

run: $(VENV)/.main $(PRECOMPRESSED)/.built
	$(BIN)/toolbox serve

test: $(VENV)/.test $(PRECOMPRESSED)/.built lint
	$(BIN)/python -m pytest $(PYTEST_XDIST) $(PYTEST_ARGS)

# Unit and web tests only (no Chromium, no redis-server).
test-fast: $(VENV)/.test $(PRECOMPRESSED)/.built
	$(BIN)/python -m pytest $(PYTEST_XDIST) -m "not browser and not server" $(PYTEST_ARGS)

# ruff, mypy, the import contracts (.importlinter), and docs/ tables that must match the code.
lint: $(VENV)/.test
	$(BIN)/ruff check toolbox tests bench docs wsgi.py
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(COG) --check --diff --verbosity=1 --check-fail-msg="run 'make docs' to regenerate them" $(COG_FILES)

# Regenerate the tables in docs/ (settings, CLI commands, finding ids) from the code.
docs: $(VENV)/.test
	$(COG) -r $(COG_FILES)

# The floor (also requires-python in pyproject.toml), checked before anything is installed.
$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11, 5))' 2>/dev/null || { \
	  echo "toolbox needs Python 3.11.5 or newer; PYTHON=$(PYTHON) is: $$($(PYTHON) -V 2>/dev/null || echo not found)." >&2; \
	  echo "(Older 3.11 releases mis-match regular expressions the JSON tool relies on, see docs/decisions.md.)" >&2; \
	  echo "Install one (pyenv install 3.11, uv python install 3.11) and run: make PYTHON=/path/to/python3 run," >&2; \
	  echo "or use Docker: docker compose up --build" >&2; \
	  exit 1; }
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

# Compression happens here (and in the Dockerfile), never per request: brotli 11 and gzip 9.
$(PRECOMPRESSED)/.built: $(VENDOR)/.built $(STATIC_SOURCES) toolbox/web/assets.py | $(VENV)/.main
	$(BIN)/python -m toolbox.web.assets
	touch $@

vendor: $(VENDOR)/.built $(PRECOMPRESSED)/.built

# Supply-chain checks (run by .ci/run; docs/development.md, "Supply chain"): known
# vulnerabilities of the locked dependencies, bandit over toolbox/, and the licences of what ships.
# pip-audit, bandit and pip-licenses live in their own venv so their dependencies never mix with
# the app's locked ones. A found vulnerability fails; a package the vulnerability service does not
# know is listed as skipped (some networks reach only the package index, not PyPI's JSON API or
# npm's audit API). bandit reports every severity and confidence; each finding is fixed or carries
# `# nosec BXXX` with its reason on its line (bandit's "nosec encountered, but no failed test"
# warnings, which it prints for every other node on such a line, are left out).
AUDIT := .venv-audit
# Exactly requirements/main.lock (hash-checked, no dependency resolution, not the project): the
# distributions whose metadata the licence check reads.
AUDIT_SHIPPED := $(AUDIT)/shipped

$(AUDIT_SHIPPED)/.installed: requirements/main.lock
	rm -rf $(AUDIT_SHIPPED)
	$(PYTHON) -m venv $(AUDIT_SHIPPED)
	$(AUDIT_SHIPPED)/bin/python -m pip --disable-pip-version-check --quiet install --require-hashes --no-deps -r requirements/main.lock
	touch $@

audit: $(VENDOR)/.built $(AUDIT_SHIPPED)/.installed
	$(PYTHON) -m venv $(AUDIT)
	$(AUDIT)/bin/python -m pip --disable-pip-version-check --quiet install --require-hashes -r requirements/audit.lock
	$(AUDIT)/bin/pip-audit --require-hashes --disable-pip -r requirements/main.lock
	$(AUDIT)/bin/pip-audit --require-hashes --disable-pip -r requirements/test.lock
	@out=$$(npm audit --audit-level=low 2>&1); rc=$$?; echo "$$out"; \
	if echo "$$out" | grep -q "audit endpoint returned an error"; then \
	  echo "npm audit: the registry's audit endpoint is not reachable from this network"; \
	else exit $$rc; fi
	@echo "bandit -c .ci/bandit.toml -r toolbox (every severity and confidence)"
	@$(AUDIT)/bin/bandit -c .ci/bandit.toml -r toolbox -q --severity-level low --confidence-level low \
	  2>$(AUDIT)/bandit.log; rc=$$?; grep -v "nosec encountered" $(AUDIT)/bandit.log >&2; \
	if [ $$rc -eq 0 ]; then echo "bandit: no finding without a justified # nosec"; fi; exit $$rc
	$(AUDIT)/bin/pip-licenses --python $(AUDIT_SHIPPED)/bin/python --from=all --format=json \
	  --output-file $(AUDIT)/licences.json >/dev/null
	$(AUDIT)/bin/python tools/licence_check.py $(AUDIT)/licences.json requirements/main.lock package-lock.json

# Regenerate the lock files after changing dependencies in pyproject.toml (pip-compile resolves
# for the interpreter it runs in: .venv's, at or above the floor).
COMPILE := ../$(BIN)/pip-compile -q --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links
lock: | $(VENV)/bin/python
	$(PIP) install pip-tools
	cd requirements && $(COMPILE) -o main.lock ../pyproject.toml
	cd requirements && $(COMPILE) --extra test -o test.lock ../pyproject.toml
	cd requirements && $(COMPILE) -o audit.lock audit.in
	npm install --package-lock-only --ignore-scripts --no-audit --no-fund
	cd $(LIGHTHOUSE) && npm install --package-lock-only --ignore-scripts --no-audit --no-fund

clean:
	rm -rf $(VENV) .venv-audit node_modules $(VENDOR) $(PRECOMPRESSED) $(LIGHTHOUSE)/node_modules \
	  .pytest_cache .mypy_cache .ruff_cache

# docs/design.md §5 budget: API decode ≥ 0.7 × /healthz req/s (real server, wrk; ~90 s, see bench/README.md).
bench: $(VENV)/.test $(PRECOMPRESSED)/.built
	$(BIN)/python bench/http_decode.py

# docs/design.md §5 budget: validate the 5 MB document ≤ 250 ms valid / ≤ 500 ms invalid (~30 s, see bench/json_validate.py).
bench-json-validate: $(VENV)/.test
	$(BIN)/python bench/json_validate.py

# docs/design.md §5 budget: pretty-print the 5 MB document ≤ 2 × orjson loads+dumps (same run), faster than `jq .`.
.PHONY: bench-json
bench-json: $(VENV)/.test
	$(BIN)/python bench/json_format.py

# docs/design.md §5 budgets in the browser: JWT paste -> verdict <= 100 ms; 5 MB JSON paste ->
# first screen <= 1 s with JavaScript, <= 5 s without (Chromium).
.PHONY: bench-paint
bench-paint: $(VENV)/.test $(PRECOMPRESSED)/.built
	$(BIN)/python bench/jwt_paint.py
	$(BIN)/python bench/json_paint.py

# Load, soak and hostile URL checks through nginx/TLS -> 2 × toolbox serve -> Redis (wrk; ~25 minutes, see bench/README.md).
.PHONY: bench-load
bench-load: $(VENV)/.test $(PRECOMPRESSED)/.built
	$(BIN)/python bench/load.py

# docs/design.md §5 budget: Lighthouse >= 95 performance, 100 accessibility, best practices and
# SEO on every tool page (Debian's Chromium; a real `toolbox serve` on a free loopback port; ~2
# minutes). Lighthouse has its own exactly pinned package.json and lock; never part of make test.
$(LIGHTHOUSE)/node_modules/.package-lock.json: $(LIGHTHOUSE)/package.json $(LIGHTHOUSE)/package-lock.json
	cd $(LIGHTHOUSE) && npm ci --ignore-scripts --no-audit --no-fund
	touch $@

lighthouse: $(VENV)/.main $(PRECOMPRESSED)/.built $(LIGHTHOUSE)/node_modules/.package-lock.json
	$(BIN)/python $(LIGHTHOUSE)/run.py $(LIGHTHOUSE_ARGS)

# Each tool with a result at 390 and 1280 px, light and dark, into docs/screenshots/ (Chromium).
screenshots: $(VENV)/.test $(PRECOMPRESSED)/.built
	$(BIN)/python docs/screenshots/shoot.py
