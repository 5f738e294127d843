"""Run the app under gunicorn (gthread workers) with hardened limits."""

from __future__ import annotations

import logging
from typing import Any

from gunicorn.app.base import BaseApplication  # type: ignore[import-untyped]

from toolbox.config import Settings

log = logging.getLogger("toolbox")

LOGCONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "toolbox.web.requestlog.JsonFormatter"}},
    # gunicorn's error lines can quote a client's bytes (a malformed request line with a token).
    "filters": {"client_bytes": {"()": "toolbox.worker.ClientBytesFilter"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json",
                            "stream": "ext://sys.stderr"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        "gunicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False,
                           "filters": ["client_bytes"]},
        # The access log is off: it would record query strings. The app logs each request.
        "gunicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
    },
}


def gunicorn_options(settings: Settings) -> dict[str, Any]:
    """The gunicorn settings `toolbox serve` uses (documented in docs/deployment.md)."""
    return {
        "bind": [f"[{settings.host}]:{settings.port}" if ":" in settings.host
                 else f"{settings.host}:{settings.port}"],
        # gthread with bounded request reads and a close that never blocks (toolbox/worker.py).
        "worker_class": "toolbox.worker.ToolboxWorker",
        "workers": settings.workers,
        "threads": settings.threads,
        "timeout": settings.timeout,
        "graceful_timeout": 10,
        "keepalive": 5,
        # Request line and header limits: tokens travel in bodies, so 8 KiB lines are plenty.
        "limit_request_line": 8190,
        "limit_request_fields": 64,
        "limit_request_field_size": 8190,
        # Recycle workers now and then (bounds any slow leak) without churning under load.
        "max_requests": 100000,
        "max_requests_jitter": 10000,
        # X-Forwarded-* are handled by the app (TOOLBOX_TRUSTED_PROXIES), never by gunicorn.
        "forwarded_allow_ips": "127.0.0.1",
        "secure_scheme_headers": {},
        # gunicorn would otherwise let a local proxy's SCRIPT_NAME/PATH_INFO headers rewrite paths.
        "forwarder_headers": "",
        "accesslog": None,
        "errorlog": "-",
        "loglevel": settings.log_level.lower(),
        "logconfig_dict": LOGCONFIG,
        # gunicorn 24+ opens a control socket by default; nothing here needs it.
        "control_socket_disable": True,
        "proc_name": "toolbox",
        "preload_app": False,
    }


class ToolboxServer(BaseApplication):  # type: ignore[misc]
    """gunicorn application that builds one Flask app per worker."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        """Apply `gunicorn_options`."""
        for key, value in gunicorn_options(self.settings).items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        """Build the WSGI app inside the worker."""
        from toolbox import create_app

        return create_app(self.settings)


def serve(settings: Settings) -> None:
    """Start gunicorn in the foreground until it is stopped."""
    from toolbox.web.requestlog import configure_logging

    configure_logging(settings.log_level)
    if settings.workers > 1 and settings.ratelimit_storage == "memory://":
        log.warning(
            "rate limits are per worker",
            extra={"fields": {"event": "config-warning", "message":
                   f"{settings.workers} workers with TOOLBOX_RATELIMIT_STORAGE=memory:// each "
                   "count separately, so a client gets up to that many times the limit; set "
                   "redis://… to share limits"}},
        )
    ToolboxServer(settings).run()
