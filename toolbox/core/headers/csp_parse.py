"""The Observatory's CSP parser: merges several policies, keeping sources all of them allow."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

SHORTEST_POLICY_LENGTH = len("img-src") - 1
DISALLOWED_IN_META = ("frame-ancestors", "report-uri", "sandbox")
_ALLOWED_DUPLICATES = frozenset({"report-uri", "report-to"})
DUPLICATE_WARNINGS_KEY = "_observatory_duplicate_key_warnings"

# Approximates ICU root collation (JS Intl.Collator("en")) for the ASCII that sources use:
# punctuation before symbols, digits, then letters. Only the sort order feeds the
# "longer source with the same prefix is superfluous" rule, so ASCII fidelity suffices.
_ICU_ORDER = "_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz"
_RANK = {c: i for i, c in enumerate(_ICU_ORDER)}


class CspParseError(ValueError):
    """The policy is one the Observatory refuses to parse (too short, repeated directive)."""


@dataclass
class _Source:
    source: str
    index: int
    keep: bool


def _collation_key(text: str) -> tuple[int, ...]:
    return tuple(_RANK.get(c, len(_ICU_ORDER) + ord(c)) for c in text)


def _path_part_match(path_a: str, path_b: str) -> bool:
    """Whether source A covers source B by path segments (the Observatory's pathPartMatch)."""
    if not path_a:
        return True
    if path_a == "/" and not path_b:
        return True
    exact = not path_a.endswith("/")
    parts_a, parts_b = path_a.split("/"), path_b.split("/")
    if len(parts_a) > len(parts_b) or (exact and len(parts_a) != len(parts_b)):
        return False
    if not exact:
        parts_a.pop()
    return all(unquote(a) == unquote(b) for a, b in zip(parts_a, parts_b, strict=False))


def _merge(existing: list[_Source], values: list[_Source], first_policy: bool) -> list[_Source]:
    combined = list(values) if first_policy else [*existing, *values]
    combined.sort(key=lambda s: _collation_key(s.source))
    for prev, cur in zip(combined, combined[1:], strict=False):
        if cur.index == prev.index and cur.source.startswith(prev.source):
            cur.keep = False  # the longer source is superfluous within one policy
        if cur.index != prev.index and _path_part_match(prev.source, cur.source):
            cur.keep = True  # a source counts only when every policy allows it
    return [s for s in combined if s.keep]


def parse_csp(policies: list[str]) -> dict[str, set[str]]:
    """Parse one or more policies into directive -> sources, raising CspParseError if invalid."""
    cleaned = [re.sub(r"[\r\n]", "", p).strip() for p in policies]
    if not cleaned:
        return {}
    for policy in cleaned:
        if len(policy) < SHORTEST_POLICY_LENGTH:
            raise CspParseError(f"Invalid policy: {policy!r}")
    csp: dict[str, list[_Source]] = {}
    duplicates: set[str] = set()
    for index, policy in enumerate(cleaned):
        seen: set[str] = set()
        for entry in policy.split(";"):
            directive_entry, *value_entries = re.split(r"\s+", entry.strip())
            if not directive_entry:
                continue
            directive = directive_entry.lower()
            if directive in seen:
                if directive not in _ALLOWED_DUPLICATES:
                    raise CspParseError(f"Duplicate directive {directive} in policy {index}")
                duplicates.add(directive)
            seen.add(directive)
            keep = index == 0
            values = [_Source(raw.strip().lower(), index, keep) for raw in value_entries]
            if not values and directive.endswith("-src"):
                values = [_Source("'none'", index, keep)]
            csp[directive] = _merge(csp.get(directive, []), values, index == 0)
            if index == 0 and len(policies) > 1:
                for source in csp[directive]:
                    source.keep = False
    final = {d: ({s.source for s in sources} or {"'none'"}) for d, sources in csp.items()}
    if duplicates:
        final[DUPLICATE_WARNINGS_KEY] = duplicates
    return final


def parse_csp_meta(policies: list[str]) -> dict[str, set[str]]:
    """Parse policies from <meta http-equiv>, dropping directives only honoured in headers."""
    parsed = parse_csp(policies)
    for directive in DISALLOWED_IN_META:
        parsed.pop(directive, None)
    return parsed
