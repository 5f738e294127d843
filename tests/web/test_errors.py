"""Errors: a full page, an htmx partial, or problem+json under /api; never a traceback or leak."""

from __future__ import annotations

import pytest
from flask import abort
from werkzeug.http import HTTP_STATUS_CODES

from tests.web.testapi import add_test_api
from toolbox.web.errors import FRIENDLY_TITLE, ProblemError

STATUSES = [400, 403, 404, 405, 413, 422, 429, 500]


@pytest.fixture
def error_app(make_app):  # type: ignore[no-untyped-def]
    app = add_test_api(make_app())

    @app.get("/raise/<int:status>")
    @app.get("/api/raise/<int:status>")
    def raise_status(status: int) -> str:
        if status == 500:
            raise ValueError("internal detail SECRET-IN-MESSAGE")
        if status == 422:
            raise ProblemError(422, "The token does not decode.")
        abort(status)

    return app


@pytest.mark.parametrize("status", STATUSES)
def test_html_error_pages(error_app, status) -> None:  # type: ignore[no-untyped-def]
    response = error_app.test_client().get(f"/raise/{status}")
    assert response.status_code == status
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert html.startswith("<!doctype html>")
    # A heading in words, not HTTP jargon ("422 · Unprocessable Entity").
    assert f"<h1 id=\"error-title\">{FRIENDLY_TITLE[status]}</h1>" in html
    assert HTTP_STATUS_CODES[status] not in html and f"{status} ·" not in html
    assert "Traceback" not in html and "SECRET-IN-MESSAGE" not in html
    assert response.headers["X-Request-ID"] in html


@pytest.mark.parametrize("status", STATUSES)
def test_htmx_error_partials(error_app, status) -> None:  # type: ignore[no-untyped-def]
    response = error_app.test_client().get(f"/raise/{status}", headers={"HX-Request": "true"})
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'role="alert"' in html
    assert "SECRET-IN-MESSAGE" not in html


@pytest.mark.parametrize("status", STATUSES)
def test_api_problem_json(error_app, status) -> None:  # type: ignore[no-untyped-def]
    response = error_app.test_client().get(f"/api/raise/{status}")
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.json
    assert body["status"] == status
    assert body["type"] == "about:blank"
    assert body["title"] and body["detail"]
    assert "SECRET-IN-MESSAGE" not in response.get_data(as_text=True)


def test_problem_detail_is_kept_when_given(error_app) -> None:  # type: ignore[no-untyped-def]
    body = error_app.test_client().get("/api/raise/422").json
    assert body["detail"] == "The token does not decode."


def test_405_lists_allowed_methods(error_app) -> None:  # type: ignore[no-untyped-def]
    response = error_app.test_client().get("/api/v1/test/echo")
    assert response.status_code == 405
    assert response.mimetype == "application/problem+json"
    assert "POST" in response.headers["Allow"]


def test_500_logs_type_and_place_but_never_the_message(error_app, logs) -> None:  # type: ignore[no-untyped-def]
    error_app.test_client().get("/raise/500")
    entries = [e for e in logs.entries if e.get("event") == "error"]
    assert entries and entries[0]["exception"] == "ValueError"
    assert any("raise_status" in where for where in entries[0]["where"])
    assert "SECRET-IN-MESSAGE" not in "\n".join(logs.lines)


def test_unknown_api_path_is_problem_json(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/does/not/exist")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 404
