"""Pasted header blocks (curl -sI, devtools) become the same analysis input."""

from __future__ import annotations

import pytest

from tests.unit.headers.conftest import load_cases
from toolbox.core.headers import RawHeadersError, analyze, parse_raw_blocks, scan_input_from_raw

CURL_CHAIN = (
    "HTTP/1.1 301 Moved Permanently\r\n"
    "Location: https://www.example.com/\r\n"
    "Set-Cookie: a=1; Secure\r\n"
    "\r\n"
    "HTTP/2 200 \r\n"
    "content-type: text/html\r\n"
    "x-frame-options: DENY\r\n"
    "content-security-policy: default-src 'none';\r\n"
    "  frame-ancestors 'none'\r\n"
    "\r\n"
)


def test_curl_chain_splits_into_hops_and_resolves_locations() -> None:
    blocks = parse_raw_blocks(CURL_CHAIN)
    assert [b.status for b in blocks] == [301, 200]
    assert ("content-security-policy", "default-src 'none'; frame-ancestors 'none'") in blocks[1].headers
    scan = scan_input_from_raw(CURL_CHAIN, url="https://example.com/")
    assert [h.url for h in scan.https_chain] == ["https://example.com/", "https://www.example.com/"]
    assert scan.http_chain is None and scan.headers == blocks[1].headers


def test_interim_responses_and_http2_pseudo_headers_are_dropped() -> None:
    text = "HTTP/1.1 100 Continue\n\n:status: 200\n:path: /\nX-Content-Type-Options: nosniff\n"
    blocks = parse_raw_blocks(text)
    assert [(b.status, b.headers) for b in blocks] == [(200, (("X-Content-Type-Options", "nosniff"),))]


def test_headers_without_status_line_form_one_response() -> None:
    blocks = parse_raw_blocks("Referrer-Policy: no-referrer\nnot a header line\nX-Frame-Options: DENY\n")
    assert len(blocks) == 1 and blocks[0].status is None and len(blocks[0].headers) == 2


def test_text_without_headers_is_refused() -> None:
    with pytest.raises(RawHeadersError):
        parse_raw_blocks("hello world\n\n")


def test_pasted_own_headers_score_like_the_observatory_with_redirection_unmeasured() -> None:
    case = next(c for c in load_cases() if c["name"] == "pasted-not-measurable")
    text = "HTTP/2 200\n" + "".join(f"{n}: {v}\n" for n, v in case["headers"])
    report = analyze(scan_input_from_raw(text, url=case["url"], body=case["body"]))
    assert (report.score, report.grade) == (case["expected"]["score"], case["expected"]["grade"])
    redirection = report.test("redirection")
    assert (redirection.result, redirection.passed, redirection.score_modifier) == (None, None, 0)
