"""Permissions-Policy parsing (an RFC 8941 structured-field dictionary) and its findings."""

from __future__ import annotations

import re

from toolbox.core.headers.findings_base import MDN_HEADERS, Finding, Headers, shown, values_of

PP_MDN = MDN_HEADERS + "Permissions-Policy"
POWERFUL = frozenset(
    {
        "camera", "microphone", "geolocation", "usb", "payment", "serial", "hid", "bluetooth",
        "display-capture", "screen-wake-lock", "xr-spatial-tracking", "midi", "publickey-credentials-get",
    }
)  # fmt: skip
_KEY = r"[a-z*][a-z0-9_\-.*]*"
_BARE = r"[A-Za-z*][A-Za-z0-9!#$%&'*+\-.^_`|~:/]*"
_STRING = r'"(?:[^"\\\x00-\x1f\x7f]|\\["\\])*"'
_ITEM = rf"(?:{_BARE}|{_STRING})"
_PARAMS = rf"(?:;{_KEY}(?:={_ITEM})?)*"
_INNER = rf"\((?: *{_ITEM}{_PARAMS}(?: +{_ITEM}{_PARAMS})*)? *\)"
_MEMBER = re.compile(rf"({_KEY})(?:=({_INNER}|{_ITEM}))?{_PARAMS}")


class PermissionsPolicyError(ValueError):
    """The header is not a valid structured-field dictionary; browsers then ignore all of it."""


def _split_members(text: str) -> list[str]:
    members, depth, quoted, escaped, start = [], 0, False, False, 0
    for i, char in enumerate(text):
        if quoted:
            escaped = char == "\\" and not escaped
            if char == '"' and not escaped:
                quoted = False
            continue
        if char == '"':
            quoted = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            members.append(text[start:i])
            start = i + 1
    members.append(text[start:])
    return members


def parse_permissions_policy(value: str) -> dict[str, tuple[str, ...]]:
    """Feature → allowlist items (`*`, `self`, or quoted origins), last member of a name wins."""
    policy: dict[str, tuple[str, ...]] = {}
    if not value.strip(" \t"):
        return policy
    for raw in _split_members(value):
        member = raw.strip(" \t")
        match = _MEMBER.fullmatch(member)
        if match is None:
            raise PermissionsPolicyError(f"not a valid member: {shown(member)!r}")
        allow = match.group(2)
        if allow is None:
            items: tuple[str, ...] = ("?1",)  # a bare key is boolean true, not an allowlist
        elif allow.startswith("("):
            items = tuple(re.findall(rf"{_STRING}|[^\s();]+(?=[\s)]|;)", allow[1:]))
            items = tuple(i for i in items if not i.startswith(";"))
        else:
            items = (allow,)
        policy[match.group(1)] = items
    return policy


def permissions_findings(headers: Headers) -> list[Finding]:
    """Syntax errors, `*` allowlists for powerful features, and the deprecated Feature-Policy."""
    out: list[Finding] = []
    values = values_of(headers, "permissions-policy")
    if values:
        try:
            policy = parse_permissions_policy(", ".join(values))
        except PermissionsPolicyError as exc:
            out.append(Finding(
                "permissions-policy-syntax", "medium", "Permissions-Policy cannot be parsed",
                f"Browsers ignore the whole header when it is not a structured-field dictionary ({exc}). "
                "Write it like: camera=(), geolocation=(self \"https://maps.example\").",
                "Fix the syntax: feature=(allowlist), comma-separated, origins in double quotes.", PP_MDN,
            ))  # fmt: skip
        else:
            wide = sorted(f for f, items in policy.items() if f in POWERFUL and "*" in items)
            if wide:
                out.append(Finding(
                    "permissions-policy-wildcard", "medium", "Powerful feature allowed to every origin",
                    f"{', '.join(wide)} allow * (any embedded origin may ask the user for them).",
                    "Use () to disable or (self) / explicit origins.", PP_MDN,
                ))  # fmt: skip
    if values_of(headers, "feature-policy"):
        out.append(Finding(
            "feature-policy-deprecated", "low" if not values else "info", "Feature-Policy is deprecated",
            "Feature-Policy was replaced by Permissions-Policy (different syntax)"
            + ("; send Permissions-Policy instead." if not values else "; remove it."),
            "Replace it with Permissions-Policy.", MDN_HEADERS + "Permissions-Policy",
        ))  # fmt: skip
    return out
