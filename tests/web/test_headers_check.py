"""The header checker: fixture servers on loopback, paste mode, refusals, API and CLI."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest
from click.testing import CliRunner

from tests.servers import serve_loopback
from toolbox.cli import main

FIXTURES: dict[str, list[tuple[str, str]]] = {
    "/good": [
        ("Content-Security-Policy", "default-src 'none'; script-src 'self'; form-action 'self'; "
                                    "base-uri 'none'; frame-ancestors 'none'"),
        ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"),
        ("Cross-Origin-Resource-Policy", "same-origin"),
    ],
    "/bad": [("Content-Security-Policy", "default-src * 'unsafe-inline' 'unsafe-eval'"),
             ("X-Powered-By", "PHP/5.4.0"), ("Server", "Apache/2.2.3")],
    "/empty": [],
    "/cookies": [("Set-Cookie", "sessionid=abc; Path=/"), ("Set-Cookie", "theme=dark; Path=/")],
    "/cors": [],  # reflects the request's Origin with credentials (see the handler)
}


class Fixture(BaseHTTPRequestHandler):
    """Serves each fixture's header set; /to-private redirects to a private address."""

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/to-private":
            self.send_response(302)
            self.send_header("Location", "http://10.0.0.1/admin")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        headers = FIXTURES.get(self.path)
        if headers is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = b"<!doctype html><title>fixture</title><p>hello</p>"
        self.send_response(200)
        for name, value in headers:
            self.send_header(name, value)
        if self.path == "/cors" and self.headers.get("Origin"):
            self.send_header("Access-Control-Allow-Origin", self.headers["Origin"])
            self.send_header("Access-Control-Allow-Credentials", "true")
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with serve_loopback(Fixture) as server:
        yield f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture
def checker(make_app):  # type: ignore[no-untyped-def]
    return make_app(TOOLBOX_FETCH_ALLOW="127.0.0.0/8", TOOLBOX_FETCH_PORTS="any").test_client()


def check(client, **body):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/headers/check", json=body)


def test_the_apps_own_headers_grade_a_plus(client) -> None:  # type: ignore[no-untyped-def]
    home = client.get("/")
    raw = "HTTP/1.1 200 OK\n" + "\n".join(f"{k}: {v}" for k, v in home.headers.items())
    from toolbox.core.headers.check import check_raw

    result = check_raw(raw, url="https://toolbox.example.com/", body=home.get_data(as_text=True))
    assert (result.report.grade, result.report.score) == ("A+", 135)
    assert result.report.test("subresource-integrity").passed


def test_fixture_grades_order_sensibly(checker, site) -> None:  # type: ignore[no-untyped-def]
    grades = {path: check(checker, url=site + path).json for path in ("/good", "/bad", "/empty", "/cookies")}
    scores = {path: body["score"] for path, body in grades.items()}
    assert scores["/good"] > max(scores["/empty"], scores["/bad"])
    cookies = {t["id"]: t for t in grades["/cookies"]["tests"]}["cookies"]
    assert cookies["pass"] is False and cookies["score_modifier"] < 0
    good = grades["/good"]
    assert good["final_url"] == site + "/good" and good["chain"][0]["status"] == 200
    assert len(good["tests"]) == 10


def test_page_renders_grade_tests_and_chain(checker, site) -> None:  # type: ignore[no-untyped-def]
    html = checker.post("/headers/", data={"url": site + "/bad"}, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'class="grade' in html and ">Content Security Policy</a>" in html and "Redirect chain" in html
    assert 'class="verdict verdict-bad"' in html and "csp-implemented-with-unsafe-inline" in html


def test_redirect_to_a_private_address_is_refused(checker, site, logs) -> None:  # type: ignore[no-untyped-def]
    response = check(checker, url=site + "/to-private")
    assert response.status_code == 422
    assert response.json["reason"] and "10.0.0.1" not in response.get_data(as_text=True)
    assert logs.events("fetch-refused")


def test_loopback_is_refused_without_the_allow_list(make_app, site) -> None:  # type: ignore[no-untyped-def]
    response = check(make_app(TOOLBOX_FETCH_PORTS="any").test_client(), url=site + "/good")
    assert response.status_code == 422 and "private or reserved" in response.json["detail"]


@pytest.mark.parametrize("body", [{}, {"url": ""}, {"url": 5}, {"raw": "no headers here at all"},
                                  {"url": "ftp://example.com/"}, {"url": "http://user:pw@example.com/"}])
def test_bad_requests_are_4xx(checker, body) -> None:  # type: ignore[no-untyped-def]
    assert check(checker, **body).status_code in (400, 422)


def test_paste_mode_marks_redirection_not_measurable(checker) -> None:  # type: ignore[no-untyped-def]
    body = check(checker, raw="HTTP/2 200\nstrict-transport-security: max-age=63072000\nx-frame-options: DENY").json
    redirection = {t["id"]: t for t in body["tests"]}["redirection"]
    assert redirection["pass"] is None and redirection["result"] is None


def test_algorithm_page_and_nav(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/headers/algorithm").get_data(as_text=True)
    assert "extra credit" in page.lower() and "csp-implemented-with-no-unsafe-default-src-none" in page
    assert 'href="/headers/"' in client.get("/").get_data(as_text=True)


def test_cli_min_grade_gate(tmp_path) -> None:  # type: ignore[no-untyped-def]
    raw = tmp_path / "headers.txt"
    raw.write_text("HTTP/1.1 200 OK\nX-Powered-By: PHP\n")
    failing = CliRunner().invoke(main, ["headers", "--raw", str(raw), "--min-grade", "B"])
    assert failing.exit_code == 1 and "below the minimum" in failing.output
    passing = CliRunner().invoke(main, ["headers", "--raw", str(raw), "--min-grade", "F", "--json"])
    assert passing.exit_code == 0 and '"grade"' in passing.output
    assert CliRunner().invoke(main, ["headers"]).exit_code == 2
    assert CliRunner().invoke(main, ["headers", "http://10.0.0.1/"]).exit_code == 2
    assert CliRunner().invoke(main, ["headers", "--raw", str(tmp_path / "missing.txt")]).exit_code == 2


def test_cli_reads_a_bare_host_as_https(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """As on the page and in the API: "example.com" means https://example.com (here as the address
    of pasted headers, so nothing is fetched); plain output opens with the verdict in words."""
    raw = tmp_path / "headers.txt"
    raw.write_text("HTTP/1.1 200 OK\nStrict-Transport-Security: max-age=63072000\n")
    out = CliRunner().invoke(main, ["headers", "example.com", "--raw", str(raw), "--json"])
    assert out.exit_code == 0, out.output
    import json

    report = json.loads(out.output)
    assert report["final_url"] == "https://example.com"
    hsts = {t["id"]: t for t in report["tests"]}["strict-transport-security"]
    assert hsts["pass"] is True and hsts["title"] == "HTTPS only (HSTS)"  # graded as an HTTPS site
    assert report["summary"]["status"].startswith("Graded ")
    plain = CliRunner().invoke(main, ["headers", "example.com/login", "--raw", str(raw)])
    assert plain.exit_code == 0 and plain.output.startswith("https://example.com/login: ")
    assert "tests passed" in plain.output and "Biggest gain:" in plain.output


def test_api_report_carries_titles_and_the_summary(checker) -> None:  # type: ignore[no-untyped-def]
    body = check(checker, raw="HTTP/2 200\nx-frame-options: DENY\n", url="shop.example").json
    assert body["final_url"] == "https://shop.example"
    assert [t["title"] for t in body["tests"]][:2] == ["Content Security Policy", "Cookies"]
    summary = body["summary"]
    assert summary["tone"] == "warn" and summary["status"] == "Graded C: 6 of 10 tests passed"
    assert {p["name"]: p["state"] for p in summary["headers"]}["X-Frame-Options"] == "ok"
    assert summary["biggest_gain"].startswith("add a Content-Security-Policy")


def test_cors_probe_finds_a_reflected_origin_with_credentials(checker, site) -> None:  # type: ignore[no-untyped-def]
    body = check(checker, url=site + "/cors").json
    ids = {f["id"] for f in body["findings"]}
    assert "cors-reflected-origin-credentials" in ids
    # As in the live Observatory, the reflection is explained but does not change the score.
    cors = {t["id"]: t for t in body["tests"]}["cross-origin-resource-sharing"]
    assert cors["score_modifier"] == 0
    plain = {f["id"] for f in check(checker, url=site + "/good").json["findings"]}
    assert "cors-reflected-origin-credentials" not in plain
