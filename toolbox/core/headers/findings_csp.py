"""CSP evaluation in the spirit of Google's CSP Evaluator (findings only; never the score).

Several policies (several headers and/or comma-joined values) are all enforced: a resource
loads only when every policy allows it. So weaknesses that *allow* something (unsafe-inline,
wildcards, missing object-src, …) are reported only when every enforced policy has them;
configuration mistakes (weak nonce, deprecated directive, …) are reported from any policy.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from toolbox.core.headers.findings_base import MDN_HEADERS, Finding, Headers, Severity, shown, values_of

Policy = dict[str, tuple[str, ...]]
CSP_MDN = MDN_HEADERS + "Content-Security-Policy"
_NAME = re.compile(r"^[a-z0-9-]+$")
_SCHEME_ONLY = re.compile(r"^[a-z][a-z0-9+.-]*:$", re.IGNORECASE)
_BASE64 = re.compile(r"^[A-Za-z0-9+/_-]+={0,2}$")
NONCE_MIN = 16  # base64 characters; ~96 bits, so a nonce cannot be guessed
DEPRECATED = (
    "prefetch-src", "plugin-types", "referrer", "reflected-xss", "block-all-mixed-content",
    "disown-opener", "navigate-to",
)  # fmt: skip
KNOWN = frozenset(
    {
        "default-src", "script-src", "script-src-elem", "script-src-attr", "style-src",
        "style-src-elem", "style-src-attr", "img-src", "font-src", "connect-src", "media-src",
        "object-src", "frame-src", "child-src", "worker-src", "manifest-src", "fenced-frame-src",
        "base-uri", "form-action", "frame-ancestors", "sandbox", "report-uri", "report-to",
        "upgrade-insecure-requests", "require-trusted-types-for", "trusted-types",
        "webrtc", *DEPRECATED,
    }
)  # fmt: skip


def parse_policies(values: list[str]) -> tuple[list[Policy], list[str]]:
    """Split header values into policies (on ',') and directives (on ';'); first of a name wins.

    Returns the policies and the names of directives repeated inside one policy (ignored by
    browsers, so worth a finding).
    """
    policies: list[Policy] = []
    repeated: list[str] = []
    for value in values:
        for text in value.split(","):
            policy: Policy = {}
            for part in text.split(";"):
                tokens = part.split()
                if not tokens:
                    continue
                name = tokens[0].lower()
                if name in policy:
                    repeated.append(name)
                    continue
                policy[name] = tuple(tokens[1:])
            if policy:
                policies.append(policy)
    return policies, repeated


def _script_sources(policy: Policy) -> tuple[str, ...] | None:
    for name in ("script-src", "default-src"):
        if name in policy:
            return policy[name]
    return None


def _has_nonce_or_hash(sources: tuple[str, ...]) -> bool:
    return any(s.lower().startswith(("'nonce-", "'sha256-", "'sha384-", "'sha512-")) for s in sources)


def _is_wildcard(source: str) -> bool:
    host = source.split("://", 1)[-1]
    return source == "*" or host == "*" or host.startswith("*:") or host.startswith("*/")


def _permissive(sources: tuple[str, ...]) -> tuple[list[str], list[str]]:
    wild = [s for s in sources if _is_wildcard(s)]
    schemes = [s for s in sources if _SCHEME_ONLY.match(s)]
    return wild, schemes


def _effective(policy: Policy, directive: str) -> tuple[str, ...] | None:
    if directive in policy:
        return policy[directive]
    if directive == "object-src":
        return policy.get("default-src")
    return None  # base-uri does not fall back to default-src


def _allowing_checks(policy: Policy) -> dict[str, tuple[Severity, str, str]]:
    """Problems that let something through, keyed by id: (severity, title, detail)."""
    found: dict[str, tuple[Severity, str, str]] = {}
    script = _script_sources(policy)
    lowered = tuple(s.lower() for s in script) if script is not None else ()
    nonce_or_hash = _has_nonce_or_hash(lowered)
    strict_dynamic = "'strict-dynamic'" in lowered and nonce_or_hash
    if script is None:
        found["csp-no-script-restriction"] = (
            "high",
            "CSP does not restrict scripts",
            "Neither script-src nor default-src is set, so scripts load from anywhere.",
        )
    else:
        if "'unsafe-inline'" in lowered and not nonce_or_hash:
            found["csp-unsafe-inline"] = (
                "high",
                "'unsafe-inline' allows injected scripts",
                "script-src allows inline <script> and event handlers: the CSP does not stop XSS.",
            )
        if "'unsafe-eval'" in lowered:
            found["csp-unsafe-eval"] = (
                "medium",
                "'unsafe-eval' allows eval()",
                "script-src allows eval(), new Function() and string timers; injected strings become code.",
            )
        if "'unsafe-hashes'" in lowered:
            found["csp-unsafe-hashes"] = (
                "medium",
                "'unsafe-hashes' allows hashed event handlers",
                "Inline event handlers and javascript: URLs matching a hash may run; refactor them away.",
            )
        if "'wasm-unsafe-eval'" in lowered:
            found["csp-wasm-unsafe-eval"] = (
                "info",
                "'wasm-unsafe-eval' allows WebAssembly compilation",
                "Needed for WebAssembly; fine if the site uses it, otherwise remove it.",
            )
    for directive in ("script-src", "object-src", "base-uri"):
        sources = script if directive == "script-src" else _effective(policy, directive)
        if sources is None or (directive == "script-src" and strict_dynamic):
            continue  # with 'strict-dynamic' + nonce/hash, browsers ignore host and scheme sources
        wild, schemes = _permissive(sources)
        # object-src not written falls back to default-src: say where the source really is.
        inherited = directive == "object-src" and directive not in policy
        where = " (inherited from default-src)" if inherited else ""
        said = f"{directive} is not set, so it inherits default-src, which" if inherited else directive
        if wild:
            found[f"csp-{directive}-wildcard"] = (
                "high",
                f"Wildcard source in {directive}{where}",
                f"{said} allows {shown(' '.join(wild))}, so content from any host is accepted.",
            )
        if schemes:
            found[f"csp-{directive}-scheme"] = (
                "high",
                f"Plain scheme source in {directive}{where}",
                f"{said} allows any {shown(_or_list(schemes))} URL, whatever its host.",
            )
    if _effective(policy, "object-src") is None:
        found["csp-missing-object-src"] = (
            "medium",
            "object-src is missing",
            "Without object-src (or default-src) plugins such as <object>/<embed> may load from anywhere.",
        )
    if "base-uri" not in policy:
        found["csp-missing-base-uri"] = (
            "medium" if nonce_or_hash else "low",
            "base-uri is missing",
            "An injected <base href> can redirect relative script URLs"
            + (" and steal nonce-trusted loads." if nonce_or_hash else "."),
        )
    return found


def _config_checks(policy: Policy) -> list[tuple[str, Severity, str, str]]:
    found: list[tuple[str, Severity, str, str]] = []
    script = _script_sources(policy) or ()
    lowered = tuple(s.lower() for s in script)
    for source in script:
        if source.lower().startswith("'nonce-") and source.endswith("'"):
            nonce = source[len("'nonce-") : -1]
            if len(nonce) < NONCE_MIN or not _BASE64.match(nonce):
                found.append((
                    "csp-weak-nonce", "medium", "Weak CSP nonce",
                    f"Nonce {shown(nonce)!r} is shorter than {NONCE_MIN} base64 characters or not base64; "
                    "use at least 128 random bits, new for every response.",
                ))  # fmt: skip
    if "'strict-dynamic'" in lowered and not _has_nonce_or_hash(lowered):
        found.append((
            "csp-strict-dynamic-without-nonce", "medium", "'strict-dynamic' without a nonce or hash",
            "'strict-dynamic' trusts only scripts loaded by nonce/hash-trusted ones; without a nonce or "
            "hash, modern browsers block every script.",
        ))  # fmt: skip
    deprecated = [d for d in policy if d in DEPRECATED]
    if deprecated:
        found.append((
            "csp-deprecated-directive", "low", "Deprecated CSP directive",
            f"{', '.join(deprecated)} no longer do anything in current browsers; remove them "
            "(use the matching header, e.g. Referrer-Policy, or upgrade-insecure-requests).",
        ))  # fmt: skip
    unknown = [shown(d) for d in policy if d not in KNOWN]
    if unknown:
        found.append((
            "csp-unknown-directive", "info", "Unknown CSP directive",
            f"Browsers ignore {', '.join(unknown[:10])}: check the spelling.",
        ))  # fmt: skip
    if "report-uri" in policy and "report-to" not in policy:
        found.append((
            "csp-report-uri-only", "info", "report-uri without report-to",
            "report-uri is deprecated but still the only one some browsers use; add report-to "
            "(with a Reporting-Endpoints header) alongside it.",
        ))  # fmt: skip
    return found


_FIXES: dict[str, str] = {
    "csp-unsafe-inline": "Move inline scripts to files or give them a per-response nonce; "
    "drop 'unsafe-inline'.",
    "csp-unsafe-eval": "Remove eval()/new Function() from your code and libraries, then drop 'unsafe-eval'.",
    "csp-no-script-restriction": "Add default-src 'self' (or a nonce-based script-src).",
    "csp-missing-object-src": "Add object-src 'none'.",
    "csp-missing-base-uri": "Add base-uri 'none' (or 'self' if you use <base>).",
    "csp-weak-nonce": "Generate the nonce with a CSPRNG, e.g. secrets.token_urlsafe(16), per response.",
    "csp-strict-dynamic-without-nonce": "Add a per-response 'nonce-…' to script-src "
    "and to your <script> tags.",
}


# The fix for a too-broad source depends on the directive: scripts need their real sources, plugins
# and <base> are best not allowed at all.
_BROAD_FIXES: dict[str, str] = {
    "script-src": "In script-src, replace it with 'self' and the exact hosts you load scripts from, "
    "or with a per-response nonce and 'strict-dynamic'.",
    "object-src": "Add object-src 'none' (plugins are rarely needed).",
    "base-uri": "Set base-uri 'none' (or 'self' if you use <base>).",
}


def _or_list(items: list[str]) -> str:
    """'a', 'a or b', 'a, b or c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _fix_for(finding_id: str) -> str | None:
    if finding_id.endswith(("-wildcard", "-scheme")):
        directive = finding_id.removeprefix("csp-").removesuffix("-wildcard").removesuffix("-scheme")
        return _BROAD_FIXES.get(directive)
    return _FIXES.get(finding_id)


def _make(finding_id: str, severity: Severity, title: str, detail: str) -> Finding:
    return Finding(finding_id, severity, title, detail, _fix_for(finding_id), CSP_MDN)


def csp_findings(headers: Headers) -> list[Finding]:
    """Evaluate every enforced CSP (report-only ones only when nothing is enforced)."""
    enforced_values = values_of(headers, "content-security-policy")
    report_values = values_of(headers, "content-security-policy-report-only")
    enforced, repeated = parse_policies(enforced_values)
    out: list[Finding] = []
    make: Callable[[str, Severity, str, str], Finding] = _make
    if not enforced:
        report_only, _ = parse_policies(report_values)
        if report_only:
            out.append(Finding(
                "csp-report-only", "medium", "CSP is report-only",
                "Only Content-Security-Policy-Report-Only is sent: violations are reported, nothing is "
                "blocked. Once the reports are clean, send the same policy as Content-Security-Policy.",
                "Send the policy as Content-Security-Policy.",
                MDN_HEADERS + "Content-Security-Policy-Report-Only",
            ))  # fmt: skip
        return out
    if len(enforced) > 1:
        out.append(Finding(
            "csp-multiple-policies", "info", "Several CSPs are enforced",
            f"{len(enforced)} policies are sent. That is legal: browsers enforce all of them, so a load "
            "must pass every policy (their intersection). Weaknesses below are those every policy shares.",
            None, CSP_MDN,
        ))  # fmt: skip
    if repeated:
        out.append(make(
            "csp-duplicate-directive", "low", "Repeated CSP directive",
            f"{', '.join(sorted({shown(r) for r in repeated}))} appears twice in one policy; "
            "browsers use the first and ignore the rest.",
        ))  # fmt: skip
    per_policy = [_allowing_checks(p) for p in enforced]
    for finding_id in per_policy[0]:
        if all(finding_id in checks for checks in per_policy):
            severity, title, detail = per_policy[0][finding_id]
            out.append(make(finding_id, severity, title, detail))
    seen: set[str] = set()
    for policy in enforced:
        for finding_id, severity, title, detail in _config_checks(policy):
            if finding_id not in seen:
                seen.add(finding_id)
                out.append(make(finding_id, severity, title, detail))
    return out
