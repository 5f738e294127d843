"""`toolbox headers --format text|json|sarif|junit`, `--fail-on`, `--baseline`: CI formats and the gate.

Pasted headers only (--raw): nothing is fetched. SARIF is validated against the official OASIS
schema (tests/conformance/sarif/), JUnit is parsed back and its counts checked.
"""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from jsonschema import Draft7Validator

from tests.conftest import ROOT
from toolbox.cli import main
from toolbox.core.headers.findings import FINDING_IDS
from toolbox.ops.reporters import PASTED_LOCATION, parse_fail_on
from toolbox.ops.reporters.junit import xml_text
from toolbox.ops.reporters.sarif import uri_reference
from toolbox.ops.reporters.vocabulary import FINDING_TITLES, every_test_id

SCHEMA = json.loads((ROOT / "tests" / "conformance" / "sarif" / "sarif-schema-2.1.0.json").read_text())
SARIF = Draft7Validator(SCHEMA, format_checker=Draft7Validator.FORMAT_CHECKER)
URL = "https://app.example.com/"

# The app's own headers: every test passes (A+).
GOOD = """HTTP/2 200
content-type: text/html; charset=utf-8
strict-transport-security: max-age=63072000; includeSubDomains
content-security-policy: default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'
x-content-type-options: nosniff
x-frame-options: DENY
referrer-policy: no-referrer
permissions-policy: camera=(), geolocation=()
cross-origin-opener-policy: same-origin
cross-origin-resource-policy: same-origin
"""
# The page's "shop" sample: a weak CSP, a session cookie without flags.
SHOP = """HTTP/2 200
content-type: text/html; charset=utf-8
server: nginx/1.18.0
x-powered-by: PHP/8.1.2
strict-transport-security: max-age=31536000
content-security-policy: default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.example.net; img-src * data:
x-content-type-options: nosniff
referrer-policy: strict-origin-when-cross-origin
set-cookie: PHPSESSID=8f2c1e0b9a; path=/
set-cookie: cart_id=41; path=/; Secure; SameSite=Lax
"""
# Many failures and findings at once.
BAD = """HTTP/1.1 200 OK
Content-Type: text/html
Server: Apache/2.4.1 (Unix) PHP/5.4
X-Powered-By: ASP.NET
X-AspNet-Version: 4.0.30319
Content-Security-Policy-Report-Only: default-src *
X-Frame-Options: ALLOWALL
X-Frame-Options: DENY
X-Content-Type-Options: sniff
Referrer-Policy: unsafe-url
Strict-Transport-Security: max-age=60; preload
X-XSS-Protection: 1
Expect-CT: max-age=0
Public-Key-Pins: pin-sha256="x"; max-age=1
Feature-Policy: camera *
Permissions-Policy: geolocation=*
Cross-Origin-Opener-Policy: bogus
Access-Control-Allow-Origin: null
Access-Control-Allow-Credentials: true
Set-Cookie: sessionid=1; SameSite=None
Set-Cookie: __Host-x=1; Domain=example.com
Set-Cookie: csrftoken=2; SameSite=Sideways
"""
# Header values with everything an XML or JSON writer must escape.
HOSTILE = (
    "HTTP/2 200\n"
    "content-type: text/html\n"
    "server: nginx/1.0 <b>&amp;\"quoted\"</b> ]]> \x01\x1b[31m é 中文 🙂 \u202eevil\n"
    "x-powered-by: </failure><script>alert('x')</script>\n"
    "content-security-policy: script-src 'unsafe-inline' <x> \"&\"; bogus-directive \u0000 é\n"
    "set-cookie: s\u00e9ssion<&>=1; path=/\n"
    "cross-origin-opener-policy: \"'<&>\x7f\n"
)


def run(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=stdin)


def raw(tmp_path: Path, text: str, name: str = "headers.txt") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def report_json(tmp_path: Path, text: str, url: str = URL) -> dict[str, Any]:
    result = run("headers", "--raw", raw(tmp_path, text, "baseline-source.txt"), url, "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def write_json(tmp_path: Path, data: object, name: str = "baseline.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


# --- SARIF -------------------------------------------------------------------------------------

def sarif_of(tmp_path: Path, text: str, *args: str) -> tuple[dict[str, Any], Result]:
    result = run("headers", "--raw", raw(tmp_path, text), *args, "--format", "sarif")
    return json.loads(result.stdout), result


@pytest.mark.parametrize(("text", "url"), [(GOOD, URL), (SHOP, URL), (BAD, URL), (HOSTILE, URL), (SHOP, None),
                                           (HOSTILE, "https://exa mple.com/<a>?q=\"é\"&x=%zz#\x01")])
def test_sarif_is_valid_against_the_official_schema(tmp_path: Path, text: str, url: str | None) -> None:
    log, result = sarif_of(tmp_path, text, *([url] if url else []))
    assert result.exit_code == 0, result.output
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in SARIF.iter_errors(log)]
    assert errors == []
    (run_,) = log["runs"]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "Toolbox headers" and driver["version"]
    rule_ids = [rule["id"] for rule in driver["rules"]]
    assert len(rule_ids) == len(set(rule_ids)), "a test id and a finding id collide"
    assert set(FINDING_IDS) <= set(rule_ids) and set(every_test_id()) <= set(rule_ids)
    report = json.loads(run("headers", "--raw", raw(tmp_path, text), *([url] if url else []), "--json").stdout)
    failed = [t for t in report["tests"] if t["pass"] is False]
    assert len(run_["results"]) == len(failed) + len(report["findings"])
    for item in run_["results"]:
        assert driver["rules"][item["ruleIndex"]]["id"] == item["ruleId"]
        assert item["message"]["text"] and item["partialFingerprints"]
        location = item["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert location == (uri_reference(report["final_url"]) if url else PASTED_LOCATION)
    assert run_["properties"]["grade"] == report["grade"] and run_["properties"]["score"] == report["score"]


def test_sarif_levels_follow_modifiers_and_severities(tmp_path: Path) -> None:
    log, _ = sarif_of(tmp_path, BAD, URL)
    report = json.loads(run("headers", "--raw", raw(tmp_path, BAD), URL, "--json").stdout)
    levels = {r["ruleId"]: r["level"] for r in log["runs"][0]["results"]}
    for test in report["tests"]:
        if test["pass"] is False:
            modifier = test["score_modifier"]
            expected = "error" if modifier <= -20 else "warning" if modifier < 0 else "note"
            assert levels[test["id"]] == expected, test["id"]
    for finding in report["findings"]:
        expected = {"critical": "error", "high": "error", "medium": "warning"}.get(finding["severity"], "note")
        assert levels[finding["id"]] == expected
    assert {"error", "warning", "note"} <= set(levels.values())


def test_sarif_fingerprints_are_stable_and_name_the_url(tmp_path: Path) -> None:
    first, _ = sarif_of(tmp_path, SHOP, URL)
    again, _ = sarif_of(tmp_path, SHOP + "date: Sat, 05 Dec 2026 12:00:01 GMT\n", URL)
    elsewhere, _ = sarif_of(tmp_path, SHOP, "https://other.example.com/")

    def prints(log: dict[str, Any]) -> dict[str, str]:
        return {r["ruleId"]: r["partialFingerprints"]["toolboxHeaders/v1"] for r in log["runs"][0]["results"]}

    assert prints(first) == prints(again)
    assert set(prints(first).values()).isdisjoint(prints(elsewhere).values())
    assert len(set(prints(first).values())) == len(first["runs"][0]["results"])


def test_sarif_records_the_gate(tmp_path: Path) -> None:
    baseline = write_json(tmp_path, report_json(tmp_path, GOOD))
    log, result = sarif_of(tmp_path, SHOP, URL, "--baseline", baseline, "--fail-on", "regression",
                           "--fail-on", "grade-below:B")
    assert result.exit_code == 1
    assert SARIF.is_valid(log)
    (invocation,) = log["runs"][0]["invocations"]
    assert invocation["exitCode"] == 1 and invocation["executionSuccessful"] is True
    notes = [n["message"]["text"] for n in invocation["toolExecutionNotifications"]]
    assert any("below the minimum B" in n for n in notes) and any("score went down" in n for n in notes)
    states = {r["ruleId"]: r["baselineState"] for r in log["runs"][0]["results"]}
    assert states["csp-unsafe-inline"] == "new" and states["content-security-policy"] == "new"
    assert log["runs"][0]["properties"]["gate"]["passed"] is False


# --- JUnit -------------------------------------------------------------------------------------

def junit_of(tmp_path: Path, text: str, *args: str) -> tuple[ET.Element, Result]:
    result = run("headers", "--raw", raw(tmp_path, text), *args, "--format", "junit")
    return ET.fromstring(result.stdout.encode("utf-8")), result


@pytest.mark.parametrize("text", [GOOD, SHOP, BAD, HOSTILE])
def test_junit_parses_and_counts_match(tmp_path: Path, text: str) -> None:
    root, result = junit_of(tmp_path, text, URL)
    assert result.exit_code == 0, result.output
    report = json.loads(run("headers", "--raw", raw(tmp_path, text), URL, "--json").stdout)
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    failed = [c for c in cases if c.find("failure") is not None]
    skipped = [c for c in cases if c.find("skipped") is not None]
    assert suite.get("name") == report["final_url"]
    for element in (root, suite):
        assert int(element.get("tests", "-1")) == len(cases)
        assert int(element.get("failures", "-1")) == len(failed)
        assert int(element.get("skipped", "-1")) == len(skipped)
        assert element.get("errors") == "0"
    classnames = [c.get("classname") for c in cases]
    assert classnames[: len(report["tests"])] == [f"headers.{t['id']}" for t in report["tests"]]
    assert {f"headers.findings.{i}" for i in FINDING_IDS} <= set(classnames)
    failing_tests = {f"headers.{t['id']}" for t in report["tests"] if t["pass"] is False}
    not_measurable = {f"headers.{t['id']}" for t in report["tests"] if t["pass"] is None}
    failing_findings = {f"headers.findings.{f['id']}" for f in report["findings"] if f["severity"] != "info"}
    assert {c.get("classname") for c in failed} == failing_tests | failing_findings
    assert {c.get("classname") for c in skipped} == not_measurable


def test_junit_failure_carries_result_and_recommendation(tmp_path: Path) -> None:
    root, _ = junit_of(tmp_path, SHOP, URL)
    case = root.find(".//testcase[@classname='headers.x-frame-options']")
    assert case is not None
    failure = case.find("failure")
    assert failure is not None and failure.get("type") == "x-frame-options-not-implemented"
    assert "Recommendation: Implement frame-ancestors CSP." in (failure.text or "")
    redirection = root.find(".//testcase[@classname='headers.redirection']")
    assert redirection is not None and redirection.find("skipped") is not None  # pasted: not measurable


def test_junit_keeps_hostile_text(tmp_path: Path) -> None:
    url = "https://example.com/<a href=\"x\">&amp;]]>\x01é"
    root, result = junit_of(tmp_path, HOSTILE, url)
    assert result.exit_code == 0
    suite = root.find("testsuite")
    assert suite is not None and (suite.get("name") or "").startswith("https://example.com/<a href=\"x\">&amp;]]>")
    server = root.find(".//testcase[@classname='headers.findings.info-disclosure-server']/failure")
    assert server is not None
    assert 'nginx/1.0 <b>&amp;"quoted"</b> ]]> \\x01\\x1b[31m é 中文 🙂' in (server.text or "")
    assert 'nginx/1.0 <b>&amp;"quoted"</b> ]]>' in (server.get("message") or "")


def test_sarif_and_json_keep_hostile_text(tmp_path: Path) -> None:
    log, _ = sarif_of(tmp_path, HOSTILE, URL)
    texts = [r["message"]["text"] for r in log["runs"][0]["results"] if r["ruleId"] == "info-disclosure-server"]
    assert texts and '<b>&amp;"quoted"</b> ]]>' in texts[0] and "中文 🙂" in texts[0]
    report = json.loads(run("headers", "--raw", raw(tmp_path, HOSTILE), URL, "--json").stdout)
    assert any('"quoted"' in f["detail"] for f in report["findings"])


def test_xml_text_escapes_what_xml_cannot_hold() -> None:
    assert xml_text("a\x00b\x1bc\ud800d\ufffe\tok\n") == "a\\u0000b\\u001bc\\ud800d\\ufffe\tok\n"
    element = ET.Element("x", {"v": xml_text("\x01<&>\"")})
    element.text = xml_text("]]>\x0b")
    assert ET.fromstring(ET.tostring(element)).get("v") == "\\u0001<&>\""


def test_junit_gate_cases(tmp_path: Path) -> None:
    baseline = write_json(tmp_path, report_json(tmp_path, GOOD))
    root, result = junit_of(tmp_path, SHOP, URL, "--baseline", baseline, "--min-grade", "A")
    assert result.exit_code == 1
    gates = {c.get("name"): c for c in root.iter("testcase") if c.get("classname") == "headers.gate"}
    assert set(gates) == {"grade at least A", "no regression since the baseline"}
    assert all(case.find("failure") is not None for case in gates.values())


def test_every_finding_has_a_stable_title() -> None:
    assert set(FINDING_TITLES) == set(FINDING_IDS)


# --- formats and exit codes --------------------------------------------------------------------

def test_json_alias_and_format_json_are_the_same(tmp_path: Path) -> None:
    path = raw(tmp_path, SHOP)
    alias = json.loads(run("headers", "--raw", path, URL, "--json").stdout)
    explicit = json.loads(run("headers", "--raw", path, URL, "--format", "json", "--json").stdout)
    for data in (alias, explicit):
        data.pop("elapsed")
    assert alias == explicit and "gate" not in alias


def test_exit_codes(tmp_path: Path) -> None:
    good, shop = raw(tmp_path, GOOD, "good.txt"), raw(tmp_path, SHOP, "shop.txt")
    assert run("headers", "--raw", good, "--fail-on", "grade-below:A+").exit_code == 0
    assert run("headers", "--raw", shop).exit_code == 0  # no gate, no failure
    below = run("headers", "--raw", shop, "--min-grade", "B")
    assert below.exit_code == 1 and "below the minimum B" in below.stderr
    for fmt in ("text", "json", "sarif", "junit"):
        gated = run("headers", "--raw", shop, "--fail-on", "grade-below:b+", "--format", fmt)
        assert gated.exit_code == 1 and "below the minimum B+" in gated.stderr, fmt
    both = run("headers", "--raw", shop, "--min-grade", "D", "--fail-on", "grade-below:A")
    assert both.exit_code == 1 and "minimum A" in both.stderr  # the strictest applies
    usage = [
        ("--fail-on", "grade-below:Z"), ("--fail-on", "sometimes"), ("--fail-on", "regression"),
        ("--json", "--format", "sarif"), ("--format", "yaml"), ("--min-grade", "E"),
    ]
    for args in usage:
        result = run("headers", "--raw", good, *args)
        assert result.exit_code == 2, args
        assert "Traceback" not in result.output
    assert run("headers").exit_code == 2


def test_text_output_is_unchanged_without_a_baseline(tmp_path: Path) -> None:
    result = run("headers", "--raw", raw(tmp_path, SHOP), URL)
    assert result.stdout.startswith(f"{URL}: ")
    assert "Baseline" not in result.stdout


# --- baseline ----------------------------------------------------------------------------------

def gate_of(result: Result) -> dict[str, Any]:
    gate: dict[str, Any] = json.loads(result.stdout)["gate"]
    return gate


def test_the_same_report_is_no_regression(tmp_path: Path) -> None:
    baseline = write_json(tmp_path, report_json(tmp_path, SHOP))
    result = run("headers", "--raw", raw(tmp_path, SHOP), URL, "--baseline", baseline, "--fail-on", "regression")
    assert result.exit_code == 0, result.output
    assert "No regression." in result.stdout


def test_improvement_passes(tmp_path: Path) -> None:
    baseline = write_json(tmp_path, report_json(tmp_path, SHOP))
    result = run("headers", "--raw", raw(tmp_path, GOOD), URL, "--baseline", baseline, "--fail-on", "regression")
    assert result.exit_code == 0, result.output
    assert "Improved: score went up" in result.stdout


def test_score_drop_is_a_regression(tmp_path: Path) -> None:
    base = report_json(tmp_path, SHOP)
    base["score"] += 5
    path = write_json(tmp_path, base)
    result = run("headers", "--raw", raw(tmp_path, SHOP), URL, "--baseline", path, "--fail-on", "regression", "--json")
    assert result.exit_code == 1
    assert [r["kind"] for r in gate_of(result)["comparison"]["regressions"]] == ["score"]
    assert "regression: score went down" in result.stderr


def test_a_test_that_passed_and_now_fails_is_a_regression(tmp_path: Path) -> None:
    base = report_json(tmp_path, SHOP)
    xfo = next(t for t in base["tests"] if t["id"] == "x-frame-options")
    xfo["pass"] = True  # same modifier and score: only the test's verdict differs
    result = run("headers", "--raw", raw(tmp_path, SHOP), URL, "--baseline", write_json(tmp_path, base),
                 "--fail-on", "regression")
    assert result.exit_code == 1
    assert "Clickjacking protection passed, now fails" in result.stdout
    assert "1 regression since the baseline" in result.stderr


def test_a_lost_bonus_is_a_regression(tmp_path: Path) -> None:
    base = report_json(tmp_path, SHOP)
    referrer = next(t for t in base["tests"] if t["id"] == "referrer-policy")
    text = SHOP.replace("referrer-policy: strict-origin-when-cross-origin\n", "")
    current = report_json(tmp_path, text)
    assert next(t for t in current["tests"] if t["id"] == "referrer-policy")["score_modifier"] < \
        referrer["score_modifier"]
    result = run("headers", "--raw", raw(tmp_path, text), URL, "--baseline", write_json(tmp_path, base), "--json")
    assert result.exit_code == 0  # reported, but only --fail-on regression fails on it
    kinds = {(r["kind"], r["id"]) for r in gate_of(result)["comparison"]["regressions"]}
    assert ("test-worse", "referrer-policy") in kinds


def test_a_new_finding_is_a_regression(tmp_path: Path) -> None:
    base = report_json(tmp_path, SHOP)
    base["findings"] = [f for f in base["findings"] if f["id"] != "info-disclosure-x-powered-by"]
    result = run("headers", "--raw", raw(tmp_path, SHOP), URL, "--baseline", write_json(tmp_path, base),
                 "--fail-on", "regression", "--format", "junit")
    assert result.exit_code == 1
    root = ET.fromstring(result.stdout.encode())
    case = root.find(".//testcase[@name='no regression since the baseline']")
    assert case is not None
    failure = case.find("failure")
    assert failure is not None and "info-disclosure-x-powered-by" in (failure.text or "")


def test_a_new_info_finding_is_not_a_regression(tmp_path: Path) -> None:
    base = report_json(tmp_path, SHOP)
    info = [f["id"] for f in base["findings"] if f["severity"] == "info"]
    assert info
    base["findings"] = [f for f in base["findings"] if f["severity"] != "info"]
    result = run("headers", "--raw", raw(tmp_path, SHOP), URL, "--baseline", write_json(tmp_path, base),
                 "--fail-on", "regression")
    assert result.exit_code == 0, result.output


def test_a_more_severe_finding_is_a_regression(tmp_path: Path) -> None:
    base = report_json(tmp_path, SHOP)
    for finding in base["findings"]:
        if finding["id"] == "csp-unsafe-inline":
            finding["severity"] = "low"
    result = run("headers", "--raw", raw(tmp_path, SHOP), URL, "--baseline", write_json(tmp_path, base), "--json")
    assert [(r["kind"], r["current"]) for r in gate_of(result)["comparison"]["regressions"]] == [
        ("finding-worse", "high")]


def test_baseline_of_another_site_is_refused(tmp_path: Path) -> None:
    baseline = write_json(tmp_path, report_json(tmp_path, SHOP, "https://other.example.com/"))
    result = run("headers", "--raw", raw(tmp_path, SHOP), URL, "--baseline", baseline)
    assert result.exit_code == 2
    assert "report of https://other.example.com" in result.stderr
    pasted = write_json(tmp_path, report_json(tmp_path, SHOP, ""), "pasted.json")  # no URL: unknown.invalid
    assert run("headers", "--raw", raw(tmp_path, SHOP), URL, "--baseline", pasted).exit_code == 2
    assert run("headers", "--raw", raw(tmp_path, SHOP), "--baseline", pasted, "--fail-on", "regression"
               ).exit_code == 0


def test_baseline_of_another_page_of_the_site_warns(tmp_path: Path) -> None:
    baseline = write_json(tmp_path, report_json(tmp_path, SHOP, URL + "login"))
    result = run("headers", "--raw", raw(tmp_path, SHOP), URL, "--baseline", baseline, "--fail-on", "regression")
    assert result.exit_code == 0
    assert "warning:" in result.stderr and "compared anyway" in result.stderr


BAD_BASELINES: list[tuple[str, str | bytes]] = [
    ("array", "[1, 2]"), ("string", '"a report"'), ("number", "42"), ("null", "null"), ("empty", ""),
    ("truncated", '{"grade": "A", "score": 9'), ("not json", "grade: A\n"), ("wrong shape", '{"grade": "A"}'),
    ("bad grade", '{"grade": "Z", "score": 1, "tests": [], "findings": [], "final_url": "x"}'),
    ("tests of strings", '{"grade": "A", "score": 1, "tests": ["x"], "findings": [], "final_url": "x"}'),
    ("score a string", '{"grade": "A", "score": "90", "tests": [], "findings": [], "final_url": "x"}'),
    ("deep", '{"x": ' + "[" * 200_000 + "]" * 200_000 + "}"),
    ("not utf-8", b'{"grade": "\xff"}'),
    ("hostile enum", '{"grade": "' + "\u202e<&>\x1b" * 100_000 + '"}'),
]


@pytest.mark.parametrize(("name", "content"), BAD_BASELINES, ids=[n for n, _ in BAD_BASELINES])
def test_bad_baselines_are_usage_errors(tmp_path: Path, name: str, content: str | bytes) -> None:
    path = tmp_path / "baseline.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    result = run("headers", "--raw", raw(tmp_path, SHOP), URL, "--baseline", str(path), "--fail-on", "regression")
    assert result.exit_code == 2, (name, result.output)
    assert result.stderr.startswith(f"toolbox: --baseline {path}: "), result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert len(result.stderr) < 500 and "\u202e" not in result.stderr


def test_missing_and_huge_baselines(tmp_path: Path) -> None:
    missing = run("headers", "--raw", raw(tmp_path, SHOP), "--baseline", str(tmp_path / "nope.json"))
    assert missing.exit_code == 2 and "No such file" in missing.stderr
    huge = tmp_path / "huge.json"
    huge.write_text('{"pad": "' + "x" * (17 * 1024 * 1024) + '"}')
    result = run("headers", "--raw", raw(tmp_path, SHOP), "--baseline", str(huge))
    assert result.exit_code == 2 and "too large" in result.stderr
    directory = run("headers", "--raw", raw(tmp_path, SHOP), "--baseline", str(tmp_path))
    assert directory.exit_code == 2


def test_a_bom_and_extra_fields_are_accepted(tmp_path: Path) -> None:
    base = copy.deepcopy(report_json(tmp_path, SHOP))
    base["gate"] = {"passed": True}
    path = tmp_path / "baseline.json"
    path.write_text("\ufeff" + json.dumps(base), encoding="utf-8")
    result = run("headers", "--raw", raw(tmp_path, SHOP), URL, "--baseline", str(path), "--fail-on", "regression")
    assert result.exit_code == 0, result.output


def test_fail_on_parsing() -> None:
    assert parse_fail_on(["grade-below:b+", "regression"], "A").min_grade == "A"
    assert parse_fail_on([" Grade-Below: C ", "REGRESSION"]).regression is True
    for bad in ("grade-below", "grade-below:", "regression:yes", "grade:A", ""):
        with pytest.raises(ValueError, match="grade"):
            parse_fail_on([bad])
