"""The strict CSP builder: hashes as a browser takes them, what blocks the policy, what is kept, the gain.

Expected hashes are computed here with hashlib over the text a browser hashes, written out by hand
for each case (the builder reads it with the tokenizer); tests/browser/test_headers_csp.py shows
Chromium agreeing by enforcing the policy.
"""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from toolbox.core.headers.csp_builder import (
    MAX_HASHES,
    BuildError,
    PolicyError,
    build_strict_csp,
    clean_policy,
    decode_page,
    script_hash,
)


def sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def hashes(html: str) -> list[str]:
    return [s.hash for s in build_strict_csp(html=html, mode="hashes").inline_scripts]


def ids(html: str, mode: str = "hashes") -> set[str]:
    return {f.id for f in build_strict_csp(html=html, mode=mode).findings}  # type: ignore[arg-type]


def test_script_hash_is_sha256_base64_of_utf8() -> None:
    assert script_hash("alert(1)") == "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
    assert script_hash("alert(1)") == sha("alert(1)")


@pytest.mark.parametrize(("body", "hashed"), [
    ("\r\nwindow.a = 1;\r\n", "\nwindow.a = 1;\n"),  # CR LF -> LF
    ("a()\rb()\r", "a()\nb()\n"),  # a lone CR -> LF
    ("a()\r\r\nb()", "a()\n\nb()"),
    ("x = 'é ü 😀 \u2028';", "x = 'é ü 😀 \u2028';"),  # UTF-8, astral characters included
    ("a&amp;b &lt;i&gt;", "a&amp;b &lt;i&gt;"),  # character references are not decoded in scripts
    ("a\0b", "a\ufffdb"),  # NUL is U+FFFD in script data
    ("  \n ", "  \n "),  # whitespace only still runs, so it needs its hash
])
def test_inline_script_hash_is_over_the_normalised_text(body: str, hashed: str) -> None:
    assert hashes(f"<!doctype html><script>{body}</script>") == [sha(hashed)]


def test_end_tag_inside_a_string_ends_the_script_as_in_a_browser() -> None:
    html = '<script>var s = "</script>"; run();</script><p>'
    assert hashes(html) == [sha('var s = "')]


def test_escaped_script_states() -> None:
    # "<!--<script>" enters the double-escaped state: the first </script> does not end the element.
    body = "<!--<script>a()</script>b()-->"
    assert hashes(f"<script>{body}</script>") == [sha(body)]
    # "<!--" alone: </script> still ends it.
    assert hashes("<script><!-- a() </script> -->") == [sha("<!-- a() ")]


def test_end_tag_is_case_insensitive_and_needs_a_delimiter() -> None:
    assert hashes("<script>a()</SCRIPT >") == [sha("a()")]
    assert hashes("<script>a()</scripty>b()</script>") == [sha("a()</scripty>b()")]


def test_attributes_without_values_and_odd_quoting() -> None:
    html = "<script async defer nomodule>a()</script><button onclick>x</button><a href=javascript:go()>y</a>"
    proposal = build_strict_csp(html=html, mode="hashes")
    assert [s.hash for s in proposal.inline_scripts] == [sha("a()")]
    assert {"csp-inline-event-handler", "csp-javascript-url"} <= {f.id for f in proposal.findings}


@pytest.mark.parametrize(("tag", "kind"), [
    ("<script>", "classic"),
    ("<script type=''>", "classic"),
    ("<script type='text/javascript; charset=utf-8'>", "classic"),
    ("<script type=' TEXT/JavaScript '>", "classic"),
    ("<script language='JavaScript'>", "classic"),
    ("<script type=module>", "module"),
    ("<script type=importmap>", "importmap"),
    ("<script type=speculationrules>", "speculationrules"),
    ("<script type=application/ld+json>", None),
    ("<script type=text/template>", None),
    ("<script language=vbscript>", None),
])
def test_only_scripts_a_browser_runs_are_hashed(tag: str, kind: str | None) -> None:
    proposal = build_strict_csp(html=f"{tag}{{\"a\": 1}}</script>", mode="hashes")
    assert [s.kind for s in proposal.inline_scripts] == ([kind] if kind else [])


def test_empty_and_unclosed_scripts_are_not_hashed() -> None:
    proposal = build_strict_csp(html="<script></script><p>x</p><script>never(", mode="hashes")
    assert proposal.inline_scripts == ()
    assert "csp-unclosed-script" in {f.id for f in proposal.findings}


def test_identical_scripts_share_one_hash() -> None:
    assert hashes("<script>a()</script>" * 3) == [sha("a()")]


def test_where_a_script_stands() -> None:
    # <noscript> content is text when scripts run; SVG scripts are parsed as SVG; templates are inert.
    html = ("<noscript><script>no()</script></noscript><svg><script>svg()</script></svg>"
            "<template><script>tpl()</script></template><textarea><script>t()</script></textarea>"
            "<svg><foreignObject><script>fo()</script></foreignObject></svg>")
    proposal = build_strict_csp(html=html, mode="hashes")
    assert {s.hash: s.in_template for s in proposal.inline_scripts} == {sha("tpl()"): True, sha("fo()"): False}
    found = {f.id for f in proposal.findings}
    assert {"csp-svg-script", "csp-template-script"} <= found


def test_deeply_nested_and_hostile_markup() -> None:
    html = "<div>" * 50_000 + "<svg>" * 1000 + "</svg>" * 1000 + "<script>deep()</script>" + "</div>" * 50_000
    assert hashes(html) == [sha("deep()")]
    assert hashes("<<script>>a()</script>") == [sha(">a()")]
    assert hashes("<!-- <script>c()</script> --><script>d()</script>") == [sha("d()")]
    assert hashes("<plaintext><script>e()</script>") == []


def test_huge_page() -> None:
    scripts = "".join(f"<script>f({i})</script><a onclick='g({i})'>x</a>" for i in range(40_000))
    assert len(scripts) > 1_000_000
    proposal = build_strict_csp(html=scripts)  # auto: too many to hash, so nonces
    assert proposal.mode == "nonce" and "'nonce-{NONCE}'" in proposal.policy
    handler = next(f for f in proposal.findings if f.id == "csp-inline-event-handler")
    assert handler.title.startswith("40000 ") and "and 39995 more" in handler.detail
    with pytest.raises(BuildError, match=f"at most {MAX_HASHES}"):
        build_strict_csp(html=scripts, mode="hashes")


def test_lone_surrogates_from_json_do_not_break_hashing() -> None:
    assert hashes("<script>a('\ud800')</script>") == [sha("a('\ufffd')")]


@pytest.mark.parametrize("href", [
    "javascript:go()", " JavaScript:go()", "java\tscript:go()", "&#106;avascript:go()", "\x01javascript:x",
    "java&#x0A;script:x",
])
def test_javascript_urls_as_the_url_parser_reads_them(href: str) -> None:
    assert "csp-javascript-url" in ids(f'<a href="{href}">x</a>')


@pytest.mark.parametrize("href", ["/javascript:x", "https://example.com/javascript:x", "javascripts:x"])
def test_not_javascript_urls(href: str) -> None:
    assert "csp-javascript-url" not in ids(f'<a href="{href}">x</a>')


def test_google_shape_without_a_current_policy() -> None:
    proposal = build_strict_csp(html="<script>a()</script>", mode="nonce")
    assert proposal.policy == ("script-src 'nonce-{NONCE}' 'strict-dynamic' https: 'unsafe-inline'; "
                               "object-src 'none'; base-uri 'none'")
    assert proposal.report_only == proposal.policy + "; report-uri https://csp-reports.example/report"
    gain = proposal.observatory
    assert (gain.current_result, gain.current_modifier) == ("csp-not-implemented", -25)
    assert (gain.proposed_result, gain.proposed_modifier, gain.proposed_passes) == (
        "csp-implemented-with-unsafe-inline-in-style-src-only", 0, True)
    assert gain.delta == 25


def test_what_is_kept_from_the_current_policy() -> None:
    current = ("Content-Security-Policy: default-src 'self'; script-src 'self' 'unsafe-inline'; "
               "script-src-elem 'self'; IMG-SRC * data:; frame-ancestors 'none'; object-src *; "
               "report-uri /csp; img-src 'none'")
    proposal = build_strict_csp(html="<script>a()</script>", policy=current, mode="hashes")
    assert proposal.kept == ("default-src", "img-src", "frame-ancestors", "report-uri")
    assert proposal.dropped == ("script-src", "script-src-elem")
    assert proposal.policy == (f"script-src {sha('a()')} 'strict-dynamic' https: 'unsafe-inline'; object-src 'none'; "
                               "base-uri 'none'; default-src 'self'; IMG-SRC * data:; frame-ancestors 'none'; "
                               "report-uri /csp")
    assert proposal.report_only == proposal.policy  # its own reporting is kept, no placeholder
    gain = proposal.observatory
    assert gain.current_result == "csp-header-invalid"  # the repeated img-src: the Observatory refuses it
    assert (gain.proposed_result, gain.proposed_modifier, gain.delta) == ("csp-implemented-with-no-unsafe", 5, 30)


def test_only_the_first_of_several_policies_is_carried() -> None:
    proposal = build_strict_csp(policy="img-src 'self', style-src 'self'", mode="nonce")
    assert proposal.kept == ("img-src",)


def test_a_base_element_gets_base_uri_self() -> None:
    proposal = build_strict_csp(html='<base href="/app/"><script>a()</script>', mode="hashes")
    assert "base-uri 'self'" in proposal.policy and "csp-base-element" in {f.id for f in proposal.findings}


@pytest.mark.parametrize("policy", ["default-src 'self' é", "img-src 'self'\nx-evil: 1", "a\x00b"])
def test_a_policy_no_header_can_carry_is_refused(policy: str) -> None:
    with pytest.raises(PolicyError, match="not allowed in a header value"):
        clean_policy(policy)


def test_mode_auto() -> None:
    page = "<script>a()</script>"
    assert build_strict_csp(html=page).mode == "nonce"
    assert build_strict_csp(html=page, response_headers=(("Last-Modified", "Sat, 05 Dec 2026 10:00:00 GMT"),),
                            ).mode == "hashes"
    assert build_strict_csp(html=page, url="https://example.com/docs/index.html").mode == "hashes"
    nonced = '<script nonce="abc">a()</script>'
    assert build_strict_csp(html=nonced, url="https://example.com/x.html").mode == "nonce"


def test_hash_mode_loads_external_scripts_from_a_hashed_loader() -> None:
    html = ('<script src="https://cdn.example/a.js" integrity="sha384-x" crossorigin="anonymous"></script>'
            '<script type=module src="/m.js"></script><script src="/x.js?a=</script><script>alert(1)//"></script>')
    proposal = build_strict_csp(html=html, mode="hashes")
    loader = proposal.loader
    assert loader.startswith("<script>") and loader.endswith("</script>")
    inner = loader[len("<script>"):-len("</script>")]
    assert "</script" not in inner.lower() and "<" not in inner  # a hostile src cannot end the element
    assert proposal.policy.startswith(f"script-src {sha(inner)} 'strict-dynamic'")
    assert '"integrity": "sha384-x"' in inner and '{"type": "module"}' in inner
    assert proposal.external_count == 3 and "csp-external-script-loader" in {f.id for f in proposal.findings}


def test_nonce_mode_asks_for_the_nonce_on_every_script() -> None:
    proposal = build_strict_csp(html='<script src="/a.js"></script><script>b()</script>', mode="nonce")
    assert proposal.loader == "" and "'sha256-" not in proposal.policy  # listed, but the nonce covers them
    assert [s.hash for s in proposal.inline_scripts] == [sha("b()")]
    assert any("each of the page's 2 <script> tags" in step for step in proposal.steps)
    assert "csp-external-script-nonce" in {f.id for f in proposal.findings}


def test_eval_and_meta_policy_findings() -> None:
    html = ('<meta http-equiv="Content-Security-Policy" content="script-src \'self\'">'
            "<script>setTimeout('x()', 1); eval(code)</script>")
    proposal = build_strict_csp(html=html, mode="hashes")
    assert {"csp-eval", "csp-meta-policy"} <= {f.id for f in proposal.findings}
    assert proposal.observatory.current_result != "csp-not-implemented"  # the meta policy counts today


def test_many_hashes_warn() -> None:
    assert "csp-many-hashes" in ids("".join(f"<script>a({i})</script>" for i in range(33)))


def test_hash_mode_snippets_carry_the_policy_and_nonce_mode_code_compiles() -> None:
    hashed = build_strict_csp(html="<script>a()</script>", mode="hashes")
    assert set(hashed.snippets) == {"nginx", "caddy", "apache", "flask", "express"}
    assert f'add_header Content-Security-Policy "{hashed.policy}" always;' in hashed.snippets["nginx"]
    assert "Content-Security-Policy-Report-Only" in hashed.report_only_snippets["apache"]
    nonced = build_strict_csp(html="<script>a()</script>", policy="img-src 'self' \"x\"", mode="nonce")
    compile(nonced.snippets["flask"], "flask.py", "exec")
    assert "secrets.token_urlsafe" in nonced.snippets["flask"]
    assert "randomBytes" in nonced.report_only_snippets["express"]


def test_a_policy_with_config_metacharacters_gets_no_server_snippets() -> None:
    proposal = build_strict_csp(policy="img-src https://${host}", mode="hashes")
    assert proposal.snippets == {} and proposal.report_only_snippets == {}


def test_decode_page() -> None:
    assert decode_page("<p>é</p>".encode("cp1252"), "text/html; charset=windows-1252") == "<p>é</p>"
    assert decode_page(b"\xef\xbb\xbf<p>\xc3\xa9", "text/html; charset=iso-8859-1") == "<p>é"
    assert decode_page(b"<p>\xff", None) == "<p>\ufffd"
    assert decode_page("é".encode(), 'text/html; charset="no-such-charset"') == "é"


def test_no_page_still_gives_a_policy() -> None:
    proposal = build_strict_csp(policy="default-src 'self'")
    assert not proposal.html_seen and re.search(r"No page was read", proposal.steps[0])
