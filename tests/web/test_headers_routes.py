"""Route sampling: `/`, a path that should 404 and operator paths of a loopback site, one fetch each."""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from tests.servers import FixtureHandler, serve_loopback
from tests.unit.net.conftest import CAFiles, test_ca  # noqa: F401 - the session fixture
from toolbox.cli import main
from toolbox.core.headers.coverage import Response, class_of, coverage
from toolbox.core.headers.routes import PROBE_PREFIX, RoutePathError, checked_paths, routes_to_sample

PAGE_HEADERS = [
    ("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'"),
    ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"),
    ("Strict-Transport-Security", "max-age=63072000"),
]
SEEN: list[tuple[str, str | None]] = []  # (path, Authorization) of every request
SEEN_LOCK = threading.Lock()


class Site(FixtureHandler):
    """A framework's pages with every header; its API, static files and 404s with fewer."""

    def do_GET(self) -> None:  # noqa: N802
        with SEEN_LOCK:
            SEEN.append((self.path, self.headers.get("Authorization")))
        if self.path == "/hangup":
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if self.path == "/old":
            self.reply(301, [("Location", "/app")], b"")
        elif self.path in ("/", "/app"):
            self.reply(200, [*PAGE_HEADERS, ("Content-Type", "text/html; charset=utf-8")], b"<!doctype html><p>hi")
        elif self.path == "/api/items?page=2":
            self.reply(200, [("Content-Type", "application/json"), ("X-Content-Type-Options", "nosniff")], b"[]")
        elif self.path == "/static/app.js":
            self.reply(200, [("Content-Type", "text/javascript"), ("Strict-Transport-Security", "max-age=1")],
                       b"1")
        else:  # the web server's own error page: no CSP, no frame protection
            self.reply(404, [("Content-Type", "text/html"), ("X-Content-Type-Options", "nosniff")],
                       b"<h1>Not found</h1>")



@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with serve_loopback(Site) as server:
        yield f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture
def tls_site(test_ca: CAFiles) -> Iterator[str]:  # noqa: F811
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(test_ca.cert_pem, test_ca.key_pem)
    with serve_loopback(Site, context) as server:
        yield f"https://localhost:{server.server_address[1]}"


@pytest.fixture
def checker(make_app):  # type: ignore[no-untyped-def]
    return make_app(TOOLBOX_FETCH_ALLOW="127.0.0.0/8,::1/128", TOOLBOX_FETCH_PORTS="any").test_client()


def check(client, **body):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/headers/check", json=body)


def test_routes_are_sampled_and_their_gaps_reported(checker, site) -> None:  # type: ignore[no-untyped-def]
    body = check(checker, url=site + "/app", paths=["/api/items?page=2", "/static/app.js", "/old"]).json
    rows = body["routes"]["rows"]
    assert [r["label"] for r in rows] == ["/app (checked)", "/", "A path that should 404", "/api/items?page=2",
                                          "/static/app.js", "/old"]
    kinds = {r["label"]: (r["status"], r["kind"]) for r in rows}
    assert kinds["A path that should 404"] == (404, "error-page")
    assert kinds["/api/items?page=2"] == (200, "api") and kinds["/static/app.js"] == (200, "script")
    assert kinds["/old"] == (301, "redirect")  # not followed: a redirecting route is shown as one
    assert rows[2]["url"].startswith(site + PROBE_PREFIX)
    error_page = rows[2]
    assert "Content-Security-Policy" in error_page["lacking"] and "X-Frame-Options" in error_page["lacking"]
    assert rows[0]["lacking"] == ["Permissions-Policy", "Cross-Origin-Opener-Policy"]  # http: HSTS n/a
    ids = {f["id"]: f for f in body["findings"]}
    assert {"coverage-csp", "coverage-frame", "coverage-xcto"} <= set(ids)
    assert "coverage-hsts" not in ids  # HSTS is ignored over http: no https response to compare
    assert "A path that should 404 (error page, 404)" in ids["coverage-csp"]["detail"]
    assert ids["coverage-csp"]["severity"] == "medium"
    by_kind = {c["kind"]: c for c in body["routes"]["classes"]}
    assert by_kind["page"]["responses"] == 2 and dict(by_kind["page"]["counts"])["Content-Security-Policy"] == 2
    # The grade is the checked URL's own: sampling adds findings, never points.
    alone = check(checker, url=site + "/app").json
    assert (alone["grade"], alone["score"]) == (body["grade"], body["score"]) and alone["routes"] is None


def test_sample_routes_alone_adds_slash_and_the_404_probe(checker, site) -> None:  # type: ignore[no-untyped-def]
    body = check(checker, url=site + "/", sample_routes=True).json
    assert [r["label"] for r in body["routes"]["rows"]] == ["/ (checked)", "A path that should 404"]


def test_each_route_is_one_fetch_against_the_limit(make_app, site) -> None:  # type: ignore[no-untyped-def]
    client = make_app(TOOLBOX_FETCH_ALLOW="127.0.0.0/8", TOOLBOX_FETCH_PORTS="any",
                      TOOLBOX_RATELIMIT_FETCH="4/minute").test_client()
    with SEEN_LOCK:
        SEEN.clear()
    # The check, `/` and the 404 probe: 3 of 4.
    assert check(client, url=site + "/app", sample_routes=True).status_code == 200
    # One more path would make 4 more fetches: refused before anything is fetched.
    with SEEN_LOCK:
        before = len(SEEN)
    refused = check(client, url=site + "/app", paths=["/api/items?page=2"])
    assert refused.status_code == 429
    with SEEN_LOCK:
        assert len(SEEN) == before


def test_credentials_go_to_every_route_over_https(make_app, tls_site, test_ca) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    client = make_app(TOOLBOX_FETCH_ALLOW="127.0.0.0/8,::1/128", TOOLBOX_FETCH_PORTS="any",
                      TOOLBOX_FETCH_CA_BUNDLE=str(test_ca.ca_pem)).test_client()
    with SEEN_LOCK:
        SEEN.clear()
    body = check(client, url=tls_site + "/app", paths=["/api/items?page=2", "/static/app.js"],
                 request_headers={"Authorization": "Basic c3RhZ2luZzpzZWNyZXQ="}).json
    with SEEN_LOCK:
        routes = {path: auth for path, auth in SEEN if not path.startswith(PROBE_PREFIX)}
        probes = [auth for path, auth in SEEN if path.startswith(PROBE_PREFIX)]
    assert routes["/"] == routes["/api/items?page=2"] == routes["/static/app.js"] == "Basic c3RhZ2luZzpzZWNyZXQ="
    assert probes == ["Basic c3RhZ2luZzpzZWNyZXQ="]
    ids = {f["id"]: f for f in body["findings"]}
    # Over https HSTS counts: the API and the 404 page lack it, the pages and the script send it.
    assert "/api/items?page=2 (api (json/xml), 200)" in ids["coverage-hsts"]["detail"]
    assert "c3RhZ2luZzpzZWNyZXQ" not in json.dumps(body)


def test_a_route_that_fails_is_a_note(checker, site) -> None:  # type: ignore[no-untyped-def]
    body = check(checker, url=site + "/app", paths=["/hangup"]).json
    assert [r["label"] for r in body["routes"]["rows"]][-1] == "A path that should 404"
    assert any(note.startswith("The route /hangup could not be fetched") for note in body["notes"])


@pytest.mark.parametrize(("paths", "message"), [
    (["//evil.example/x"], "path 1 is not a path on the site"),
    (["/ok", "https://evil.example/"], "path 2 is not a path on the site"),
    (["api"], "path 1 is not a path"),
    (["/with space"], "path 1 is not a path"),
    (["/caf\u00e9"], "path 1 is not a path"),
    (["/\\evil"], "path 1 is not a path"),
    (["/x#frag"], "path 1 is not a path"),
    (["/\x00"], "path 1 is not a path"),
    (["/" + "a" * 600], "maxLength 512"),
])
def test_bad_paths_are_refused_with_422(checker, site, paths, message) -> None:  # type: ignore[no-untyped-def]
    response = check(checker, url=site + "/app", paths=paths)
    assert response.status_code == 422, response.json
    assert message in response.json["detail"]
    assert "evil" not in response.json["detail"]  # named by position, not echoed


@pytest.mark.parametrize("body", [
    {"paths": ["/a"] * 6}, {"paths": "/a"}, {"paths": [1]}, {"paths": [["/a"]]}, {"sample_routes": "yes"},
    {"paths": [{"$ne": 1}]},
])
def test_wrong_shapes_are_refused(checker, site, body) -> None:  # type: ignore[no-untyped-def]
    response = check(checker, url=site + "/app", **body)
    assert response.status_code in (400, 422)
    assert response.json["title"]


def test_pasted_headers_cannot_be_sampled(checker) -> None:  # type: ignore[no-untyped-def]
    response = check(checker, raw="HTTP/1.1 200 OK\ncontent-type: text/html\n", sample_routes=True)
    assert response.status_code == 422 and "give a URL" in response.json["detail"]


def test_the_page_shows_the_routes_table(checker, site) -> None:  # type: ignore[no-untyped-def]
    html = checker.post("/headers/", data={"url": site + "/app", "sample_routes": "on",
                                           "paths": "/api/items?page=2\n\n/static/app.js\n"},
                        headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Routes of this site" in html and "A path that should 404" in html
    assert "API (JSON/XML)" in html and "coverage-csp" in html
    too_many = checker.post("/headers/", data={"url": site + "/app", "paths": "\n".join(f"/{i}" for i in range(6))})
    assert too_many.status_code == 400 and "More paths: at most 5" in too_many.get_data(as_text=True)
    kept = too_many.get_data(as_text=True)
    assert "/5</textarea>" in kept  # the paths as typed come back


def test_cli_samples_routes(make_app, site, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TOOLBOX_FETCH_ALLOW", "127.0.0.0/8")
    monkeypatch.setenv("TOOLBOX_FETCH_PORTS", "any")
    result = CliRunner().invoke(main, ["headers", site + "/app", "--routes", "--path", "/static/app.js",
                                       "--format", "json"])
    body = json.loads(result.output)
    assert [r["label"] for r in body["routes"]["rows"]][-1] == "/static/app.js"
    text = CliRunner().invoke(main, ["headers", site + "/app", "--path", "/api/items?page=2"])
    assert "Routes:" in text.output and "A path that should 404  404  error page" in text.output
    bad = CliRunner().invoke(main, ["headers", site + "/app", "--path", "//evil"])
    assert bad.exit_code == 2 and "path 1 is not a path on the site" in bad.output


def test_paths_are_checked_and_deduplicated() -> None:
    assert checked_paths(["/a", " /a ", "/b?x=1"]) == ("/a", "/b?x=1")
    with pytest.raises(RoutePathError, match="at most 5"):
        checked_paths(["/a"] * 6)
    routes = routes_to_sample("https://example.com/login", ["/", "/login", "/api"], probe="/p")
    assert [(r.label, r.path) for r in routes] == [("/", "/"), ("A path that should 404", "/p"), ("/api", "/api")]


@pytest.mark.parametrize(("status", "content_type", "kind"), [
    (200, "text/html; charset=utf-8", "page"), (404, "text/html", "error-page"), (500, "", "error-page"),
    (200, "application/problem+json", "api"), (404, "application/json", "api"), (200, "TEXT/CSS", "style"),
    (200, "application/javascript", "script"), (200, "image/svg+xml", "image"), (200, "font/woff2", "font"),
    (200, "application/octet-stream", "other"), (200, "", "other"), (200, "\u00e9/\u00e9", "other"),
])
def test_classes_of_responses(status, content_type, kind) -> None:  # type: ignore[no-untyped-def]
    headers = (("Content-Type", content_type),) if content_type else ()
    assert class_of(status, headers) == kind


def test_a_302_without_location_is_not_a_redirect() -> None:
    assert class_of(302, (("Content-Type", "text/html"),)) == "page"
    assert class_of(302, (("Location", "/x"),)) == "redirect"


def test_frame_ancestors_counts_as_frame_protection_and_nobody_sending_is_no_gap() -> None:
    table = coverage([
        Response("/a", "https://x.example/a", 200, (("Content-Type", "text/html"),
                                                     ("content-security-policy", "frame-ancestors 'self'"))),
        Response("/b", "https://x.example/b", 200, (("Content-Type", "text/html"), ("X-Frame-Options", "DENY"))),
    ])
    assert all("X-Frame-Options" in row.sent for row in table.rows)
    ids = {f.id for f in table.findings}
    assert "coverage-frame" not in ids and "coverage-hsts" not in ids  # neither sends HSTS: no gap
    assert "coverage-csp" in ids  # /b lacks the policy /a sends


def test_hostile_labels_are_quoted_safely_in_findings() -> None:
    table = coverage([
        Response("/ok", "https://x.example/ok", 200, (("Content-Type", "text/html"), ("Referrer-Policy", "no-referrer"))),
        Response("/\x1b[31m" + "x" * 500, "https://x.example/y", 200, (("Content-Type", "text/html"),)),
    ])
    detail = next(f.detail for f in table.findings if f.id == "coverage-referrer-policy")
    assert "\x1b" not in detail and "\\x1b" in detail and len(detail) < 800
