"""The grade in plain words: verdict, counts, pills, titles, and an honest biggest gain; and the
cookie repairs the fixes and the wording share."""

from __future__ import annotations

from toolbox.core.headers.check import check_raw
from toolbox.core.headers.fixes_cookies import cookie_repairs, needed_flags
from toolbox.core.headers.profiles import PROFILES
from toolbox.core.headers.summary import TEST_TITLES, Summary, summarize

HTTPS = "https://shop.example/"
STRONG = (
    "content-security-policy: default-src 'none'; script-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'\n"
    "strict-transport-security: max-age=63072000\nx-content-type-options: nosniff\n"
    "referrer-policy: no-referrer\ncross-origin-resource-policy: same-origin\n"
)


def summary_of(raw: str, url: str = HTTPS) -> Summary:
    result = check_raw("HTTP/2 200\n" + raw, url=url)
    cookies = [v for n, v in result.headers if n.lower() == "set-cookie"]
    return summarize(result.report, result.headers, url.startswith("https:"), cookies)


def test_every_test_has_a_human_title() -> None:
    assert set(TEST_TITLES) == {test_id for scoring in PROFILES.values() for test_id in scoring.test_ids}
    assert all(title != test_id and title[0].isupper() for test_id, title in TEST_TITLES.items())


def test_a_strong_site_reads_excellent_with_no_gain_offered() -> None:
    s = summary_of(STRONG)
    assert (s.tone, s.word) == ("ok", "Excellent")
    assert s.status == "Graded A+: 9 of 10 tests passed"
    assert "(1 not measurable)" in s.detail and s.measured == 9
    assert s.biggest_gain == ""
    states = {p.name: p.state for p in s.headers}
    assert states["Content-Security-Policy"] == "ok" and "X-Frame-Options" not in states  # frame-ancestors
    assert states["Permissions-Policy"] == "missing"


def test_a_weak_site_reads_in_words_and_its_gain_in_plain_words() -> None:
    s = summary_of("content-security-policy: default-src 'self'; script-src 'self' 'unsafe-inline'\n"
                   "strict-transport-security: max-age=63072000\nx-content-type-options: nosniff\n"
                   "x-frame-options: DENY\nreferrer-policy: no-referrer\n")
    assert s.tone == "warn" and s.word == "Needs work" and s.status.startswith("Graded B+: ")
    assert s.biggest_gain == ("in the Content-Security-Policy, remove 'unsafe-inline' from script-src"
                              " — +35 points, grade B+ → A+")  # X-Frame-Options DENY earns +5 (v5)
    assert {p.name: p.state for p in s.headers}["Content-Security-Policy"] == "warn"


def test_gain_wording_per_test() -> None:
    assert summary_of("x-a: b\n").biggest_gain == (
        "add a Content-Security-Policy without 'unsafe-inline' — +25 points, grade D → C")
    no_hsts = summary_of(STRONG.replace("strict-transport-security: max-age=63072000\n", ""))
    assert no_hsts.biggest_gain == "send Strict-Transport-Security: max-age=63072000 — +50 points, grade B+ → A+"
    plain_http = summary_of(STRONG.replace("strict-transport-security: max-age=63072000\n", ""), "http://a.example/")
    assert plain_http.biggest_gain.startswith("serve the site over HTTPS")
    sniffing = summary_of("x-content-type-options: sniff\n" + STRONG.split("x-content-type-options: nosniff\n")[0]
                          .replace("frame-ancestors 'none'", "report-uri /r"))
    assert sniffing.biggest_gain == "add frame-ancestors 'none' to the Content-Security-Policy — +35 points, grade B → A+"
    assert {p.name: p.state for p in sniffing.headers}["X-Content-Type-Options"] == "warn"


def test_cookie_gain_names_the_flags_and_cookies_the_fixes_add() -> None:
    raw = STRONG + "set-cookie: sessionid=1; Path=/\nset-cookie: theme=dark; Secure; SameSite=Lax\n"
    s = summary_of(raw)
    assert s.biggest_gain.startswith("add Secure, HttpOnly and SameSite to the cookies (sessionid) — +")
    fixes = check_raw("HTTP/2 200\n" + raw, url=HTTPS).fixes
    assert "proxy_cookie_flags sessionid secure httponly samesite=lax;" in fixes["nginx"]
    assert "theme" not in fixes["nginx"].split("proxy_cookie_flags", 1)[1]


def test_pills_for_report_only_and_failing_headers() -> None:
    s = summary_of("content-security-policy-report-only: default-src 'self'\nstrict-transport-security: max-age=60\n")
    states = {p.name: p.state for p in s.headers}
    assert states["Content-Security-Policy-Report-Only"] == "warn"
    assert states["Strict-Transport-Security"] == "warn" and states["X-Content-Type-Options"] == "missing"
    assert s.tone == "bad"


def test_cookie_repairs() -> None:
    lines = [
        "sessionid=1; Path=/",  # everything
        "XSRF-TOKEN=2; Secure; SameSite=Strict",  # fine: readable by script on purpose
        "prefs=3; SameSite=None",  # None needs Secure even on http
        "auth=4; Secure; HttpOnly; SameSite=Bogus",  # an invalid SameSite counts as none
        "sessionid=5; Secure; HttpOnly; SameSite=Lax",  # a repeat: the first one counts
    ]
    on_https = {r.name: r.flags for r in cookie_repairs(lines, https=True)}
    assert on_https == {"sessionid": ("Secure", "HttpOnly", "SameSite=Lax"), "prefs": ("Secure",),
                        "auth": ("SameSite=Lax",)}
    on_http = {r.name: r.flags for r in cookie_repairs(lines, https=False)}
    assert on_http["sessionid"] == ("HttpOnly", "SameSite=Lax") and on_http["prefs"] == ("Secure",)
    assert needed_flags(cookie_repairs(lines, https=True)) == ("Secure", "HttpOnly", "SameSite=Lax")
    odd = cookie_repairs(["odd.name=1", "a b=2"], https=True)
    assert [r.plain for r in odd] == [False, False]
