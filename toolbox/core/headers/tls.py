"""The TLS and certificate summary of an https check: the facts shown to people, and findings.

`tls_summary(info, url, headers, now)` turns the fetcher's TlsInfo (the connection that answered
the final response, or the rejected certificate a FetchFailed carries in `err.tls`) into a
TlsSummary: protocol, cipher, subject, SANs and which one matches the name, issuer, dates, days
left, the chain "verified" or why not, and findings that never change the score.
`tls_failure_message(info, now)` says in one line why a certificate was rejected.

Name matching here is for display only (the fetcher's OpenSSL verification is what decides):
RFC 6125 as browsers apply it: DNS names compared case-insensitively, a wildcard only as the
whole left-most label of a name of three or more labels, matching exactly one label; IP hosts
only against IP SANs; the subject CN only when the certificate has no DNS SAN (OpenSSL's
fallback, which browsers no longer accept). No public-suffix list: `*.co.uk` counts as matching.

HSTS consistency (the findings that read the response headers with the certificate):
- the certificate expires within 30 days while the site sends HSTS: the expiry finding is one
  step more severe, since with HSTS browsers offer no way past a certificate error;
- `includeSubDomains` (and `preload`) while the certificate names only the exact host (no wildcard,
  no other name): a hint to check that each subdomain has a certificate of its own;
- HSTS on an IP-address host (browsers ignore it there) or over a connection whose certificate
  did not verify (browsers ignore it too).
A missing HSTS header is not a finding: the Observatory's strict-transport-security test scores it.
"""

from __future__ import annotations

import ipaddress
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import idna

from toolbox.core.headers.findings_base import MDN_HEADERS, Finding, Headers, Severity, shown, values_of
from toolbox.core.net import CertInfo, FetchError, TlsInfo, parse_url

__all__ = [
    "EXPIRY_WARN_DAYS",
    "TLS_FINDING_IDS",
    "TlsSummary",
    "match_host",
    "tls_failure_message",
    "tls_summary",
]

EXPIRY_WARN_DAYS = 30  # a certificate with fewer whole days left is a finding
_EXPIRY_STEPS: tuple[tuple[int, Severity], ...] = ((7, "high"), (14, "medium"), (EXPIRY_WARN_DAYS, "low"))
MIN_RSA_BITS = 2048
MAX_SANS = 100  # names listed; `sans_total` tells how many the certificate has
_DAY = 86400.0
_MDN_TLS = "https://developer.mozilla.org/en-US/docs/Web/Security/Transport_Layer_Security"
_HSTS_LINK = MDN_HEADERS + "Strict-Transport-Security"
_NAME_CODES = frozenset({62, 64})  # OpenSSL: host name / IP address mismatch
_WEAK_HASHES = frozenset({"sha1", "md5"})

# Every TLS finding id and its usual severity (tls-cert-expiring: high, medium or low by days left,
# one step up with HSTS; tls-rsa-key-small and tls-weak-signature: critical when verification
# rejected the certificate for it).
TLS_FINDING_IDS: dict[str, str] = {
    "tls-cert-expired": "critical", "tls-cert-not-yet-valid": "critical",
    "tls-cert-name-mismatch": "critical", "tls-cert-untrusted": "critical",
    "tls-cert-expiring": "high", "tls-cert-no-san": "high",
    "tls-rsa-key-small": "high", "tls-weak-signature": "high",
    "tls-hsts-unverified": "medium",
    "tls-cbc-cipher": "info", "tls-no-forward-secrecy": "info",
    "tls-hsts-subdomains-uncovered": "info", "tls-hsts-ip-address": "info",
}  # fmt: skip


@dataclass(frozen=True)
class TlsSummary:
    """What the page, the API and the CLI show about an https connection (msgspec-serialisable)."""

    host: str  # the name checked, in Unicode for an IDN (the certificate is matched on its A-label)
    protocol: str  # "TLSv1.3"
    cipher: str  # OpenSSL's name
    cipher_bits: int
    aead: bool  # GCM, ChaCha20-Poly1305 or CCM (every TLS 1.3 cipher)
    forward_secrecy: bool  # ECDHE/DHE key exchange (every TLS 1.3 cipher)
    subject: str  # the subject CN, or the whole subject when it has none ("" without a certificate)
    sans: tuple[str, ...]  # subjectAltName DNS names, then IP addresses; at most MAX_SANS
    sans_total: int
    name_matches: bool
    matched_by: str  # the SAN entry (or "CN=…") that covers the host; "" when none
    issuer: str  # "CN (O)", or whichever of the two the issuer has
    self_signed: bool
    not_before: str  # "2026-12-05T10:00:00Z"; "" without a certificate
    not_after: str
    days_left: int | None  # whole days until notAfter (floor): negative once expired; None without one
    verified: bool
    chain: str  # "verified", or the reason verification rejected it
    key: str  # "RSA 2048", "EC P-256 (256 bits)", "Ed25519"
    signature: str  # e.g. "sha256WithRSAEncryption"
    serial: str
    sha256: str  # fingerprint, "AB:CD:…"
    findings: tuple[Finding, ...]  # most severe first; they never change the score


def tls_summary(info: TlsInfo, url: str, headers: Headers, now: datetime) -> TlsSummary:
    """The summary of one TLS connection; `headers` are the final response's (for HSTS)."""
    host = _host(info, url)
    cert = info.certificate
    matched = match_host(host, cert) if cert is not None else None
    name_matches = info.verified or (matched is not None and info.verify_code not in _NAME_CODES)
    days_left = _days_left(cert.not_after, now) if cert is not None else None
    sans = (*cert.san_dns, *cert.san_ip) if cert is not None else ()
    findings = [
        *_validity_findings(info, host, name_matches, days_left, now, headers),
        *_key_findings(info),
        *_cipher_findings(info),
        *_hsts_findings(info, host, headers),
    ]
    return TlsSummary(
        host=_display_host(host),
        protocol=shown(info.protocol),
        cipher=shown(info.cipher),
        cipher_bits=info.cipher_bits,
        aead=_aead(info),
        forward_secrecy=_forward_secret(info),
        subject=shown(cert.subject_cn or cert.subject) if cert is not None else "",
        sans=tuple(shown(name) for name in sans[:MAX_SANS]),
        sans_total=len(sans),
        name_matches=name_matches,
        matched_by=shown(matched or "") if name_matches else "",
        issuer=_issuer(cert) if cert is not None else "",
        self_signed=cert is not None and cert.self_issued,
        not_before=_iso(cert.not_before) if cert is not None else "",
        not_after=_iso(cert.not_after) if cert is not None else "",
        days_left=days_left,
        verified=info.verified,
        chain="verified" if info.verified else info.verify_reason or "not verified",
        key=_key(cert) if cert is not None else "",
        signature=shown(cert.signature_algorithm) if cert is not None else "",
        serial=cert.serial if cert is not None else "",
        sha256=cert.sha256 if cert is not None else "",
        findings=tuple(sorted(findings, key=lambda f: (_RANK[f.severity], f.id))),
    )


def tls_failure_message(info: TlsInfo, now: datetime) -> str:
    """Why verification rejected the certificate, in one line for a person (from FetchFailed.tls).

    "The certificate expired 3 days ago (notAfter 2026-12-02 10:00 UTC)." — the reason OpenSSL
    gave first, then any other problem the certificate has ("…; also the certificate is for
    other.example, not for example.com").
    """
    cert = info.certificate
    reason = info.verify_reason or "the certificate is not trusted"
    if cert is None:
        return _sentence(reason)
    host = _host(info, "")
    problems = _problems(info, cert, host, now)
    code = info.verify_code
    primary = next((p for key, p in problems if key == _PRIMARY.get(code, "")), None)
    if primary is None and code == 10:
        primary = reason + f" (this certificate is valid until {_when(cert.not_after)})"
    if primary is None and code in {2, 19, 20, 21}:
        primary = (f"it was issued by {_quoted_issuer(cert)}, which is not a trusted authority (or the "
                   "server does not send its intermediate certificate)")
    primary = primary or reason
    others = [p for _key_, p in problems if p != primary]
    text = _sentence(primary if not others else primary + "; " + "; ".join("also " + p for p in others))
    return text if len(text) <= 400 else text[:399] + "…"


# --- names -------------------------------------------------------------------------------------


def match_host(host: str, cert: CertInfo) -> str | None:
    """The certificate entry that covers `host` (a SAN, or "CN=…" by OpenSSL's fallback); None if none.

    `host` is an A-label host name or an IP address (with or without brackets).
    """
    target = host.strip().strip("[]").lower().removesuffix(".")
    if not target:
        return None
    address = _ip(target)
    if address is not None:
        return next((text for text in cert.san_ip if _ip(text) == address), None)
    for pattern in cert.san_dns:
        if _dns_match(pattern, target):
            return pattern
    if not cert.san_dns and cert.subject_cn and _dns_match(cert.subject_cn, target):
        return "CN=" + cert.subject_cn
    return None


def _dns_match(pattern: str, host: str) -> bool:
    """RFC 6125 §6.4 as browsers apply it: exact, or `*.` + a name of two or more labels, one label."""
    if not pattern.isascii() or not host.isascii():
        return False
    pattern = pattern.lower().removesuffix(".")
    if not _valid_name(host):
        return False
    if "*" not in pattern:
        return _valid_name(pattern) and pattern == host
    if not pattern.startswith("*.") or "*" in pattern[2:]:
        return False  # partial (f*.example.com) and multiple wildcards are not honoured
    rest = pattern[2:]
    if "." not in rest or not _valid_name(rest):
        return False  # *.com, *., *..example
    label, dot, tail = host.partition(".")
    return bool(label and dot) and tail == rest


def _valid_name(name: str) -> bool:
    """Dot-separated non-empty labels of printable ASCII with no wildcard or space."""
    labels = name.split(".")
    return all(label and all("!" <= c <= "~" and c != "*" for c in label) for label in labels)


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return None


def _host(info: TlsInfo, url: str) -> str:
    """The name the certificate was checked against: TlsInfo.host, else the URL's host."""
    if info.host:
        return info.host
    try:
        return parse_url(url).host
    except FetchError:
        try:
            return urlsplit(url).hostname or ""
        except ValueError:
            return ""


def _display_host(host: str) -> str:
    """An IDN in Unicode (its A-label when it does not decode); other hosts as they are."""
    if "xn--" in host:
        try:
            return shown(idna.decode(host))
        except (idna.IDNAError, UnicodeError, ValueError):
            pass
    return shown(host)


def _this_host(host: str) -> str:
    return _display_host(host) or "this host"


def _only_this_name(host: str, cert: CertInfo) -> bool:
    """Whether the certificate names the host and nothing else (no wildcard, no other name)."""
    names = cert.san_dns or ((cert.subject_cn,) if cert.subject_cn and not cert.san_ip else ())
    return bool(names) and all(name.lower().removesuffix(".") == host for name in names)


# --- dates -------------------------------------------------------------------------------------


def _days_left(not_after: datetime, now: datetime) -> int:
    return math.floor((not_after - _utc(now)).total_seconds() / _DAY)


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _iso(moment: datetime) -> str:
    return _utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def _when(moment: datetime) -> str:
    return _utc(moment).strftime("%Y-%m-%d %H:%M UTC")


def _ago(not_after: datetime, now: datetime) -> str:
    days = math.floor((_utc(now) - not_after).total_seconds() / _DAY)
    return "today" if days <= 0 else "1 day ago" if days == 1 else f"{days} days ago"


def _in_days(days: int) -> str:
    return "within 24 hours" if days <= 0 else "in 1 day" if days == 1 else f"in {days} days"


# --- findings ----------------------------------------------------------------------------------

_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
_PRIMARY = {9: "not-yet-valid", 10: "expired", 18: "self-signed", 62: "name", 64: "name", 66: "key",
            67: "key", 68: "signature"}  # fmt: skip


_MAX_AGE = re.compile(r'"?0*[1-9][0-9]*"?')


def _hsts_on(headers: Headers) -> set[str] | None:
    """The HSTS directive names when the response sets HSTS (max-age > 0), else None.

    Read as findings.hsts_directives does (the first header, first of each name); not imported
    from there so that findings.py may import this module's ids.
    """
    values = values_of(headers, "strict-transport-security")
    if not values:
        return None
    directives: dict[str, str] = {}
    for part in values[0].split(";"):
        key, _, value = part.partition("=")
        directives.setdefault(key.strip(" \t").lower(), value.strip(" \t"))
    return set(directives) if _MAX_AGE.fullmatch(directives.get("max-age", "")) else None


def _problems(info: TlsInfo, cert: CertInfo, host: str, now: datetime) -> list[tuple[str, str]]:
    """Each problem of a rejected certificate: (key, clause), in the order a person needs them."""
    out: list[tuple[str, str]] = []
    if cert.not_after < _utc(now):
        out.append(("expired", f"the certificate expired {_ago(cert.not_after, now)} "
                               f"(notAfter {_when(cert.not_after)})"))
    if cert.not_before > _utc(now):
        out.append(("not-yet-valid", f"the certificate is not valid until {_when(cert.not_before)}"))
    if info.verify_code in _NAME_CODES or match_host(host, cert) is None:
        out.append(("name", f"the certificate is for {_names(cert)}, not for {_this_host(host)}"))
    if cert.self_issued or info.verify_code == 18:
        out.append(("self-signed", f"the certificate is self-signed ({_quoted_issuer(cert)}), so no browser "
                                   "trusts it"))
    if cert.key_type == "RSA" and 0 < cert.key_bits < MIN_RSA_BITS:
        out.append(("key", f"its RSA key has {cert.key_bits} bits (at least {MIN_RSA_BITS} are required)"))
    if cert.signature_hash in _WEAK_HASHES:
        out.append(("signature", f"it is signed with {cert.signature_hash.upper()}, which browsers no "
                                 "longer accept"))
    return out


def _names(cert: CertInfo) -> str:
    names = [*cert.san_dns, *cert.san_ip]
    if not names:
        return f"{shown(cert.subject_cn)!s} (subject CN; no subjectAltName)" if cert.subject_cn else "no name"
    listed = ", ".join(shown(n) for n in names[:3])
    return listed + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _validity_findings(info: TlsInfo, host: str, name_matches: bool, days_left: int | None, now: datetime,
                       headers: Headers) -> list[Finding]:
    cert = info.certificate
    out: list[Finding] = []
    if cert is None:
        if not info.verified:
            out.append(_untrusted(info, None))
        return out
    hsts = _hsts_on(headers) is not None
    if days_left is not None and days_left < 0:
        outage = " With HSTS, browsers offer no way past it." if hsts else ""
        out.append(Finding(
            "tls-cert-expired", "critical", "The certificate has expired",
            f"It expired {_ago(cert.not_after, now)} (notAfter {_when(cert.not_after)}); browsers refuse "
            f"the site.{outage}",
            "Renew the certificate and reload the server; automate renewal (ACME) with monitoring.", _MDN_TLS,
        ))  # fmt: skip
    elif days_left is not None and days_left < EXPIRY_WARN_DAYS:
        severity = next(s for limit, s in _EXPIRY_STEPS if days_left < limit)
        if hsts:
            severity = "high" if severity in {"high", "medium"} else "medium"
        outage = (" The site sends HSTS: once it expires, browsers offer no way past the error, so the site "
                  "is down for every visitor until a new certificate is installed.") if hsts else ""
        out.append(Finding(
            "tls-cert-expiring", severity, f"The certificate expires {_in_days(days_left)}",
            f"notAfter is {_when(cert.not_after)}. Automated renewal (ACME) normally renews 30 days "
            f"before expiry, so it may be failing.{outage}",
            "Renew the certificate now and check the renewal job and its alerts.", _MDN_TLS,
        ))  # fmt: skip
    if cert.not_before > _utc(now):
        out.append(Finding(
            "tls-cert-not-yet-valid", "critical", "The certificate is not valid yet",
            f"It is valid from {_when(cert.not_before)}; browsers refuse it until then (or the server's "
            "clock is wrong).", "Serve the current certificate, and check the clock of the machine that "
            "issued it.", _MDN_TLS,
        ))  # fmt: skip
    if not name_matches:
        out.append(Finding(
            "tls-cert-name-mismatch", "critical", "The certificate is not for this host",
            f"It is for {_names(cert)}, not for {_this_host(host)}; browsers refuse the site.",
            f"Serve a certificate that lists {_display_host(host)} in its subjectAltName (check which "
            "certificate the server picks for this name, SNI).", _MDN_TLS,
        ))  # fmt: skip
    elif not cert.san_dns and not cert.san_ip:
        out.append(Finding(
            "tls-cert-no-san", "high", "The certificate names the host only in its subject CN",
            "It has no subjectAltName; browsers ignore the subject CN and refuse such certificates.",
            "Reissue it with the host names in subjectAltName.", _MDN_TLS,
        ))  # fmt: skip
    if not info.verified and _untrusted_cause(info, cert, now):
        out.append(_untrusted(info, cert))
    return out


def _untrusted_cause(info: TlsInfo, cert: CertInfo, now: datetime) -> bool:
    """Whether the rejection needs its own finding (no finding above already states its cause)."""
    code = info.verify_code
    if code in {9, 62, 64}:
        return False
    if code == 10:
        return cert.not_after >= _utc(now)  # an expired intermediate, not the leaf
    if code in {66, 67, 68}:
        return not (_small_rsa(cert) or cert.signature_hash in _WEAK_HASHES)
    return True


def _untrusted(info: TlsInfo, cert: CertInfo | None) -> Finding:
    self_signed = cert is not None and (cert.self_issued or info.verify_code == 18)
    if self_signed:
        detail = "It is self-signed: no browser trusts it."
    elif cert is not None and info.verify_code in {2, 19, 20, 21}:
        detail = (f"It was issued by {_quoted_issuer(cert)}, which browsers do not trust, or the server does "
                  "not send the intermediate certificate that links it to a trusted root.")
    else:
        detail = _sentence(info.verify_reason or "the certificate chain is not trusted")
    return Finding(
        "tls-cert-untrusted", "critical", "The certificate is not trusted",
        detail + " Browsers refuse the site.",
        "Use a certificate from a public CA (such as Let's Encrypt) and serve the full chain "
        "(leaf and intermediates, e.g. fullchain.pem).", _MDN_TLS,
    )  # fmt: skip


def _small_rsa(cert: CertInfo) -> bool:
    return cert.key_type == "RSA" and 0 < cert.key_bits < MIN_RSA_BITS


def _key_findings(info: TlsInfo) -> list[Finding]:
    cert = info.certificate
    if cert is None:
        return []
    rejected: Severity = "critical" if not info.verified else "high"
    out = []
    if _small_rsa(cert):
        out.append(Finding(
            "tls-rsa-key-small", rejected, f"The certificate's RSA key has {cert.key_bits} bits",
            f"RSA keys under {MIN_RSA_BITS} bits can be factored with enough effort; browsers and "
            "TLS libraries refuse them.", "Reissue the certificate with an RSA 2048+ or an EC P-256 key.",
            _MDN_TLS,
        ))  # fmt: skip
    if cert.signature_hash in _WEAK_HASHES:
        name = cert.signature_hash.upper()
        out.append(Finding(
            "tls-weak-signature", rejected, f"The certificate is signed with {name}",
            f"{name} signatures can be forged (chosen-prefix collisions); browsers refuse them.",
            "Reissue the certificate (any current CA signs with SHA-256).", _MDN_TLS,
        ))  # fmt: skip
    return out


def _aead(info: TlsInfo) -> bool:
    name = info.cipher.upper()
    return info.protocol == "TLSv1.3" or any(mode in name for mode in ("GCM", "CHACHA20", "CCM"))


def _forward_secret(info: TlsInfo) -> bool:
    name = info.cipher.upper()
    return info.protocol == "TLSv1.3" or name.startswith(("ECDHE-", "DHE-", "EDH-", "TLS_"))


def _cipher_findings(info: TlsInfo) -> list[Finding]:
    if not info.cipher or info.protocol == "TLSv1.3":
        return []
    out = []
    cipher = shown(info.cipher)
    if not _aead(info):
        out.append(Finding(
            "tls-cbc-cipher", "info", "The connection uses a CBC cipher",
            f"{shown(info.protocol)} with {cipher}: CBC with HMAC is the older construction behind "
            "padding-oracle attacks (Lucky 13); browsers pick AES-GCM or ChaCha20-Poly1305 when the "
            "server offers them.",
            "Prefer ECDHE with AES-GCM or ChaCha20-Poly1305, and enable TLS 1.3.", _MDN_TLS,
        ))  # fmt: skip
    if not _forward_secret(info):
        out.append(Finding(
            "tls-no-forward-secrecy", "info", "The connection has no forward secrecy",
            f"{shown(info.protocol)} with {cipher}: the key exchange is RSA, so anyone who later obtains "
            "the server's private key can decrypt recorded traffic.",
            "Offer ECDHE key exchange first, and enable TLS 1.3.", _MDN_TLS,
        ))  # fmt: skip
    return out


def _hsts_findings(info: TlsInfo, host: str, headers: Headers) -> list[Finding]:
    directives = _hsts_on(headers)
    if directives is None:
        return []
    if not info.verified:
        return [Finding(
            "tls-hsts-unverified", "medium", "HSTS sent over a certificate browsers reject",
            "Browsers ignore Strict-Transport-Security on a connection with certificate errors, so "
            "the header protects no one until the certificate is fixed.",
            None, _HSTS_LINK,
        )]  # fmt: skip
    if _ip(host) is not None:
        return [Finding(
            "tls-hsts-ip-address", "info", "HSTS on an IP address",
            "Browsers ignore Strict-Transport-Security when the site is reached by IP address (RFC 6797 "
            "§8.1); it only takes effect under a host name.", None, _HSTS_LINK,
        )]  # fmt: skip
    cert = info.certificate
    if "includesubdomains" in directives and cert is not None and _only_this_name(host.lower(), cert):
        also = " and preload make" if "preload" in directives else " makes"
        return [Finding(
            "tls-hsts-subdomains-uncovered", "info", "HSTS covers subdomains this certificate does not",
            f"includeSubDomains{also} browsers use https for every subdomain of "
            f"{_display_host(host)}, and this certificate names only {_display_host(host)}: each "
            "subdomain needs a valid certificate of its own, or it becomes unreachable for visitors of "
            "this site.",
            "Check that every subdomain (including internal ones) serves a valid certificate, or drop "
            "includeSubDomains.", _HSTS_LINK,
        )]  # fmt: skip
    return []


# --- wording -----------------------------------------------------------------------------------


def _issuer(cert: CertInfo) -> str:
    cn, org = shown(cert.issuer_cn), shown(cert.issuer_org)
    if cn and org and org != cn:
        return f"{cn} ({org})"
    return cn or org or shown(cert.issuer)


def _quoted_issuer(cert: CertInfo) -> str:
    return f"“{_issuer(cert)}”" if _issuer(cert) else "an unnamed issuer"


def _key(cert: CertInfo) -> str:
    if cert.key_type == "EC":
        curve = shown(cert.key_curve)
        return f"EC {curve} ({cert.key_bits} bits)" if curve else f"EC {cert.key_bits}"
    if cert.key_type in {"Ed25519", "Ed448"} or not cert.key_bits:
        return cert.key_type
    return f"{cert.key_type} {cert.key_bits}"


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:]).removesuffix(".") + "." if text else ""
