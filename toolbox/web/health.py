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
def readyz() -> Response:
    """Readiness: the app can serve; the body says whether the rate-limit storage answers.

    An unreachable Redis leaves the app ready ("degraded"): requests are then counted in
    memory per worker and every page and API call still works. Answering 503 would take every
    instance out of its load balancer at once, turning a Redis outage into a Toolbox outage
    (docs/deployment.md, "Readiness").
    """
    ok = storage_ok()
    return jsonify(status="ok" if ok else "degraded",
                   checks={"ratelimit_storage": "ok" if ok else "unreachable"})
