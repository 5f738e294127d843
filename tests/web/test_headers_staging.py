"""Request headers for a private (staging) site: API `request_headers`, the page's field, the CLI's -H.

Real HTTPS servers on loopback with a CA made for the test: the credentials reach the URL's own
origin (the check and its CORS probe), never another origin after a redirect, never plain http,
and they are never logged or echoed back.
"""

from __future__ import annotations

import json
import ssl
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask

from tests.conftest import LogCapture
from tests.servers import serve_loopback
from tests.topology.stack import make_ca
from toolbox.cli import main

SECRET = "Basic c3RhZ2luZzpjYW5hcnktOTkxNw=="  # staging:canary-9917


@dataclass
class Site:
    """A loopback HTTPS site and the Authorization header of every request it received."""

    url: str
    seen: list[str | None] = field(default_factory=list)


@dataclass
class Staging:
    first: Site
    other: Site  # another origin (another port), the target of /elsewhere
    ca_file: str


def _handler(site: Site, other: Site | None) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            site.seen.append(self.headers.get("Authorization"))
            if self.path == "/elsewhere" and other is not None:
                self.send_response(302)
                self.send_header("Location", other.url + "/")
            else:
                self.send_response(200 if self.headers.get("Authorization") == SECRET else 401)
                self.send_header("Content-Type", "text/html")
                self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@pytest.fixture(scope="module")
def staging() -> Iterator[Staging]:
    with ExitStack() as stack:
        directory = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        ca = make_ca(directory)
        (directory / "ca.pem").write_text(ca.ca_pem)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(ca.fullchain, ca.privkey)
        other = Site("")
        second = stack.enter_context(serve_loopback(_handler(other, None), context))
        other.url = f"https://127.0.0.1:{second.server_address[1]}"
        first = Site("")
        server = stack.enter_context(serve_loopback(_handler(first, other), context))
        first.url = f"https://127.0.0.1:{server.server_address[1]}"
        yield Staging(first, other, str(directory / "ca.pem"))


@pytest.fixture
def staged_app(make_app: Any, staging: Staging) -> Flask:
    staging.first.seen.clear()
    staging.other.seen.clear()
    app: Flask = make_app(TOOLBOX_FETCH_ALLOW="127.0.0.0/8", TOOLBOX_FETCH_PORTS="any",
                          TOOLBOX_FETCH_CA_BUNDLE=staging.ca_file)
    return app


def test_the_credentials_reach_the_site_and_its_cors_probe(staged_app: Flask, staging: Staging) -> None:
    capture = LogCapture()
    import logging

    loggers = [logging.getLogger(name) for name in ("toolbox", "flask-limiter", "werkzeug", "")]
    for logger in loggers:
        logger.addHandler(capture)
    try:
        response = staged_app.test_client().post("/api/v1/headers/check", json={
            "url": staging.first.url + "/", "request_headers": {"Authorization": SECRET}})
    finally:
        for logger in loggers:
            logger.removeHandler(capture)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["chain"][-1]["status"] == 200  # past the password
    assert staging.first.seen == [SECRET, SECRET]  # the check and the CORS probe, nothing else
    assert "canary" not in json.dumps(body) and SECRET not in json.dumps(body)
    assert not any(SECRET in line or "c3RhZ2luZz" in line for line in capture.lines)


def test_a_redirect_to_another_origin_goes_on_without_them(staged_app: Flask, staging: Staging) -> None:
    response = staged_app.test_client().post("/api/v1/headers/check", json={
        "url": staging.first.url + "/elsewhere", "request_headers": {"Authorization": SECRET}})
    assert response.status_code == 200
    assert [hop["status"] for hop in response.get_json()["chain"]] == [302, 401]
    assert SECRET in staging.first.seen
    assert staging.other.seen and set(staging.other.seen) == {None}  # the other origin never saw them


def test_plain_http_is_refused_with_a_reason(staged_app: Flask) -> None:
    response = staged_app.test_client().post("/api/v1/headers/check", json={
        "url": "http://127.0.0.1:9/", "request_headers": {"Authorization": SECRET}})
    problem = response.get_json()
    assert response.status_code == 422
    assert problem["reason_code"] == "credentials-over-http"
    assert "https only" in problem["detail"] and SECRET not in json.dumps(problem)


@pytest.mark.parametrize("headers", [
    {"Authorization": "Basic x\r\nX-Evil: 1"}, {"Host": "evil.example"}, {"Bad Name": "v"},
    {"Authorization": "caf\u00e9"}, {"": "v"}, {"A" * 65: "v"}, {f"X-{i}": "v" for i in range(9)},
    ["Authorization: x"], "Authorization: x", {"Authorization": 1},
])
def test_bad_request_headers_are_a_clear_4xx_without_the_value(staged_app: Flask, staging: Staging,
                                                               headers: object) -> None:
    response = staged_app.test_client().post("/api/v1/headers/check", json={
        "url": staging.first.url + "/", "request_headers": headers})
    assert response.status_code == 422
    assert "Basic x\r\n" not in response.get_data(as_text=True)
    assert staging.first.seen == []  # refused before anything was sent


def test_the_page_field_sends_them_and_refuses_a_malformed_line(staged_app: Flask, staging: Staging) -> None:
    client = staged_app.test_client()
    page = client.post("/headers/", data={"url": staging.first.url + "/",
                                          "request_headers": f"Authorization: {SECRET}\n"})
    assert page.status_code == 200 and staging.first.seen == [SECRET, SECRET]  # the check, the CORS probe
    bad = client.post("/headers/", data={"url": staging.first.url + "/",
                                         "request_headers": "Authorization Basic xyz"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert "Request headers: line 1 is not &#34;Name: value&#34;." in text or \
           'Request headers: line 1 is not "Name: value".' in text
    assert "Authorization Basic xyz</textarea>" in text  # kept for the user to mend
    assert len(staging.first.seen) == 2  # nothing more was sent


def test_the_cli_takes_header_options(staging: Staging) -> None:
    env = {"TOOLBOX_FETCH_ALLOW": "127.0.0.0/8", "TOOLBOX_FETCH_PORTS": "any",
           "TOOLBOX_FETCH_CA_BUNDLE": staging.ca_file}
    staging.first.seen.clear()
    result = CliRunner(env=env).invoke(main, ["headers", staging.first.url + "/", "-H",
                                              f"Authorization: {SECRET}", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["chain"][-1]["status"] == 200
    assert SECRET not in result.output
    bad = CliRunner(env=env).invoke(main, ["headers", staging.first.url + "/", "-H", "no colon here"])
    assert bad.exit_code == 2 and "--header: line 1" in bad.output
