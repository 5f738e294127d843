"""What a TLS connection negotiated and what its certificate says (TlsInfo), read from the socket.

Reading never raises: a certificate cryptography cannot parse becomes `certificate=None`, a field it
cannot read gets an empty value. Nothing here decides whether a connection may be used: the
fetcher's verification (transport.tls_context) does, before any of this runs.
"""

from __future__ import annotations

import ssl

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.x509.oid import NameOID

from toolbox.core.net.model import CertInfo, TlsInfo

# What cryptography raises on a malformed or unusual certificate part (and its warnings about
# such parts, should a warnings filter turn them into errors).
_UNREADABLE = (
    ValueError, TypeError, UnsupportedAlgorithm, x509.DuplicateExtension, x509.UnsupportedGeneralNameType,
    x509.InvalidVersion, Warning,
)

# OpenSSL X509_V_ERR_* codes a rejected certificate comes with, as a sentence for a person.
VERIFY_REASONS: dict[int, str] = {
    2: "the issuer's certificate is missing (the server may not send its intermediate certificate)",
    7: "the certificate's signature is invalid",
    9: "the certificate is not valid yet",
    10: "a certificate in the chain has expired",
    18: "the certificate is self-signed",
    19: "the chain ends in a self-signed root that is not trusted",
    20: "the issuer is not a trusted authority (or the server does not send its intermediate certificate)",
    21: "the chain cannot be verified (the server may not send its intermediate certificate)",
    23: "the certificate has been revoked",
    24: "a certificate in the chain is not a valid CA",
    26: "the certificate is not meant for TLS servers",
    62: "the certificate is not for this host name",
    64: "the certificate is not for this IP address",
    66: "the certificate's key is too small",
    67: "a CA key in the chain is too small",
    68: "the chain is signed with a weak algorithm (such as SHA-1)",
}
_CURVES = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}


def verify_reason(code: int) -> str:
    """The sentence for an OpenSSL verification error code."""
    return VERIFY_REASONS.get(code, f"the certificate chain is not trusted (OpenSSL error {code})")


def describe_connection(
    sock: ssl.SSLSocket, host: str, *, verified: bool = True, verify_code: int = 0
) -> TlsInfo:
    """The TLS facts of a connected socket: protocol, cipher and the peer's leaf certificate."""
    cipher = sock.cipher()
    der = sock.getpeercert(binary_form=True)
    return TlsInfo(
        host=host,
        protocol=sock.version() or "",
        cipher=cipher[0] if cipher else "",
        cipher_bits=int(cipher[2] or 0) if cipher else 0,
        certificate=read_certificate(der) if der else None,
        verified=verified,
        verify_code=0 if verified else verify_code,
        verify_reason="" if verified else verify_reason(verify_code),
    )


def read_certificate(der: bytes) -> CertInfo | None:
    """Parse a DER certificate; None when it does not parse at all."""
    try:
        cert = x509.load_der_x509_certificate(der)
        not_before, not_after = cert.not_valid_before_utc, cert.not_valid_after_utc
    except _UNREADABLE:
        return None
    subject, issuer = _name(cert, "subject"), _name(cert, "issuer")
    key_type, key_bits, key_curve = _key(cert)
    sig_name, sig_hash = _signature(cert)
    dns, ips = _sans(cert)
    return CertInfo(
        subject_cn=_attribute(subject, NameOID.COMMON_NAME),
        subject=_rfc4514(subject),
        san_dns=dns,
        san_ip=ips,
        issuer_cn=_attribute(issuer, NameOID.COMMON_NAME),
        issuer_org=_attribute(issuer, NameOID.ORGANIZATION_NAME),
        issuer=_rfc4514(issuer),
        self_issued=subject is not None and subject == issuer,
        not_before=not_before,
        not_after=not_after,
        serial=f"{cert.serial_number:X}",
        key_type=key_type,
        key_bits=key_bits,
        key_curve=key_curve,
        signature_algorithm=sig_name,
        signature_hash=sig_hash,
        sha256=cert.fingerprint(hashes.SHA256()).hex(":").upper(),
    )


def _name(cert: x509.Certificate, which: str) -> x509.Name | None:
    try:
        return cert.subject if which == "subject" else cert.issuer
    except _UNREADABLE:
        return None


def _attribute(name: x509.Name | None, oid: x509.ObjectIdentifier) -> str:
    """The first value of an attribute ("" when absent or not text)."""
    if name is None:
        return ""
    try:
        values = name.get_attributes_for_oid(oid)
    except _UNREADABLE:
        return ""
    value = values[0].value if values else ""
    return value if isinstance(value, str) else ""


def _rfc4514(name: x509.Name | None) -> str:
    if name is None:
        return ""
    try:
        return name.rfc4514_string()
    except _UNREADABLE:
        return ""


def _sans(cert: x509.Certificate) -> tuple[tuple[str, ...], tuple[str, ...]]:
    try:
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        dns = tuple(str(v) for v in names.get_values_for_type(x509.DNSName))
        ips = tuple(str(v) for v in names.get_values_for_type(x509.IPAddress))
    except x509.ExtensionNotFound:
        return (), ()
    except _UNREADABLE:
        return (), ()
    return dns, ips


def _key(cert: x509.Certificate) -> tuple[str, int, str]:
    try:
        key = cert.public_key()
    except _UNREADABLE:
        return "unknown", 0, ""
    if isinstance(key, rsa.RSAPublicKey):
        return "RSA", key.key_size, ""
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "EC", key.key_size, _CURVES.get(key.curve.name, key.curve.name)
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519", 256, ""
    if isinstance(key, ed448.Ed448PublicKey):
        return "Ed448", 456, ""
    if isinstance(key, dsa.DSAPublicKey):
        return "DSA", key.key_size, ""
    return "unknown", 0, ""


def _signature(cert: x509.Certificate) -> tuple[str, str]:
    oid = cert.signature_algorithm_oid
    name = oid._name if oid._name != "Unknown OID" else oid.dotted_string
    try:
        algorithm = cert.signature_hash_algorithm
    except _UNREADABLE:
        return name, ""
    return name, algorithm.name if algorithm is not None else ""
