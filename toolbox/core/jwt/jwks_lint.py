"""The key set linter: a JWK Set, one JWK, or an OpenID / OAuth discovery document, checked key by key.

Keys are read by the JWK reader the verifier uses (jwk.read_jwk, public members only: no private-key
maths ever runs on what is linted) and identified by their RFC 7638 thumbprints (keygen.jwk_thumbprint).
Every finding id is registered in FINDINGS with its severity; docs/jwt.md "Key set findings" is
generated from it.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import difflib
import json
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from toolbox.core.findings import Finding, Severity, by_severity

from .model import JwtInputError

if TYPE_CHECKING:
    from .parsed_key import ParsedKey

MAX_KEYS = 100  # keys linted from one set; the rest are counted, not read
MAX_X5C_CHARS = 64 * 1024  # base64 of the first x5c certificate
DocumentKind = Literal["jwks", "jwk", "discovery"]

# id -> (severity, what it means): the one registry (docs/cogtables.py renders it into docs/jwt.md).
FINDINGS: dict[str, tuple[Severity, str]] = {
    "private-key-material": ("critical", "a key carries private members (`d`, `p`, `q`, `dp`, `dq`, `qi`, "
                             "`oth`): anyone who reads the set can sign as its owner"),
    "symmetric-key": ("critical", "a `kty: oct` key (its `k` is the HMAC or AES secret itself) in a set "
                      "meant to be public"),
    "none-algorithm": ("critical", "a key says `alg: none`: verifiers that take the algorithm from the key "
                       "accept unsigned tokens"),
    "mixed-algorithms": ("high", "HMAC (an `HS*` alg or an `oct` key) beside asymmetric keys: the algorithm "
                         "confusion class (PyJWT CVE-2026-48526), where a public key ends up used as an HMAC "
                         "secret"),
    "duplicate-kid": ("high", "two different keys share a `kid`: a verifier that picks the key by `kid` "
                      "gets one of them"),
    "invalid-key": ("high", "an entry is not a usable JWK (not an object, unsupported `kty`, bad base64url, "
                    "a point not on its curve, ...): the reader's message says what"),
    "missing-kty": ("high", "an entry has no `kty`: it is not a JWK (RFC 7517 §4.1)"),
    "weak-rsa-key": ("high", "an RSA modulus under 2048 bits (RFC 7518 §3.3, NIST SP 800-131A)"),
    "alg-key-mismatch": ("high", "`alg` does not fit the key: another key family, or an EC curve other than "
                         "the one the algorithm names (ES256 needs P-256, ES384 P-384, ES512 P-521, ES256K "
                         "secp256k1)"),
    "x5c-key-mismatch": ("high", "the first `x5c` certificate holds another public key than the JWK"),
    "empty-set": ("high", "the `keys` array is empty: nothing can verify"),
    "issuer-mismatch": ("high", "the discovery document's `issuer` is not exactly the issuer it was fetched "
                        "for (or the expected one): RFC 8414 §3.3, OIDC Discovery §4.3; no trailing-slash "
                        "slack"),
    "insecure-url": ("high", "`issuer` or `jwks_uri` (or another endpoint) is not an https URL"),
    "id-token-alg-none": ("high", "`none` in `id_token_signing_alg_values_supported`: the provider may "
                          "issue unsigned ID tokens"),
    "kid-collision": ("medium", "`kid` values that differ only in letter case, Unicode form or surrounding "
                      "spaces: a lookup that normalises them matches several keys"),
    "missing-kid": ("medium", "a key without `kid` in a set of several: verifiers must try every key, and "
                    "many refuse to"),
    "use-key-ops-mismatch": ("medium", "`use` and `key_ops` disagree (RFC 7517 §4.3: `sig` goes with "
                             "sign/verify, `enc` with encrypt/decrypt/wrapKey/unwrapKey/deriveKey/"
                             "deriveBits)"),
    "x5c-expired": ("medium", "the first `x5c` certificate is expired or not yet valid"),
    "x5c-invalid": ("medium", "`x5c` is not an array of base64 (not base64url) DER certificates"),
    "id-token-alg-hmac": ("medium", "`HS*` in `id_token_signing_alg_values_supported`: ID tokens signed "
                          "with the client secret, beside public-key algorithms"),
    "missing-metadata": ("medium", "required discovery metadata is missing or not of its type (OIDC "
                         "Discovery §3, RFC 8414 §2)"),
    "unregistered-alg": ("medium", "`alg` is not a registered JWS or JWE algorithm"),
    "missing-alg": ("low", "a key without `alg`: RFC 8725 §3.1 asks to bind each key to one algorithm"),
    "member-typo": ("low", "a member name close to a registered one (`kyd`, `Alg`, `x5t#s256`): the "
                    "intended member is not there"),
    "repeated-key": ("low", "the same key (same thumbprint) is listed more than once"),
    "missing-use": ("info", "a key without `use` (or `key_ops`): say whether it signs or encrypts"),
    "keys-not-read": ("info", f"the set has more than {MAX_KEYS} keys: only the first {MAX_KEYS} are linted"),
}

JWE_ALGORITHMS = frozenset({
    "RSA1_5", "RSA-OAEP", "RSA-OAEP-256", "RSA-OAEP-384", "RSA-OAEP-512", "A128KW", "A192KW", "A256KW",
    "dir", "ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW", "ECDH-ES+A256KW", "A128GCMKW", "A192GCMKW",
    "A256GCMKW", "PBES2-HS256+A128KW", "PBES2-HS384+A192KW", "PBES2-HS512+A256KW",
})
# JWS algorithms the linter knows beyond the verifier's: RFC 9864's fully specified EdDSA, and ML-DSA.
OTHER_JWS = {"Ed25519": ("okp", "Ed25519"), "Ed448": ("okp", "Ed448"), "ML-DSA-44": ("akp", None),
             "ML-DSA-65": ("akp", None), "ML-DSA-87": ("akp", None)}
_JWE_FAMILY = {"RSA": "rsa", "EC": "ec", "OKP": "okp", "oct": "hmac"}
_ALL_PRIVATE = ("d", "p", "q", "dp", "dq", "qi", "oth")  # RFC 7518 §6.2.2, §6.3.2
_KNOWN_MEMBERS = ("kty", "use", "key_ops", "alg", "kid", "x5u", "x5c", "x5t", "x5t#S256", "n", "e", "d",
                  "p", "q", "dp", "dq", "qi", "oth", "crv", "x", "y", "k", "ext", "iat", "exp", "nbf", "pub",
                  "priv")
_SIG_OPS = {"sign", "verify"}
_ENC_OPS = {"encrypt", "decrypt", "wrapKey", "unwrapKey", "deriveKey", "deriveBits"}
_ECDH_CURVES = {"X25519": 256, "X448": 448}
_OIDC_REQUIRED = ("issuer", "authorization_endpoint", "jwks_uri", "response_types_supported",
                  "subject_types_supported", "id_token_signing_alg_values_supported")
_OAUTH_REQUIRED = ("issuer", "response_types_supported")
_URL_MEMBERS = ("issuer", "jwks_uri", "authorization_endpoint", "token_endpoint", "userinfo_endpoint",
                "registration_endpoint", "introspection_endpoint", "revocation_endpoint",
                "end_session_endpoint")


def finding(finding_id: str, title: str, detail: str, fix: str | None = None) -> Finding:
    """A key set finding, its severity from FINDINGS (an unregistered id is a programming error)."""
    return Finding(finding_id, FINDINGS[finding_id][0], title, detail, fix)


@dataclass(frozen=True)
class KeyReport:
    """One key of the set: where it is, its RFC 7638 thumbprint and facts, and its own findings."""

    position: int  # 1-based place in the set
    thumbprint: str | None  # None when the entry has not the members a thumbprint needs
    kid: str | None
    kty: str | None
    alg: str | None
    use: str | None
    size: str | None  # "RSA 2048 bits", "EC P-256", "Ed25519", "oct 256 bits"
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class DiscoveryFacts:
    """What a discovery document says about its keys and signing algorithms."""

    issuer: str | None
    jwks_uri: str | None
    id_token_algs: tuple[str, ...]
    expected_issuer: str | None  # what `issuer` was compared with (None: not compared)


@dataclass(frozen=True)
class LintReport:
    """The linted document: what it is, its keys (at most MAX_KEYS), and findings about the whole."""

    kind: DocumentKind
    source: str
    keys: tuple[KeyReport, ...]
    total_keys: int
    findings: tuple[Finding, ...]  # about the set or the discovery document (key findings are per key)
    discovery: DiscoveryFacts | None = None
    notes: tuple[str, ...] = ()  # what was not done ("jwks_uri is not an http(s) URL: no keys fetched")

    @property
    def all_findings(self) -> tuple[Finding, ...]:
        """Every finding, the document's and each key's, most severe first."""
        return tuple(by_severity([*self.findings, *(f for key in self.keys for f in key.findings)]))


def parse(text: str) -> Any:
    """The JSON value of pasted text; JwtInputError says why it is not JSON."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise JwtInputError(f"not valid JSON: {err.msg} at line {err.lineno} column {err.colno}") from None
    except (RecursionError, ValueError):
        raise JwtInputError("not valid JSON (too deeply nested or not UTF-8)") from None


def kind_of(value: Any) -> DocumentKind:
    """Which document this is: a JWK Set, one JWK or a discovery document; JwtInputError for anything else."""
    if not isinstance(value, dict):
        raise JwtInputError(f"expected a JSON object (a JWK Set, a JWK or a discovery document), not "
                            f"{_json_type(value)}")
    if "keys" in value:
        if not isinstance(value["keys"], list):
            raise JwtInputError(f"\"keys\" must be an array of JWKs, not {_json_type(value['keys'])}")
        return "jwks"
    if "issuer" in value or "jwks_uri" in value:
        return "discovery"
    if "kty" in value or any(name in value for name in ("n", "x", "k", "crv")):
        return "jwk"
    raise JwtInputError("this JSON object is neither a JWK Set (\"keys\"), a JWK (\"kty\") nor a discovery "
                        "document (\"issuer\", \"jwks_uri\")")


def lint_text(text: str, *, now: datetime, source: str = "pasted", expected_issuer: str | None = None
              ) -> LintReport:
    """Lint pasted text (JWKS, JWK or discovery document); JwtInputError when it is none of them."""
    return lint_value(parse(text), now=now, source=source, expected_issuer=expected_issuer)


def lint_value(value: Any, *, now: datetime, source: str, expected_issuer: str | None = None,
               discovered_from: str | None = None) -> LintReport:
    """Lint a parsed document; `discovered_from` is the issuer a fetched discovery document was asked for."""
    kind = kind_of(value)
    if kind == "discovery":
        facts, findings = lint_discovery(value, expected_issuer=discovered_from or expected_issuer)
        return LintReport("discovery", source, (), 0, tuple(findings), facts)
    entries = value["keys"] if kind == "jwks" else [value]
    keys, set_findings = lint_keys(entries, now=now)
    return LintReport(kind, source, keys, len(entries), set_findings)


def with_notes(report: LintReport, *notes: str) -> LintReport:
    """The report with `notes` added."""
    return dataclasses.replace(report, notes=(*report.notes, *notes))


def with_keys(discovery: LintReport, jwks: Any, *, now: datetime, source: str) -> LintReport:
    """A discovery document's report with the key set fetched from its jwks_uri linted in."""
    if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list):
        raise JwtInputError("the document at jwks_uri is not a JWK Set (an object with a \"keys\" array)")
    keys, findings = lint_keys(jwks["keys"], now=now)
    return LintReport("discovery", source, keys, len(jwks["keys"]), (*discovery.findings, *findings),
                      discovery.discovery)


# --- key sets ---------------------------------------------------------------------------------------

def lint_keys(entries: list[Any], *, now: datetime) -> tuple[tuple[KeyReport, ...], tuple[Finding, ...]]:
    """Each of the first MAX_KEYS entries linted, and the findings about the set as a whole."""
    found: list[Finding] = []
    if not entries:
        found.append(finding("empty-set", "The key set is empty", "The \"keys\" array has no keys, so no "
                             "token can be verified with it.", "Publish the current signing keys."))
    if len(entries) > MAX_KEYS:
        found.append(finding("keys-not-read", f"Only the first {MAX_KEYS} of {len(entries)} keys were linted",
                             f"The set has {len(entries)} keys; the linter reads at most {MAX_KEYS}.",
                             "A key set this large is unusual: publish only the keys in use."))
    reports = tuple(_lint_key(i + 1, entry, several=len(entries) > 1, now=now)
                    for i, entry in enumerate(entries[:MAX_KEYS]))
    found += _set_findings(reports)
    return reports, tuple(found)


def _set_findings(keys: tuple[KeyReport, ...]) -> list[Finding]:
    found: list[Finding] = []
    by_kid: dict[str, list[KeyReport]] = {}
    by_thumb: dict[str, list[KeyReport]] = {}
    folded: dict[str, set[str]] = {}
    for key in keys:
        if key.kid is not None:
            by_kid.setdefault(key.kid, []).append(key)
            folded.setdefault(unicodedata.normalize("NFKC", key.kid).strip().casefold(), set()).add(key.kid)
        if key.thumbprint is not None:
            by_thumb.setdefault(key.thumbprint, []).append(key)
    for kid, same in by_kid.items():
        distinct = {k.thumbprint or f"#{k.position}" for k in same}
        if len(distinct) > 1:
            found.append(finding("duplicate-kid", f"kid {_q(kid)} names {len(distinct)} different keys",
                                 f"Keys {_positions(same)} share this kid: a verifier that selects the key "
                                 "by kid uses whichever it finds first, and tokens signed with the other "
                                 "fail (or verify against the wrong key).", "Give every key its own kid (its "
                                 "RFC 7638 thumbprint is a good choice)."))
    for spellings in folded.values():
        if len(spellings) > 1:
            shown = ", ".join(_q(s) for s in sorted(spellings))
            found.append(finding("kid-collision", "kid values that differ only in case, Unicode form or "
                                 "spaces", f"{shown}: libraries that normalise kid values (case-insensitive "
                                 "lookups, NFKC, trimming) match several keys.", "Use kid values that "
                                 "differ in more than letter case or form."))
    for same in by_thumb.values():
        if len(same) > 1:
            found.append(finding("repeated-key", f"The same key is listed {len(same)} times",
                                 f"Keys {_positions(same)} have the same thumbprint {same[0].thumbprint}.",
                                 "List each key once."))
    found += _mixed(keys)
    return found


def _mixed(keys: tuple[KeyReport, ...]) -> list[Finding]:
    """HMAC beside public-key algorithms in one set: the algorithm confusion class."""
    hmac = [k for k in keys if k.kty == "oct" or (k.alg or "").startswith("HS")]
    asymmetric = [k for k in keys if k.kty in ("RSA", "EC", "OKP") and not (k.alg or "").startswith("HS")]
    if not hmac or not asymmetric:
        return []
    return [finding("mixed-algorithms", "HMAC keys or algorithms beside public keys",
                    f"{_which(hmac)} for HMAC and {_which(asymmetric, lower=True)} public. A verifier that "
                    "takes the algorithm from the token, or accepts HS* and RS*/ES* "
                    "with the same key lookup, can be made to use a public key as an HMAC secret (PyJWT "
                    "CVE-2026-48526 class): anyone can then forge tokens.",
                    "Keep HMAC secrets out of published key sets, and pin one algorithm per key.")]


def _lint_key(position: int, entry: Any, *, several: bool, now: datetime) -> KeyReport:
    if not isinstance(entry, dict):
        bad = finding("invalid-key", f"Key #{position} is not a JSON object",
                      f"It is {_json_type(entry)}; each entry of \"keys\" must be a JWK object.",
                      "Remove the entry.")
        return KeyReport(position, None, None, None, None, None, None, (bad,))
    kid, kty, alg, use = (_text(entry.get(name)) for name in ("kid", "kty", "alg", "use"))
    label = f"Key {_q(kid)}" if kid is not None else f"Key #{position}"
    found: list[Finding] = [*_wrong_types(entry, label), *_typos(entry, label)]
    parsed, size = None, None
    if "kty" not in entry:
        found.append(finding("missing-kty", f"{label} has no kty", "Without \"kty\" the entry is not a JWK "
                             "(RFC 7517 §4.1); every library skips or rejects it.", "Add \"kty\"."))
    elif kty == "OKP" and entry.get("crv") in _ECDH_CURVES:
        size = str(entry["crv"])  # X25519 / X448: key agreement (JWE), which the JWS reader does not load
    else:
        parsed, problem = _read(entry)
        if problem:
            said = problem[0].upper() + problem[1:] + "."
            found.append(finding("invalid-key", f"{label} is not a usable JWK", said,
                                 "Fix or remove the entry."))
        size = _size(parsed, entry, kty)
    found += _private(entry, label, kty)
    if parsed is not None and parsed.family == "rsa" and parsed.bits < 2048:
        found.append(finding("weak-rsa-key", f"{label} is a {parsed.bits}-bit RSA key",
                             "RSA keys under 2048 bits are below every current recommendation (RFC 7518 "
                             "§3.3: 2048 or larger).", "Rotate to a 2048-bit (or larger) key."))
    found += _alg_findings(entry, label, alg, kty, parsed)
    found += _use_findings(entry, label, use, several=several)
    if "x5c" in entry:
        found += _x5c(entry["x5c"], label, parsed, now)
    return KeyReport(position, _thumbprint(entry), kid, kty, alg, use, size, tuple(by_severity(found)))


def _read(entry: dict[str, Any]) -> tuple[ParsedKey | None, str | None]:
    """The key as the verifier reads it (public members only), or why it cannot be read."""
    from .jwk import read_jwk  # PyJWT and cryptography: loaded on first use, not by the CLI's start
    try:
        return read_jwk(json.dumps(entry), private=False), None
    except JwtInputError as err:
        return None, str(err).replace("the JWK", "the key", 1)
    except (ValueError, TypeError, OverflowError):  # lone surrogates, numbers beyond float: not a key
        return None, "the key cannot be read"


def _size(parsed: ParsedKey | None, entry: dict[str, Any], kty: str | None) -> str | None:
    if parsed is not None:
        return {"rsa": f"RSA {parsed.bits} bits", "ec": f"EC {parsed.curve}", "okp": str(parsed.curve),
                "hmac": f"oct {parsed.bits} bits"}[parsed.family]
    if kty == "EC" and isinstance(entry.get("crv"), str):
        return f"EC {entry['crv'][:20]}"
    return None


def _private(entry: dict[str, Any], label: str, kty: str | None) -> list[Finding]:
    if kty == "oct" or ("k" in entry and kty is None):
        return [finding("symmetric-key", f"{label} is a symmetric secret (kty oct)",
                        "Its \"k\" member is the secret itself: anyone who reads this set can sign (or "
                        "decrypt) with it.", "Remove it from the published set and rotate the secret now.")]
    members = [m for m in _ALL_PRIVATE if m in entry]
    if not members:
        return []
    return [finding("private-key-material", f"{label} publishes its private key",
                    f"It has the private member{'s' * (len(members) > 1)} {', '.join(members)}: anyone who "
                    "reads this set can sign as its owner.", "Publish only the public members (RFC 7517 "
                    "§9.2), and rotate this key now: it is compromised.")]


def _alg_findings(entry: dict[str, Any], label: str, alg: str | None, kty: str | None,
                  parsed: ParsedKey | None) -> list[Finding]:
    if "alg" not in entry:
        return [finding("missing-alg", f"{label} has no alg", "A key without \"alg\" can be used with any "
                        "algorithm of its family; RFC 8725 §3.1 asks that each key be bound to one.",
                        "Add \"alg\" (for example RS256 or ES256).")]
    if alg is None:
        return []  # a wrong type is reported by _wrong_types
    if alg.lower() == "none":
        return [finding("none-algorithm", f"{label} says alg none", "A verifier that takes the algorithm "
                        "from the key would accept unsigned tokens.", "Remove the key, or set its real "
                        "algorithm.")]
    from .parsed_key import ALGORITHMS

    if alg not in ALGORITHMS and alg not in OTHER_JWS and alg not in JWE_ALGORITHMS:
        return [finding("unregistered-alg", f"{label} has the unregistered alg {_q(alg)}",
                        "It is neither a JWS (RFC 7518 §3.1, RFC 9864) nor a JWE (RFC 7518 §4.1) algorithm, "
                        "so no library will use the key with it.", "Use the registered name, e.g. RS256.")]
    family, curve = ALGORITHMS.get(alg) or OTHER_JWS.get(alg) or (_jwe_family(alg), None)
    actual = parsed.family if parsed else _JWE_FAMILY.get(kty or "")
    if actual is None or family is None:
        return []
    if actual != family:
        return [finding("alg-key-mismatch", f"{label}: alg {alg} does not fit a kty {kty} key",
                        f"{alg} needs {_family_words(family)}, but this is {_family_words(actual)}.",
                        "Set the algorithm the key is for.")]
    have = parsed.curve if parsed else entry.get("crv")
    if curve is not None and have != curve:
        return [finding("alg-key-mismatch", f"{label}: alg {alg} needs the curve {curve}",
                        f"The key is on {_q(str(have))}; {alg} is defined only with {curve} (RFC 7518 §3.4, "
                        "RFC 8812, RFC 9864).", f"Use the algorithm of the key's curve, or a {curve} key.")]
    return []


def _jwe_family(alg: str) -> str | None:
    if alg.startswith("RSA"):
        return "rsa"
    if alg.startswith("ECDH-ES"):
        return None  # EC or OKP (X25519, X448)
    return "hmac" if alg in JWE_ALGORITHMS and alg != "dir" else None


def _family_words(family: str) -> str:
    return {"rsa": "an RSA key", "ec": "an EC key", "okp": "an OKP (Edwards) key", "hmac": "a symmetric "
            "(oct) key", "akp": "an ML-DSA (AKP) key"}.get(family, family)


def _use_findings(entry: dict[str, Any], label: str, use: str | None, *, several: bool) -> list[Finding]:
    found: list[Finding] = []
    ops = entry.get("key_ops")
    if "use" not in entry and "key_ops" not in entry:
        found.append(finding("missing-use", f"{label} has no use", "Without \"use\" (sig or enc) a library "
                             "may pick this key for the wrong purpose.", "Add \"use\": \"sig\" for signing "
                             "keys."))
    if isinstance(ops, list) and use in ("sig", "enc"):
        allowed = _SIG_OPS if use == "sig" else _ENC_OPS
        wrong = [op for op in ops if isinstance(op, str) and op not in allowed]
        if wrong:
            found.append(finding("use-key-ops-mismatch", f"{label}: use {use} but key_ops "
                                 f"{', '.join(_q(op) for op in wrong[:5])}",
                                 f"RFC 7517 §4.3: use \"{use}\" allows only {', '.join(sorted(allowed))}; "
                                 "libraries that read one member and those that read the other disagree.",
                                 "Keep one of the two members, consistent with what the key does."))
    if several and "kid" not in entry:
        found.append(finding("missing-kid", f"{label} has no kid", "In a set of several keys, a token's kid "
                             "selects the key; without one, verifiers must try every key (many refuse).",
                             "Add a kid (the key's RFC 7638 thumbprint is a good choice)."))
    return found


def _x5c(value: Any, label: str, parsed: ParsedKey | None, now: datetime) -> list[Finding]:
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    first = value[0] if isinstance(value, list) and value else None
    if not isinstance(first, str) or len(first) > MAX_X5C_CHARS:
        return [finding("x5c-invalid", f"{label}: x5c is not a certificate chain",
                        "\"x5c\" must be a non-empty array of base64 DER certificates (RFC 7517 §4.7).",
                        "Fix or remove \"x5c\".")]
    try:
        cert = x509.load_der_x509_certificate(base64.b64decode(first, validate=True))
    except (binascii.Error, ValueError) as err:
        why = "not base64" if isinstance(err, binascii.Error) else "not a DER certificate"
        return [finding("x5c-invalid", f"{label}: the first x5c certificate does not read",
                        f"It is {why} (x5c uses standard base64 with padding, not base64url).",
                        "Fix or remove \"x5c\".")]
    found: list[Finding] = []
    start, end = cert.not_valid_before_utc, cert.not_valid_after_utc
    if now > end or now < start:
        when = f"expired on {end:%Y-%m-%d}" if now > end else f"is valid only from {start:%Y-%m-%d}"
        found.append(finding("x5c-expired", f"{label}: its x5c certificate {when}",
                             "Verifiers that validate the chain reject this key.", "Renew the certificate "
                             "and publish the new chain."))
    if parsed is not None and parsed.family != "hmac":
        try:
            mine = parsed.public.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
            theirs = cert.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
        except (ValueError, TypeError):  # a certificate key type cryptography cannot serialise
            theirs, mine = b"?", b""
        if mine != theirs:
            found.append(finding("x5c-key-mismatch", f"{label}: the x5c certificate holds another key",
                                 "The public key in the first certificate is not the JWK's: verifiers that "
                                 "use the certificate and those that use n/e (or x/y) disagree.",
                                 "Publish the certificate of this key."))
    return found


def _wrong_types(entry: dict[str, Any], label: str) -> list[Finding]:
    wrong: list[str] = [name for name in ("kid", "kty", "alg", "use")
                        if name in entry and not isinstance(entry[name], str)]
    if "key_ops" in entry and not (isinstance(entry["key_ops"], list)
                                   and all(isinstance(op, str) for op in entry["key_ops"])):
        wrong.append("key_ops")
    if not wrong:
        return []
    return [finding("invalid-key", f"{label} has members of the wrong type",
                    f"{', '.join(wrong)}: each must be a string (key_ops an array of strings).",
                    "Fix the member types.")]


def _typos(entry: dict[str, Any], label: str) -> list[Finding]:
    found: list[Finding] = []
    for name in list(entry)[:50]:
        if name in _KNOWN_MEMBERS or len(name) > 40:
            continue
        close = [m for m in _KNOWN_MEMBERS if m.casefold() == name.strip().casefold()]
        close = close or difflib.get_close_matches(name, _KNOWN_MEMBERS, n=3, cutoff=0.66)
        close = [m for m in close if m not in entry and len(m) > 1]
        if close:
            found.append(finding("member-typo", f"{label}: {_q(name)} looks like {_q(close[0])}",
                                 f"{_q(name)} is not a JWK member, and {_q(close[0])} is missing: libraries "
                                 "ignore the misspelt member.", f"Rename it to {_q(close[0])}."))
    return found


def _thumbprint(entry: dict[str, Any]) -> str | None:
    from .keygen import jwk_thumbprint
    try:
        return jwk_thumbprint(entry)
    except JwtInputError:
        return None


# --- discovery documents ----------------------------------------------------------------------------

def lint_discovery(doc: dict[str, Any], *, expected_issuer: str | None
                   ) -> tuple[DiscoveryFacts, list[Finding]]:
    """Facts and findings of an OpenID Connect or RFC 8414 discovery document."""
    found: list[Finding] = []
    issuer, jwks_uri = _text(doc.get("issuer")), _text(doc.get("jwks_uri"))
    raw_algs = doc.get("id_token_signing_alg_values_supported")
    algs = tuple(a for a in raw_algs if isinstance(a, str))[:100] if isinstance(raw_algs, list) else ()
    oidc = "id_token_signing_alg_values_supported" in doc or "subject_types_supported" in doc
    required = _OIDC_REQUIRED if oidc else _OAUTH_REQUIRED
    missing = [name for name in required if name not in doc]
    typed = [name for name in _URL_MEMBERS if name in doc and not isinstance(doc[name], str)]
    typed += [name for name in ("response_types_supported", "subject_types_supported",
                                "id_token_signing_alg_values_supported")
              if name in doc and not isinstance(doc[name], list)]
    if missing or typed:
        said = "; ".join(part for part in (
            f"missing: {', '.join(missing)}" if missing else "",
            f"not of their type: {', '.join(typed)}" if typed else "") if part)
        spec = "OpenID Connect Discovery 1.0 §3" if oidc else "RFC 8414 §2"
        found.append(finding("missing-metadata", "Required metadata is missing or malformed",
                             f"{said} ({spec}).", "Publish every required member with its type."))
    if expected_issuer is not None and issuer is not None and issuer != expected_issuer:
        near = issuer.rstrip("/") == expected_issuer.rstrip("/")
        found.append(finding("issuer-mismatch", "The issuer is not the expected one",
                             f"The document says {_q(issuer, 200)}, expected {_q(expected_issuer, 200)}"
                             + (" (they differ only by a trailing slash, which is still a mismatch: the "
                                "comparison is exact)" if near else "") + ". Clients compare the iss of "
                             "every token with this value exactly (RFC 8414 §3.3, OIDC Discovery §4.3).",
                             "Make issuer exactly the URL the document is published under."))
    insecure = [name for name in _URL_MEMBERS if isinstance(doc.get(name), str) and
                _scheme(doc[name]) != "https"]
    if insecure:
        found.append(finding("insecure-url", f"Not https: {', '.join(insecure)}",
                             "Metadata and keys fetched over anything but https can be replaced in transit "
                             "(RFC 8414 §2 and OIDC Discovery §3 require https).", "Serve them over https."))
    if any(a.lower() == "none" for a in algs):
        found.append(finding("id-token-alg-none", "ID tokens may be unsigned (alg none)",
                             "\"none\" is listed in id_token_signing_alg_values_supported.",
                             "Remove \"none\" from the list."))
    hmac = [a for a in algs if a.startswith("HS")]
    if hmac:
        found.append(finding("id-token-alg-hmac", f"HMAC algorithms for ID tokens: {', '.join(hmac[:5])}",
                             "ID tokens signed with a client secret: clients that accept them beside "
                             "public-key algorithms are open to algorithm confusion.",
                             "Sign ID tokens with an asymmetric algorithm (RS256, ES256) only."))
    return DiscoveryFacts(issuer, jwks_uri, algs, expected_issuer), found


def _scheme(url: str) -> str:
    try:
        return urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return ""


# --- words ------------------------------------------------------------------------------------------

def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _q(text: str, limit: int = 60) -> str:
    """A value from the document, quoted and cut short (a kid can be any length)."""
    return json.dumps(text if len(text) <= limit else text[: limit - 3] + "...", ensure_ascii=False)


def _positions(keys: list[KeyReport]) -> str:
    return ", ".join(f"#{k.position}" for k in keys[:10]) + (", ..." if len(keys) > 10 else "")


def _which(keys: list[KeyReport], *, lower: bool = False) -> str:
    """'Key #2 is' or 'Keys #1, #3 are'."""
    said = f"Key {_positions(keys)} is" if len(keys) == 1 else f"Keys {_positions(keys)} are"
    return said.lower() if lower else said


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "true or false", type(None): "null"}
    return names.get(type(value), "a number")
