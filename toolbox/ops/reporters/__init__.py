"""What CI pipelines read from a header check: the gate (minimum grade, regressions against a baseline),
SARIF 2.1.0 and JUnit XML. Builders take a HeadersReport and plain values and return data: no I/O."""

from __future__ import annotations

from toolbox.ops.reporters.gate import (
    MAX_BASELINE_CHARS,
    Baseline,
    BaselineError,
    Comparison,
    FailOn,
    GateResult,
    Regression,
    compare,
    evaluate,
    parse_baseline,
    parse_fail_on,
)
from toolbox.ops.reporters.junit import junit_xml
from toolbox.ops.reporters.sarif import PASTED_LOCATION, sarif_log, toolbox_version

__all__ = [
    "MAX_BASELINE_CHARS", "PASTED_LOCATION", "Baseline", "BaselineError", "Comparison", "FailOn",
    "GateResult", "Regression", "compare", "evaluate", "junit_xml", "parse_baseline", "parse_fail_on",
    "sarif_log", "toolbox_version",
]  # fmt: skip
