"""Structured JSON logs: one line per request plus security events; never bodies or secrets."""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, current_app, g, has_app_context, request

from toolbox.config import Settings

log = logging.getLogger("toolbox")
REQUEST_ID_HEADER = "X-Request-ID"


class JsonFormatter(logging.Formatter):
    """Render a record as one JSON object; structured fields come from `extra={"fields": ...}`."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "pid": record.process,  # which worker: gunicorn runs several
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update(fields)
        else:
            entry["message"] = record.getMessage()
        if record.exc_info and record.exc_info[0] is not None:
            # Exception *messages* can quote user input (int('SECRET') says 'SECRET'), so only
            # the type and the code locations are logged, never str(exception).
            import traceback

            entry["exception"] = record.exc_info[0].__name__
            entry["where"] = [
                f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}:{frame.name}"
                for frame in traceback.extract_tb(record.exc_info[2])[-5:]
            ]
        return json.dumps(entry, ensure_ascii=False, default=str)


class _StderrJsonHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The one stderr handler; a distinct class so configuring twice never adds a second."""


class StorageStateFilter(logging.Filter):
    """Let flask-limiter's "storage unreachable" and "recovered" lines through once per change.

    flask-limiter marks its storage dead after checking that it was alive, without a lock, so
    several threads of a worker that fail at the same moment each log the fallback. One line
    per worker and per transition is what an operator needs (docs/deployment.md, Readiness).
    The state is kept per app (flask-limiter logs inside the request's app context).
    """

    STATES = {"Rate limit storage unreachable": "down", "Rate limit storage recovered": "up"}
    _lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        state = next((s for prefix, s in self.STATES.items() if message.startswith(prefix)), None)
        if state is None or not has_app_context():
            return True
        extensions = current_app.extensions
        with self._lock:
            changed = bool(extensions.get("toolbox.storage_state", "up") != state)
            extensions["toolbox.storage_state"] = state
        return changed


def configure_logging(level: str) -> None:
    """Send the toolbox and flask-limiter loggers to stderr as JSON lines (idempotent)."""
    for name in ("toolbox", "flask-limiter"):
        logger = logging.getLogger(name)
        if not any(isinstance(h, _StderrJsonHandler) for h in logger.handlers):
            handler = _StderrJsonHandler(sys.stderr)
            handler.setFormatter(JsonFormatter())
            logger.addHandler(handler)
            if name == "flask-limiter":
                logger.addFilter(StorageStateFilter())
        logger.setLevel(level)
        logger.propagate = False


def init_app(app: Flask, settings: Settings) -> None:
    """Time every request, give it an id, and write one JSON line when it ends."""
    configure_logging(settings.log_level)
    app.before_request(_start)
    app.after_request(_finish)


def _start() -> None:
    g.request_id = uuid.uuid4().hex[:16]
    g.started = time.perf_counter()


def _finish(response: Response) -> Response:
    started = g.get("started", time.perf_counter())
    response.headers[REQUEST_ID_HEADER] = g.get("request_id", "-")
    log.info(
        "request",
        extra={
            "fields": {
                "event": "request",
                "request_id": g.get("request_id"),
                "method": request.method,
                # The route pattern, never the path or query string: those can carry input.
                "route": request.url_rule.rule if request.url_rule else None,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                "client": request.remote_addr,
            }
        },
    )
    return response


def security_event(kind: str, **details: Any) -> None:
    """Log a security event (refusal, rate-limit hit, auth failure) as its own JSON line."""
    fields: dict[str, Any] = {
        "event": "security",
        "kind": kind,
        "request_id": g.get("request_id"),
        "client": request.remote_addr,
        "method": request.method,
        "route": request.url_rule.rule if request.url_rule else None,
    }
    fields.update({k: _clip(v) for k, v in details.items()})
    log.warning("security", extra={"fields": fields})


def _clip(value: Any) -> Any:
    """Bound the size of header-derived values written to the log."""
    if isinstance(value, str):
        return value[:120].encode("ascii", "backslashreplace").decode()
    return value
