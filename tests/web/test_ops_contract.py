"""Issue 9: parameters are on the request type or refused; declared options do what they say;
every operation's kinds map to one status and one exit code; responses match the generated schema."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import jsonschema
import pytest
from click.testing import CliRunner

from tests.servers import serve_loopback
from toolbox.cli import main
from toolbox.cli.common import EXIT_OF_KIND
from toolbox.ops import OPERATIONS, ErrorKind
from toolbox.web.errors import STATUS_OF_KIND


class Redirecting(BaseHTTPRequestHandler):
    """/start redirects to /end; each answer names the method it got."""

    def _answer(self) -> None:
        if self.path == "/start":
            self.send_response(302)
            self.send_header("Location", "/end")
        else:
            self.send_response(200)
            self.send_header("Content-Security-Policy", "default-src 'none'")
        self.send_header("X-Method-Seen", self.command)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_HEAD = _answer  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with serve_loopback(Redirecting) as server:
        yield f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture
def checker(make_app):  # type: ignore[no-untyped-def]
    return make_app(TOOLBOX_FETCH_ALLOW="127.0.0.0/8", TOOLBOX_FETCH_PORTS="any").test_client()


def test_follow_redirects_false_grades_the_first_response(checker, site) -> None:  # type: ignore[no-untyped-def]
    followed = checker.post("/api/v1/headers/check", json={"url": site + "/start"}).json
    assert [hop["status"] for hop in followed["chain"]] == [302, 200]
    first = checker.post("/api/v1/headers/check", json={"url": site + "/start", "follow_redirects": False}).json
    assert [hop["status"] for hop in first["chain"]] == [302]
    assert first["final_url"].endswith("/start")


def test_method_is_the_method_sent(checker, site) -> None:  # type: ignore[no-untyped-def]
    report = checker.post("/api/v1/headers/check", json={"url": site + "/end", "method": "HEAD"}).json
    assert ["x-method-seen", "HEAD"] in [[n.lower(), v] for n, v in report["chain"][-1]["headers"]]


def test_cli_no_follow_and_method(site) -> None:  # type: ignore[no-untyped-def]
    env = {"TOOLBOX_FETCH_ALLOW": "127.0.0.0/8", "TOOLBOX_FETCH_PORTS": "any"}
    out = CliRunner().invoke(main, ["headers", site + "/start", "--no-follow", "--json"], env=env)
    assert out.exit_code == 0, out.output
    assert '"status": 302' in out.output and '"status": 200' not in out.output


@pytest.mark.parametrize(("path", "body"), [
    ("/api/v1/headers/check", {"raw": "x-a: b\n", "followRedirects": False}),
    ("/api/v1/headers/check", {"raw": "x-a: b\n", "grading": "v9"}),
    ("/api/v1/json/format", {"text": "[]", "indent_width": 3}),
    ("/api/v1/json/validate", {"instance": "1", "schema": "{}", "strict": True}),
])
def test_unknown_parameters_are_refused_not_ignored(client, path, body) -> None:  # type: ignore[no-untyped-def]
    response = client.post(path, json=body)
    assert response.status_code == 422
    assert response.json["errors"][0]["message"] == "has fields this operation does not accept"


def test_every_error_kind_has_one_status_and_one_exit_code() -> None:
    assert set(STATUS_OF_KIND) == set(ErrorKind) == set(EXIT_OF_KIND)
    assert all(400 <= status < 500 for status in STATUS_OF_KIND.values())
    assert set(EXIT_OF_KIND.values()) <= {1, 2}


def _resolved(document: dict, schema: dict) -> dict:
    return {**schema, "components": document["components"]}


@pytest.mark.parametrize(("name", "body"), [
    ("json/format", {"text": '{"a": [1, 2.50, "x"], "a": null}', "sort_keys": True}),
    ("json/format", {"text": "{a: 1, // c\n}", "lenient": True}),
    ("json/validate", {"instance": '{"a": "x"}', "schema": '{"properties": {"a": {"type": "integer"}}}'}),
    ("json/validate", {"instance": "1", "schema": '{"$ref": "https://example.com/s.json"}'}),
    ("headers/check", {"raw": "HTTP/1.1 301\nlocation: https://a.example/\n\nHTTP/1.1 200\nset-cookie: a=b\n",
                       "url": "https://a.example/"}),
])
def test_responses_conform_to_the_generated_schema(client, name, body) -> None:  # type: ignore[no-untyped-def]
    document = client.get("/api/openapi.json").json
    path = "/api/v1/" + name
    schema = document["paths"][path]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    target = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    response = client.post(path, json=body)
    assert response.status_code == 200, response.json
    jsonschema.validate(response.json, _resolved(document, schema))
    # Complete: every field the response carries is declared (additional fields would hide drift).
    assert set(response.json) <= set(target["properties"])


def test_typed_operations_are_all_served_and_documented(client) -> None:  # type: ignore[no-untyped-def]
    paths = client.get("/api/openapi.json").json["paths"]
    served = {name for name, op in OPERATIONS.items() if op.api}
    assert {"json/format", "json/validate", "headers/check"} <= served
    for name in served:
        assert "/api/v1/" + name in paths


@pytest.mark.parametrize(("given", "meant"), [("example.com", "https://example.com"),
                                              ("example.com/login", "https://example.com/login"),
                                              ("http://example.com", "http://example.com"),
                                              ("localhost:8000", "localhost:8000"), ("", "")])
def test_bare_host_names_mean_https(given, meant) -> None:  # type: ignore[no-untyped-def]
    from toolbox.ops.headers import with_scheme

    assert with_scheme(given) == meant


def test_a_bare_host_is_checked_as_https_by_the_api_and_the_cli(client) -> None:  # type: ignore[no-untyped-def]
    # Before: "the URL must be absolute". Now https://10.0.0.1/ is tried, and refused by policy.
    problem = client.post("/api/v1/headers/check", json={"url": "10.0.0.1/admin"}).json
    assert problem["reason_code"] == "private-literal"
    out = CliRunner().invoke(main, ["headers", "10.0.0.1"])
    assert out.exit_code == 2 and "private or reserved address" in out.output
