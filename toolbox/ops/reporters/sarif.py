"""A header check as SARIF 2.1.0 (one run), the format GitHub code scanning and other dashboards read.

Rules: every Observatory test and every finding id, whether or not this check produced them, so the
rule list is the same on every run. Results: each failed test (level from its score modifier) and each
finding (level from its severity), located at the checked URL, with `partialFingerprints` that depend
only on the rule and the URL, so a dashboard tracks one alert per problem across runs.
"""

from __future__ import annotations

import hashlib
import re
from importlib import metadata
from typing import Any, Literal
from urllib.parse import quote

import msgspec

from toolbox.core.findings import Severity
from toolbox.ops.headers import HeadersReport, TestOutcome
from toolbox.ops.reporters.gate import GateResult
from toolbox.ops.reporters.vocabulary import (
    FINDING_IDS,
    SCORED_BY,
    every_test_id,
    finding_title,
    guide_of,
    title_of,
)

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
TOOL_NAME = "Toolbox headers"
PASTED_LOCATION = "pasted-headers"  # the artifact of pasted headers checked without a URL
FINGERPRINT = "toolboxHeaders/v1"
Level = Literal["error", "warning", "note"]
LEVEL_OF_SEVERITY: dict[str, Level] = {
    "critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note",
}  # fmt: skip
# GitHub's security-severity scale: 9.0+ critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low.
SECURITY_SEVERITY: dict[str, str] = {
    "critical": "9.5",
    "high": "8.0",
    "medium": "5.5",
    "low": "3.0",
    "info": "1.0",
}
_SEMVER = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def toolbox_version() -> str:
    """The installed toolbox package's version (the driver's version in SARIF)."""
    try:
        return metadata.version("toolbox")
    except metadata.PackageNotFoundError:
        return "0.0.0+unknown"


def uri_reference(text: str) -> str:
    """`text` as a valid URI reference: spaces, controls and non-ASCII percent-encoded, a stray % too."""
    return quote(_PERCENT.sub("%25", text), safe=":/?#[]@!$&'()*+,;=%~-._")


def test_level(test: TestOutcome) -> Level:
    """A failed test's level: error from -20 points down, warning below 0, note otherwise."""
    if test.score_modifier <= -20:
        return "error"
    return "warning" if test.score_modifier < 0 else "note"


def _fingerprint(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _pascal(identifier: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^0-9A-Za-z]+", identifier) if part)


def _rules(report: HeadersReport) -> list[dict[str, Any]]:
    """A rule for every test and finding id a check can report (and any this report has beyond them)."""
    rules: list[dict[str, Any]] = []
    for test_id in every_test_id(*(test.id for test in report.tests)):
        title = title_of(test_id)
        rules.append(
            {
                "id": test_id,
                "name": _pascal(test_id),
                "shortDescription": {"text": title},
                "fullDescription": {
                    "text": f"{title}: one of the tests of the MDN HTTP Observatory's "
                    "scoring. Its result adds a score modifier to the score."
                },
                "helpUri": guide_of(test_id),
                "help": {
                    "text": f"{title}. A failing result is reported with its score modifier, the "
                    f"Observatory's explanation and recommendation. Guide: {guide_of(test_id)}",
                    "markdown": f"**{title}**: a failing result is reported with its score modifier, the "
                    f"Observatory's explanation and recommendation. [MDN guide]({guide_of(test_id)})",
                },
                "defaultConfiguration": {"level": "warning"},
                "properties": {"tags": ["security", "headers", "observatory"], "precision": "very-high"},
            }
        )
    unknown = {f.id: f.severity for f in report.findings if f.id not in FINDING_IDS}
    for finding_id, severity in {**FINDING_IDS, **unknown}.items():
        title = finding_title(finding_id)
        scored = SCORED_BY.get(finding_id)
        also = f" It explains what the {title_of(scored)} test scores." if scored else ""
        rules.append(
            {
                "id": finding_id,
                "name": _pascal(finding_id),
                "shortDescription": {"text": title},
                "fullDescription": {
                    "text": f"{title} (finding {finding_id}, usually {severity}). Findings go "
                    f"beyond the Observatory's grade and never change the score.{also}"
                },
                "help": {
                    "text": f"{title}. The result's message says what was found and how to fix it.{also}"
                },
                "defaultConfiguration": {"level": LEVEL_OF_SEVERITY[severity]},
                "properties": {
                    "tags": ["security", "headers", "finding"],
                    "precision": "high",
                    "security-severity": SECURITY_SEVERITY[severity],
                },
            }
        )
    return rules


def _baseline_states(gate: GateResult | None) -> dict[tuple[str, str], str] | None:
    if gate is None or gate.comparison is None:
        return None
    states = {"test": "new", "test-worse": "updated", "finding": "new", "finding-worse": "updated"}
    return {
        (("finding" if r.kind.startswith("finding") else "test"), r.id): states[r.kind]
        for r in gate.comparison.regressions
        if r.kind in states
    }


def sarif_log(
    report: HeadersReport, *, location: str, version: str, gate: GateResult | None = None
) -> dict[str, Any]:
    """The SARIF 2.1.0 log of one check of `location` (the URL checked, or PASTED_LOCATION).

    `version` is the tool's version (`toolbox_version()`); with `gate`, the run records the gate's
    verdict (exit code, notifications) and results carry their `baselineState` against the baseline.
    """
    uri = uri_reference(location)
    rules = _rules(report)
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    states = _baseline_states(gate)
    physical = {"artifactLocation": {"uri": uri}, "region": {"startLine": 1}}
    results: list[dict[str, Any]] = []
    for test in report.tests:
        if test.passed is not False:
            continue
        result = test.result or "not measurable"
        text = f"{test.title}: {result} ({test.score_modifier:+d} points). {test.explanation}"
        if test.recommendation:
            text += f" Recommendation: {test.recommendation}"
        results.append(
            _result(
                test.id,
                index[test.id],
                test_level(test),
                text,
                physical,
                _fingerprint("test", test.id, uri),
                states,
                ("test", test.id),
                {"result": result, "scoreModifier": test.score_modifier, "link": test.link},
            )
        )
    seen: dict[str, int] = {}
    for finding in report.findings:
        occurrence = seen[finding.id] = seen.get(finding.id, -1) + 1
        text = f"{finding.title}: {finding.detail}"
        if finding.fix:
            text += f" Fix: {finding.fix}"
        properties: dict[str, Any] = {"severity": finding.severity}
        if finding.mdn:
            properties["link"] = finding.mdn
        if finding.id in SCORED_BY:
            properties["scoredBy"] = SCORED_BY[finding.id]
        results.append(
            _result(
                finding.id,
                index[finding.id],
                _severity_level(finding.severity),
                text,
                physical,
                _fingerprint("finding", finding.id, uri, str(occurrence)),
                states,
                ("finding", finding.id),
                properties,
            )
        )
    driver: dict[str, Any] = {"name": TOOL_NAME, "version": version, "rules": rules}
    if _SEMVER.match(version):
        driver["semanticVersion"] = version
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "invocations": [_invocation(gate)],
        "artifacts": [
            {
                "location": {"uri": uri},
                "description": {
                    "text": "The URL whose response headers were graded"
                    if location != PASTED_LOCATION
                    else "Pasted response headers"
                },
            }
        ],
        "results": results,
        "columnKind": "unicodeCodePoints",
        "properties": {
            "grade": report.grade,
            "score": report.score,
            "uncurvedScore": report.uncurved_score,
            "algorithmVersion": report.algorithm_version,
            "finalUrl": report.final_url,
            "testsPassed": sum(1 for t in report.tests if t.passed),
            "testsMeasured": sum(1 for t in report.tests if t.passed is not None),
            **({"gate": msgspec.to_builtins(gate)} if gate is not None else {}),
        },
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _severity_level(severity: Severity) -> Level:
    return LEVEL_OF_SEVERITY[severity]


def _result(
    rule_id: str,
    rule_index: int,
    level: Level,
    text: str,
    physical: dict[str, Any],
    fingerprint: str,
    states: dict[tuple[str, str], str] | None,
    key: tuple[str, str],
    properties: dict[str, Any],
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": rule_id,
        "ruleIndex": rule_index,
        "level": level,
        "message": {"text": text},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {FINGERPRINT: fingerprint},
        "properties": properties,
    }
    if states is not None:
        result["baselineState"] = states.get(key, "unchanged")
    return result


def _invocation(gate: GateResult | None) -> dict[str, Any]:
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if gate is None:
        return invocation
    notifications: list[dict[str, Any]] = [
        {"level": "error", "message": {"text": text}} for text in gate.failures
    ]
    if gate.comparison is not None:
        notifications += [
            {"level": "warning", "message": {"text": r.message}} for r in gate.comparison.regressions
        ]
        notifications += [{"level": "note", "message": {"text": text}} for text in gate.comparison.warnings]
    invocation["exitCode"] = 0 if gate.passed else 1
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return invocation
