"""Closing the loop: apply the planned fixes to a site's headers as a server would, grade again
with our own grader, and the tests they address pass (for every recorded case)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from tests.unit.headers.conftest import load_cases, to_input
from toolbox.core.headers import analyze
from toolbox.core.headers.findings import analyze_findings
from toolbox.core.headers.fixes import HeaderAction, plan_fixes
from toolbox.core.headers.model import Headers, Hop, ScanInput

FIXED_BY = {
    "Content-Security-Policy": "content-security-policy",
    "X-Content-Type-Options": "x-content-type-options",
    "Strict-Transport-Security": "strict-transport-security",
}


def repaired(cookie: str, action: HeaderAction) -> str:
    """A cookie line after the server's rules (test_fixes_live shows the servers do exactly this)."""
    flags = list(action.flags)
    if action.replace_same_site:
        cookie = re.sub(r"(?i);\s*samesite\s*=[^;]*", "; SameSite=Lax", cookie)
        flags.remove("SameSite=Lax")
    return "; ".join([cookie, *flags])


def apply(headers: Headers, actions: tuple[HeaderAction, ...]) -> Headers:
    """What the response looks like behind the server with the snippet: set replaces, remove
    deletes, cookie rules append the attributes a cookie lacks."""
    out = list(headers)
    for action in actions:
        if action.action in ("set", "remove"):
            out = [(n, v) for n, v in out if n.lower() != action.name.lower()]
            if action.action == "set":
                out.append((action.name, action.value))
        elif action.action == "cookie":
            out = [(n, repaired(v, action) if n.lower() == "set-cookie" and v.split("=", 1)[0].strip() == action.name
                    else v) for n, v in out]
    return tuple(out)


def fixed_scan(scan: ScanInput) -> tuple[ScanInput, tuple[HeaderAction, ...]]:
    cookies = [v for hop in scan.https_chain for n, v in hop.headers if n.lower() == "set-cookie"] or None
    actions = plan_fixes(scan.headers, scan.url, analyze_findings(scan.headers, scan.url), cookies)
    chain = tuple(replace(hop, headers=apply(hop.headers, actions)) for hop in scan.https_chain)
    return replace(scan, headers=apply(scan.headers, actions), https_chain=chain), actions


@pytest.mark.parametrize("case", load_cases(), ids=lambda case: case["name"])
def test_applied_fixes_make_their_tests_pass(case) -> None:  # type: ignore[no-untyped-def]
    scan = to_input(case)
    before = analyze(scan)
    after_scan, actions = fixed_scan(scan)
    after = analyze(after_scan)
    assert after.score >= before.score, (before.score, after.score)
    set_names = {a.name for a in actions if a.action == "set"}
    for name, test_id in FIXED_BY.items():
        if name in set_names and not (test_id == "strict-transport-security" and not scan.url.startswith("https")):
            assert after.test(test_id).passed, (test_id, after.test(test_id).result)
    if any(a.action == "cookie" for a in actions) and not any(a.action == "note" and a.name == "Set-Cookie"
                                                              for a in actions):
        assert after.test("cookies").passed, after.test("cookies").result
    if "X-Frame-Options" in set_names or "frame-ancestors" in " ".join(a.value for a in actions):
        assert after.test("x-frame-options").passed


def test_the_sample_gains_what_the_summary_promises() -> None:
    from toolbox.core.headers.summary import biggest_gain
    from toolbox.web.headers_tool import SAMPLES

    url, raw = SAMPLES["shop"]
    from toolbox.core.headers.raw import scan_input_from_raw

    scan = scan_input_from_raw(raw, url=url)
    before = analyze(scan)
    gain = biggest_gain(before, scan.headers, True)
    assert gain.startswith("add Secure, HttpOnly and SameSite to the cookies (PHPSESSID) — +30 points")
    cookie_only = tuple(a for a in fixed_scan(scan)[1] if a.action == "cookie")
    after = analyze(replace(scan, headers=apply(scan.headers, cookie_only),
                            https_chain=(Hop(url, 200, headers=apply(scan.headers, cookie_only)),)))
    assert after.score - before.score == 30 and after.test("cookies").passed
