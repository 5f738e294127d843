"""The strict CSP builder over the API and the page: a real loopback site, pasted input, hostile input."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator

import pytest

from tests.servers import FixtureHandler, serve_loopback

PAGE = (b"<!doctype html>\r\n<title>t</title>\r\n<script>\r\nwindow.a = 1;\r\n</script>\r\n"
        b"<script src=\"/app.js\"></script><button onclick=\"go()\">go</button>\r\n")
ROUTES: dict[str, tuple[list[tuple[str, str]], bytes]] = {
    "/dynamic": ([("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'; "
                                              "frame-ancestors 'none'"),
                  ("Content-Type", "text/html; charset=utf-8")], PAGE),
    "/static.html": ([("Last-Modified", "Sat, 05 Dec 2026 10:00:00 GMT"), ("Content-Type", "text/html")], PAGE),
    "/latin1": ([("Content-Type", "text/html; charset=iso-8859-1")], "<script>'é'</script>".encode("latin-1")),
    "/big": ([("Content-Type", "text/html")], b"<p>" + b"x" * 300_000 + b"<script>late()</script>"),
}


def sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


class Site(FixtureHandler):
    def do_GET(self) -> None:  # noqa: N802
        headers, body = ROUTES.get(self.path, ((), b""))
        self.reply(200 if self.path in ROUTES else 404, headers, body)


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with serve_loopback(Site) as server:
        yield f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture
def builder(make_app):  # type: ignore[no-untyped-def]
    return make_app(TOOLBOX_FETCH_ALLOW="127.0.0.0/8", TOOLBOX_FETCH_PORTS="any").test_client()


def build(client, **body):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/headers/csp", json=body)


def test_a_fetched_page_and_its_header(builder, site) -> None:  # type: ignore[no-untyped-def]
    answer = build(builder, url=site + "/dynamic")
    assert answer.status_code == 200, answer.json
    body = answer.json
    assert body["mode"] == "nonce" and body["url"] == site + "/dynamic"
    assert body["current_policy"].startswith("default-src 'self'")
    assert body["kept"] == ["default-src", "frame-ancestors"] and body["dropped"] == ["script-src"]
    assert body["observatory"]["current_result"] == "csp-implemented-with-unsafe-inline"
    assert body["observatory"]["proposed_result"] == "csp-implemented-with-no-unsafe"
    assert {f["id"] for f in body["findings"]} >= {"csp-inline-event-handler", "csp-external-script-nonce"}
    assert body["external_scripts"] == [{"src": "/app.js", "kind": "classic", "has_nonce": False}]


def test_a_static_file_gets_hashes_with_crlf_normalised(builder, site) -> None:  # type: ignore[no-untyped-def]
    body = build(builder, url=site + "/static.html").json
    assert body["mode"] == "hashes" and "Last-Modified" in body["mode_reason"]
    loader = body["loader"][len("<script>"):-len("</script>")]
    assert body["policy"].startswith(f"script-src {sha(chr(10) + 'window.a = 1;' + chr(10))} {sha(loader)} ")
    assert body["observatory"]["current_result"] == "csp-not-implemented"


def test_the_page_is_decoded_by_its_charset(builder, site) -> None:  # type: ignore[no-untyped-def]
    body = build(builder, url=site + "/latin1", mode="hashes").json
    assert body["inline_scripts"][0]["hash"] == sha("'é'")


def test_a_page_over_256_kib_is_cut_and_says_so(builder, site) -> None:  # type: ignore[no-untyped-def]
    body = build(builder, url=site + "/big", mode="hashes").json
    assert body["inline_scripts"] == [] and "csp-page-truncated" in {f["id"] for f in body["findings"]}


def test_a_pasted_policy_wins_over_the_header(builder, site) -> None:  # type: ignore[no-untyped-def]
    body = build(builder, url=site + "/dynamic", policy="img-src 'self'").json
    assert body["kept"] == ["img-src"] and body["inline_scripts"]  # the page was still fetched


def test_pasted_html_is_not_fetched(builder, site, logs) -> None:  # type: ignore[no-untyped-def]
    body = build(builder, url=site + "/nothing-here", html="<script>pasted()</script>", mode="hashes").json
    assert body["inline_scripts"][0]["hash"] == sha("pasted()") and body["url"] == site + "/nothing-here"


def test_fetch_refusals_and_failures(make_app, builder, site, logs) -> None:  # type: ignore[no-untyped-def]
    refused = build(make_app(TOOLBOX_FETCH_PORTS="any").test_client(), url=site + "/dynamic")
    assert refused.status_code == 422 and "private or reserved" in refused.json["detail"]
    assert logs.events("fetch-refused")
    failed = build(builder, url="http://127.0.0.1:1/")
    assert failed.status_code == 422 and failed.json["reason"]
    missing = build(builder, url=site + "/missing")  # a 404 page is still a page: it has no scripts
    assert missing.status_code == 200 and missing.json["inline_scripts"] == []


@pytest.mark.parametrize("body", [
    {}, {"url": ""}, {"url": "   ", "html": "  \n", "policy": " "}, {"url": 5}, {"html": ["<p>"]},
    {"policy": {"a": 1}}, {"mode": "strict"}, {"mode": None}, {"html": "<p>", "extra": 1},
    {"url": "ftp://example.com/"}, {"url": "http://user:pw@example.com/"}, {"url": "https://[[::1]/"},
    {"policy": "default-src 'self' é"}, {"policy": "img-src 'self'\r\nSet-Cookie: a=b"},
    {"url": "x" * 3000}, {"policy": "a" * 40_000},
    {"html": "".join(f"<script>a({i})</script>" for i in range(300)), "mode": "hashes"},
])
def test_bad_requests_are_4xx_with_a_message(builder, body) -> None:  # type: ignore[no-untyped-def]
    answer = build(builder, **body)
    assert answer.status_code in (400, 413, 422), answer.status_code
    assert answer.json["detail"] and "Traceback" not in answer.get_data(as_text=True)


def test_malformed_json_and_too_large(make_app) -> None:  # type: ignore[no-untyped-def]
    client = make_app(TOOLBOX_MAX_BODY_BYTES="64K").test_client()
    malformed = client.post("/api/v1/headers/csp", data=b'{"html": "<p>', content_type="application/json")
    assert malformed.status_code == 400
    nested = client.post("/api/v1/headers/csp", data=b'{"html": ' + b"[" * 5000 + b"]" * 5000 + b"}",
                         content_type="application/json")
    assert 400 <= nested.status_code < 500
    big = client.post("/api/v1/headers/csp", json={"html": "<p>" * 40_000})
    assert big.status_code == 413


def test_more_than_a_mebibyte_of_html_is_refused(client) -> None:  # type: ignore[no-untyped-def]
    answer = build(client, html="<p>" * 400_000)
    assert answer.status_code == 422 and "1048576" in answer.json["detail"]


def test_hostile_pasted_input_is_answered_not_executed(client) -> None:  # type: ignore[no-untyped-def]
    html = '<script>\u202e"</script><a href="jav&#x09;ascript:alert(1)" onmouseover="alert(`x`)">x</a>'
    answer = build(client, html=html, policy="img-src 'self'")
    assert answer.status_code == 200
    assert {f["id"] for f in answer.json["findings"]} >= {"csp-javascript-url", "csp-inline-event-handler"}


# --- the page ------------------------------------------------------------------------------------------


def test_the_sample_renders_a_proposal(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/headers/csp?sample=shop")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Content-Security-Policy: script-src &#x27;nonce-{NONCE}&#x27; &#x27;strict-dynamic&#x27;" in html
    assert "Content-Security-Policy-Report-Only:" in html and 'data-copy="#csp-policy"' in html
    assert "csp-inline-event-handler" in html and "csp-javascript-url" in html
    assert "csp-implemented-with-unsafe-inline" in html and "+25 points" in html
    assert "secrets.token_urlsafe" in html  # nonce mode: app code, not a static server config


def test_a_form_post_and_its_htmx_partial(client) -> None:  # type: ignore[no-untyped-def]
    form = {"html": "<script>\r\na()\r\n</script>", "policy": "", "url": "", "mode": "hashes"}
    full = client.post("/headers/csp", data=form)
    assert full.status_code == 200 and "<form" in full.get_data(as_text=True)
    partial = client.post("/headers/csp", data=form, headers={"HX-Request": "true"})
    text = partial.get_data(as_text=True)
    assert partial.status_code == 200 and "<form" not in text
    assert sha("\na()\n") in text.replace("&#x27;", "'") and "add_header Content-Security-Policy" in text
    assert partial.headers["Cache-Control"] == "no-store" or "no-store" in partial.headers["Cache-Control"]


@pytest.mark.parametrize(("form", "status", "words"), [
    ({"url": ""}, 422, "Fill in URL"),
    ({"mode": "strict"}, 400, "Mode: must be one of auto, nonce, hashes"),
    ({"html": "a" * (1024 * 1024 + 1)}, 400, "Page HTML: at most 1048576 characters"),
    ({"policy": "a\x00b"}, 400, "Current policy: contains a NUL character"),
    ({"policy": "img-src ü"}, 422, "not allowed in a header value"),
    ({"url": "http://127.0.0.1:1/"}, 422, "cannot be fetched"),
])
def test_form_errors_keep_the_input(client, form, status, words) -> None:  # type: ignore[no-untyped-def]
    typed = {"url": "https://example.com/ü", "html": "", "policy": "", **form}
    answer = client.post("/headers/csp", data=typed)
    html = answer.get_data(as_text=True)
    assert answer.status_code == status and words in html and 'role="alert"' in html
    assert 'value="https://example.com/ü"' in html or typed["url"] != "https://example.com/ü"


def test_pasted_html_is_escaped_on_the_page(client) -> None:  # type: ignore[no-untyped-def]
    hostile = '</textarea><script>alert("x")</script><img src=x onerror=alert(1)>'
    html = client.post("/headers/csp", data={"html": hostile, "mode": "hashes"}).get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;/textarea&gt;&lt;script&gt;" in html


def test_the_checker_links_to_the_builder(client) -> None:  # type: ignore[no-untyped-def]
    index = client.get("/headers/").get_data(as_text=True)
    assert 'href="/headers/csp"' in index
    shop = client.get("/headers/?sample=shop").get_data(as_text=True)
    assert "Build a strict policy" in shop  # its CSP test fails


def test_nothing_pasted_is_logged(client, logs) -> None:  # type: ignore[no-untyped-def]
    client.post("/headers/csp", data={"html": "<script>secret_token_123()</script>",
                                       "policy": "img-src https://secret-host.example"})
    build(client, html="<script>secret_token_456()</script>")
    text = "\n".join(str(entry) for entry in logs.entries)
    assert "secret_token" not in text and "secret-host" not in text


def test_the_form_never_answers_5xx(client) -> None:  # type: ignore[no-untyped-def]
    """Fuzzed form posts (the contract fuzz's hostile texts plus markup fragments), full page and htmx."""
    from hypothesis import given
    from hypothesis import strategies as st

    from tests.web.test_contract_fuzz import FUZZ, TEXT

    markup = st.lists(st.sampled_from(["<script>", "</script>", "<svg>", "<template>", "<!--", "-->", "\r",
                                       "\0", "<base href=x>", "onclick=", "javascript:", "<", "&amp;", "é",
                                       "<script src=x>", "<noscript>", "<plaintext>", '"', "'"]),
                      max_size=30).map("".join)
    fields = {"url": st.sampled_from(["", "ftp://x", "¹", "http://127.0.0.1/", "a b"]), "html": st.one_of(TEXT, markup),
              "policy": TEXT, "mode": st.one_of(TEXT, st.sampled_from(["auto", "nonce", "hashes"]))}

    @FUZZ
    @given(form=st.fixed_dictionaries({}, optional=fields), htmx=st.booleans())
    def run(form: dict[str, str], htmx: bool) -> None:
        headers = {"Sec-Fetch-Site": "same-origin", **({"HX-Request": "true"} if htmx else {})}
        response = client.post("/headers/csp", data=form, headers=headers)
        assert response.status_code < 500, response.get_data(as_text=True)[:300]

    run()
