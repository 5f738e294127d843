"""Key sizes bounded before any expensive load: a linear walk of the DER or SSH encoding reads the key's
family and sizes, so a hostile key is refused before cryptography (or OpenSSL) touches it.

Why these bounds (measured on a loaded 2-vCPU box, docs/design.md §2 "Resource bounds"):
- Loading an RSA *private* key validates it (primality tests of p and q): 50 ms at 2048 bits, 0.4 s at
  4096, 3 to 9 s at 8192, 26 s at 16384, with the GIL held. Verification never needs the private half,
  so private keys given to verify are never validated; signing needs a valid key, so signing keys stop
  at 4096 bits, the largest size in common use.
- Verifying with a public key costs one modular exponentiation by the public exponent: 0.15 ms at 4096
  bits, 2 ms at 8192, 3 to 17 ms at 16384 (e = 65537, or a 64-bit e); a 3072-bit key with an exponent
  as large as its modulus costs 28 ms. A JWK Set buys up to MAX_JWKS_KEYS of these per request, so
  public moduli stop at 8192 bits and public exponents at 64 bits (real keys use 65537).
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from .model import JwtInputError

MAX_RSA_BITS = 8192  # public moduli (verify); a private key given to verify is read as its public half
MAX_SIGNING_RSA_BITS = 4096  # private keys that must be validated before signing
MAX_RSA_EXPONENT_BITS = 64
_MAX_FIELD_BYTES = MAX_RSA_BITS // 8 + 1  # any other integer (or DSA/DH parameter) in a key structure
_BALANCE_SLACK_BITS = 16  # p and q are each half of the modulus in every RSA key generator

_RSA_OIDS = {"1.2.840.113549.1.1.1", "1.2.840.113549.1.1.10"}  # rsaEncryption, RSASSA-PSS
_EC_OID = "1.2.840.10045.2.1"
_OTHER_OIDS = {"1.3.101.112": "Ed25519", "1.3.101.113": "Ed448"}
_REFUSED_OIDS = {
    "1.2.840.10040.4.1": "DSA", "1.2.840.113549.1.3.1": "DH", "1.2.840.10046.2.1": "DH",
    "1.3.101.110": "X25519", "1.3.101.111": "X448", "1.2.840.113549.1.1.7": "RSA-OAEP",
    "1.2.156.10197.1.301": "SM2", "1.2.643.7.1.1.1.1": "GOST", "1.2.643.7.1.1.1.2": "GOST",
}
_SSH_REFUSED = {"ssh-dss": "DSA"}
_EXPLICIT_CURVE = "EC keys with explicit curve parameters are not accepted: use a named curve"
_PEM_LABEL = re.compile(r"[A-Z0-9 ]{1,40}")
_NOT_JWS = " (supported: RSA, EC P-256/P-384/P-521/secp256k1, Ed25519, Ed448)"


@dataclass(frozen=True)
class RsaNumbers:
    """The integers of an RSA key read from its encoding (private members None for a public key)."""

    n: int
    e: int
    d: int | None = None
    p: int | None = None
    q: int | None = None


def too_big(bits: int) -> str:
    """The refusal for an RSA modulus over the verification bound."""
    return f"RSA keys over {MAX_RSA_BITS} bits are not accepted (this one has {bits})"


def check_rsa(numbers: RsaNumbers, *, signing: bool) -> None:
    """Refuse an RSA key whose sizes would make loading, validating or using it expensive."""
    bits = numbers.n.bit_length()
    if bits > MAX_RSA_BITS:
        raise JwtInputError(too_big(bits))
    if numbers.e.bit_length() > MAX_RSA_EXPONENT_BITS:
        raise JwtInputError(f"RSA public exponents over {MAX_RSA_EXPONENT_BITS} bits are not accepted "
                            f"(this one has {numbers.e.bit_length()}; keys use 65537)")
    if not signing:
        return
    if bits > MAX_SIGNING_RSA_BITS:
        raise JwtInputError(f"RSA private keys over {MAX_SIGNING_RSA_BITS} bits are not accepted for signing "
                            f"(this one has {bits}): checking a private key that large costs seconds")
    if numbers.d is not None and numbers.d.bit_length() > bits:
        raise JwtInputError("the RSA private key is invalid: d is larger than the modulus")
    p, q = numbers.p, numbers.q
    if p is None or q is None:
        return
    if p * q != numbers.n:  # cheap, and it makes the validation below cost what a real key costs
        raise JwtInputError("the RSA private key is invalid: p × q is not n")
    if max(p.bit_length(), q.bit_length()) > (bits + 1) // 2 + _BALANCE_SLACK_BITS:
        raise JwtInputError("the RSA private key is invalid: its primes are not two halves of the modulus")


def bits_of(data: bytes) -> int:
    """Bit length of a big-endian unsigned integer."""
    return int.from_bytes(data, "big").bit_length()


# --- PEM --------------------------------------------------------------------------------------------------


def pem_block(text: str) -> tuple[str, str]:
    """(label, block) of the first PEM block, found with str.find: linear whatever the text holds."""
    start = text.find("-----BEGIN ")
    if start < 0:
        raise JwtInputError("not a PEM: expected '-----BEGIN PUBLIC KEY-----' "
                            "(or CERTIFICATE, RSA PUBLIC KEY, PRIVATE KEY)")
    head_end = text.find("-----", start + 11)
    label = text[start + 11:head_end] if head_end >= 0 else ""
    if not _PEM_LABEL.fullmatch(label):
        raise JwtInputError("not a PEM: the '-----BEGIN ...-----' line is damaged")
    marker = f"-----END {label}-----"
    end = text.find(marker, head_end + 5)
    if end < 0:
        raise JwtInputError("the PEM block is incomplete: no matching '-----END ...-----' line")
    return label, text[start:end + len(marker)]


def pem_der(block: str, what: str) -> bytes:
    """The DER inside one PEM block (armour lines and RFC 1421 headers skipped), in linear time."""
    lines = block.strip().splitlines()[1:-1]
    body = "".join(line.strip() for line in lines if ":" not in line)
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise JwtInputError(f"the {what} could not be read: the PEM body is not base64") from None


def check_pem(label: str, der: bytes, *, signing: bool) -> RsaNumbers | None:
    """Refuse a PEM key (by label and DER) that is too large or of a family JWS never uses.

    Returns the RSA numbers when the key is RSA. Raises JwtInputError; never loads the key.
    """
    try:
        return _check_der(label, der, signing)
    except (_Malformed, IndexError) as err:
        reason = str(err) if isinstance(err, _Malformed) else "unexpected DER structure"
        what = "certificate" if label == "CERTIFICATE" else label
        raise JwtInputError(f"the {what} could not be read: {reason}") from None


def _check_der(label: str, der: bytes, signing: bool) -> RsaNumbers | None:
    top = _Der(der).one(0x30)
    if label == "RSA PUBLIC KEY":
        return _rsa_public(top, signing)
    if label == "RSA PRIVATE KEY":
        return _rsa_private(top, signing)
    if label == "PUBLIC KEY":
        return _spki(top, signing)
    if label == "CERTIFICATE":
        tbs = _Der(top).items()[0]
        for tag, body in _Der(tbs[1]).items():
            if tag == 0x30 and _is_spki(body):
                return _spki(body, signing)
        raise _Malformed("it has no subject public key")
    if label == "PRIVATE KEY":  # PKCS#8: version, algorithm, the key in an OCTET STRING, ...
        parts = _Der(top).items()
        if len(parts) < 3 or parts[1][0] != 0x30 or parts[2][0] != 0x04:
            raise _Malformed("not a PKCS#8 private key")
        family = _family(parts[1][1])
        if family == "RSA":
            return _rsa_private(_Der(parts[2][1]).one(0x30), signing)
        _bound_fields(parts[2][1])
        return None
    if label == "EC PRIVATE KEY":  # SEC1: version, d, [0] parameters, [1] public key
        for tag, body in _Der(top).items():
            if tag == 0xA0 and _Der(body).items()[0][0] != 0x06:
                raise JwtInputError(_EXPLICIT_CURVE)
        _bound_fields(top)
        return None
    return None


def _is_spki(body: bytes) -> bool:
    items = _Der(body).items()
    return len(items) == 2 and items[0][0] == 0x30 and items[1][0] == 0x03 and \
        _Der(items[0][1]).items()[0][0] == 0x06


def _spki(body: bytes, signing: bool) -> RsaNumbers | None:
    algorithm, key = _Der(body).items()[:2]
    family = _family(algorithm[1])
    if family != "RSA":
        return None
    if key[0] != 0x03 or not key[1]:
        raise _Malformed("the public key is not a BIT STRING")
    return _rsa_public(_Der(key[1][1:]).one(0x30), signing)


def _family(algorithm: bytes) -> str:
    """The key family of an AlgorithmIdentifier; refuses families JWS never uses, before any load."""
    items = _Der(algorithm).items()
    if not items or items[0][0] != 0x06:
        raise _Malformed("no algorithm identifier")
    oid = _oid(items[0][1])
    if oid in _RSA_OIDS:
        return "RSA"
    if oid == _EC_OID:
        if len(items) < 2 or items[1][0] != 0x06:
            raise JwtInputError(_EXPLICIT_CURVE)
        return "EC"
    if oid in _OTHER_OIDS:
        return _OTHER_OIDS[oid]
    name = _REFUSED_OIDS.get(oid)
    if name:
        raise JwtInputError(f"a {name} key cannot be used with JWS" + _NOT_JWS)
    raise JwtInputError(f"a key of type {oid} cannot be used with JWS" + _NOT_JWS)


def _rsa_public(body: bytes, signing: bool) -> RsaNumbers:
    ints = _integers(body, 2)
    numbers = RsaNumbers(ints[0], ints[1])
    check_rsa(numbers, signing=signing)
    return numbers


def _rsa_private(body: bytes, signing: bool) -> RsaNumbers:
    ints = _integers(body, 6)  # version, n, e, d, p, q (dp, dq, qi follow)
    numbers = RsaNumbers(ints[1], ints[2], ints[3], ints[4], ints[5])
    check_rsa(numbers, signing=signing)
    return numbers


def _integers(body: bytes, count: int) -> list[int]:
    items = _Der(body).items()
    if len(items) < count or any(tag != 0x02 for tag, _ in items[:count]):
        raise _Malformed("the RSA key is not a sequence of integers")
    for _, value in items:
        if len(value) > _MAX_FIELD_BYTES:  # before int(): a 256 KB integer is refused, not converted
            raise JwtInputError(too_big(bits_of(value)))
    return [int.from_bytes(value, "big") for _, value in items[:count]]


def _bound_fields(body: bytes) -> None:
    """Every primitive field of a non-RSA key structure, bounded (EC and Ed keys are a few dozen bytes)."""
    stack = [body]
    while stack:
        for tag, value in _Der(stack.pop()).items():
            if tag & 0x20:
                stack.append(value)
            elif len(value) > _MAX_FIELD_BYTES:
                raise JwtInputError(f"the key has a {len(value) * 8}-bit field: keys over {MAX_RSA_BITS} "
                                    "bits are not accepted")


def _oid(data: bytes) -> str:
    if not data or len(data) > 64:
        raise _Malformed("bad object identifier")
    parts, value = [], 0
    for byte in data:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            parts.append(value)
            value = 0
    first = min(parts[0] // 40, 2)
    return ".".join(str(p) for p in (first, parts[0] - 40 * first, *parts[1:]))


class _Malformed(ValueError):
    """The DER is not the structure its label promises."""


class _Der:
    """A flat reader of the TLVs directly inside one DER value: linear, no recursion."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def items(self) -> list[tuple[int, bytes]]:
        """(tag, content) of each TLV, in order."""
        out, pos, data = [], 0, self.data
        while pos < len(data):
            tag = data[pos]
            if tag & 0x1F == 0x1F:
                raise _Malformed("multi-byte DER tags are not used in keys")
            if pos + 1 >= len(data):
                raise _Malformed("truncated DER")
            size, pos = data[pos + 1], pos + 2
            if size & 0x80:
                count = size & 0x7F
                if count == 0 or count > 4 or pos + count > len(data):
                    raise _Malformed("bad DER length")
                size, pos = int.from_bytes(data[pos:pos + count], "big"), pos + count
            if pos + size > len(data):
                raise _Malformed("truncated DER")
            out.append((tag, data[pos:pos + size]))
            pos += size
        return out

    def one(self, tag: int) -> bytes:
        """The content of the single TLV of type `tag` that the data must be."""
        items = self.items()
        if not items or items[0][0] != tag:
            raise _Malformed("unexpected DER structure")
        return items[0][1]


# --- SSH --------------------------------------------------------------------------------------------------


def ssh_public_blob(text: str) -> bytes:
    """The wire-format blob of an 'ssh-rsa AAAA... comment' line."""
    fields = text.split()
    try:
        return base64.b64decode(fields[1], validate=True) if len(fields) > 1 else b""
    except (binascii.Error, ValueError):
        raise JwtInputError("the SSH public key could not be read: it is not base64") from None


def check_ssh_public(blob: bytes, *, signing: bool) -> RsaNumbers | None:
    """Refuse an SSH public key blob (RFC 4253 §6.6) that is too large or of a family JWS never uses."""
    try:
        kind, rest = _ssh_string(blob)
        name = kind.decode("ascii", "replace")
        if name in _SSH_REFUSED:
            raise JwtInputError(f"a {_SSH_REFUSED[name]} key cannot be used with JWS" + _NOT_JWS)
        if name != "ssh-rsa":
            return None
        e, rest = _ssh_string(rest)
        n, rest = _ssh_string(rest)
    except _Malformed as err:
        raise JwtInputError(f"the SSH key could not be read: {err}") from None
    if len(n) > _MAX_FIELD_BYTES or len(e) > _MAX_FIELD_BYTES:
        raise JwtInputError(too_big(bits_of(n)))
    numbers = RsaNumbers(int.from_bytes(n, "big"), int.from_bytes(e, "big"))
    check_rsa(numbers, signing=signing)
    return numbers


def check_openssh_private(block: str, *, signing: bool) -> None:
    """Bound an 'OPENSSH PRIVATE KEY' by the public key it carries in clear, before loading it."""
    data = pem_der(block, "OPENSSH PRIVATE KEY")
    magic = b"openssh-key-v1\x00"
    if not data.startswith(magic):
        raise JwtInputError("the OPENSSH PRIVATE KEY could not be read: not openssh-key-v1")
    try:
        rest = data[len(magic):]
        for _ in range(3):  # cipher name, KDF name, KDF options
            _, rest = _ssh_string(rest)
        rest = rest[4:]  # number of keys
        public, rest = _ssh_string(rest)
        secret, _ = _ssh_string(rest)
    except _Malformed as err:
        raise JwtInputError(f"the OPENSSH PRIVATE KEY could not be read: {err}") from None
    numbers = check_ssh_public(public, signing=signing)
    if numbers is None or not signing:
        return
    try:  # unencrypted: check ints, key type, then n, e, d, iqmp, p, q (RFC-less OpenSSH PROTOCOL.key)
        _, fields = _ssh_string(secret[8:])
        values = []
        for _ in range(6):
            value, fields = _ssh_string(fields)
            values.append(int.from_bytes(value, "big"))
    except _Malformed:
        return  # encrypted, or damaged: the loader says which, without validating anything
    check_rsa(RsaNumbers(numbers.n, numbers.e, values[2], values[4], values[5]), signing=True)


def _ssh_string(data: bytes) -> tuple[bytes, bytes]:
    if len(data) < 4:
        raise _Malformed("truncated")
    size = int.from_bytes(data[:4], "big")
    if size > len(data) - 4:
        raise _Malformed("truncated")
    return data[4:4 + size], data[4 + size:]
