"""JWE (RFC 7516) compact tokens decrypted with a pasted key: the plaintext, the token inside, findings.

joserfc does the cryptography (docs/jwt.md, "JWE decryption", says why it and not PyJWT, which has no
JWE). What it is given is decided here first, in words: the header's `alg`, `enc`, `zip` and `p2c`
are checked before any key is used (a hostile `p2c` would buy seconds of PBKDF2), the key is read by
the same readers as for verification (keys.py, jwk.py) and must fit the algorithm, and every failure
of the cryptography itself is one message: whether the content key did not unwrap or the tag did not
match is never told apart (that difference is what a padding oracle is made of).
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import functools
import json
import re
import time
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from toolbox.core.jwt import jsontext, keys
from toolbox.core.jwt.claims import describe_claims, token_status
from toolbox.core.jwt.decode import HEX_LIMIT, decode
from toolbox.core.jwt.model import Claim, Decoded, Finding, JwtInputError, Severity, TokenStatus
from toolbox.core.jwt.options import DecryptKeyType

if TYPE_CHECKING:
    from toolbox.core.jwt.parsed_key import ParsedKey

PlaintextFormat = Literal["json", "text", "binary", "token"]

# Key management algorithms (RFC 7518 §4) and what key each needs.
RSA_ALGS = ("RSA1_5", "RSA-OAEP", "RSA-OAEP-256")
ECDH_ALGS = ("ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW", "ECDH-ES+A256KW")
KW_BYTES = {"A128KW": 16, "A192KW": 24, "A256KW": 32, "A128GCMKW": 16, "A192GCMKW": 24, "A256GCMKW": 32}
PBES2_ALGS = ("PBES2-HS256+A128KW", "PBES2-HS384+A192KW", "PBES2-HS512+A256KW")
ALGS = (*RSA_ALGS, *ECDH_ALGS, *KW_BYTES, "dir", *PBES2_ALGS)
# Content encryption (RFC 7518 §5) and the key size `dir` needs for each.
ENC_BYTES = {"A128GCM": 16, "A192GCM": 24, "A256GCM": 32, "A128CBC-HS256": 32, "A192CBC-HS384": 48,
             "A256CBC-HS512": 64}
ASYMMETRIC = (*RSA_ALGS, *ECDH_ALGS)
# PBES2's iteration count comes from the token: refused above joserfc's own ceiling before it runs
# (300 000 rounds: 67 ms with PBES2-HS256, 212 ms with HS512, measured; a p2c of 10**9: minutes).
MAX_P2C = 300_000
MIN_P2C = 1000  # RFC 7518 §4.8.1.2 recommends at least this
MAX_PLAINTEXT = 250 * 1024  # joserfc's cap on DEFLATE output (a zip bomb stops there), said in words
MAX_CIPHERTEXT = 192 * 1024  # bytes; a token is at most 256 Ki characters of base64url
MAX_HEADER = 16 * 1024  # base64url characters of the protected header (joserfc's default is 1024)
FAILED = ("the key does not decrypt this token: the content key did not unwrap or the authentication tag "
          "does not match (a different key, or a token changed after it was made)")



class JweError(JwtInputError):
    """Why a token cannot be decrypted; `part` says whose fault: the token, the key, the decryption
    itself (a wrong key or a changed token: one message), or a size limit."""

    def __init__(self, message: str, part: Literal["token", "key", "decrypt", "size"]) -> None:
        super().__init__(message)
        self.part = part


@dataclass(frozen=True)
class Decrypted:
    """A decrypted JWE: its header, the plaintext as shown, the token inside, the key used, findings."""

    outer: Decoded  # the JWE as decoded without a key (segments, header, its header findings)
    header: dict[str, Any]
    format: PlaintextFormat
    size: int  # bytes of plaintext
    payload: Any  # the JSON value when format is "json"
    text: str | None  # the plaintext as UTF-8 text (json, text, token)
    hex: str | None  # binary: the first HEX_LIMIT bytes as hex
    base64url: str | None  # binary: the first HEX_LIMIT bytes as base64url
    claims: tuple[Claim, ...]
    status: TokenStatus
    inner: Decoded | None  # the token inside, decoded and audited (verify it with the signer's key)
    findings: tuple[Finding, ...]  # about the encryption and what it carries; the inner audit is in inner
    key_used: str  # "RSA private key, 2048 bits (kid=enc-1)"
    key_type: str  # the key type used ("pem"), detected when "auto" was asked for
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Candidate:
    key: Any  # a joserfc key
    label: str


def decrypt(token_text: str, key_text: str, key_type: DecryptKeyType = "auto", *, now: float | None = None,
            leeway: int = 0, max_lifetime: int = 86400) -> Decrypted:
    """Decrypt a JWE compact token with a pasted key; JweError says in words why it cannot be."""
    clock = time.time() if now is None else now
    outer = decode(token_text, now=clock, leeway=leeway, max_lifetime=max_lifetime)
    try:
        header = _check_structure(outer)
        alg, enc = _check_header(header)
    except JwtInputError as err:
        raise JweError(str(err), "size" if "the limit is" in str(err) else "token") from None
    notes: list[str] = []
    try:
        candidates, used_type = _candidates(key_text, key_type, alg, enc, header, notes)
    except JwtInputError as err:
        raise JweError(str(err), "key") from None
    plaintext, label = _run(outer.token, candidates, alg, enc)
    return _result(outer, header, plaintext, alg, label, used_type, tuple(notes), clock, leeway, max_lifetime)


# --- the token ------------------------------------------------------------------------------------

def _check_structure(outer: Decoded) -> dict[str, Any]:
    count = len(outer.token.split(".")) if outer.token else 0
    if outer.kind != "jwe" or count != 5:
        if count == 3:
            raise JwtInputError("this is a signed token (JWS, 3 parts), not an encrypted one: decode or "
                                "verify it instead of decrypting it")
        raise JwtInputError(f"a JWE has 5 parts separated by dots; this has {count}"
                            + (" (it was cut off, or parts are missing)" if 0 < count < 5 else ""))
    if outer.errors:
        raise JwtInputError("the token does not decode: " + "; ".join(outer.errors[:3]))
    assert outer.header is not None  # nosec B101  # no errors means the header decoded (narrows the type)
    if len(outer.segments[0].text) > MAX_HEADER:
        raise JwtInputError(f"the protected header is {len(outer.segments[0].text)} characters; the limit is "
                            f"{MAX_HEADER}")
    ciphertext = outer.segments[3].data or b""
    if not ciphertext and outer.segments[3].text == "":
        raise JwtInputError("the ciphertext part is empty (the token was cut off)")
    if len(ciphertext) > MAX_CIPHERTEXT:
        raise JwtInputError(f"the ciphertext is {len(ciphertext)} bytes; the limit is {MAX_CIPHERTEXT}")
    return outer.header


def _check_header(header: dict[str, Any]) -> tuple[str, str]:
    """(alg, enc) once both are ones this tool decrypts, and zip and p2c are acceptable."""
    alg, enc = header.get("alg"), header.get("enc")
    if not isinstance(alg, str):
        raise JwtInputError("the header has no \"alg\" (the key management algorithm)" if alg is None
                            else "the header's \"alg\" must be a string")
    if alg not in ALGS:
        from toolbox.core.jwt.audit import JWS_ALGS

        if alg in JWS_ALGS or alg.lower() == "none":
            raise JwtInputError(f"alg {_quote(alg)} is a signature algorithm: a JWE's alg names how the "
                                "content key is encrypted (RSA-OAEP, ECDH-ES, A256KW, dir, ...)")
        raise JwtInputError(f"unknown key management algorithm (alg) {_quote(alg)}; this tool decrypts "
                            + ", ".join(ALGS))
    if not isinstance(enc, str):
        raise JwtInputError("the header has no \"enc\" (the content encryption algorithm)" if enc is None
                            else "the header's \"enc\" must be a string")
    if enc not in ENC_BYTES:
        raise JwtInputError(f"unknown content encryption algorithm (enc) {_quote(enc)}; this tool decrypts "
                            + ", ".join(ENC_BYTES))
    if "zip" in header and header["zip"] != "DEF":
        raise JwtInputError(f"unknown compression (zip) {_quote(str(header['zip']))}: only DEF (DEFLATE) "
                            "is defined")
    if alg in PBES2_ALGS:
        p2c, p2s = header.get("p2c"), header.get("p2s")
        if isinstance(p2c, bool) or not isinstance(p2c, int) or p2c < 1:
            raise JwtInputError("a PBES2 token needs \"p2c\", the PBKDF2 iteration count, as a positive "
                                "integer")
        if p2c > MAX_P2C:
            raise JwtInputError(f"p2c (the PBKDF2 iteration count) is {p2c:,}; this tool refuses more than "
                                f"{MAX_P2C:,} (each one costs CPU time: a token can ask for hours)")
        if not isinstance(p2s, str) or not p2s:
            raise JwtInputError("a PBES2 token needs \"p2s\", the salt input, as base64url text")
    if alg in ECDH_ALGS and not isinstance(header.get("epk"), dict):
        raise JwtInputError(f"an {alg} token needs \"epk\", the sender's ephemeral public key, as a JWK "
                            "object")
    return alg, enc


# --- the key --------------------------------------------------------------------------------------

def _candidates(key_text: str, key_type: DecryptKeyType, alg: str, enc: str, header: dict[str, Any],
                notes: list[str]) -> tuple[list[_Candidate], str]:
    """The keys to try (one, or those of a JWK Set picked by kid), as joserfc keys, and the key type used."""
    from toolbox.core.jwt.infer import infer_key_type
    from toolbox.core.jwt.keys import MAX_KEY_CHARS

    if not isinstance(key_text, str) or not key_text.strip():
        raise JwtInputError("no key given")
    if len(key_text) > MAX_KEY_CHARS:
        raise JwtInputError(f"the key is {len(key_text)} characters; the limit is {MAX_KEY_CHARS}")
    used: str = key_type
    if key_type == "auto":
        inferred = infer_key_type(key_text, alg)
        if inferred.key_type in ("jwks-url", "issuer"):
            raise JwtInputError("a URL cannot decrypt: decryption needs the recipient's private key (or the "
                                "shared secret), which is never published; paste it instead")
        key_text, used = inferred.key_text, inferred.key_type
    if used == "jwks":
        return _from_set(key_text, alg, enc, header, notes), used
    if used.startswith("secret"):
        secret, used = _secret(key_text, used, key_type == "auto", alg, enc, notes)
        label = _secret_label(secret, used).replace("symmetric key", "password") if alg in PBES2_ALGS else \
            _secret_label(secret, used)
        return [_Candidate(_oct(secret), label)], used
    parsed = _load_one(key_text, used)
    _fits(parsed, alg, enc)
    notes.extend(note for note in parsed.notes if "private key material" not in note)
    return [_Candidate(_jose(parsed), _label(parsed))], used


def _secret(text: str, key_type: str, auto: bool, alg: str, enc: str, notes: list[str]) -> tuple[bytes, str]:
    """The secret bytes; with auto, base64url or base64 when that (and not UTF-8) has the size alg needs."""
    from toolbox.core.jwt.keys import decode_secret

    want = _symmetric_size(alg, enc)
    if want is None and alg not in PBES2_ALGS:
        raise JwtInputError(f"{alg} needs {_needs(alg)}, but the key is a secret (text)")
    data = decode_secret(text, key_type)
    if auto and want is not None and len(data) != want:
        for other in ("secret-base64url", "secret-base64"):
            try:
                read = decode_secret(text, other)
            except JwtInputError:
                continue
            if len(read) == want:
                notes.append(f"the key was read as {'base64url' if other.endswith('url') else 'base64'}: as "
                             f"UTF-8 text it is {len(data)} bytes, and {_usage(alg, enc)} needs {want}")
                return read, other
    if want is not None and len(data) != want:
        raise JwtInputError(f"{_usage(alg, enc)} needs a {want}-byte key ({want * 8} bits); this key is "
                            f"{len(data)} bytes as {_encoding(key_type)}")
    return data, key_type


def _load_one(text: str, key_type: str) -> ParsedKey:
    from toolbox.core.jwt.keys import load_key

    try:
        return load_key(text, key_type, private=True)
    except JwtInputError as err:
        exchange = _exchange_key(text, key_type, str(err))  # X25519/X448: key agreement, not signature keys
        if exchange is not None:
            return exchange
        raise JwtInputError(_for_decryption(str(err))) from None


_X_SIZES = {"X25519": 32, "X448": 56}


def _exchange_key(text: str, key_type: str, refused: str) -> ParsedKey | None:
    """An X25519 or X448 private key (RFC 8037 §3.2, for ECDH-ES), which the signature readers refuse."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import x448, x25519

    from toolbox.core.jwt import b64
    from toolbox.core.jwt.parsed_key import ParsedKey

    if key_type == "jwk" and "is not a signature curve" in refused:
        obj = json.loads(text)  # the reader parsed it already
        crv, x, d = obj.get("crv"), obj.get("x"), obj.get("d")
        if crv not in _X_SIZES:
            return None
        if not isinstance(d, str) or not isinstance(x, str):
            raise JwtInputError(f"decrypting needs the private key, but the {crv} JWK has no \"d\" (it is "
                                "a public key)" if d is None else f"the {crv} JWK's \"x\" and \"d\" must be "
                                "text")
        raw = b64.decode(d).data
        if raw is None or len(raw) != _X_SIZES[crv]:
            raise JwtInputError(f"the {crv} JWK's \"d\" must be {_X_SIZES[crv]} bytes of base64url")
        cls = x25519.X25519PrivateKey if crv == "X25519" else x448.X448PrivateKey
        private: Any = cls.from_private_bytes(raw)
        public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        if b64.decode(x).data != public:
            raise JwtInputError(f"the {crv} JWK's \"x\" is not the public key of its \"d\"")
        meta: dict[str, Any] = {k: obj[k] if isinstance(obj.get(k), str) else None
                                for k in ("kid", "use", "alg")}
    elif key_type == "pem" and ("X25519" in refused or "X448" in refused):
        # keybounds checked the PEM's sizes before the reader loaded and refused it: loading it again is cheap
        try:
            private = serialization.load_pem_private_key(text.strip().encode("ascii"), None)
        except (ValueError, TypeError):
            return None
        if not isinstance(private, x25519.X25519PrivateKey | x448.X448PrivateKey):
            return None
        crv, meta = ("X25519" if isinstance(private, x25519.X25519PrivateKey) else "X448"), {}
    else:
        return None
    return ParsedKey("okp", private.public_key(), private, _X_SIZES[crv] * 8, crv, **meta)


def _from_set(text: str, alg: str, enc: str, header: dict[str, Any], notes: list[str]) -> list[_Candidate]:
    """The set's private keys that fit alg, by the header's kid when it has one (at most MAX_JWKS_KEYS)."""
    from toolbox.core.jwt.jwk import MAX_JWKS_KEYS
    from toolbox.core.jwt.parsed_key import clip

    try:
        obj = json.loads(text)
    except (ValueError, RecursionError):
        from toolbox.core.jwt.keys import load_jwks

        load_jwks(text)  # says what is wrong with the JSON, in the verifier's words
        raise JwtInputError("the JWK Set is not valid JSON") from None
    if isinstance(obj, list):
        obj = {"keys": obj}
    if not isinstance(obj, dict) or not isinstance(obj.get("keys"), list) or not obj["keys"]:
        raise JwtInputError("a JWK Set must be a JSON object with a non-empty \"keys\" array")
    entries: list[Any] = obj["keys"]
    kid = header.get("kid")
    chosen = list(enumerate(entries))
    if isinstance(kid, str):
        chosen = [(i, e) for i, e in chosen if isinstance(e, dict) and e.get("kid") == kid]
        if not chosen:
            kids = [e["kid"] for e in entries if isinstance(e, dict) and isinstance(e.get("kid"), str)]
            listed = ", ".join(_quote(clip(k)) for k in kids[:10]) or "none"
            raise JwtInputError(f"kid {_quote(clip(kid))} is not in the key set (its kids: {listed})")
    if len(chosen) > MAX_JWKS_KEYS:
        notes.append(f"the set has {len(chosen)} candidate keys; only the first {MAX_JWKS_KEYS} were tried")
        chosen = chosen[:MAX_JWKS_KEYS]
    found: list[_Candidate] = []
    skipped: list[str] = []
    for i, entry in chosen:
        try:
            parsed = _load_one(json.dumps(entry), "jwk")
            _fits(parsed, alg, enc)
        except JwtInputError as err:
            skipped.append(f"key #{i + 1}: {err}")
            continue
        found.append(_Candidate(_jose(parsed), _label(dataclasses.replace(parsed, position=i + 1))))
    if not found:
        raise JwtInputError("no key in the set can decrypt this token: " + "; ".join(skipped[:5]))
    notes.extend(f"skipped {reason}" for reason in skipped[:10])
    return found


def _fits(key: ParsedKey, alg: str, enc: str) -> None:
    """Refuse, in words, a key that cannot be used with alg (and for dir, with enc)."""
    if key.use is not None and key.use != "enc":
        raise JwtInputError(f"the key is marked \"use\": {_quote(key.use)}, so it is not for encryption")
    if key.alg is not None and key.alg != alg and not (alg == "dir" and key.alg == enc):  # dir: alg names enc
        raise JwtInputError(f"the key is for {_quote(key.alg)} (its \"alg\" member), not {alg}")
    want = _symmetric_size(alg, enc)
    if alg in RSA_ALGS and key.family == "rsa":
        return
    if alg in ECDH_ALGS and key.family == "ec":
        if key.curve == "secp256k1":
            raise JwtInputError(f"{alg} is defined for the P-256, P-384 and P-521 curves, not secp256k1")
        return
    if alg in ECDH_ALGS and key.family == "okp":
        if key.curve not in _X_SIZES:
            raise JwtInputError(f"{alg} needs an X25519 or X448 key, not {key.curve} (a signature curve)")
        return
    if key.family == "hmac" and (want is not None or alg in PBES2_ALGS):
        if want is not None and key.size_bytes != want:
            raise JwtInputError(f"{_usage(alg, enc)} needs a {want}-byte key ({want * 8} bits); this key is "
                                f"{key.size_bytes} bytes")
        return
    raise JwtInputError(f"{alg} needs {_needs(alg)}, but the key is {key.kind}")


def _jose(key: ParsedKey) -> Any:
    """The joserfc key for a parsed private key (or secret): built from the key object the reader already
    loaded and validated, since validating an RSA private key again would double the cost (~50 ms)."""
    from joserfc.jwk import ECKey, OctKey, OKPKey, RSAKey

    params: Any = {"kid": key.kid} if key.kid else None
    if key.family == "hmac":
        return OctKey.import_key(key.private if key.private is not None else key.public, params)
    if key.family == "rsa":
        return RSAKey(key.private, key.private, params)
    return (ECKey if key.family == "ec" else OKPKey)(key.private, key.private, params)


def _oct(secret: bytes) -> Any:
    from joserfc.jwk import OctKey

    _quiet()
    return OctKey.import_key(secret)


@functools.cache
def _quiet() -> None:
    """joserfc warns on RSA1_5, short secrets and p2c under 1000: here they are findings instead."""
    from joserfc.errors import SecurityWarning

    warnings.filterwarnings("ignore", category=SecurityWarning)


# --- decrypting -----------------------------------------------------------------------------------

def _run(token: str, candidates: list[_Candidate], alg: str, enc: str) -> tuple[bytes, str]:
    """The plaintext and the label of the key that decrypted it; one message when none does."""
    from joserfc import jwe
    from joserfc.errors import ExceededSizeError

    _quiet()
    registry = jwe.JWERegistry(algorithms=[alg, enc, "DEF"])
    registry.max_protected_header_length = MAX_HEADER
    registry.max_ciphertext_length = MAX_CIPHERTEXT * 4 // 3 + 4
    registry.max_encrypted_key_length = 2048  # base64url of a 8192-bit RSA-wrapped key fits
    for candidate in candidates:
        try:
            result = jwe.decrypt_compact(token, candidate.key, registry=registry)
        except ExceededSizeError as err:
            if "Decompressed" in str(err):
                raise JweError(f"the plaintext inflates (zip DEF) to more than {MAX_PLAINTEXT // 1024} KiB; "
                               "this tool stops there (a compressed token that large is a zip bomb)",
                               "size") from None
            raise JweError(f"the token is larger than this tool decrypts: {err}", "size") from None
        except Exception as err:  # noqa: BLE001 - any failure of the cryptography is the one message
            reason = _header_problem(err)
            if reason is not None:
                raise JweError(reason, "token") from None
            continue
        plaintext = result.plaintext
        return (plaintext if isinstance(plaintext, bytes) else b""), candidate.label
    many = f" (none of the {len(candidates)} keys tried)" if len(candidates) > 1 else ""
    raise JweError(FAILED + many, "decrypt")


def _header_problem(err: Exception) -> str | None:
    """A message for what joserfc refuses in the header itself (public, so it may be told apart)."""
    from joserfc.errors import (
        InvalidHeaderValueError,
        MissingCritHeaderError,
        MissingHeaderError,
        UnsupportedHeaderError,
    )

    if isinstance(err, MissingCritHeaderError | UnsupportedHeaderError):
        return f"the header names parameters this tool does not understand ({err.description})"
    if isinstance(err, InvalidHeaderValueError | MissingHeaderError):
        return f"the header is not usable: {err.description}"
    return None


# --- the result -----------------------------------------------------------------------------------

def _result(outer: Decoded, header: dict[str, Any], plaintext: bytes, alg: str, key_used: str,
            key_type: str, notes: tuple[str, ...], now: float, leeway: int, max_lifetime: int) -> Decrypted:
    fmt: PlaintextFormat = "binary"
    text: str | None = None
    payload: Any = None
    inner: Decoded | None = None
    duplicates = False
    with contextlib.suppress(UnicodeDecodeError):
        text = plaintext.decode("utf-8")
    if text is not None:
        fmt = "text"
        stripped = text.strip()
        if stripped.count(".") in (2, 4) and re.fullmatch(r"[A-Za-z0-9_=+/-]+(\.[A-Za-z0-9_=+/-]*){2,4}",
                                                          stripped):
            candidate = decode(stripped, now=now, leeway=leeway, max_lifetime=max_lifetime)
            if candidate.decodes:
                fmt, inner = "token", candidate
        if fmt == "text":
            parsed = jsontext.parse(text)
            if parsed.error is None:
                fmt, payload, duplicates = "json", parsed.value, bool(parsed.duplicates)
    claims = describe_claims(payload, now, leeway) if fmt == "json" else ()
    status = token_status(payload, now, leeway) if fmt == "json" else TokenStatus(
        "unknown", "the plaintext is not a claims set" + (": the token inside has its own" if inner else ""),
        int(now), leeway)
    findings = _findings(outer, header, alg, fmt, payload, inner, key_type, duplicates)
    head = plaintext[:HEX_LIMIT]
    return Decrypted(
        outer=outer, header=header, format=fmt, size=len(plaintext), payload=payload, text=text,
        hex=head.hex() if fmt == "binary" else None,
        base64url=base64.urlsafe_b64encode(head).rstrip(b"=").decode() if fmt == "binary" else None,
        claims=claims, status=status, inner=inner, findings=findings, key_used=key_used, key_type=key_type,
        notes=notes,
    )


def _findings(outer: Decoded, header: dict[str, Any], alg: str, fmt: PlaintextFormat, payload: Any,
              inner: Decoded | None, key_type: str, duplicates: bool) -> tuple[Finding, ...]:
    """What the encryption and its contents say about the token; the outer header's audit too."""
    out = [f for f in outer.findings if f.id != "jwe-token"]
    add = out.append
    if alg == "RSA1_5":
        add(Finding("jwe-rsa1-5", "high", "The content key is encrypted with RSA1_5 (RSAES-PKCS1-v1_5).",
                    "RSA1_5 decryption is open to Bleichenbacher's padding-oracle attack: a server that lets "
                    "the difference between bad padding and a bad tag show (in errors or timing) lets anyone "
                    "decrypt its tokens. It is deprecated; this tool decrypts it only to show what is "
                    "inside.",
                    fix="Encrypt with RSA-OAEP-256 (or ECDH-ES) and refuse RSA1_5 on the receiving side."))
    if inner is not None and inner.kind == "unsecured":
        add(Finding("jwe-unsigned-inner", "critical",
                    "The encrypted token carries an unsigned token (alg none).",
                    "Encryption hides a token; it does not say who made it. Anyone holding the recipient's "
                    "public key can encrypt an unsigned token with any claims, and a receiver that accepts "
                    "it because it decrypted is forged (the pac4j CVE-2026-29000 pattern).",
                    fix="Sign the inner token (JWS) and verify that signature after decrypting; refuse "
                        "alg none inside a JWE."))
    elif fmt == "json" and isinstance(payload, dict) and str(header.get("cty", "jwt")).lower() in (
            "jwt", "application/jwt", "json", "application/json"):
        public = alg in ASYMMETRIC
        add(Finding("jwe-unsigned-claims", "high" if public else "low",
                    "The plaintext is a claims set, not a signed token.",
                    ("The token is encrypted to a public key: anyone who has that public key can make a "
                     "token with any claims, so nothing in it says who issued it." if public else
                     "Only holders of the shared key can make it, so the key authenticates it; every holder "
                     "can issue tokens as any other."),
                    fix="Sign, then encrypt: put a JWS inside the JWE (cty \"JWT\") and verify it."))
    if inner is not None and str(header.get("cty", "")).lower() not in ("jwt", "application/jwt"):
        add(Finding("jwe-missing-cty", "low", "The plaintext is a token, but the header has no cty \"JWT\".",
                    "RFC 7519 §5.2 asks for cty \"JWT\" on a nested token so the receiver knows to decode "
                    "and verify the token inside instead of treating it as text."))
    if alg in PBES2_ALGS:
        p2c = header.get("p2c", 0)
        weak = isinstance(p2c, int) and p2c < MIN_P2C
        add(Finding("jwe-pbes2", "medium" if weak else "low",
                    "The content key is derived from a password (PBES2).",
                    f"The token is as strong as the password against offline guessing; p2c is {p2c}"
                    + (f", under the {MIN_P2C} RFC 7518 recommends." if weak else ".")))
    if header.get("zip") == "DEF":
        add(Finding("jwe-compressed", "low", "The plaintext is compressed before encryption (zip DEF).",
                    "Compression makes the ciphertext length depend on the content: when an attacker can put "
                    "text beside a secret in the plaintext, lengths leak the secret (CRIME/BREACH)."))
    if (alg == "dir" or alg in KW_BYTES) and key_type == "secret":
        add(Finding("jwe-text-key", "medium", "The symmetric key is text, not random bytes.",
                    "The key was read as UTF-8 text of exactly the size the algorithm needs: a password "
                    "or phrase used as a key has far less entropy than its length suggests.",
                    fix="Generate the key from a CSPRNG and exchange it as base64url (a JWK \"k\")."))
    if duplicates:
        add(Finding("duplicate-key", "medium", "A JSON object in the decrypted claims repeats a key.",
                    "Parsers disagree on which of the repeated members wins."))
    return tuple(sorted(out, key=lambda f: _RANK[f.severity]))


_RANK: dict[Severity, int] = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}


# --- words ----------------------------------------------------------------------------------------

def _symmetric_size(alg: str, enc: str) -> int | None:
    if alg == "dir":
        return ENC_BYTES[enc]
    return KW_BYTES.get(alg)


def _needs(alg: str) -> str:
    if alg in RSA_ALGS:
        return "an RSA private key"
    if alg in ECDH_ALGS:
        return "an EC private key (P-256, P-384 or P-521) or an X25519/X448 private key"
    if alg in PBES2_ALGS:
        return "a password"
    return "a symmetric key (a secret, or a JWK with kty oct)"


def _usage(alg: str, enc: str) -> str:
    return f"dir with {enc}" if alg == "dir" else alg


def _encoding(key_type: str) -> str:
    return keys.SECRET_ENCODINGS.get(key_type, key_type)


def _label(key: ParsedKey) -> str:
    """'RSA private key, 2048 bits', 'kid=enc-1 (EC P-256)', 'symmetric key, 32 bytes (JWK)'."""
    if key.family != "hmac":
        return key.label
    size = f"symmetric key, {key.size_bytes} bytes"
    name = f"kid={key.kid}" if key.kid else f"key #{key.position}" if key.position else ""
    return f"{name} ({size})" if name else f"{size} ({key.encoding})"


def _secret_label(secret: bytes, key_type: str) -> str:
    return f"symmetric key, {len(secret)} bytes ({_encoding(key_type)})"


def _for_decryption(message: str) -> str:
    """A key reader's words for signing, said for decrypting."""
    if "needs the private key" in message:
        return (message.replace("signing needs", "decrypting needs", 1)
                + "; a token is encrypted to the public key and only the private key decrypts it")
    return message


def _quote(text: str) -> str:
    return json.dumps(text[:60] + ("..." if len(text) > 60 else ""), ensure_ascii=True)

