"""A header check as JUnit XML, the test report GitLab, Jenkins and GitHub test reporters show.

One <testsuite> per check, named by the URL. The test cases are the same on every run, so a
reporter can tell "newly failed" from "still failing" and "fixed" (GitLab's merge-request widget,
Jenkins' test history): a case for each Observatory test (classname `headers.<test id>`: a failure
when it fails, <skipped> when not measurable) and a case for each finding id of the documented
vocabulary (classname `headers.findings.<id>`: a failure when the finding is present at severity low
or above; an info finding passes with its text in <system-out>). With a gate, `headers.gate` cases
say whether the grade is high enough and whether anything regressed since the baseline.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # nosec B405 - only builds XML, never parses any

from toolbox.core.findings import SEVERITY_ORDER, Finding
from toolbox.ops.headers import HeadersReport
from toolbox.ops.reporters.gate import REGRESSION_SEVERITY, GateResult
from toolbox.ops.reporters.vocabulary import FINDING_IDS, finding_title

FAILING_SEVERITY = REGRESSION_SEVERITY  # findings at this severity or above fail their case; info ones pass
MAX_MESSAGE = 500  # a message attribute is one line in most reporters; the full text is in the element
# Characters XML 1.0 cannot hold at all (not even as references): C0 controls but tab and line breaks,
# lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """`text` with every character XML 1.0 cannot carry shown as a \\uXXXX escape."""
    return _NOT_XML.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _one_line(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= MAX_MESSAGE else line[: MAX_MESSAGE - 1] + "…"


def _case(suite: ET.Element, classname: str, name: str) -> ET.Element:
    return ET.SubElement(
        suite, "testcase", {"classname": xml_text(classname), "name": xml_text(name), "time": "0"}
    )


def _add(parent: ET.Element, tag: str, message: str = "", kind: str = "", text: str = "") -> None:
    attributes = {}
    if message:
        attributes["message"] = xml_text(_one_line(message))
    if kind:
        attributes["type"] = xml_text(kind)
    element = ET.SubElement(parent, tag, attributes)
    if text:
        element.text = xml_text(text)


def _finding_text(findings: list[Finding]) -> str:
    return "\n\n".join(
        "\n".join(
            filter(None, [f"[{f.severity}] {f.title}", f.detail, f"Fix: {f.fix}" if f.fix else "", f.mdn])
        )
        for f in findings
    )


def junit_xml(
    report: HeadersReport, *, location: str, gate: GateResult | None = None, timestamp: str | None = None
) -> str:
    """The JUnit XML document of one check of `location` (the URL checked, or the pasted-headers name).

    `timestamp` (ISO 8601, given by the caller: builders read no clock) is the suite's start time.
    """
    suite = ET.Element("testsuite", {"name": xml_text(location)})
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("grade", report.grade),
        ("score", str(report.score)),
        ("uncurved_score", str(report.uncurved_score)),
        ("final_url", report.final_url),
        ("algorithm_version", str(report.algorithm_version)),
    ):
        ET.SubElement(properties, "property", {"name": name, "value": xml_text(value)})
    failures = skipped = tests = 0
    for test in report.tests:
        tests += 1
        case = _case(suite, f"headers.{test.id}", test.title)
        if test.passed is None:
            skipped += 1
            _add(case, "skipped", message=f"not measurable: {test.explanation}")
        elif not test.passed:
            failures += 1
            result = test.result or "not measurable"
            _add(
                case,
                "failure",
                message=f"{result} ({test.score_modifier:+d}): {test.explanation}",
                kind=result,
                text="\n".join(
                    filter(
                        None,
                        [
                            f"Result: {result} ({test.score_modifier:+d} points)",
                            test.explanation,
                            f"Recommendation: {test.recommendation}" if test.recommendation else "",
                            test.link,
                        ],
                    )
                ),
            )
    present: dict[str, list[Finding]] = {}
    for finding in report.findings:
        present.setdefault(finding.id, []).append(finding)
    threshold = SEVERITY_ORDER[FAILING_SEVERITY]
    for finding_id in [*FINDING_IDS, *(i for i in present if i not in FINDING_IDS)]:
        tests += 1
        case = _case(suite, f"headers.findings.{finding_id}", finding_title(finding_id))
        found = present.get(finding_id)
        if not found:
            continue
        worst = min(found, key=lambda f: SEVERITY_ORDER[f.severity])
        if SEVERITY_ORDER[worst.severity] <= threshold:
            failures += 1
            _add(
                case,
                "failure",
                message=f"[{worst.severity}] {worst.title}: {worst.detail}",
                kind=worst.severity,
                text=_finding_text(found),
            )
        else:
            _add(case, "system-out", text=_finding_text(found))
    if gate is not None:
        if gate.min_grade:
            tests += 1
            case = _case(suite, "headers.gate", f"grade at least {gate.min_grade}")
            grade_failure = next((f for f in gate.failures if f.startswith("grade ")), None)
            if grade_failure:
                failures += 1
                _add(case, "failure", message=grade_failure, kind="grade-below", text=grade_failure)
        if gate.comparison is not None:
            comparison = gate.comparison
            tests += 1
            case = _case(suite, "headers.gate", "no regression since the baseline")
            lines = [r.message for r in comparison.regressions]
            if lines:
                failures += 1
                _add(
                    case,
                    "failure",
                    message=f"{len(lines)} regression(s) since the baseline "
                    f"({comparison.baseline_grade}, score {comparison.baseline_score})",
                    kind="regression",
                    text="\n".join([*lines, *comparison.warnings]),
                )
            elif comparison.improvements or comparison.warnings:
                _add(case, "system-out", text="\n".join([*comparison.improvements, *comparison.warnings]))
    elapsed = f"{max(report.elapsed, 0.0):.3f}"
    counts = {
        "tests": str(tests),
        "failures": str(failures),
        "errors": "0",
        "skipped": str(skipped),
        "time": elapsed,
    }
    suite.attrib.update(counts)
    if timestamp:
        suite.set("timestamp", xml_text(timestamp))
    root = ET.Element("testsuites", {"name": "toolbox headers", **counts})
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
