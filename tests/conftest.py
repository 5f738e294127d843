"""Shared fixtures: an app per test (flaskr style), a test client, and captured JSON logs."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings as hypothesis_settings

from toolbox import create_app

ROOT = Path(__file__).resolve().parent.parent

# Property tests are fuzzing with a fixed seed: the same examples on every run and machine, so CI
# never fails on a case nobody can reproduce (a new case is found by changing the code, not luck).
hypothesis_settings.register_profile("toolbox", derandomize=True, database=None)
hypothesis_settings.load_profile("toolbox")

# Generous limits so ordinary tests never trip the rate limiter; limiter tests set their own.
TEST_CONFIG = {
    "TOOLBOX_RATELIMIT_DEFAULT": "10000/minute",
    "TOOLBOX_RATELIMIT_FETCH": "10000/minute",
    "TOOLBOX_RATELIMIT_STORAGE": "memory://",
    "TOOLBOX_API_JWT_KEY": "",
    "TOOLBOX_TRUSTED_PROXIES": "0",
    "TOOLBOX_LOG_LEVEL": "INFO",
}


@pytest.fixture(autouse=True)
def _no_toolbox_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts without TOOLBOX_* variables, whatever the developer's shell exports.

    create_app(config) reads os.environ under its overrides, and the CLI reads it alone, so a
    `TOOLBOX_RATELIMIT_DEFAULT=1/minute` left in a shell would otherwise change what tests see.
    Tests that need a setting pass it to make_app(...) or set it with monkeypatch.
    """
    for name in [name for name in os.environ if name.startswith("TOOLBOX_")]:
        monkeypatch.delenv(name)


@pytest.fixture
def make_app() -> Iterator[object]:
    """Factory: build an app with TEST_CONFIG plus overrides."""

    def build(**overrides: str) -> Flask:
        app = create_app({**TEST_CONFIG, **overrides})
        app.config["TESTING"] = True
        return app

    yield build


@pytest.fixture
def app(make_app) -> Flask:  # type: ignore[no-untyped-def]
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class LogCapture(logging.Handler):
    """Collect every record the toolbox logger emits, formatted exactly as in production."""

    def __init__(self) -> None:
        super().__init__()
        from toolbox.web.requestlog import JsonFormatter

        self.setFormatter(JsonFormatter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    @property
    def entries(self) -> list[dict[str, object]]:
        return [json.loads(line) for line in self.lines]

    def events(self, kind: str) -> list[dict[str, object]]:
        return [e for e in self.entries if e.get("event") == "security" and e.get("kind") == kind]


@pytest.fixture
def logs(app: Flask) -> Iterator[LogCapture]:
    """Capture the toolbox log (after the app configured its own handlers)."""
    capture = LogCapture()
    loggers = [logging.getLogger(name) for name in ("toolbox", "flask-limiter", "werkzeug", "")]
    for logger in loggers:
        logger.addHandler(capture)
    yield capture
    for logger in loggers:
        logger.removeHandler(capture)
