"""The findings' words: no doubled punctuation, a fix specific to each finding, inherited sources
named as such, lists joined like a sentence, withheld bonuses in plain words, and which findings
the page shows with the test that scores them."""

from __future__ import annotations

from toolbox.core.headers.findings import FINDING_IDS, SCORED_BY, analyze_findings
from toolbox.core.headers.grading import build_report, make_result
from toolbox.core.headers.model import Report, TestResult
from toolbox.core.headers.profiles import PROFILES

URL = "https://example.test/"

V5 = PROFILES["v5"]


def result_of(test_id: str, result: str, passed: bool) -> TestResult:
    return make_result(test_id, result, passed, None, V5)


def report_of(results: list[TestResult]) -> Report:
    return build_report(results, V5)


def _found(csp: str) -> dict[str, tuple[str, str, str | None]]:
    return {f.id: (f.title, f.detail, f.fix)
            for f in analyze_findings((("Content-Security-Policy", csp),), URL)}


def test_a_scheme_source_is_quoted_without_a_doubled_colon() -> None:
    found = _found("default-src 'none'; script-src 'self' data: https:; object-src 'none'; base-uri 'none'")
    _title, detail, _fix = found["csp-script-src-scheme"]
    assert detail == "script-src allows any data: or https: URL, whatever its host."
    assert "::" not in detail


def test_each_broad_source_gets_the_fix_of_its_own_directive() -> None:
    found = _found("default-src *; script-src *; base-uri *")
    fixes = {fid: found[fid][2] for fid in ("csp-script-src-wildcard", "csp-object-src-wildcard",
                                            "csp-base-uri-wildcard")}
    assert len(set(fixes.values())) == 3  # not one shared text
    assert "script-src" in (fixes["csp-script-src-wildcard"] or "")
    assert "object-src" not in (fixes["csp-script-src-wildcard"] or "")
    assert "base-uri" not in (fixes["csp-script-src-wildcard"] or "")
    assert fixes["csp-object-src-wildcard"] == "Add object-src 'none' (plugins are rarely needed)."
    assert fixes["csp-base-uri-wildcard"] == "Set base-uri 'none' (or 'self' if you use <base>)."


def test_an_object_src_never_written_is_said_to_inherit_default_src() -> None:
    title, detail, _fix = _found("default-src *; script-src 'self'")["csp-object-src-wildcard"]
    assert title == "Wildcard source in object-src (inherited from default-src)"
    assert detail.startswith("object-src is not set, so it inherits default-src, which allows *")
    written_title, written, _ = _found("default-src 'self'; object-src *")["csp-object-src-wildcard"]
    assert written_title == "Wildcard source in object-src" and written.startswith("object-src allows *")


def test_hsts_preload_needs_are_joined_like_a_sentence() -> None:
    def detail(value: str) -> str:
        found = analyze_findings((("Strict-Transport-Security", value),), URL)
        return next(f.detail for f in found if f.id.startswith("hsts-preload"))

    assert detail("max-age=31536000") == ("For hstspreload.org the header needs includeSubDomains and the "
                                          "preload directive.")
    assert detail("max-age=300") == ("For hstspreload.org the header needs max-age ≥ 31536000 (is 300), "
                                     "includeSubDomains and the preload directive.")
    assert detail("max-age=31536000; includeSubDomains") == ("For hstspreload.org the header needs the "
                                                             "preload directive.")


def test_withheld_bonuses_are_plain_words() -> None:
    report = report_of([result_of("x-frame-options", "x-frame-options-not-implemented", False),
                           result_of("cookies", "cookies-session-without-httponly-flag", False),
                           result_of("referrer-policy", "referrer-policy-private", True)])
    assert report.withheld_bonuses == (
        "Your Referrer-Policy would earn +5, but bonuses only count once the score before bonuses "
        "reaches 90 (it is 50).",
    )


def test_findings_shown_with_a_test_are_documented_ids() -> None:
    assert set(SCORED_BY) <= set(FINDING_IDS)
    assert set(SCORED_BY.values()) == {"content-security-policy", "cookies"}
    assert "csp-missing-base-uri" not in SCORED_BY  # the Observatory does not score base-uri
