"""Security-header analysis scored exactly like the MDN HTTP Observatory (scoring versions 4, 5 and 6)."""

from __future__ import annotations

from toolbox.core.headers.analyze import TEST_IDS, analyze, observatory_would_scan, run_tests
from toolbox.core.headers.grading import grade_for_score
from toolbox.core.headers.model import FixGain, Hop, Report, ScanInput, TestResult
from toolbox.core.headers.raw import RawHeadersError, RawResponse, parse_raw_blocks, scan_input_from_raw

__all__ = [
    "TEST_IDS",
    "FixGain",
    "Hop",
    "RawHeadersError",
    "RawResponse",
    "Report",
    "ScanInput",
    "TestResult",
    "analyze",
    "grade_for_score",
    "observatory_would_scan",
    "parse_raw_blocks",
    "run_tests",
    "scan_input_from_raw",
]
