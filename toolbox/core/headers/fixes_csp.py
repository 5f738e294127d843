"""A stricter Content-Security-Policy built from the site's own one, re-graded before it is offered.

The rewrite keeps what the policy allows where that is safe and removes what makes the
Observatory's CSP test fail (and what the findings call dangerous):
- script-src (or, when the site has none, a new script-src built from default-src) loses
  'unsafe-inline', 'unsafe-eval', 'unsafe-hashes', data: and the dangerously broad sources
  (*, http:, https:, ftp:, http://*, …); 'strict-dynamic' goes when no nonce or hash backs it;
  an empty result becomes 'self';
- 'unsafe-eval' goes from default-src and style-src too (styles fall back to default-src), so
  inline styles keep working ('unsafe-inline' for styles only still passes);
- object-src becomes 'none' when missing or broad; base-uri 'none' when missing ('self' when it
  was broad); frame-ancestors is added when missing ('none', or 'self' for X-Frame-Options
  SAMEORIGIN sites);
- on an HTTPS site, http:// sources become https:// and ftp: sources go;
- a repeated directive is dropped (browsers use the first; the Observatory refuses the policy).
The result is graded again with our own CSP test; `passes` says whether it now passes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolbox.core.headers.csp import DANGEROUSLY_BROAD, csp_test
from toolbox.core.headers.headermap import HeaderMap

_UNSAFE_SCRIPT = DANGEROUSLY_BROAD | {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "data:"}
_NONCE_OR_HASH = ("'nonce-", "'sha256-", "'sha384-", "'sha512-")
_BROAD_BASE = re.compile(r"^(\*|[a-z][a-z0-9+.-]*:|[a-z][a-z0-9+.-]*://\*)$", re.IGNORECASE)


@dataclass(frozen=True)
class CspRewrite:
    """The stricter policy, the changes in words ("remove 'unsafe-inline' from script-src"), and
    whether our own grader passes it."""

    value: str
    changes: tuple[str, ...]
    passes: bool
    result: str


def _directives(policy: str) -> tuple[list[tuple[str, list[str]]], list[str]]:
    seen: dict[str, list[str]] = {}
    order: list[tuple[str, list[str]]] = []
    repeated: list[str] = []
    for part in policy.split(";"):
        tokens = part.split()
        if not tokens:
            continue
        name = tokens[0].lower()
        if name in seen:
            repeated.append(name)
            continue
        seen[name] = tokens[1:]
        order.append((name, seen[name]))
    return order, repeated


def _quote_list(items: list[str]) -> str:
    return ", ".join(items[:-1]) + (" and " if len(items) > 1 else "") + items[-1]


def _clean_script(sources: list[str], https: bool) -> tuple[list[str], list[str]]:
    """script sources without the unsafe ones (and what was removed)."""
    lowered = [s.lower() for s in sources]
    backed = any(s.startswith(_NONCE_OR_HASH) for s in lowered)
    kept: list[str] = []
    removed: list[str] = []
    for source, low in zip(sources, lowered, strict=True):
        if low in _UNSAFE_SCRIPT or low.startswith("ftp:") or (low == "'strict-dynamic'" and not backed):
            removed.append(source)
        elif https and low.startswith("http://"):
            kept.append("https://" + source[len("http://"):])
        else:
            kept.append(source)
    return kept or ["'self'"], removed


def _upgrade(sources: list[str]) -> tuple[list[str], bool]:
    """http:// sources as https://, http: as https:, ftp: sources dropped."""
    out: list[str] = []
    for source in sources:
        low = source.lower()
        if low.startswith("ftp:"):
            continue
        if low.startswith("http://"):
            out.append("https://" + source[len("http://"):])
        elif low == "http:":
            out.append("https:")
        else:
            out.append(source)
    return out or ["'none'"], out != sources


def stricter_policy(policy: str, https: bool, frame_ancestors: str = "'none'") -> CspRewrite:
    """Rewrite one policy (no commas) as described in the module docstring, then grade it."""
    order, repeated = _directives(policy)
    changes = [f"drop the repeated {name} (browsers ignore it)" for name in dict.fromkeys(repeated)]
    names = [name for name, _ in order]
    values = dict(order)
    if "script-src" in values:
        cleaned, removed = _clean_script(values["script-src"], https)
        if cleaned != values["script-src"]:
            values["script-src"] = cleaned
            if removed:
                changes.append(f"remove {_quote_list(removed)} from script-src")
            else:
                changes.append("load scripts over https:// only")
    else:
        base = values.get("default-src")
        cleaned, removed = _clean_script(base if base is not None else [], https)
        if base is None or cleaned != base:
            names.insert(names.index("default-src") + 1 if "default-src" in names else 0, "script-src")
            values["script-src"] = cleaned
            what = f"without {_quote_list(removed)}" if removed else "that limits scripts"
            changes.append(f"add script-src {' '.join(cleaned)} ({what})")
    for name in ("default-src", "style-src"):
        sources = values.get(name)
        if sources and any(s.lower() == "'unsafe-eval'" for s in sources):
            values[name] = [s for s in sources if s.lower() != "'unsafe-eval'"] or ["'self'"]
            changes.append(f"remove 'unsafe-eval' from {name}")
    default = [s.lower() for s in values.get("default-src", [])]
    object_src = values.get("object-src")
    if object_src is None and default != ["'none'"]:
        names.append("object-src")
        values["object-src"] = ["'none'"]
        changes.append("add object-src 'none'")
    elif object_src is not None and any(s.lower() in DANGEROUSLY_BROAD for s in object_src):
        values["object-src"] = ["'none'"]
        changes.append("set object-src 'none'")
    base_uri = values.get("base-uri")
    if base_uri is None:
        names.append("base-uri")
        values["base-uri"] = ["'none'"]
        changes.append("add base-uri 'none'")
    elif any(_BROAD_BASE.match(s) for s in base_uri):
        values["base-uri"] = ["'self'"]
        changes.append("set base-uri 'self'")
    if "frame-ancestors" not in values:
        names.append("frame-ancestors")
        values["frame-ancestors"] = [frame_ancestors]
        changes.append(f"add frame-ancestors {frame_ancestors}")
    if https:
        for name in names:
            if name in ("script-src",):
                continue
            upgraded, changed = _upgrade(values[name]) if values[name] else (values[name], False)
            if changed:
                values[name] = upgraded
                changes.append(f"load {name} sources over https:// only")
    value = "; ".join(" ".join([name, *values[name]]) for name in names)
    outcome = csp_test(HeaderMap((("Content-Security-Policy", value),)), [], https, True)  # one policy
    return CspRewrite(value, tuple(changes), outcome.passed, outcome.result)
