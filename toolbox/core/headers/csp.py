"""The Observatory's content-security-policy test (header and <meta http-equiv> policies)."""

from __future__ import annotations

from dataclasses import dataclass

from toolbox.core.headers.csp_parse import DUPLICATE_WARNINGS_KEY, CspParseError, parse_csp, parse_csp_meta
from toolbox.core.headers.headermap import HeaderMap
from toolbox.core.headers.structured import js_trim

DANGEROUSLY_BROAD = frozenset(
    {"ftp:", "http:", "https:", "*", "http://*", "http://*.*", "https://*", "https://*.*"}
)
BROAD_OR_UNSAFE_INLINE = DANGEROUSLY_BROAD | {"'unsafe-inline'", "data:"}
PASSIVE_DIRECTIVES = ("img-src", "media-src")
NONCES_HASHES = ("'sha256-", "'sha384-", "'sha512-", "'nonce-")
PASSING = frozenset(
    {
        "csp-implemented-with-no-unsafe",
        "csp-implemented-with-no-unsafe-default-src-none",
        "csp-implemented-with-unsafe-inline-in-style-src-only",
        "csp-implemented-with-insecure-scheme-in-passive-content-only",
    }
)


@dataclass(frozen=True)
class CspOutcome:
    """Result name, pass flag and the merged policy (None when the test stopped early)."""

    result: str
    passed: bool
    policy: dict[str, tuple[str, ...]] | None


def _has_nonce_or_hash(sources: set[str]) -> bool:
    return any(s.startswith(NONCES_HASHES) for s in sources)


def _insecure(sources: list[str]) -> bool:
    return any(s.startswith(("http:", "ftp:")) for s in sources)


def split_policies(values: list[str]) -> list[str]:
    """Each comma-separated policy of each value on its own (Observatory 1.6.2 and later).

    Several Content-Security-Policy headers reach the Observatory joined by ", " (as Node
    merges them), so this also takes the headers apart again; an empty piece (a trailing
    comma) is a policy too short to be valid.
    """
    return [js_trim(piece) for value in values for piece in value.split(",")]


def csp_test(headers: HeaderMap, meta_policies: list[str], https: bool, policies_apart: bool) -> CspOutcome:
    """Grade the CSP like the Observatory: the first (worst-checked-first) problem names the result.

    `policies_apart` (scoring version 5 on): a comma separates policies, which must all allow a
    source for it to count. Before, a joined value was one policy (repeated directives: invalid).
    """
    http_policies = headers.all("content-security-policy")
    if policies_apart:
        http_policies, meta_policies = split_policies(http_policies), split_policies(meta_policies)
    try:
        csp = parse_csp([*http_policies, *meta_policies])
    except CspParseError:
        return CspOutcome("csp-header-invalid", False, None)
    try:
        header_only = parse_csp(http_policies)
    except CspParseError:
        header_only = {}
    try:
        meta_only = parse_csp_meta(meta_policies)
    except CspParseError:
        meta_only = {}
    if not header_only and not meta_only:
        if headers.first("content-security-policy-report-only"):
            return CspOutcome("csp-not-implemented-but-reporting-enabled", False, None)
        return CspOutcome("csp-not-implemented", False, None)

    # These are the parsed sets themselves (as in the Observatory): edits below are shared.
    star = {"*"}
    object_src = csp.get("object-src") or csp.get("default-src") or set(star)
    script_src = csp.get("script-src") or csp.get("default-src") or set(star)
    style_src = csp.get("style-src") or csp.get("default-src") or set(star)

    result: str | None = None
    for sources in (script_src, style_src):
        if _has_nonce_or_hash(sources):
            sources.discard("'unsafe-inline'")  # ignored by browsers once a nonce/hash is present
    if _has_nonce_or_hash(script_src) and "'strict-dynamic'" in script_src:
        for source in list(script_src):
            if source.startswith(tuple(DANGEROUSLY_BROAD)) or source in ("'self'", "'unsafe-inline'"):
                script_src.discard(source)
    elif "'strict-dynamic'" in script_src:
        result = "csp-header-invalid"

    active = [s for d, srcs in csp.items() if d not in PASSIVE_DIRECTIVES and d != "script-src" for s in srcs]
    active += list(script_src)
    passive = [s for d in PASSIVE_DIRECTIVES for s in (csp.get(d) or csp.get("default-src") or set())]

    checks = (
        (
            bool(script_src & BROAD_OR_UNSAFE_INLINE) or bool(object_src & DANGEROUSLY_BROAD),
            "csp-implemented-with-unsafe-inline",
        ),
        (https and _insecure(active), "csp-implemented-with-insecure-scheme"),
        ("'unsafe-eval'" in (script_src | style_src), "csp-implemented-with-unsafe-eval"),
        (https and _insecure(passive), "csp-implemented-with-insecure-scheme-in-passive-content-only"),
        (bool(style_src & BROAD_OR_UNSAFE_INLINE), "csp-implemented-with-unsafe-inline-in-style-src-only"),
    )
    for failed, name in checks:
        if failed and result is None:
            result = name
    default_src = csp.get("default-src")
    if result is None:
        if default_src is not None and default_src == {"'none'"}:
            result = "csp-implemented-with-no-unsafe-default-src-none"
        else:
            result = "csp-implemented-with-no-unsafe"

    passed = result in PASSING
    if passed and DUPLICATE_WARNINGS_KEY in csp:
        result = "csp-implemented-but-duplicate-directives"
    policy = {d: tuple(sorted(s)) for d, s in csp.items() if d != DUPLICATE_WARNINGS_KEY}
    return CspOutcome(result, passed, policy)
