"""Static files: versioned URLs, SRI values, and precompressed (brotli, gzip) responses.

Every file under static/ is read once when the app starts and served from memory, so what is
served is exactly what was hashed for its `?v=` version and its `integrity` value. Compression
happens at build time (`python -m toolbox.web.assets`, run by `make vendor` and the Dockerfile),
never per request; at start each precompressed copy is decompressed once and used only if it
gives back the file's exact bytes (a copy left from an older file is ignored, with a warning).
HTML pages are never compressed by the app (BREACH: they reflect pasted secrets); see
docs/decisions.md, "Static files".
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import logging
import mimetypes
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import brotli  # type: ignore[import-untyped]
from flask import Flask, Response, abort, request, url_for

from toolbox.web.security import STATIC_CACHE

REQUIRED = ("css/app.css", "js/app.js", "vendor/htmx.min.js")

# Versioned URLs (`?v=` equal to the file's version) never change: STATIC_CACHE, a year,
# immutable. A URL without a version may change with the next deploy: revalidate every time
# (ETag, 304).
UNVERSIONED_CACHE = "no-cache"

# Where the build step writes the compressed copies: <dir>/<name>.br and <name>.gz, mirroring
# static/. Outside static/ so they are never served as files of their own (and git-ignored).
PRECOMPRESSED_DIR = Path("build") / "static"
COMPRESSIBLE = frozenset({".css", ".js", ".mjs", ".svg", ".json", ".map", ".txt", ".xml", ".html"})
# Fixed types for what we serve (mimetypes also reads /etc/mime.types, which differs by host).
MIMETYPES = {
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".svg": "image/svg+xml",
    ".json": "application/json",
    ".png": "image/png",
    ".ico": "image/vnd.microsoft.icon",
    ".woff2": "font/woff2",
}


def _brotli(data: bytes) -> bytes:
    out: bytes = brotli.compress(data, mode=brotli.MODE_TEXT, quality=11)
    return out


def _unbrotli(data: bytes) -> bytes:
    out: bytes = brotli.decompress(data)
    return out


# Content-Encoding name -> (file suffix, compress, decompress), most preferred first.
CODINGS: dict[str, tuple[str, Callable[[bytes], bytes], Callable[[bytes], bytes]]] = {
    "br": (".br", _brotli, _unbrotli),
    # mtime=0: the same input always gives the same bytes (reproducible builds).
    "gzip": (".gz", lambda data: gzip.compress(data, compresslevel=9, mtime=0), gzip.decompress),
}

log = logging.getLogger("toolbox")


@dataclass(frozen=True)
class Asset:
    """A static file's versioned URL and its `integrity` attribute value."""

    url: str
    integrity: str


@dataclass(frozen=True)
class StaticFile:
    """One file under static/, held in memory with its verified compressed forms."""

    body: bytes
    digest: bytes  # SHA-384 of body
    mimetype: str
    encoded: dict[str, bytes] = field(default_factory=dict)  # Content-Encoding -> bytes

    @property
    def version(self) -> str:
        """The `?v=` value: the first 12 hex digits of the SHA-384."""
        return self.digest.hex()[:12]


def served_names(static: Path) -> list[str]:
    """The files under `static` that are served: everything but dotfiles (build stamps)."""
    return sorted(
        path.relative_to(static).as_posix()
        for path in static.rglob("*")
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(static).parts)
    )


def load_static(static: Path, precompressed: Path) -> dict[str, StaticFile]:
    """Read every served file and its compressed copies that decompress to exactly its bytes."""
    files: dict[str, StaticFile] = {}
    stale: list[str] = []
    for name in served_names(static):
        body = (static / name).read_bytes()
        encoded: dict[str, bytes] = {}
        for coding, (suffix, _, decompress) in CODINGS.items():
            copy = precompressed / (name + suffix)
            if not copy.is_file():
                continue
            data = copy.read_bytes()
            try:
                same = decompress(data) == body
            except Exception:  # a truncated or foreign file is just not used
                same = False
            if same:
                encoded[coding] = data
            else:
                stale.append(str(copy))
        mimetype = (MIMETYPES.get(Path(name).suffix)
                    or mimetypes.guess_type(name)[0] or "application/octet-stream")
        files[name] = StaticFile(body, hashlib.sha384(body).digest(), mimetype, encoded)
    if stale:
        log.warning("precompressed static files do not match their sources and are not used "
                    "(run `make vendor`): %s", ", ".join(stale))
    return files


def compress_static(static: Path, out: Path) -> list[str]:
    """Write <out>/<name>.br and .gz for each compressible file where that is smaller; prune the rest.

    Returns the paths written. Files are replaced atomically and only when their bytes change.
    """
    wanted: set[Path] = set()
    written: list[str] = []
    for name in served_names(static):
        if Path(name).suffix not in COMPRESSIBLE:
            continue
        body = (static / name).read_bytes()
        for suffix, compress, _ in CODINGS.values():
            data = compress(body)
            if len(data) >= len(body):
                continue  # tiny files: the compressed form would be no smaller
            target = out / (name + suffix)
            wanted.add(target)
            if target.is_file() and target.read_bytes() == data:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as tmp:
                tmp.write(data)
            os.chmod(tmp.name, 0o644)  # readable like the sources (the image runs as another user)
            os.replace(tmp.name, target)
            written.append(str(target))
    if out.is_dir():
        for path in out.rglob("*"):
            if path.is_file() and path.suffix in (".br", ".gz") and path not in wanted:
                path.unlink()
    return written


def choose_coding(file: StaticFile) -> str | None:
    """The Content-Encoding to send: the client's highest-q coding we hold, br before gzip on a tie."""
    best: tuple[float, int] | None = None
    chosen = None
    for rank, coding in enumerate(reversed(CODINGS)):
        if coding not in file.encoded:
            continue
        quality = request.accept_encodings.quality(coding)
        if quality > 0 and (best is None or (quality, rank) > best):
            best, chosen = (quality, rank), coding
    return chosen


def init_app(app: Flask) -> None:
    """Load static/ once; serve it from memory; templates call `asset('js/app.js')`."""
    static = Path(app.static_folder or "static")
    missing = [name for name in REQUIRED if not (static / name).is_file()]
    if missing:
        raise RuntimeError(
            f"static assets missing: {', '.join(missing)}; run `make vendor` (npm ci + copy)"
        )
    files = load_static(static, static.parent / PRECOMPRESSED_DIR)
    app.extensions["toolbox.assets"] = {name: file.digest for name, file in files.items()}
    app.extensions["toolbox.static_files"] = files

    def serve_static(filename: str) -> Response:
        # Only files loaded at start exist here: no path is ever joined from the URL.
        file = files.get(filename)
        versions = request.args.getlist("v")
        if file is None or (versions and versions != [file.version]):
            # A wrong version is not served: caching today's bytes under an old version's
            # URL for a year would break that version's pages (their SRI) after a rollback.
            abort(404)
        coding = choose_coding(file)
        body = file.encoded[coding] if coding else file.body
        response = Response(body, mimetype=file.mimetype)
        if coding:
            response.headers["Content-Encoding"] = coding
        if file.encoded:
            response.vary.add("Accept-Encoding")
        response.headers["Cache-Control"] = STATIC_CACHE if versions else UNVERSIONED_CACHE
        # One strong ETag per representation, so caches never mix ranges of two encodings.
        response.set_etag(f"{file.version}-{coding or 'identity'}")
        # 304 for a matching If-None-Match; 206/416 for Range (over the bytes actually sent).
        response.make_conditional(request, accept_ranges=True, complete_length=len(body))
        return response

    app.view_functions["static"] = serve_static

    @app.template_global()
    def asset(name: str) -> Asset:
        file = files[name]  # KeyError at render time means a template names a missing file
        return Asset(
            url=url_for("static", filename=name, v=file.version),
            integrity="sha384-" + base64.b64encode(file.digest).decode(),
        )


def main() -> None:
    """`python -m toolbox.web.assets`: precompress static/ into build/static (make vendor, Dockerfile)."""
    root = Path(__file__).resolve().parent.parent.parent
    written = compress_static(root / "static", root / PRECOMPRESSED_DIR)
    print(f"precompressed {len(written)} file(s) into {PRECOMPRESSED_DIR}/", file=sys.stderr)


if __name__ == "__main__":
    main()
