"""Health and readiness: a blueprint of its own, exempt from rate limits and from the Host check."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from toolbox.web.ratelimit import storage_ok

health_bp = Blueprint("health", __name__)


@health_bp.get("/healthz")
def healthz() -> Response:
    """Liveness: the process answers."""
    return jsonify(status="ok")


@health_bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    """Readiness: the rate-limit storage answers (Redis when configured)."""
    ok = storage_ok()
    body = {"status": "ok" if ok else "unavailable",
            "checks": {"ratelimit_storage": "ok" if ok else "unreachable"}}
    return jsonify(body), 200 if ok else 503
