"""Compare two responses: POST /api/v1/headers/compare and `toolbox headers-compare`.

Pasted header sets (before/after) and two loopback sites (staging/production, fetched through
the SSRF-safe fetcher, each fetch counted); deltas are checked against each side's own check.
"""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.servers import serve_loopback
from toolbox.cli import main

BEFORE = ("HTTP/2 200\ncontent-type: text/html\nx-frame-options: DENY\n"
          "strict-transport-security: max-age=100\nset-cookie: sid=1; Secure; HttpOnly\n")
AFTER = ("HTTP/2 200\ncontent-type: text/html\ncontent-security-policy: default-src 'none'\n"
         "strict-transport-security: max-age=63072000\nx-content-type-options: nosniff\n"
         "set-cookie: sid=1; Secure; HttpOnly\n")
URL = "https://site.example/"


def compare(client: Any, a: dict[str, object], b: dict[str, object], **extra: object) -> Any:
    return client.post("/api/v1/headers/compare", json={"a": a, "b": b, **extra})


@pytest.fixture
def client(make_app: Any) -> Any:
    return make_app().test_client()


def test_pasted_before_and_after_differ_test_by_test(client: Any) -> None:
    response = compare(client, {"raw": BEFORE, "url": URL}, {"raw": AFTER, "url": URL})
    assert response.status_code == 200
    body = response.get_json()
    a = client.post("/api/v1/headers/check", json={"raw": BEFORE, "url": URL}).get_json()
    b = client.post("/api/v1/headers/check", json={"raw": AFTER, "url": URL}).get_json()
    # Each side is exactly its own check, and the deltas are computed from them.
    for side, alone in (("a", a), ("b", b)):
        assert {k: body[side][k] for k in ("grade", "score", "tests", "findings")} == \
               {k: alone[k] for k in ("grade", "score", "tests", "findings")}
    assert body["score_delta"] == b["score"] - a["score"] == 20
    assert (body["grade_a"], body["grade_b"], body["scoring"]) == (a["grade"], b["grade"], "v5")
    for change, ta, tb in zip(body["tests"], a["tests"], b["tests"], strict=True):
        assert change["id"] == ta["id"] == tb["id"]
        assert change["delta"] == tb["score_modifier"] - ta["score_modifier"]
        assert change["changed"] == ((ta["result"], ta["pass"]) != (tb["result"], tb["pass"]))
    changed = {t["id"] for t in body["tests"] if t["changed"]}
    assert changed == {"content-security-policy", "strict-transport-security", "x-content-type-options",
                       "x-frame-options"}
    headers = {h["name"]: h for h in body["headers"]}
    assert headers["X-Frame-Options"] == {"name": "X-Frame-Options", "changed": True, "a": ["DENY"], "b": []}
    assert headers["Set-Cookie"]["changed"] is False
    assert [f["id"] for f in body["findings_only_b"]] == ["csp-missing-base-uri"]
    assert body["findings_only_a"] == []


def test_the_same_headers_compare_equal(client: Any) -> None:
    body = compare(client, {"raw": AFTER}, {"raw": AFTER}, scoring="v6").get_json()
    assert body["score_delta"] == 0 and body["scoring"] == "v6"
    assert not any(t["changed"] for t in body["tests"]) and not any(h["changed"] for h in body["headers"])
    assert len(body["tests"]) == 12  # v6's tests


@pytest.mark.parametrize(("a", "b", "which"), [
    ({"raw": "nonsense"}, {"raw": AFTER}, "a"),
    ({"raw": AFTER}, {}, "b"),
    ({"raw": AFTER}, {"url": "http://10.0.0.1/"}, "b"),
    ({"url": "http://[::1]/"}, {"raw": AFTER}, "a"),
])
def test_a_side_that_cannot_be_checked_is_named(client: Any, a: dict[str, object], b: dict[str, object],
                                                which: str) -> None:
    response = compare(client, a, b)
    problem = response.get_json()
    assert response.status_code == 422
    assert problem["which"] == which
    assert problem["detail"].startswith(which.upper() + ": ")
    assert "10.0.0.1" not in str(problem) and "::1" not in str(problem)


@pytest.mark.parametrize("body", [
    {"a": {"raw": AFTER}},
    {"a": {"raw": AFTER, "extra": 1}, "b": {"raw": AFTER}},
    {"a": "https://x.example/", "b": {"raw": AFTER}},
    {"a": {"raw": ["x"]}, "b": {"raw": AFTER}},
    {"a": {"raw": "x" * 300_000}, "b": {"raw": AFTER}},
    {"a": {"raw": AFTER}, "b": {"raw": AFTER}, "scoring": "v9"},
    [1, 2],
])
def test_malformed_comparisons_are_4xx(client: Any, body: object) -> None:
    response = client.post("/api/v1/headers/compare", json=body)
    assert 400 <= response.status_code < 500
    assert response.get_json()["status"] == response.status_code


def test_hostile_values_come_back_as_data(client: Any) -> None:
    hostile = "HTTP/2 200\nx-frame-options: <script>alert(1)</script>\u202e\u0000\nserver: \U0001f600\n"
    response = compare(client, {"raw": hostile}, {"raw": AFTER})
    assert response.status_code == 200
    headers = {h["name"]: h for h in response.get_json()["headers"]}
    assert headers["X-Frame-Options"]["a"] == ["<script>alert(1)</script>\u202e\u0000"]
    assert headers["Server"]["a"] == ["\U0001f600"]


class Site(BaseHTTPRequestHandler):
    """/staging sends the BEFORE headers, /production the AFTER ones (loopback fixture)."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        text = {"/staging": BEFORE, "/production": AFTER}.get(self.path, "HTTP/2 404\n")
        lines = [line.split(": ", 1) for line in text.splitlines()[1:]]
        self.send_response(200 if self.path in ("/staging", "/production") else 404)
        for name, value in lines:
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    with serve_loopback(Site) as server:
        yield f"http://127.0.0.1:{server.server_address[1]}"


def test_two_fetched_sites_each_spend_the_fetch_budget(make_app: Any, site: str) -> None:
    app = make_app(TOOLBOX_FETCH_ALLOW="127.0.0.0/8", TOOLBOX_FETCH_PORTS="any", TOOLBOX_RATELIMIT_FETCH="3/minute")
    client = app.test_client()
    body = compare(client, {"url": site + "/staging"}, {"url": site + "/production"}).get_json()
    assert (body["a"]["final_url"], body["b"]["final_url"]) == (site + "/staging", site + "/production")
    assert {h["name"] for h in body["headers"] if h["changed"]} >= {"Content-Security-Policy", "X-Frame-Options"}
    # Two fetches spent of three: the next comparison of two URLs is refused with 429.
    assert compare(client, {"url": site + "/staging"}, {"raw": AFTER}).status_code == 200
    assert compare(client, {"url": site + "/staging"}, {"url": site + "/production"}).status_code == 429


def test_the_cli_compares_pasted_sets(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(BEFORE)
    (tmp_path / "b.txt").write_text(AFTER)
    result = CliRunner().invoke(main, ["headers-compare", URL, URL, "--raw-a", str(tmp_path / "a.txt"),
                                       "--raw-b", str(tmp_path / "b.txt")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"A {URL}: C+ (score 60)" and lines[1] == f"B {URL}: B+ (score 80)"
    assert "  +20 points from A to B (Observatory scoring v5 (current))" in lines
    assert "   -25  Clickjacking protection: x-frame-options-sameorigin-or-deny → x-frame-options-not-implemented" \
        in lines
    assert "    A: DENY" in lines and "    B: (not sent)" in lines
    as_json = CliRunner().invoke(main, ["headers-compare", "--raw-a", str(tmp_path / "a.txt"),
                                        "--raw-b", str(tmp_path / "b.txt"), "--json", "--scoring", "v4"])
    assert as_json.exit_code == 0
    assert '"scoring": "v4"' in as_json.output and '"score_delta": 20' in as_json.output


@pytest.mark.parametrize("args", [["--raw-a", "-", "--raw-b", "-"], ["https://a.example/"], []])
def test_the_cli_refuses_incomplete_comparisons(args: list[str]) -> None:
    result = CliRunner().invoke(main, ["headers-compare", *args], input=AFTER)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_the_page_compares_the_sample_and_opens_with_the_verdict(client: Any) -> None:
    page = client.get("/headers/compare?sample=before-after").get_data(as_text=True)
    result = page[page.index('<section id="compare-result"'):]
    assert result.index('<p class="verdict verdict-ok"><span class="word">B is better</span>') < result.index("<table")
    assert "+90 points, grade D → A+" in result
    assert "<th scope=\"row\">Clickjacking protection</th>" in result
    assert '<td data-label="A" class="mono"><span class="muted">not sent</span></td>' in result


def test_the_page_posts_keep_the_input_and_name_the_side(client: Any) -> None:
    response = client.post("/headers/compare", data={"a_raw": BEFORE, "b_raw": "<b>not headers</b>",
                                                     "b_url": URL, "scoring": "v4"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "B: No headers found" in page
    assert "&lt;b&gt;not headers&lt;/b&gt;</textarea>" in page and "<b>not headers</b>" not in page
    assert '<option value="v4" selected>' in page
    assert "x-frame-options: DENY" in page  # A kept too


@pytest.mark.parametrize(("field", "value", "message"), [
    ("a_url", "x" * 3000, "A URL: at most"),
    ("b_raw", "x" * 300_000, "B pasted headers: at most"),
    ("a_raw", "a\x00b", "A pasted headers: contains a NUL"),
    ("scoring", "v9", "Scoring: must be one of v5, v4, v6."),
])
def test_the_page_refuses_bad_fields_with_a_clear_400(client: Any, field: str, value: str, message: str) -> None:
    data = {"a_raw": BEFORE, "b_raw": AFTER, field: value}
    response = client.post("/headers/compare", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_the_page_as_htmx_returns_only_the_result(client: Any) -> None:
    response = client.post("/headers/compare", data={"a_raw": BEFORE, "b_raw": AFTER},
                           headers={"HX-Request": "true"})
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment
    assert fragment.lstrip().startswith('<div class="headers-result" data-status="B is better: +20 points, C+ → B+">')


@pytest.mark.parametrize("url", ["[[[[[[", "https://[[[[", "https://example.com:abc/", "https://[::1", "[::1]:x"])
def test_urls_urllib_cannot_split_are_a_422_not_a_500(client: Any, url: str) -> None:
    """Found by the contract fuzz: the http:// probe's urlsplit raised ValueError on "https://[[…"."""
    check = client.post("/api/v1/headers/check", json={"url": url})
    assert check.status_code == 422 and check.get_json()["kind"] == "refused"
    both = compare(client, {"url": url}, {"raw": AFTER})
    assert both.status_code == 422 and both.get_json()["which"] == "a"
