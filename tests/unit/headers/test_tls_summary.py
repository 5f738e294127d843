"""The TLS summary (toolbox/core/headers/tls.py) over synthetic TlsInfo values: facts, name
matching, expiry boundaries, certificate and cipher findings, HSTS consistency, failure messages."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta

import msgspec
import pytest

from toolbox.core.headers.tls import TLS_FINDING_IDS, match_host, tls_failure_message, tls_summary
from toolbox.core.net import CertInfo, TlsInfo

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
HSTS = (("Strict-Transport-Security", "max-age=63072000"),)
HSTS_SUB = (("Strict-Transport-Security", "max-age=63072000; includeSubDomains; preload"),)


def cert(**changes: object) -> CertInfo:
    base = CertInfo(
        subject_cn="example.com", subject="CN=example.com", san_dns=("example.com", "www.example.com"), san_ip=(),
        issuer_cn="R11", issuer_org="Let's Encrypt", issuer="CN=R11,O=Let's Encrypt,C=US", self_issued=False,
        not_before=NOW - timedelta(days=30), not_after=NOW + timedelta(days=60), serial="04A1",
        key_type="EC", key_bits=256, key_curve="P-256", signature_algorithm="sha256WithRSAEncryption",
        signature_hash="sha256", sha256="AB:CD",
    )  # fmt: skip
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def info(certificate: CertInfo | None = None, **changes: object) -> TlsInfo:
    base = TlsInfo(host="example.com", protocol="TLSv1.3", cipher="TLS_AES_256_GCM_SHA384", cipher_bits=256,
                   certificate=certificate or cert())
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def no_certificate(**changes: object) -> TlsInfo:
    return dataclasses.replace(info(), certificate=None, **changes)  # type: ignore[arg-type]


def rejected(code: int, reason: str, **cert_changes: object) -> TlsInfo:
    return info(cert(**cert_changes), verified=False, verify_code=code, verify_reason=reason)


def ids(summary_or_info: object, headers: tuple[tuple[str, str], ...] = ()) -> dict[str, str]:
    tls = summary_or_info if isinstance(summary_or_info, TlsInfo) else info()
    return {f.id: f.severity for f in tls_summary(tls, "https://example.com/", headers, NOW).findings}


# --- the facts --------------------------------------------------------------------------------


def test_a_healthy_connection_has_its_facts_and_no_finding() -> None:
    summary = tls_summary(info(), "https://example.com/", HSTS, NOW)
    assert summary.findings == ()
    assert (summary.host, summary.protocol, summary.cipher, summary.cipher_bits) == (
        "example.com", "TLSv1.3", "TLS_AES_256_GCM_SHA384", 256)
    assert summary.aead and summary.forward_secrecy
    assert (summary.subject, summary.sans, summary.sans_total) == ("example.com", ("example.com", "www.example.com"), 2)
    assert (summary.name_matches, summary.matched_by) == (True, "example.com")
    assert summary.issuer == "R11 (Let's Encrypt)" and not summary.self_signed
    assert (summary.not_before, summary.not_after) == ("2026-11-05T12:00:00Z", "2027-02-03T12:00:00Z")
    assert (summary.days_left, summary.verified, summary.chain) == (60, True, "verified")
    assert (summary.key, summary.signature, summary.serial) == ("EC P-256 (256 bits)", "sha256WithRSAEncryption", "04A1")


def test_the_summary_serialises_to_json() -> None:
    summary = tls_summary(rejected(10, "a certificate in the chain has expired", not_after=NOW - timedelta(days=2)),
                          "https://example.com/", HSTS, NOW)
    decoded = json.loads(msgspec.json.encode(summary))
    assert decoded["days_left"] == -2 and decoded["chain"] == "a certificate in the chain has expired"
    assert decoded["findings"][0]["id"] == "tls-cert-expired"


def test_without_a_certificate_the_facts_are_empty() -> None:
    summary = tls_summary(no_certificate(), "https://example.com/", (), NOW)
    assert (summary.subject, summary.sans, summary.days_left, summary.not_after) == ("", (), None, "")
    assert summary.name_matches and summary.findings == ()
    failed = tls_summary(no_certificate(verified=False, verify_code=20, verify_reason="x"),
                         "https://example.com/", (), NOW)
    assert [f.id for f in failed.findings] == ["tls-cert-untrusted"]


def test_the_host_comes_from_the_url_when_the_info_has_none() -> None:
    summary = tls_summary(info(host=""), "https://WWW.Example.com:8443/path", (), NOW)
    assert (summary.host, summary.matched_by) == ("www.example.com", "www.example.com")


def test_an_idn_host_is_shown_in_unicode_and_matched_on_its_a_label() -> None:
    idn = info(cert(san_dns=("*.xn--bcher-kva.example",)), host="shop.xn--bcher-kva.example")
    summary = tls_summary(idn, "https://shop.bücher.example/", (), NOW)
    assert (summary.host, summary.name_matches, summary.matched_by) == (
        "shop.bücher.example", True, "*.xn--bcher-kva.example")
    from_url = tls_summary(dataclasses.replace(idn, host=""), "https://shop.bücher.example/", (), NOW)
    assert from_url.matched_by == "*.xn--bcher-kva.example"  # the URL's U-label host is converted


def test_hostile_certificate_text_is_escaped_and_capped() -> None:
    hostile = cert(subject_cn="evil\x00.example\u202e<script>" + "a" * 500, san_dns=("x\r\ny.example",) * 300,
                   issuer_cn="CA\x1b[31m", issuer_org="")
    summary = tls_summary(info(hostile, verified=False, verify_code=62, verify_reason="x"),
                          "https://example.com/", (), NOW)
    assert "\x00" not in summary.subject and "\u202e" not in summary.subject and len(summary.subject) <= 121
    assert len(summary.sans) == 100 and summary.sans_total == 300 and "\r" not in summary.sans[0]
    assert "\x1b" not in summary.issuer
    assert not summary.name_matches
    detail = next(f.detail for f in summary.findings if f.id == "tls-cert-name-mismatch")
    assert "\r" not in detail and "and 297 more" in detail


# --- RFC 6125 name matching (display only) ------------------------------------------------------


@pytest.mark.parametrize(("host", "sans", "expected"), [
    ("example.com", ("example.com",), "example.com"),
    ("EXAMPLE.com.", ("Example.COM",), "Example.COM"),  # case and a trailing dot do not matter
    ("www.example.com", ("*.example.com",), "*.example.com"),
    ("example.com", ("*.example.com",), None),  # the wildcard needs a label
    ("a.b.example.com", ("*.example.com",), None),  # … exactly one
    ("evil.com.example.com", ("*.example.com",), None),
    ("www.example.com", ("w*.example.com",), None),  # partial wildcards are not honoured
    ("www.example.com", ("*w.example.com",), None),
    ("www.example.com", ("*.*.com",), None),
    ("a.b.com", ("*.*.com",), None),
    ("example.com", ("*.com",), None),  # not over a single-label suffix
    ("com", ("*",), None),
    ("x.example.com", ("*.",), None),
    ("x..example.com", ("*..example.com",), None),
    ("www.example.com", ("www.*.com",), None),  # only the left-most label
    ("www.example.com", ("www.example.com\x00.evil.com",), None),
    ("www.example.com\x00.evil.com", ("*.evil.com",), None),
    (".example.com", ("*.example.com",), None),
    ("", ("*.example.com",), None),
    ("www.bücher.example", ("www.bücher.example",), None),  # names are compared as A-labels only
    ("www.xn--bcher-kva.example", ("*.xn--bcher-kva.example",), "*.xn--bcher-kva.example"),
    ("xn--bcher-kva.example", ("xn--*.example",), None),  # no wildcard inside an A-label
    ("www.example.com", ("other.example", "*.example.com"), "*.example.com"),  # the first that covers
])  # fmt: skip
def test_dns_names_match_as_rfc_6125_says(host: str, sans: tuple[str, ...], expected: str | None) -> None:
    assert match_host(host, cert(san_dns=sans)) == expected


@pytest.mark.parametrize(("host", "dns", "ips", "expected"), [
    ("127.0.0.1", (), ("127.0.0.1",), "127.0.0.1"),
    ("[2001:db8::1]", (), ("2001:db8:0:0::1",), "2001:db8:0:0::1"),  # compared as addresses
    ("2001:db8::1", ("2001:db8::1",), (), None),  # a DNS SAN never covers an IP host
    ("127.0.0.1", ("127.0.0.1", "*.0.0.1"), (), None),
    ("127.0.0.1", (), ("127.0.0.2",), None),
    ("::ffff:127.0.0.1", (), ("127.0.0.1",), None),  # an IPv4-mapped form is another address
])  # fmt: skip
def test_ip_hosts_match_ip_sans_only(host: str, dns: tuple[str, ...], ips: tuple[str, ...],
                                     expected: str | None) -> None:
    assert match_host(host, cert(san_dns=dns, san_ip=ips, subject_cn=host.strip("[]"))) == expected


def test_the_subject_cn_counts_only_without_dns_sans_and_is_a_finding() -> None:
    assert match_host("example.com", cert(san_dns=())) == "CN=example.com"
    assert match_host("example.com", cert(san_dns=("other.example",))) is None
    summary = tls_summary(info(cert(san_dns=())), "https://example.com/", (), NOW)
    assert summary.matched_by == "CN=example.com"
    assert {f.id: f.severity for f in summary.findings} == {"tls-cert-no-san": "high"}


# --- expiry ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("days", "expected"), [
    (400, None), (31, None), (30, None),
    (29.99, ("low", 29)), (29, ("low", 29)), (14, ("low", 14)), (13.5, ("medium", 13)),
    (7, ("medium", 7)), (6.9, ("high", 6)), (1, ("high", 1)), (0.5, ("high", 0)),
])  # fmt: skip
def test_a_certificate_expiring_within_30_days_is_a_finding(days: float, expected: tuple[str, int] | None) -> None:
    summary = tls_summary(info(cert(not_after=NOW + timedelta(days=days))), "https://example.com/", (), NOW)
    found = {f.id: f.severity for f in summary.findings}
    if expected is None:
        assert found == {} and summary.days_left is not None and summary.days_left >= 30
    else:
        assert found == {"tls-cert-expiring": expected[0]} and summary.days_left == expected[1]


def test_expiry_wording() -> None:
    def title(days: float) -> str:
        summary = tls_summary(info(cert(not_after=NOW + timedelta(days=days))), "https://example.com/", (), NOW)
        return summary.findings[0].title

    assert title(0.2) == "The certificate expires within 24 hours"
    assert title(1.5) == "The certificate expires in 1 day"
    assert title(29.5) == "The certificate expires in 29 days"


@pytest.mark.parametrize(("days", "severity"), [(20, "medium"), (10, "high"), (3, "high")])
def test_hsts_makes_an_expiring_certificate_more_severe(days: int, severity: str) -> None:
    summary = tls_summary(info(cert(not_after=NOW + timedelta(days=days))), "https://example.com/", HSTS, NOW)
    finding = next(f for f in summary.findings if f.id == "tls-cert-expiring")
    assert finding.severity == severity and "HSTS" in finding.detail
    removed = (("Strict-Transport-Security", "max-age=0"),)  # max-age=0 clears HSTS: no outage risk
    assert ids(info(cert(not_after=NOW + timedelta(days=20))), removed)["tls-cert-expiring"] == "low"


@pytest.mark.parametrize(("delta", "days_left", "ago"), [
    (timedelta(hours=-1), -1, "expired today"), (timedelta(days=-1), -1, "expired 1 day ago"),
    (timedelta(days=-3, hours=-2), -4, "expired 3 days ago"),
])  # fmt: skip
def test_an_expired_certificate(delta: timedelta, days_left: int, ago: str) -> None:
    failed = rejected(10, "a certificate in the chain has expired", not_after=NOW + delta)
    summary = tls_summary(failed, "https://example.com/", (), NOW)
    assert summary.days_left == days_left and not summary.verified
    assert summary.chain == "a certificate in the chain has expired"
    assert {f.id: f.severity for f in summary.findings} == {"tls-cert-expired": "critical"}
    message = tls_failure_message(failed, NOW)
    assert message.startswith("The certificate " + ago + " (notAfter ")
    assert message.endswith(" UTC).")


def test_an_expired_intermediate_is_told_apart_from_an_expired_leaf() -> None:
    failed = rejected(10, "a certificate in the chain has expired")  # the leaf itself is valid
    assert ids(failed) == {"tls-cert-untrusted": "critical"}
    assert tls_failure_message(failed, NOW) == (
        "A certificate in the chain has expired (this certificate is valid until 2027-02-03 12:00 UTC).")


def test_a_certificate_not_yet_valid() -> None:
    failed = rejected(9, "the certificate is not valid yet", not_before=NOW + timedelta(days=2))
    assert ids(failed) == {"tls-cert-not-yet-valid": "critical"}
    assert tls_failure_message(failed, NOW) == "The certificate is not valid until 2026-12-07 12:00 UTC."


# --- rejected certificates: findings and the one-line message ---------------------------------


def test_a_certificate_for_another_name() -> None:
    failed = rejected(62, "the certificate is not for this host name", san_dns=("other.example",),
                      subject_cn="other.example")
    summary = tls_summary(failed, "https://example.com/", (), NOW)
    assert (summary.name_matches, summary.matched_by) == (False, "")
    assert ids(failed) == {"tls-cert-name-mismatch": "critical"}
    assert tls_failure_message(failed, NOW) == "The certificate is for other.example, not for example.com."


def test_the_name_code_wins_over_the_display_matcher() -> None:
    # OpenSSL said no; whatever our display matcher thinks, the name did not match.
    failed = rejected(62, "the certificate is not for this host name")
    assert not tls_summary(failed, "https://example.com/", (), NOW).name_matches


def test_a_self_signed_certificate() -> None:
    failed = rejected(18, "the certificate is self-signed", self_issued=True, issuer_cn="example.com",
                      issuer_org="")
    assert ids(failed) == {"tls-cert-untrusted": "critical"}
    assert "self-signed" in tls_summary(failed, "https://example.com/", (), NOW).findings[0].detail
    assert tls_failure_message(failed, NOW) == (
        "The certificate is self-signed (“example.com”), so no browser trusts it.")


def test_an_unknown_issuer_names_the_issuer() -> None:
    failed = rejected(20, "the issuer is not a trusted authority", issuer_cn="Corp Internal CA", issuer_org="Corp")
    assert ids(failed) == {"tls-cert-untrusted": "critical"}
    assert tls_failure_message(failed, NOW) == (
        "It was issued by “Corp Internal CA (Corp)”, which is not a trusted authority (or the server does "
        "not send its intermediate certificate).")


def test_several_problems_are_told_in_one_line() -> None:
    failed = rejected(20, "the issuer is not a trusted authority", issuer_cn="Corp CA", issuer_org="",
                      san_dns=("intranet.corp",), not_after=NOW - timedelta(days=3))
    assert set(ids(failed)) == {"tls-cert-untrusted", "tls-cert-expired", "tls-cert-name-mismatch"}
    message = tls_failure_message(failed, NOW)
    assert message.startswith("It was issued by “Corp CA”, which is not a trusted authority")
    assert "; also the certificate expired 3 days ago" in message
    assert "; also the certificate is for intranet.corp, not for example.com" in message


def test_an_rsa_1024_key_is_the_reason() -> None:
    failed = rejected(66, "the certificate's key is too small", key_type="RSA", key_bits=1024, key_curve="")
    assert ids(failed) == {"tls-rsa-key-small": "critical"}
    assert tls_failure_message(failed, NOW) == "Its RSA key has 1024 bits (at least 2048 are required)."
    assert tls_summary(failed, "https://example.com/", (), NOW).key == "RSA 1024"
    # (had it been accepted, it would still be a finding)
    assert ids(info(cert(key_type="RSA", key_bits=1024, key_curve=""))) == {"tls-rsa-key-small": "high"}
    assert ids(info(cert(key_type="RSA", key_bits=2048, key_curve=""))) == {}


def test_a_sha1_signature() -> None:
    failed = rejected(68, "the chain is signed with a weak algorithm", signature_hash="sha1",
                      signature_algorithm="sha1WithRSAEncryption")
    assert ids(failed) == {"tls-weak-signature": "critical"}
    assert tls_failure_message(failed, NOW) == "It is signed with SHA1, which browsers no longer accept."
    # a weak CA signature higher up the chain (the leaf is fine): the reason is told as OpenSSL gave it
    chain = rejected(68, "the chain is signed with a weak algorithm (such as SHA-1)")
    assert ids(chain) == {"tls-cert-untrusted": "critical"}
    assert tls_failure_message(chain, NOW) == "The chain is signed with a weak algorithm (such as SHA-1)."


def test_an_unknown_code_falls_back_to_the_reason() -> None:
    failed = rejected(99, "the certificate chain is not trusted (OpenSSL error 99)")
    assert ids(failed) == {"tls-cert-untrusted": "critical"}
    assert tls_failure_message(failed, NOW) == "The certificate chain is not trusted (OpenSSL error 99)."
    unreadable = no_certificate(verified=False, verify_code=18, verify_reason="the certificate is self-signed")
    assert tls_failure_message(unreadable, NOW) == "The certificate is self-signed."


# --- ciphers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("protocol", "cipher", "expected"), [
    ("TLSv1.3", "TLS_AES_128_GCM_SHA256", set()),
    ("TLSv1.3", "TLS_CHACHA20_POLY1305_SHA256", set()),
    ("TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256", set()),
    ("TLSv1.2", "ECDHE-ECDSA-CHACHA20-POLY1305", set()),
    ("TLSv1.2", "DHE-RSA-AES256-GCM-SHA384", set()),
    ("TLSv1.2", "ECDHE-RSA-AES128-SHA256", {"tls-cbc-cipher"}),
    ("TLSv1.2", "AES128-GCM-SHA256", {"tls-no-forward-secrecy"}),
    ("TLSv1.2", "AES256-SHA", {"tls-cbc-cipher", "tls-no-forward-secrecy"}),
])  # fmt: skip
def test_tls12_ciphers_without_aead_or_forward_secrecy_are_informational(
        protocol: str, cipher: str, expected: set[str]) -> None:
    found = ids(info(protocol=protocol, cipher=cipher))
    assert set(found) == expected and set(found.values()) <= {"info"}
    summary = tls_summary(info(protocol=protocol, cipher=cipher), "https://example.com/", (), NOW)
    assert summary.aead == ("tls-cbc-cipher" not in expected)
    assert summary.forward_secrecy == ("tls-no-forward-secrecy" not in expected)


# --- HSTS consistency --------------------------------------------------------------------------


def test_include_subdomains_with_a_certificate_for_the_exact_name_only() -> None:
    exact = info(cert(san_dns=("example.com",)))
    assert ids(exact, HSTS_SUB) == {"tls-hsts-subdomains-uncovered": "info"}
    detail = tls_summary(exact, "https://example.com/", HSTS_SUB, NOW).findings[0].detail
    assert "includeSubDomains and preload" in detail
    assert ids(exact, HSTS) == {}  # without includeSubDomains, nothing to say
    assert ids(info(cert(san_dns=("example.com", "*.example.com"))), HSTS_SUB) == {}
    assert ids(info(cert(san_dns=("example.com", "www.example.com"))), HSTS_SUB) == {}
    # www with a certificate for www and the apex: more than the exact name, so no hint (it would be noise)
    www = info(cert(san_dns=("example.com", "www.example.com")), host="www.example.com")
    assert ids(www, HSTS_SUB) == {}
    assert ids(info(cert(san_dns=("EXAMPLE.com.",))), HSTS_SUB) == {"tls-hsts-subdomains-uncovered": "info"}
    assert ids(info(cert(san_dns=())), HSTS_SUB) == {"tls-cert-no-san": "high",
                                                      "tls-hsts-subdomains-uncovered": "info"}
    assert ids(exact, (("Strict-Transport-Security", "max-age=0; includeSubDomains"),)) == {}


def test_hsts_on_an_ip_address_host_is_ignored_by_browsers() -> None:
    ip = info(cert(san_dns=(), san_ip=("203.0.113.7",)), host="203.0.113.7")
    assert ids(ip, HSTS_SUB) == {"tls-hsts-ip-address": "info"}
    assert ids(ip, ()) == {}


def test_hsts_over_a_certificate_that_did_not_verify() -> None:
    failed = rejected(20, "the issuer is not a trusted authority")
    assert ids(failed, HSTS) == {"tls-cert-untrusted": "critical", "tls-hsts-unverified": "medium"}


def test_no_hsts_is_left_to_the_scored_test() -> None:
    assert ids(info(), ()) == {}


def test_every_finding_id_is_listed_with_its_severity() -> None:
    seen: dict[str, str] = {}
    cases = [
        (rejected(20, "x", not_after=NOW - timedelta(days=1), san_dns=("a.example",), key_type="RSA", key_bits=512,
                  signature_hash="md5", not_before=NOW + timedelta(days=1)), HSTS),
        (info(cert(not_after=NOW + timedelta(days=20), san_dns=()), protocol="TLSv1.2", cipher="AES256-SHA"), ()),
        (info(cert(san_dns=("example.com",))), HSTS_SUB),
        (info(host="203.0.113.7", certificate=cert(san_ip=("203.0.113.7",))), HSTS),
    ]
    for tls, headers in cases:
        for finding in tls_summary(tls, "https://example.com/", headers, NOW).findings:
            seen.setdefault(finding.id, finding.severity)
            assert finding.title and finding.detail and finding.mdn.startswith("https://developer.mozilla.org/")
    assert set(seen) == set(TLS_FINDING_IDS)


def test_findings_are_sorted_most_severe_first() -> None:
    failed = rejected(20, "x", not_after=NOW - timedelta(days=1))
    failed = dataclasses.replace(failed, protocol="TLSv1.2", cipher="AES256-SHA")
    severities = [f.severity for f in tls_summary(failed, "https://example.com/", HSTS, NOW).findings]
    order = ["critical", "high", "medium", "low", "info"]
    assert severities == sorted(severities, key=order.index) and severities[0] == "critical"


def test_a_naive_now_is_read_as_utc() -> None:
    naive = NOW.replace(tzinfo=None)
    assert tls_summary(info(), "https://example.com/", (), naive).days_left == 60


@pytest.mark.parametrize("url", ["https://[[x", "not a url", "", "https://xn--zz.example/", "https://a\x00b/"])
def test_a_hostile_url_without_a_host_in_the_info_never_raises(url: str) -> None:
    summary = tls_summary(info(host=""), url, (), NOW)
    assert summary.name_matches  # the connection verified; the display match just finds nothing
    failed = rejected(62, "the certificate is not for this host name")
    message = tls_failure_message(dataclasses.replace(failed, host=""), NOW)
    assert message == "The certificate is for example.com, www.example.com, not for this host."


def test_near_misses_do_not_fire() -> None:
    # valid since a minute ago: not "not yet valid"
    assert "tls-cert-not-yet-valid" not in ids(info(cert(not_before=NOW - timedelta(minutes=1))))
    # SHA-256 (and SHA-384) signatures are not weak
    for digest in ("sha256", "sha384"):
        assert "tls-weak-signature" not in ids(info(cert(signature_hash=digest)))
    # HSTS over a verified certificate is what it should be
    assert "tls-hsts-unverified" not in ids(info(), HSTS)
    # HSTS on a name (not an IP address) is honoured
    assert "tls-hsts-ip-address" not in ids(info(), HSTS_SUB)
