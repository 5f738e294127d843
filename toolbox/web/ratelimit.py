"""Rate limits with flask-limiter: per client IP (or API subject), stricter for URL fetches."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, g, request
from flask_limiter import Limiter, RequestLimit

from toolbox.config import Settings
from toolbox.web.requestlog import security_event

F = TypeVar("F", bound=Callable[..., Any])
FETCH_SCOPE = "fetch"


def fetch_limited(view: F) -> F:
    """Mark a view that fetches a URL: it gets the stricter TOOLBOX_RATELIMIT_FETCH limit."""
    view.toolbox_ratelimit = "fetch"  # type: ignore[attr-defined]
    return view


def not_limited(view: F) -> F:
    """Mark a view (health checks) that no rate limit applies to."""
    view.toolbox_ratelimit = "exempt"  # type: ignore[attr-defined]
    return view


def client_key() -> str:
    """The identity limits count against: the API subject when authenticated, else the IP."""
    subject = g.get("api_subject")
    if subject:
        return f"sub:{subject}"
    return f"ip:{request.remote_addr or 'unknown'}"


def _log_breach(limit: RequestLimit) -> None:
    security_event("rate-limited", limit=str(limit.limit))


def init_app(app: Flask, settings: Settings) -> Limiter:
    """Create the app's limiter; call after every blueprint is registered."""
    limiter = Limiter(
        key_func=client_key,
        app=None,
        default_limits=[settings.ratelimit_default],
        storage_uri=settings.ratelimit_storage,
        # Short timeouts: a hung Redis must not hang requests; it trips the fallback instead.
        storage_options={"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
        if settings.ratelimit_storage.startswith("redis")
        else {},
        strategy="fixed-window",
        in_memory_fallback_enabled=True,
        swallow_errors=True,
        headers_enabled=True,
        key_prefix="toolbox",
        on_breach=_log_breach,
    )
    limiter.init_app(app)
    app.extensions["toolbox.limiter"] = limiter
    apply_route_limits(app, settings)
    return limiter


def apply_route_limits(app: Flask, settings: Settings) -> None:
    """Give marked views their limit; call again after registering more blueprints."""
    limiter: Limiter = app.extensions["toolbox.limiter"]
    # Per app, not on the function: view functions are shared by every app in the process.
    done: set[str] = app.extensions.setdefault("toolbox.limited_endpoints", set())
    for endpoint, view in list(app.view_functions.items()):
        mark = getattr(view, "toolbox_ratelimit", None)
        if endpoint in done or mark is None:
            continue
        if mark == "fetch":
            app.view_functions[endpoint] = limiter.shared_limit(
                settings.ratelimit_fetch, scope=FETCH_SCOPE
            )(view)
        elif mark == "exempt":
            app.view_functions[endpoint] = limiter.exempt(view)
        done.add(endpoint)


def storage_ok() -> bool:
    """Whether the configured limiter storage answers right now."""
    limiter: Limiter = current_app.extensions["toolbox.limiter"]
    try:
        return bool(limiter.storage.check())
    except Exception:  # noqa: BLE001 - any storage failure means "not ready"
        return False
