"""Inputs and results of the header analysis (frozen dataclasses, no logic)."""

from __future__ import annotations

from dataclasses import dataclass, field

from toolbox.core.net.model import Hop as Hop  # the one Hop type, shared with the fetcher

Headers = tuple[tuple[str, str], ...]




@dataclass(frozen=True)
class Verdict:
    """One test's outcome: the Observatory's result name, whether it passes (None: not measurable),
    and extra facts shown beside it."""

    result: str | None
    passed: bool | None
    data: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ScanInput:
    """Everything the Observatory's ten tests look at for one scanned site.

    `url` is the URL that was scanned (its scheme decides the HTTPS-only checks, as the
    Observatory's session URL does); `headers`/`body` are the final response's.
    `https_chain` holds every hop of the scanned URL's chain, final one included (their
    cookies land in the same jar); `http_chain` is the probe of the `http://` form:
    `None` means not measurable (pasted headers), `()` means nothing answered over HTTP.
    `cors_headers` is the answer to a preflight sent with `cors_origin`; `None` falls
    back to the final response's headers. A reflected `cors_origin` with credentials is
    recorded in the test's data but, as in the live Observatory, not scored.
    """

    url: str
    headers: Headers
    body: str = ""
    status: int = 200
    https_chain: tuple[Hop, ...] = ()
    http_chain: tuple[Hop, ...] | None = None
    http_chain_verified: bool = True
    tls_verified: bool = True
    cors_headers: Headers | None = None
    cors_origin: str | None = None
    hsts_preload: tuple[tuple[str, bool], ...] = ()  # (host, includeSubDomains) entries


@dataclass(frozen=True)
class TestResult:
    """The outcome of one Observatory test (`result` is None when not measurable)."""

    __test__ = False  # not a pytest test class, despite its name

    id: str
    passed: bool | None
    result: str | None
    score_modifier: int
    explanation: str
    recommendation: str = ""
    link: str = ""
    data: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class FixGain:
    """What moving one test to its best result would do to the total."""

    test_id: str
    to_result: str
    new_score: int
    new_grade: str
    gain: int


@dataclass(frozen=True)
class Report:
    """Score, grade and per-test results, with the extra-credit breakdown."""

    score: int
    grade: str
    tests: tuple[TestResult, ...]
    uncurved_score: int
    score_with_extra_credit: int
    extra_credit_applied: bool
    withheld_bonuses: tuple[str, ...] = field(default=())
    best_fix: FixGain | None = None
    fixes: tuple[FixGain, ...] = ()
    algorithm_version: int = 4
    scoring: str = "v4"  # the profile's name (profiles.py)

    def test(self, test_id: str) -> TestResult:
        """Return the result of the test with this Observatory id."""
        for item in self.tests:
            if item.id == test_id:
                return item
        raise KeyError(test_id)
