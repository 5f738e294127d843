"""Which headers to set or remove, derived from the actual headers and findings (the plan).

The recommended starter CSP is deliberately *not* our own `default-src 'none'; …`: an
arbitrary site loads its own scripts, styles, images and fonts, and a `'none'` default
would break it. `default-src 'self'; object-src 'none'; base-uri 'none';
frame-ancestors 'none'` keeps same-origin content working while closing plugins, <base>
hijacking and framing; tighten it (nonces, 'strict-dynamic') once it runs clean — and
use frame-ancestors 'self' if the site frames its own pages.

A site that already sends a policy gets a stricter version of its own (fixes_csp), re-graded
with our CSP test; when no static rewrite can pass (a per-response nonce, several policies,
characters a config file cannot hold), a note says what still fails and what to remove.
Cookies that lack Secure, HttpOnly or SameSite get the server's way to add them (fixes_cookies).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

from toolbox.core.headers.csp import csp_test
from toolbox.core.headers.findings import hsts_directives, hsts_max_age
from toolbox.core.headers.findings_base import Finding, Headers, shown, values_of
from toolbox.core.headers.findings_csp import parse_policies
from toolbox.core.headers.fixes_cookies import cookie_repairs
from toolbox.core.headers.fixes_csp import CspRewrite, stricter_policy
from toolbox.core.headers.headermap import HeaderMap

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
    """Set (replace) a header to a value, remove it, add attributes to a cookie (`name`, `flags`),
    or say something the config cannot do (a note, rendered as a comment); `reason` says why."""

    action: Literal["set", "remove", "cookie", "note"]
    name: str
    value: str = ""
    reason: str = ""
    flags: tuple[str, ...] = ()
    sent: bool = False  # the site sends this header now (nginx must hide the app's copy to replace it)
    replace_same_site: bool = False  # a cookie action: its SameSite value is invalid, replace it


def is_safe_value(value: str) -> bool:
    """Whether a value taken from the site can be pasted into every config syntax we emit."""
    return bool(_SAFE_VALUE.match(value)) and not (_UNSAFE_CHARS & set(value))


def _frame_ancestors(headers: Headers) -> str:
    xfo = [v.strip().lower() for v in values_of(headers, "x-frame-options")]
    return "'self'" if xfo == ["sameorigin"] else "'none'"


def _still_fails(why: str, rewrite: CspRewrite) -> HeaderAction:
    todo = "; ".join(rewrite.changes) or "see the findings"
    reason = f"{why}: the CSP test still fails until you {todo}"
    return HeaderAction("note", "Content-Security-Policy", reason=reason)


def _csp_action(headers: Headers, ids: set[str], https: bool) -> HeaderAction | None:
    """A stricter policy built from the site's (fixes_csp), the starter policy, or a note."""
    frame = _frame_ancestors(headers)
    enforced = values_of(headers, "content-security-policy")
    if not enforced:
        report_only = values_of(headers, "content-security-policy-report-only")
        promotable = len(report_only) == 1 and "," not in report_only[0]
        if promotable and "'nonce-" not in report_only[0].lower() and is_safe_value(report_only[0]):
            rewrite = stricter_policy(report_only[0], https, frame)
            if rewrite.passes and is_safe_value(rewrite.value):
                why = "enforce the policy you already test in report-only mode"
                if rewrite.changes:
                    why += ", tightened: " + "; ".join(rewrite.changes)
                return HeaderAction("set", "Content-Security-Policy", rewrite.value, why)
        return HeaderAction(
            "set", "Content-Security-Policy", STARTER_CSP,
            "starter policy: same-origin content only, no plugins, no <base>, no framing",
        )  # fmt: skip
    # Passing under every scoring version: several headers as one policy (v4) and apart (v5, v6).
    enforced_map = HeaderMap(("Content-Security-Policy", v) for v in enforced)
    passing = all(csp_test(enforced_map, [], https, apart).passed for apart in (False, True))
    wanted = {"csp-missing-object-src", "csp-missing-base-uri"} & ids
    if passing and not wanted:
        return None
    policies, _ = parse_policies(enforced)
    if len(policies) != 1:
        rewrite = stricter_policy(enforced[0].split(",")[0], https, frame)
        if passing:
            return None
        why = f"you send {len(policies)} policies (all are enforced); merge them into one"
        return _still_fails(why, rewrite)
    rewrite = stricter_policy(enforced[0], https, frame)
    # A policy with a nonce is generated per response: a static copy in a config file would
    # pin one nonce forever, so such policies get the changes to make in the app instead.
    if "'nonce-" in enforced[0].lower():
        if passing:
            return None
        why = "your policy has a per-response nonce, so change it where your app builds it"
        return _still_fails(why, rewrite)
    if not is_safe_value(rewrite.value):
        if passing:
            return None
        return _still_fails("your policy has characters a config file cannot hold safely", rewrite)
    if not rewrite.passes:
        return _still_fails(f"no safe rewrite found ({rewrite.result})", rewrite)
    return HeaderAction("set", "Content-Security-Policy", rewrite.value,
                        "your policy, stricter: " + "; ".join(rewrite.changes))


def _cookie_actions(set_cookies: Iterable[str], https: bool) -> list[HeaderAction]:
    actions: list[HeaderAction] = []
    for repair in cookie_repairs(set_cookies, https):
        flags = ", ".join(repair.flags)
        if repair.plain:
            actions.append(HeaderAction("cookie", repair.name, flags=repair.flags, reason=f"add {flags}",
                                        replace_same_site=repair.same_site_invalid))
        else:
            why = f"a cookie named {shown(repair.name)}: add {flags} where your app sets it"
            actions.append(HeaderAction("note", "Set-Cookie", reason=why))
    return actions


def plan_fixes(headers: Headers, url: str, findings: Iterable[Finding],
               set_cookies: Iterable[str] | None = None) -> tuple[HeaderAction, ...]:
    """The header changes that fix the findings and fill in a recommended baseline.

    `set_cookies` are the Set-Cookie values to repair (default: the headers' own; a fetched
    site passes those of its whole redirect chain, as they all land in the same jar).
    """
    ids = {f.id for f in findings}
    https = url.strip().lower().startswith("https:")
    actions: list[HeaderAction] = []
    csp = _csp_action(headers, ids, https)
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
    actions = [replace(a, sent=True) if a.action == "set" and values_of(headers, a.name) else a
               for a in actions]
    cookies = values_of(headers, "set-cookie") if set_cookies is None else list(set_cookies)
    actions.extend(_cookie_actions(cookies, https))
    return tuple(actions)
