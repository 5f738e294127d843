"""Static asset URLs with a content hash (long caching) and SRI integrity values."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, url_for

REQUIRED = ("css/app.css", "js/app.js", "vendor/htmx.min.js")


@dataclass(frozen=True)
class Asset:
    """A static file's versioned URL and its `integrity` attribute value."""

    url: str
    integrity: str


def init_app(app: Flask) -> None:
    """Hash every static file once at start; templates call `asset('js/app.js')`."""
    static = Path(app.static_folder or "static")
    missing = [name for name in REQUIRED if not (static / name).is_file()]
    if missing:
        raise RuntimeError(
            f"static assets missing: {', '.join(missing)}; run `make vendor` (npm ci + copy)"
        )
    digests: dict[str, bytes] = {}
    for path in sorted(static.rglob("*")):
        if path.is_file():
            digests[path.relative_to(static).as_posix()] = hashlib.sha384(path.read_bytes()).digest()
    app.extensions["toolbox.assets"] = digests

    @app.template_global()
    def asset(name: str) -> Asset:
        digest = digests[name]  # KeyError at render time means a template names a missing file
        version = digest.hex()[:12]
        return Asset(
            url=url_for("static", filename=name, v=version),
            integrity="sha384-" + base64.b64encode(digest).decode(),
        )
