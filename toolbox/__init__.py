"""Toolbox: a self-hosted, hardened developer toolbox (JWT, JSON, security headers)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from toolbox.config import ConfigError, Settings

if TYPE_CHECKING:  # the CLI's tool commands import toolbox.core without loading Flask
    from flask import Flask

__all__ = ["ConfigError", "Settings", "create_app"]

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Mapping[str, str] | Settings | None = None) -> Flask:
    """Build the app; `config` overrides TOOLBOX_* environment variables (or is a Settings)."""
    from flask import Flask
    from htmx_flask import Htmx  # type: ignore[import-untyped]

    if isinstance(config, Settings):
        settings = config
    else:
        settings = Settings.from_env({**os.environ, **(config or {})})

    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        static_url_path="/static",
    )
    app.config.update(
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        MAX_FORM_MEMORY_SIZE=settings.max_body_bytes,
        MAX_FORM_PARTS=200,
        SESSION_COOKIE_NAME=None,
        JSON_SORT_KEYS=False,
        TRAP_HTTP_EXCEPTIONS=False,
    )
    app.extensions["toolbox.settings"] = settings
    Htmx(app)

    # Order matters: logging first (it times the request and runs its after_request last),
    # then request screening, API identification, and only then the rate limiter, whose key
    # is the API subject when one was identified.
    from toolbox.web import apiauth, assets, errors, filters, requestlog, security
    from toolbox.web import ratelimit as ratelimit_web
    from toolbox.web.api import api_bp
    from toolbox.web.headers_api import headers_api_bp
    from toolbox.web.headers_csp import headers_csp_bp
    from toolbox.web.headers_har import headers_har_api_bp, headers_har_bp
    from toolbox.web.headers_tool import headers_bp
    from toolbox.web.health import health_bp
    from toolbox.web.json_api import json_api_bp
    from toolbox.web.json_compat import json_compat_bp
    from toolbox.web.json_convert import json_convert_bp
    from toolbox.web.json_diff import json_diff_bp
    from toolbox.web.json_lines import json_lines_api_bp, json_lines_bp
    from toolbox.web.json_query import json_query_bp
    from toolbox.web.json_tool import json_bp
    from toolbox.web.jwt_api import jwt_api_bp
    from toolbox.web.jwt_jwks import jwt_jwks_bp
    from toolbox.web.jwt_tool import jwt_bp
    from toolbox.web.pages import pages_bp

    requestlog.init_app(app, settings)
    security.init_app(app, settings)
    apiauth.init_app(app, settings)
    app.register_blueprint(pages_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(jwt_bp)
    app.register_blueprint(jwt_api_bp)
    app.register_blueprint(jwt_jwks_bp)
    app.register_blueprint(json_bp)
    app.register_blueprint(json_api_bp)
    app.register_blueprint(json_diff_bp)
    app.register_blueprint(json_convert_bp)
    app.register_blueprint(json_lines_bp)
    app.register_blueprint(json_lines_api_bp)
    app.register_blueprint(json_compat_bp)
    app.register_blueprint(json_query_bp)
    app.register_blueprint(headers_bp)
    app.register_blueprint(headers_csp_bp)
    app.register_blueprint(headers_api_bp)
    app.register_blueprint(headers_har_bp)
    app.register_blueprint(headers_har_api_bp)
    filters.init_app(app)
    ratelimit_web.init_app(app, settings)
    assets.init_app(app)
    errors.init_app(app)
    return app


def settings_of(app: Flask) -> Settings:
    """The Settings an app was built with."""
    settings: Settings = app.extensions["toolbox.settings"]
    return settings
