"""HAR input: reading Chrome- and Firefox-shaped HARs, finding the main document, bounds and errors."""

from __future__ import annotations

import base64
import copy
import json
from typing import Any

import pytest

from toolbox.core.headers.check import check_raw
from toolbox.core.headers.har import (
    MAX_BODY_BYTES,
    MAX_DEPTH,
    MAX_ENTRIES,
    MAX_HAR_CHARS,
    MAX_HEADERS,
    HarError,
    HarTooLarge,
    check_har,
    main_chain,
    parse_har,
)
from toolbox.ops.serialize import to_json

SECRET = "SECRET-4f1d-har-token"
CSP = "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
PAGE_HEADERS = [("content-type", "text/html; charset=utf-8"), ("strict-transport-security", "max-age=63072000"),
                ("content-security-policy", CSP), ("x-content-type-options", "nosniff"),
                ("referrer-policy", "no-referrer"), ("set-cookie", "sid=1; Secure; HttpOnly; SameSite=Lax")]


def entry(url: str, status: int = 200, headers: list[tuple[str, str]] | None = None, *, mime: str = "",
          kind: str | None = None, text: str | None = None, encoding: str | None = None,
          pageref: str = "page_1", capitalised: bool = False) -> dict[str, Any]:
    """One entry as Chrome (kind set: _resourceType) or Firefox (kind None) writes it, with request
    headers, cookies and post data holding SECRET (never to be echoed)."""
    content: dict[str, Any] = {"size": len(text or ""), "mimeType": mime}
    if text is not None:
        content["text"] = text
    if encoding:
        content["encoding"] = encoding
    value: dict[str, Any] = {
        "pageref": pageref, "startedDateTime": "2026-12-05T12:00:00.000+01:00", "time": 12.345,
        "request": {"method": "GET", "url": url, "httpVersion": "HTTP/2",
                    "headers": [{"name": "Authorization", "value": f"Bearer {SECRET}"},
                                {"name": "Cookie", "value": f"sid={SECRET}"}],
                    "cookies": [{"name": "sid", "value": SECRET}], "queryString": [],
                    "postData": {"mimeType": "text/plain", "text": SECRET}, "headersSize": 120, "bodySize": 0},
        "response": {"status": status, "statusText": "", "httpVersion": "HTTP/2",
                     "headers": [{"name": n.title() if capitalised else n, "value": v} for n, v in headers or []],
                     "cookies": [], "content": content, "redirectURL": "", "headersSize": -1, "bodySize": -1},
        "cache": {}, "timings": {"blocked": -1, "dns": 0.5, "connect": 1.25, "send": 0.1, "wait": 9.5,
                                 "receive": 1.0, "ssl": 0.75},
    }
    if kind is not None:
        value["_resourceType"] = kind
        value["_initiator"] = {"type": "parser", "stack": {"callFrames": [], "parent": {"callFrames": []}}}
    return value


def har(*entries: dict[str, Any], pages: tuple[str, ...] = ("page_1",), creator: str = "WebInspector") -> str:
    return json.dumps({"log": {
        "version": "1.2", "creator": {"name": creator, "version": "1"},
        "pages": [{"startedDateTime": "2026-12-05T12:00:00.000Z", "id": p, "title": "https://shop.example/",
                   "pageTimings": {"onLoad": 402.5}} for p in pages],
        "entries": list(entries)}})


def chrome() -> str:
    body = '<html><head><script src="https://cdn.other.example/x.js"></script></head></html>'
    return har(
        entry("http://shop.example/", 301, [("location", "https://shop.example/"), (":status", "301")],
              kind="document", mime="text/html"),
        entry("https://shop.example/", 200, [(":status", "200"), *PAGE_HEADERS], mime="text/html", kind="document",
              text=body),
        entry("https://shop.example/app.js", 200, [("content-type", "application/javascript"),
                                                    ("strict-transport-security", "max-age=63072000"),
                                                    ("x-content-type-options", "nosniff")],
              mime="application/javascript", kind="script", text="1"),
        entry(f"https://shop.example/api/me?token={SECRET}", 200,
              [("content-type", "application/json"), ("set-cookie", f"t={SECRET}")], mime="application/json",
              kind="fetch", text=f'{{"me": "{SECRET}"}}'),
        entry("https://shop.example/missing", 404, [("content-type", "text/html"),
                                                    ("strict-transport-security", "max-age=63072000")],
              mime="text/html", kind="other", text="<p>not found</p>"),
        entry("https://cdn.other.example/x.js", 200, [("content-type", "text/javascript")], kind="script"),
        entry("https://cdn.other.example/y.js", 0, [], kind="script"),  # blocked by an extension
    )


def firefox() -> str:
    return har(
        entry("http://shop.example/", 302, [("Location", "https://shop.example/"), ("Content-Length", "0")],
              capitalised=True),
        entry("https://shop.example/", 200, PAGE_HEADERS, mime="text/html; charset=utf-8", capitalised=True),
        entry("https://shop.example/style.css", 200, [("content-type", "text/css")], mime="text/css"),
        entry("https://shop.example/other-page", 200, [("content-type", "text/html")], mime="text/html",
              pageref="page_2"),
        pages=("page_1", "page_2"), creator="Firefox",
    )


# --- the main document -----------------------------------------------------------------------------


def test_chrome_har_grades_the_navigation_with_its_http_redirect() -> None:
    checked = check_har(chrome())
    result = checked.result
    assert checked.main_url == "https://shop.example/"
    assert [hop.url for hop in result.chain] == ["https://shop.example/"]
    assert [hop.url for hop in result.http_chain or ()] == ["http://shop.example/", "https://shop.example/"]
    assert result.report.test("redirection").result == "redirection-to-https"
    assert ("content-security-policy", CSP) in result.headers
    assert not any(name.startswith(":") for name, _ in result.headers)  # pseudo-headers left out
    assert result.report.test("subresource-integrity").result == (
        "sri-not-implemented-but-external-scripts-loaded-securely")  # the body's script was seen
    assert checked.entries == 7


def test_firefox_har_without_resource_types_finds_the_html_response() -> None:
    checked = check_har(firefox())
    assert checked.main_url == "https://shop.example/"
    assert checked.result.report.test("redirection").result == "redirection-to-https"
    assert checked.result.report.test("cookies").passed is True
    labels = [row.label for row in checked.coverage.rows]
    assert labels == ["http://shop.example/", "/", "/style.css", "/other-page"]  # the http visit in full


def test_a_har_starting_at_https_leaves_redirection_not_measurable() -> None:
    checked = check_har(har(entry("https://shop.example/", 200, PAGE_HEADERS, kind="document")))
    assert checked.result.http_chain is None
    assert checked.result.report.test("redirection").passed is None
    assert any("no body" in note for note in checked.notes)


def test_the_first_pages_document_wins_over_later_pages() -> None:
    text = har(entry("https://shop.example/api", 200, [("content-type", "application/json")], kind="fetch"),
               entry("https://shop.example/second", 200, PAGE_HEADERS, kind="document", pageref="page_2"),
               entry("https://shop.example/first", 200, PAGE_HEADERS, kind="document", pageref="page_1"),
               pages=("page_1", "page_2"))
    assert check_har(text).main_url == "https://shop.example/first"


def test_a_redirect_loop_ends() -> None:
    text = har(entry("https://a.example/", 302, [("location", "/b")], mime="text/html"),
               entry("https://a.example/b", 302, [("location", "/")], mime="text/html"),
               entry("https://a.example/", 302, [("location", "/b")], mime="text/html"),
               entry("https://a.example/home", 200, [("content-type", "text/html")]))
    assert check_har(text).main_url == "https://a.example/home"


def test_no_document_is_a_clear_error() -> None:
    text = har(entry("https://api.example/v1", 200, [("content-type", "application/json")]),
               entry("https://api.example/app.js", 200, [("content-type", "text/javascript")]))
    with pytest.raises(HarError, match="no main document"):
        check_har(text)
    with pytest.raises(HarError, match="no main document"):
        check_har(har())


def test_a_404_document_is_graded_with_a_note() -> None:
    checked = check_har(har(entry("https://shop.example/gone", 404, [("content-type", "text/html")],
                                  kind="document", text="<h1>Gone</h1>")))
    assert checked.main_url == "https://shop.example/gone"
    assert checked.result.report.grade
    assert any("answered 404" in note for note in checked.result.notes)


def test_grade_equals_check_raw_of_the_same_headers() -> None:
    body = '<script src="https://cdn.example/a.js" integrity="sha384-x" crossorigin="anonymous"></script>'
    for headers, status in ((PAGE_HEADERS, 200), ([("content-type", "text/html"),
                                                    ("set-cookie", "a=1"), ("x-frame-options", "DENY")], 200),
                            ([("content-type", "text/html")], 404)):
        from_har = check_har(har(entry("https://shop.example/", status, headers, kind="document", text=body)))
        raw = f"HTTP/2 {status}\n" + "".join(f"{n}: {v}\n" for n, v in headers)
        pasted = check_raw(raw, url="https://shop.example/", body=body)
        assert from_har.result.report == pasted.report
        assert from_har.result.next_report == pasted.next_report
        assert from_har.result.findings == pasted.findings and from_har.result.fixes == pasted.fixes
        assert from_har.result.headers == pasted.headers


def test_grade_of_an_https_chain_equals_check_raw_of_both_blocks() -> None:
    text = har(entry("https://shop.example/", 302, [("location", "/home"), ("set-cookie", "a=1")],
                     kind="document"),
               entry("https://shop.example/home", 200, PAGE_HEADERS, kind="document", text=""))
    raw = "HTTP/2 302\nlocation: /home\nset-cookie: a=1\n\nHTTP/2 200\n" + "".join(
        f"{n}: {v}\n" for n, v in PAGE_HEADERS)
    pasted = check_raw(raw, url="https://shop.example/")
    from_har = check_har(text).result
    assert from_har.report == pasted.report  # the redirect's cookie without flags counts, as pasted
    assert from_har.report.test("cookies").passed is False
    assert from_har.fixes == pasted.fixes


# --- bodies --------------------------------------------------------------------------------------


def test_base64_body_is_decoded_for_the_sri_test() -> None:
    body = '<script src="http://cdn.example/a.js"></script>'
    encoded = base64.b64encode(body.encode()).decode()
    plain = check_har(har(entry("https://s.example/", 200, PAGE_HEADERS, kind="document", text=body)))
    b64 = check_har(har(entry("https://s.example/", 200, PAGE_HEADERS, kind="document", text=encoded,
                              encoding="base64")))
    assert b64.result.report.test("subresource-integrity").result == (
        plain.result.report.test("subresource-integrity").result) == (
        "sri-not-implemented-and-external-scripts-not-loaded-securely")


def test_bodies_are_capped_like_the_fetchers() -> None:
    big = "<p>" + "é" * MAX_BODY_BYTES + '<script src="http://cdn.example/a.js"></script>'
    checked = check_har(har(entry("https://s.example/", 200, PAGE_HEADERS, kind="document", text=big)))
    assert any("first 256 KiB" in note for note in checked.notes)
    assert checked.result.report.test("subresource-integrity").result != (
        "sri-not-implemented-and-external-scripts-not-loaded-securely")  # past the cap: not seen
    encoded = base64.b64encode(big.encode()).decode()
    checked = check_har(har(entry("https://s.example/", 200, PAGE_HEADERS, kind="document", text=encoded,
                                  encoding="base64")))
    assert any("first 256 KiB" in note for note in checked.notes)


def test_base64_garbage_is_refused_or_harmless() -> None:
    with pytest.raises(HarError, match=r"log\.entries\[0\]\.response\.content\.text is not base64"):
        check_har(har(entry("https://s.example/", 200, PAGE_HEADERS, kind="document", text="a",
                            encoding="base64")))
    with pytest.raises(HarError, match="is not base64"):
        check_har(har(entry("https://s.example/", 200, PAGE_HEADERS, kind="document", text="\x00\xffé!!*",
                            encoding="base64")))
    checked = check_har(har(entry("https://s.example/", 200, PAGE_HEADERS, kind="document",
                                  text="!!*@@@@", encoding="base64")))  # no base64 characters: no body
    assert checked.result.report.grade


# --- coverage and privacy ----------------------------------------------------------------------------


def test_other_origins_are_listed_apart_and_not_counted() -> None:
    checked = check_har(chrome())
    assert [(o.origin, o.responses, o.classes) for o in checked.other_origins] == [
        ("https://cdn.other.example", 1, (("script", 1),))]  # the blocked (status 0) one is left out
    assert all("cdn.other.example" not in row.url for row in checked.coverage.rows)
    kinds = {row.label: row.kind for row in checked.coverage.rows}
    assert kinds == {"/": "page", "/app.js": "script", "/api/me": "api", "/missing": "error-page"} or (
        kinds["/missing"] == "error-page" and kinds["/api/me"] == "api")
    by_kind = {c.kind: dict(c.counts) for c in checked.coverage.classes}
    assert by_kind["redirect"] == {}  # the http:// redirect: HSTS is ignored over http, nothing applies
    assert by_kind["script"]["Strict-Transport-Security"] == 1
    ids = {f.id for f in checked.coverage.findings}
    assert "coverage-csp" in ids  # the 404 page lacks the page's CSP
    assert "coverage-hsts" in ids  # the API answer lacks HSTS


def test_the_result_never_holds_request_data_query_strings_or_other_responses_values() -> None:
    checked = check_har(chrome())
    text = json.dumps(to_json(checked), ensure_ascii=False)
    assert SECRET not in text
    assert "/api/me" in text


def test_304_and_unanswered_responses_are_left_out_of_coverage() -> None:
    text = har(entry("https://s.example/", 200, PAGE_HEADERS, kind="document"),
               entry("https://s.example/a.css", 304, [("etag", "x")], kind="stylesheet"),
               entry("https://s.example/b.css", 0, [], kind="stylesheet"),
               entry("data:text/plain,hi", 200, [], kind="other"),
               entry("https://s.example/c.css", 103, [("link", "</c.css>")], kind="other"))
    assert [row.label for row in check_har(text).coverage.rows] == ["/"]


def test_non_ascii_urls_and_values() -> None:
    text = har(entry("https://bücher.example/straße?q=ü", 200,
                     [*PAGE_HEADERS, ("x-note", "grüße \u202e"), ("content-language", "日本語")], kind="document",
                     text="<p>ü</p>"),
               entry("https://bücher.example/ünïcode.js", 200, [("content-type", "text/javascript")],
                     kind="script"))
    checked = check_har(text)
    assert checked.main_url == "https://bücher.example/straße"
    assert [row.label for row in checked.coverage.rows] == ["/straße", "/ünïcode.js"]
    assert ("x-note", "grüße \u202e") in checked.result.headers


# --- malformed input ---------------------------------------------------------------------------------


def _with(path: list[str | int], value: Any, *, delete: bool = False) -> str:
    document = json.loads(chrome())
    target = document
    for key in path[:-1]:
        target = target[key]
    if delete:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return json.dumps(document)


E0: list[str | int] = ["log", "entries", 0]


@pytest.mark.parametrize(("text", "message"), [
    ("", "The HAR is empty"),
    ("   \n", "The HAR is empty"),
    ("{", "not valid JSON"),
    ('{"log": {"entries": [}}', "not valid JSON: .* at line 1, column 22"),
    ("NaN", "not valid JSON"),
    ("[]", "The HAR is not a JSON object"),
    ('"log"', "The HAR is not a JSON object .*it is a string"),
    ("{}", "no \"log\" object"),
    ('{"log": []}', "^log is not an object"),
    ('{"log": null}', "^log is missing"),
    ('{"log": {}}', r"^log\.entries is missing"),
    ('{"log": {"entries": {}}}', r"^log\.entries is not an array \(it is an object\)"),
    ('{"log": {"entries": [1]}}', r"^log\.entries\[0\] is not an object \(it is a number\)"),
    ('{"log": {"entries": [{}]}}', r"^log\.entries\[0\]\.request is missing"),
    ('{"log": {"entries": [], "pages": "p"}}', r"^log\.pages is not an array"),
    ('{"log": {"entries": [], "pages": [7]}}', r"^log\.pages\[0\] is not an object"),
    ('{"log": {"entries": [], "pages": [{"id": 7}]}}', r"^log\.pages\[0\]\.id is not a string"),
    (_with([*E0, "request", "url"], 5), r"^log\.entries\[0\]\.request\.url is not a string \(it is a number\)"),
    (_with([*E0, "request", "method"], []), r"^log\.entries\[0\]\.request\.method is not a string"),
    (_with([*E0, "request"], "GET /"), r"^log\.entries\[0\]\.request is not an object"),
    (_with([*E0, "response"], None, delete=True), r"^log\.entries\[0\]\.response is missing"),
    (_with([*E0, "response", "status"], "301"), r"^log\.entries\[0\]\.response\.status is not a whole number"),
    (_with([*E0, "response", "status"], 301.5), r"status is not a whole number \(it is a number\)"),
    (_with([*E0, "response", "status"], True), r"status is not a whole number \(it is a boolean\)"),
    (_with([*E0, "response", "status"], -1), r"status is -1: not an HTTP status"),
    (_with([*E0, "response", "status"], 10**30), r"status is 1000000000000000000000000000000: not an HTTP"),
    (_with([*E0, "response", "status"], 1e300), r"status is not a whole number"),
    (_with([*E0, "response", "statusText"], 1), r"response\.statusText is not a string"),
    (_with([*E0, "response", "headers"], {}), r"^log\.entries\[0\]\.response\.headers is not an array"),
    (_with([*E0, "response", "headers", 0], "location: /"), r"headers\[0\] is not an object \(it is a string\)"),
    (_with([*E0, "response", "headers", 1, "name"], 5),
     r"^log\.entries\[0\]\.response\.headers\[1\]\.name is not a string"),
    (_with([*E0, "response", "headers", 0, "name"], None, delete=True), r"headers\[0\]\.name is missing"),
    (_with([*E0, "response", "headers", 0, "value"], {"v": 1}), r"headers\[0\]\.value is not a string"),
    (_with([*E0, "response", "content"], "x"), r"response\.content is not an object"),
    (_with([*E0, "response", "content", "mimeType"], 1), r"content\.mimeType is not a string"),
    (_with(["log", "entries", 1, "response", "content", "text"], [1]), r"entries\[1\]\.response\.content\.text "
                                                                        "is not a string"),
    (_with([*E0, "response", "content", "encoding"], False), r"content\.encoding is not a string"),
    (_with([*E0, "_resourceType"], 1), r"^log\.entries\[0\]\._resourceType is not a string"),
    (_with([*E0, "pageref"], 1), r"^log\.entries\[0\]\.pageref is not a string"),
])
def test_malformed_hars_are_refused_naming_the_path(text: str, message: str) -> None:
    with pytest.raises(HarError, match=message):
        check_har(text)


def test_truncated_json_is_refused_at_every_cut() -> None:
    text = chrome()
    for cut in range(1, len(text) - 1, max(1, len(text) // 97)):
        with pytest.raises(HarError, match="not valid JSON"):
            parse_har(text[:cut])


def test_binary_garbage_is_refused() -> None:
    garbage = bytes(range(256)).decode("latin-1") * 4
    with pytest.raises(HarError, match="not valid JSON"):
        check_har(garbage)
    with pytest.raises(HarError, match="not valid JSON"):
        check_har("\x00" + chrome())


def test_a_bom_is_not_an_error() -> None:
    assert check_har("\ufeff" + chrome()).main_url == "https://shop.example/"


def test_deep_nesting_is_refused() -> None:
    deep = "[" * (MAX_DEPTH + 10) + "]" * (MAX_DEPTH + 10)
    with pytest.raises(HarError, match=f"nests more than {MAX_DEPTH} levels"):
        check_har('{"log": {"entries": [], "x": ' + deep + "}}")
    very_deep = "[" * 200_000
    with pytest.raises(HarError):
        check_har(very_deep)
    # Chrome's _initiator stacks nest a level per async parent: a few dozen are fine.
    document = json.loads(chrome())
    stack: dict[str, Any] = {"callFrames": []}
    for _ in range(40):
        stack = {"callFrames": [], "parent": stack}
    document["log"]["entries"][1]["_initiator"] = {"type": "script", "stack": stack}
    assert check_har(json.dumps(document)).main_url == "https://shop.example/"


def test_size_bounds() -> None:
    with pytest.raises(HarTooLarge, match="at most 8 MiB"):
        check_har(" " * (MAX_HAR_CHARS + 1))
    many = [("x-h", "v")] * (MAX_HEADERS + 1)
    with pytest.raises(HarTooLarge, match=r"log\.entries\[0\]\.response\.headers has 501 headers"):
        check_har(har(entry("https://s.example/", 200, many, kind="document")))
    with pytest.raises(HarTooLarge, match=r"headers\[0\] is too long"):
        check_har(har(entry("https://s.example/", 200, [("x-big", "v" * 70_000)], kind="document")))
    with pytest.raises(HarTooLarge, match="KiB of headers"):
        check_har(har(entry("https://s.example/", 200, [("x-big", "v" * 60_000)] * 5, kind="document")))
    with pytest.raises(HarTooLarge, match=r"request\.url is longer"):
        check_har(har(entry("https://s.example/" + "a" * 70_000, 200, [], kind="document")))


def test_ten_thousand_entries_read_the_first_five_thousand() -> None:
    document = json.loads(chrome())
    filler = entry("https://shop.example/img.png", 200, [("content-type", "image/png")], kind="image")
    small = {k: filler[k] for k in ("request", "response")}
    small["request"] = {"method": "GET", "url": "https://shop.example/img.png"}
    document["log"]["entries"] += [copy.deepcopy(small) for _ in range(10_000 - 7)]
    text = json.dumps(document)
    checked = check_har(text)  # its time is measured by bench, not here (house rule)
    assert checked.entries == 10_000
    assert len(checked.coverage.rows) == MAX_ENTRIES - 2  # the first 5,000, less the other origin's two
    assert any("first 5,000 of 10,000 entries" in note for note in checked.notes)


def test_main_chain_of_a_parsed_har() -> None:
    chain = main_chain(parse_har(chrome()))
    assert [(e.index, e.status) for e in chain] == [(0, 301), (1, 200)]
