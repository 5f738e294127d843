"""Scoring profiles: which MDN HTTP Observatory version's tests and modifiers a grade follows.

- `v5` (default): scoring version 5, the code the public Observatory runs (release 1.6.3):
  X-Frame-Options `DENY`/`SAMEORIGIN` earns +5 instead of 0, several Content-Security-Policy
  headers are read as separate policies (1.6.2), and pages are read by a streaming tag scanner
  (htmlparser2, 1.5.3) instead of an HTML5 tree builder (jsdom): scripts and metas count
  wherever they stand (<template>, <noscript>, <svg>), `src` is taken as written, and a page
  without a Content-Type has its scripts checked.
- `v4`: scoring version 4, the package on npm (@mdn/mdn-http-observatory 1.4.8).
- `v6` ("next"): upstream `main`, scoring version 6: version 5 plus Cross-Origin-Opener-Policy
  and Cross-Origin-Embedder-Policy tests (+10 each when set, -5 when invalid).

Each profile equals its oracle on every recorded case (tests/unit/headers/observatory_cases*.json).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args

Scoring = Literal["v5", "v4", "v6"]
SCORINGS: tuple[Scoring, ...] = get_args(Scoring)
DEFAULT_SCORING: Scoring = "v5"
NEXT_SCORING: Scoring = "v6"  # unreleased upstream: the page shows what a site would get under it

_TESTS_V4 = (
    "content-security-policy",
    "cookies",
    "cross-origin-resource-sharing",
    "redirection",
    "referrer-policy",
    "strict-transport-security",
    "subresource-integrity",
    "x-content-type-options",
    "x-frame-options",
    "cross-origin-resource-policy",
)
# Version 6 runs COEP and COOP after cookies (upstream's ALL_TESTS order).
_TESTS_V6 = (*_TESTS_V4[:2], "cross-origin-embedder-policy", "cross-origin-opener-policy", *_TESTS_V4[2:])


# Results of the tests not every version runs, by their prefix.
_ONLY_IN = {"coop": "cross-origin-opener-policy", "coep": "cross-origin-embedder-policy"}


@dataclass(frozen=True)
class ScoringProfile:
    """One Observatory scoring version: its tests, in order, and the modifiers it changed."""

    name: Scoring
    algorithm_version: int
    observatory: str  # the upstream code it follows
    label: str  # what the page calls it
    test_ids: tuple[str, ...]
    modifiers: Mapping[str, int] = field(default_factory=dict)  # changes to score_table.SCORE_TABLE
    csp_policies_apart: bool = False  # several CSP headers are several policies (1.6.2)
    tag_scanner: bool = False  # htmlparser2's view of a page (1.5.3), not jsdom's

    def scores(self, result: str) -> bool:
        """Whether this version can give `result` (COOP and COEP results exist from version 6 on)."""
        test_id = _ONLY_IN.get(result.split("-", 1)[0])
        return test_id is None or test_id in self.test_ids

    @property
    def title(self) -> str:
        """E.g. "Observatory scoring v5 (current)"."""
        return f"Observatory scoring v{self.algorithm_version} ({self.label})"


_CHANGED_IN_V5 = {"x-frame-options-sameorigin-or-deny": 5}
PROFILES: dict[Scoring, ScoringProfile] = {
    "v4": ScoringProfile("v4", 4, "MDN HTTP Observatory 1.4.8 (npm)", "npm 1.4.8", _TESTS_V4),
    "v5": ScoringProfile("v5", 5, "MDN HTTP Observatory 1.6.3 (the public site)", "current", _TESTS_V4,
                         _CHANGED_IN_V5, csp_policies_apart=True, tag_scanner=True),
    "v6": ScoringProfile("v6", 6, "MDN HTTP Observatory main (unreleased)", "next", _TESTS_V6,
                         _CHANGED_IN_V5, csp_policies_apart=True, tag_scanner=True),
}


def profile(name: Scoring | str = DEFAULT_SCORING) -> ScoringProfile:
    """The profile called `name`; KeyError for any other."""
    return PROFILES[name]  # type: ignore[index]
