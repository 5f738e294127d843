# Toolbox image: `docker compose up --build` (compose.yaml) or
#   docker build -t toolbox . && docker run --rm -p 127.0.0.1:8000:8000 toolbox
#
# Three stages, so the final image holds no compiler, no npm and no Node.js:
#   1. assets  npm ci from package-lock.json, copy htmx into static/vendor (as `make vendor`)
#   2. build   hash-checked Python dependencies into /opt/venv, the app at /app, and the
#              brotli/gzip copies of static/ in /app/build/static (as `make run`)
#   3. final   /opt/venv and /app on a clean Python image, run as uid 10001

# Builder and final stage must use the same Python image: the venv links to its interpreter.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm
ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS assets
WORKDIR /build
COPY package.json package-lock.json ./
# --ignore-scripts: no install-time code from the registry runs here.
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && mkdir -p static/vendor \
 && cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js

# ---------------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_NO_INPUT=1
RUN python -m venv /opt/venv

# Dependencies first (their own layer, rebuilt only when the lock changes). Every file is
# checked against the lock's hashes; --only-binary: nothing is compiled, and this stage has
# no compiler to compile with.
COPY requirements/main.lock /tmp/main.lock
RUN /opt/venv/bin/pip install --require-hashes --only-binary=:all: -r /tmp/main.lock

# The app keeps its source layout: toolbox/__init__.py finds templates/ and static/ next to
# the package (ROOT = /app). An editable install (as in the Makefile) puts the `toolbox`
# command in /opt/venv/bin and imports the package from /app/toolbox.
WORKDIR /app
COPY pyproject.toml README.md wsgi.py ./
COPY toolbox/ toolbox/
COPY templates/ templates/
COPY static/ static/
COPY --from=assets /build/static/vendor/ static/vendor/
# Static files are compressed here, once (brotli 11, gzip 9), never per request; the app checks
# every copy against its source when it starts (docs/decisions.md, "Static files").
RUN /opt/venv/bin/pip install --no-deps --editable . \
 && /opt/venv/bin/python -m compileall -q --invalidation-mode checked-hash /app/toolbox \
 && /opt/venv/bin/python -m toolbox.web.assets

# ---------------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS final
LABEL org.opencontainers.image.title="toolbox" \
      org.opencontainers.image.description="Self-hosted, hardened developer toolbox: JWT, JSON and security-header tools." \
      org.opencontainers.image.licenses="MIT"

# A fixed numeric uid/gid, so orchestrators can check runAsNonRoot and volumes can be granted.
RUN groupadd --system --gid 10001 toolbox \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin toolbox

# Owned by root and only readable by the app user: the running process cannot change its code.
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    TOOLBOX_HOST=0.0.0.0 \
    TOOLBOX_PORT=8000
WORKDIR /app
USER 10001:10001
EXPOSE 8000

# No curl in the image: Python asks /healthz (liveness, not rate limited). The proxy handler
# is emptied so an http_proxy variable in the environment cannot redirect the check.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; u.build_opener(u.ProxyHandler({})).open('http://127.0.0.1:' + os.environ.get('TOOLBOX_PORT', '8000') + '/healthz', timeout=4)"]

# gunicorn (gthread) with the limits in toolbox/serve.py; SIGTERM stops it gracefully.
CMD ["toolbox", "serve"]
