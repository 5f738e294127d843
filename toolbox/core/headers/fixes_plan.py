"""Which headers to set or remove, derived from the actual headers and findings (the plan).

The recommended starter CSP is deliberately *not* our own `default-src 'none'; …`: an
arbitrary site loads its own scripts, styles, images and fonts, and a `'none'` default
would break it. `default-src 'self'; object-src 'none'; base-uri 'none';
frame-ancestors 'none'` keeps same-origin content working while closing plugins, <base>
hijacking and framing; tighten it (nonces, 'strict-dynamic') once it runs clean — and
use frame-ancestors 'self' if the site frames its own pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from toolbox.core.headers.findings import hsts_directives, hsts_max_age
from toolbox.core.headers.findings_base import Finding, Headers, values_of
from toolbox.core.headers.findings_csp import parse_policies

STARTER_CSP = "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
HSTS = "max-age=63072000; includeSubDomains"
HSTS_MIN_AGE = 15768000  # six months, the Observatory's minimum
PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# Values copied from the site into a config file must not carry config-syntax metacharacters:
# `$` (nginx variables), `{}` (Caddy placeholders), quotes/backslashes, controls, non-ASCII.
_SAFE_VALUE = re.compile(r"^[\x20-\x7e]{1,4096}$")
_UNSAFE_CHARS = frozenset('$"\\{}')
REMOVE_IDS = {
    "info-disclosure-x-powered-by": ("X-Powered-By",),
    "info-disclosure-x-aspnet-version": ("X-AspNet-Version",),
    "info-disclosure-x-aspnetmvc-version": ("X-AspNetMvc-Version",),
    "info-disclosure-server": ("Server",),
    "expect-ct-deprecated": ("Expect-CT",),
    "public-key-pins-deprecated": ("Public-Key-Pins", "Public-Key-Pins-Report-Only"),
    "feature-policy-deprecated": ("Feature-Policy",),
}


@dataclass(frozen=True)
class HeaderAction:
    """Set (replace) a header to a value, or remove it; `reason` says why, for a comment."""

    action: Literal["set", "remove"]
    name: str
    value: str = ""
    reason: str = ""


def is_safe_value(value: str) -> bool:
    """Whether a value taken from the site can be pasted into every config syntax we emit."""
    return bool(_SAFE_VALUE.match(value)) and not (_UNSAFE_CHARS & set(value))


def _csp_action(headers: Headers, ids: set[str]) -> HeaderAction | None:
    enforced = values_of(headers, "content-security-policy")
    if not enforced:
        report_only = values_of(headers, "content-security-policy-report-only")
        promotable = len(report_only) == 1 and "," not in report_only[0]
        if promotable and "'nonce-" not in report_only[0].lower() and is_safe_value(report_only[0]):
            return HeaderAction(
                "set", "Content-Security-Policy", report_only[0],
                "enforce the policy you already test in report-only mode",
            )  # fmt: skip
        return HeaderAction(
            "set", "Content-Security-Policy", STARTER_CSP,
            "starter policy: same-origin content only, no plugins, no <base>, no framing",
        )  # fmt: skip
    policies, _ = parse_policies(enforced)
    additions = []
    if "csp-missing-object-src" in ids:
        additions.append("object-src 'none'")
    if "csp-missing-base-uri" in ids:
        additions.append("base-uri 'none'")
    # A policy with a nonce is generated per response: a static copy in a config file would
    # pin one nonce forever, so such policies get advice (the findings' fix text) instead.
    static = "'nonce-" not in enforced[0].lower()
    if additions and len(policies) == 1 and static and is_safe_value(enforced[0]):
        value = "; ".join([enforced[0].strip(" ;"), *additions])
        reason = "your policy plus " + ", ".join(additions)
        return HeaderAction("set", "Content-Security-Policy", value, reason)
    return None


def plan_fixes(headers: Headers, url: str, findings: Iterable[Finding]) -> tuple[HeaderAction, ...]:
    """The header changes that fix the findings and fill in a recommended baseline."""
    ids = {f.id for f in findings}
    https = url.strip().lower().startswith("https:")
    actions: list[HeaderAction] = []
    csp = _csp_action(headers, ids)
    if csp is not None:
        actions.append(csp)
    hsts = values_of(headers, "strict-transport-security")
    age = hsts_max_age(hsts_directives(hsts[0])) if hsts else None
    weak = age is None or age < HSTS_MIN_AGE
    if https and ("hsts-preload-invalid" in ids or weak):
        preload = "hsts-preload-invalid" in ids
        actions.append(HeaderAction(
            "set", "Strict-Transport-Security", HSTS + ("; preload" if preload else ""),
            "two years; includeSubDomains only once every subdomain serves HTTPS",
        ))  # fmt: skip
    if [v.lower() for v in values_of(headers, "x-content-type-options")] != ["nosniff"]:
        actions.append(HeaderAction("set", "X-Content-Type-Options", "nosniff", "no MIME sniffing"))
    csp_text = " ".join(values_of(headers, "content-security-policy")).lower()
    if len(values_of(headers, "x-frame-options")) != 1 and "frame-ancestors" not in csp_text:
        reason = "no framing (SAMEORIGIN to frame yourself)"
        actions.append(HeaderAction("set", "X-Frame-Options", "DENY", reason))
    if not values_of(headers, "referrer-policy"):
        actions.append(HeaderAction(
            "set", "Referrer-Policy", "strict-origin-when-cross-origin", "no full URLs to other sites"
        ))  # fmt: skip
    pp_ids = {"permissions-policy-syntax", "permissions-policy-wildcard", "feature-policy-deprecated"}
    if not values_of(headers, "permissions-policy") or ids & pp_ids:
        actions.append(HeaderAction(
            "set", "Permissions-Policy", PERMISSIONS,
            "deny powerful features; allow the ones you use with (self)",
        ))  # fmt: skip
    if "coop-missing" in ids or "coop-invalid" in ids:
        actions.append(HeaderAction(
            "set", "Cross-Origin-Opener-Policy", "same-origin",
            "same-origin-allow-popups if you use OAuth popups",
        ))  # fmt: skip
    if "x-xss-protection-enabled" in ids:
        actions.append(HeaderAction("set", "X-XSS-Protection", "0", "the old filter caused leaks"))
    for finding_id, names in REMOVE_IDS.items():
        if finding_id in ids:
            reason = "not needed; helps attackers or is obsolete"
            actions.extend(HeaderAction("remove", n, "", reason) for n in names)
    return tuple(actions)
