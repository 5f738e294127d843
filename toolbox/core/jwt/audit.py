"""Security audit of a decoded token: findings with stable ids (docs/design.md §3), worst first."""

from __future__ import annotations

import contextlib
import json
import re
import time
from collections.abc import Callable, Sequence
from typing import Any

from toolbox.core.jwt import algs, b64, invisible, jsontext, keys
from toolbox.core.jwt.claims import (
    PRIVATE_JWK_MEMBERS,
    duration,
    is_numeric_date,
    sensitive_members,
    sensitive_text,
)
from toolbox.core.jwt.jsontext import DuplicateKey
from toolbox.core.jwt.model import SEVERITY_ORDER, Decoded, Finding, JwtInputError, Severity
from toolbox.core.jwt.weak_secrets import describe_secret, find_weak_secret

# Registered in IANA's JOSE registry (RFC 7518, RFC 8037, RFC 8812, RFC 9864).
JWS_ALGS = frozenset({
    "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "ES256K",
    "PS256", "PS384", "PS512", "EdDSA", "Ed25519", "Ed448",
})
JWE_ALGS = frozenset({
    "RSA1_5", "RSA-OAEP", "RSA-OAEP-256", "RSA-OAEP-384", "RSA-OAEP-512", "A128KW", "A192KW", "A256KW",
    "dir", "ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW", "ECDH-ES+A256KW", "A128GCMKW", "A192GCMKW",
    "A256GCMKW", "PBES2-HS256+A128KW", "PBES2-HS384+A192KW", "PBES2-HS512+A256KW",
})
JWE_ENCS = frozenset({"A128CBC-HS256", "A192CBC-HS384", "A256CBC-HS512", "A128GCM", "A192GCM", "A256GCM"})
OVERSIZED = 8 * 1024  # nginx, Apache and most proxies refuse request headers beyond 8 KiB
# Header parameter names RFC 7515, 7516 and 7518 define: RFC 7515 §4.1.11 forbids listing them in crit.
REGISTERED_HEADER_NAMES = frozenset({
    "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit", "enc", "zip", "epk",
    "apu", "apv", "iv", "tag", "p2s", "p2c",
})
# The critical extensions PyJWT implements (b64, RFC 7797): it rejects a token whose crit lists any other.
UNDERSTOOD_CRIT = frozenset({"b64"})
_MAX_CRIT = 1000  # crit entries examined: a real crit has one or two

_KID_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("path traversal", re.compile(r"\.\.[/\\]|%2e%2e|/(etc|dev|proc|var|tmp|root|home)/|\x00|%00", re.I)),
    ("SQL injection", re.compile(r"['\"]|--|/\*|;|\bunion\b|\bselect\b|\bor\s+\d+\s*=\s*\d+", re.I)),
    ("shell injection", re.compile(r"[`|&;<>]|\$\(|\$\{")),
    ("a URL", re.compile(r"^([a-z][a-z0-9+.-]*://|(https?|file|ftp|ldaps?|jar|data|gopher|php|smb):)", re.I)),
)


def audit(
    decoded: Decoded,
    *,
    now: float | None = None,
    leeway: int = 0,
    max_lifetime: int = 86400,
    duplicates: Sequence[tuple[str, DuplicateKey]] | None = None,
) -> tuple[Finding, ...]:
    """Every finding for a decoded token (its own `findings` are ignored), most severe first."""
    clock = time.time() if now is None else now
    header = decoded.header or {}
    out: list[Finding] = []
    add = out.append
    if decoded.kind == "jwe":
        add(Finding("jwe-token", "info", "The token is encrypted (JWE), so its claims cannot be inspected.",
                    "Only the protected header is readable without a key. Paste the recipient's private "
                    "key, the shared secret or the password to decrypt it (jwt/decrypt)."))
    _check_alg(decoded, header, add)
    _check_weak_secret(decoded, header, add)
    _check_psychic(decoded, header, add)
    _check_header_keys(header, add)
    _check_self_signed(decoded, header, add)
    _check_crit(header, add)
    payload = decoded.payload if decoded.payload_format == "json" else None
    if isinstance(payload, dict):
        _check_times(payload, clock, leeway, max_lifetime, add)
    text = decoded.payload_text or ""
    sensitive = sensitive_members(payload) if payload is not None else sensitive_text(text)
    if sensitive:
        worst: Severity = "high" if any(hit.severity == "high" for hit in sensitive) else "medium"
        shown = "; ".join(f"{hit.pointer or '(the whole payload)'}: {hit.what}" for hit in sensitive[:10])
        more = f" (and {len(sensitive) - 10} more)" if len(sensitive) > 10 else ""
        title = "The readable payload holds what looks like secrets or personal data."
        add(Finding("sensitive-claim", worst, title,
                    f"Anyone who sees the token can read its payload: it is only base64url, not encrypted. "
                    f"Found at {shown}{more}. Keep secrets and personal data out of tokens; put an opaque id "
                    f"in the token and look the data up on the server, or use an encrypted token (JWE)."))
    _check_invisible(decoded.header, payload, add)
    if duplicates is None:
        duplicates = _find_duplicates(decoded)
    if duplicates:
        where = "; ".join(
            f"{part} key {dup.key!r} in "
            + ("the top-level object" if dup.pointer == "" else dup.pointer or "a value replaced later")
            for part, dup in duplicates[:10]
        )
        add(Finding("duplicate-key", "medium", "A JSON object in the token repeats a key.",
                    f"Found: {where}. Parsers disagree on which value wins (JSON.parse and Python keep the "
                    f"last, others the first or reject the token), so two systems can read different claims "
                    f"from the same signed token. Produce each key once, and reject duplicates on input."))
    notes = [f"{seg.name} {note}" for seg in decoded.segments
             if seg.data is not None and not _raw_payload(seg, header) and not _plainly_canonical(seg.text)
             for note in b64.decode(seg.text).noncanonical]
    if notes:
        add(Finding("noncanonical-base64", "low", "Part of the token is not canonical base64url.",
                    f"The {'; the '.join(notes)}. RFC 7515 requires unpadded base64url; strict libraries "
                    f"reject this token, lax ones accept it, and two spellings of one token defeat "
                    f"deny-lists and caches keyed on the token text. Encode with base64url and no padding."))
    if len(decoded.token) > OVERSIZED:
        add(Finding("oversized-token", "low", f"The token is {len(decoded.token)} characters, over 8 KiB.",
                    "Many servers and proxies cap a request header at 8 KiB (nginx, Apache, most load "
                    "balancers) and refuse the request. Put less in the token, for example ids instead of "
                    "permission lists."))
    out.sort(key=lambda finding: SEVERITY_ORDER[finding.severity])
    return tuple(Finding(f.id, f.severity, _encodable(f.title), _encodable(f.detail)) for f in out)


def _check_invisible(header: Any, payload: Any, add: Callable[[Finding], None]) -> None:
    """invisible-characters: header values, claims or member names holding bidi or invisible controls."""
    places: list[str] = []
    chars: dict[str, None] = {}
    for part, root in (("header", header), ("payload", payload)):
        for pointer, text, is_name in _strings(root):
            found = invisible.INVISIBLE.findall(text)
            if found:
                shown = invisible.reveal(pointer) or "/"  # the pointer holds them too: shown escaped
                places.append(f"{part} (a member name in {shown})" if is_name else f"{part} {shown}")
                chars.update(dict.fromkeys(found))
    if not places:
        return
    bidi = any(invisible.BIDI.match(char) for char in chars)
    names = ", ".join(invisible.name(char) for char in list(chars)[:8])
    add(Finding("invisible-characters", "medium" if bidi else "low",
                "Values in the token hold invisible or text-direction control characters.",
                f"Found in {'; '.join(places[:10])}{' (and more)' if len(places) > 10 else ''}: {names}. "
                "They make a value display as something it is not (U+202E turns '\\u202enimda' into what "
                "reads as 'admin') or hide part of it, so a person checking the token, a log or an admin "
                "screen can be fooled. This page shows them as escapes. Reject or strip them where "
                "names and roles are issued."))


def _strings(root: Any) -> list[tuple[str, str, bool]]:
    """(pointer, text, is_member_name) for strings in a parsed JSON value, iteratively and bounded."""
    out: list[tuple[str, str, bool]] = []
    stack: list[tuple[Any, str]] = [(root, "")]
    budget = 5000  # nodes, like the sensitive-claim scan: tokens are small, this bounds hostile input
    while stack and budget > 0:
        node, pointer = stack.pop()
        budget -= 1
        if isinstance(node, str):
            out.append((pointer, node, False))
        elif isinstance(node, dict):
            for key, value in list(node.items())[:budget]:
                out.append((pointer, key, True))
                stack.append((value, f"{pointer}/{jsontext.escape_pointer_token(key)}"))
        elif isinstance(node, list):
            stack.extend((value, f"{pointer}/{i}") for i, value in enumerate(node[:budget]))
    return out


def _short(value: Any, limit: int = 80) -> str:
    """A header value quoted for a message, cut short: hostile headers can be 256 KiB."""
    if isinstance(value, (dict, list)):  # never repr a container: it may be nested 900 deep
        return f"(a JSON {jsontext.type_name(value)})"
    shown = ascii(value)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _encodable(text: str) -> str:
    """Escape lone surrogates (JSON allows "\\ud800" in names) so the text always encodes as UTF-8."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _check_alg(decoded: Decoded, header: dict[str, Any], add: Callable[[Finding], None]) -> None:
    """alg-none and unknown-alg (JWS algorithms, or JWE alg/enc)."""
    if decoded.header is None:
        return
    alg = header.get("alg")
    if isinstance(alg, str) and alg.lower() == "none":
        signed = " even though a signature part is present" if decoded.signature else ""
        add(Finding("alg-none", "critical", f"The token is unsecured: its alg is {alg!r}{signed}.",
                    "With alg none there is no signature, so anyone can write or change the token. A server "
                    "that accepts it (in any letter case) lets anyone log in as anyone. Fix: pin the "
                    "algorithms you accept on the server, for example algorithms=['RS256'] in PyJWT."))
        return
    jwe = decoded.kind == "jwe" or "enc" in header
    if not jwe and alg in algs.ML_DSA:
        add(Finding("unsupported-alg", "info", f"{alg} is not supported (post-quantum ML-DSA).",
                    f"{alg} is ML-DSA (FIPS 204), a post-quantum signature algorithm for JOSE "
                    "(draft-ietf-cose-dilithium, with \"AKP\" keys). It is a known algorithm, not a made-up "
                    "one, but PyJWT, the engine this tool verifies with, does not implement it, so the "
                    "signature cannot be checked here. Verify it with a library that implements ML-DSA, "
                    "and pin the algorithm there as for any other."))
        return
    known = JWE_ALGS if jwe else JWS_ALGS
    problems = []
    if alg is None:
        problems.append("the header has no alg")
    elif not isinstance(alg, str) or alg not in known:
        problems.append(f"the alg {_short(alg)} is not a registered {'JWE' if jwe else 'JWS'} algorithm")
        close = [name for name in known if isinstance(alg, str) and name.lower() == alg.lower()]
        if close:
            problems.append(f"algorithm names are case-sensitive (did you mean {close[0]!r}?)")
    enc = header.get("enc")
    if jwe and not (isinstance(enc, str) and enc in JWE_ENCS):  # any JSON type may arrive here
        problems.append(f"the enc {_short(header.get('enc'))} is not a registered JWE content encryption")
    if problems:
        said = "; ".join(problems)
        add(Finding("unknown-alg", "high", "The token's algorithm is missing or not a registered one.",
                    f"{said[0].upper()}{said[1:]}. Libraries that guess an algorithm, or fall back "
                    f"to a default, can be tricked into weak or no verification. Use a registered algorithm "
                    f"(RFC 7518) and pin it on the server."))


WELL_KNOWN_KEY_TITLE = "The signature verifies with a well-known secret: "  # the page quotes what follows


def _check_weak_secret(decoded: Decoded, header: dict[str, Any], add: Callable[[Finding], None]) -> None:
    """weak-secret: the HMAC verifies with a public, well-known secret."""
    alg = header.get("alg")
    if decoded.kind != "jws" or not isinstance(alg, str) or len(decoded.segments) != 3:
        return
    head, body, sig = decoded.segments
    if sig.data is None:
        return
    found = find_weak_secret(alg, f"{head.text}.{body.text}".encode("utf-8", "surrogatepass"), sig.data)
    if found is not None:
        size = int(alg[2:]) // 8  # HS256 -> 32 bytes: RFC 7518 wants a key at least as long as the hash
        short = " It is also shorter than the hash output, as RFC 7518 forbids." if len(found) < size else ""
        add(Finding("weak-secret", "critical",
                    f"{WELL_KNOWN_KEY_TITLE}{describe_secret(found)}.",
                    f"This secret is published in documentation or tutorials, so anyone can forge tokens "
                    f"your server accepts.{short} Fix: generate a random secret of at least {size} bytes "
                    f"(for example `openssl rand -base64 {size}`), keep it out of source code, and rotate "
                    f"it now."))


def _check_header_keys(header: dict[str, Any], add: Callable[[Finding], None]) -> None:
    """suspicious-kid, embedded-key and remote-key-url."""
    if "kid" in header:
        kid = header["kid"]
        kinds = [name for name, pattern in _KID_PATTERNS if isinstance(kid, str) and pattern.search(kid)]
        if not isinstance(kid, str):
            kinds = [f"not a string but a JSON {jsontext.type_name(kid)}"]
        if kinds:
            shown = _short(kid) if isinstance(kid, str) else jsontext.type_name(kid)
            add(Finding("suspicious-kid", "high", f"The kid {shown} looks like an injection attempt.",
                        f"It contains {', '.join(kinds)}. Servers that use kid to read a key file, query a "
                        f"database or run a command can be made to use a key the attacker knows. Treat kid "
                        f"as an opaque label: look it up in a fixed set of keys and never build paths, "
                        f"queries or commands from it."))
    embedded = [name for name in ("jwk", "x5c") if name in header]
    if embedded:
        jwk = header.get("jwk")
        private = [m for m in PRIVATE_JWK_MEMBERS if m in jwk] if isinstance(jwk, dict) else []
        leak = f" The jwk even holds private key members ({', '.join(private)})." if private else ""
        add(Finding("embedded-key", "critical" if private else "high",
                    f"The header carries its own key ({' and '.join(embedded)}).",
                    f"A server that verifies with a key taken from the token accepts tokens an attacker "
                    f"signed with their own key: anyone can make a key pair, put the public half in the "
                    f"header and sign (CVE-2018-0114 in node-jose; Authlib before 1.6.9 with key=None, "
                    f"CVE-2026-27962).{leak} RFC 7515 §4.1.3 and §5.2 leave the choice of key to the "
                    f"verifier. Never trust a key the token brings: verify only with keys you configured "
                    f"(looked up by kid in your own set), or check an x5c chain against a pinned root first. "
                    f"This tool never verifies with it unless you paste it as the key yourself."))
    remote = [f"{name} {_short(header[name], 120)}" for name in ("jku", "x5u") if name in header]
    if remote:
        add(Finding("remote-key-url", "high", "The header points to a key URL (" + ", ".join(remote) + ").",
                    "A server that fetches keys from a URL in the token lets an attacker host their own key "
                    "and sign with it (the same class as an embedded jwk, CVE-2026-27962), and can be used "
                    "to reach internal hosts. Ignore jku/x5u, or allow only exact URLs you configured. "
                    "This tool never fetches them."))


def _check_crit(header: dict[str, Any], add: Callable[[Finding], None]) -> None:
    """crit-invalid, crit-unknown and crit-header: RFC 7515 §4.1.11 (PyJWT CVE-2026-32597 class)."""
    if "crit" not in header:
        return
    crit = header["crit"]
    fix = ("Fix: the issuer lists in crit only extension parameters it puts in the header; the verifier "
           "rejects the token unless it implements every one (PyJWT does since 2.12.0).")
    if not isinstance(crit, list) or not crit:
        what = "an empty list" if isinstance(crit, list) else f"a JSON {jsontext.type_name(crit)}, not a list"
        add(Finding("crit-invalid", "high", f"The header's crit is {what}.",
                    "RFC 7515 §4.1.11 requires crit to be a non-empty array of header parameter names. "
                    "Libraries disagree on a malformed crit: strict ones (PyJWT) reject the token, lax ones "
                    f"skip crit entirely, so the issuer's critical checks may never run. {fix}"))
        return
    names = crit[:_MAX_CRIT]
    more = f" (and {len(crit) - _MAX_CRIT} more entries)" if len(crit) > _MAX_CRIT else ""
    problems = []
    odd = [value for value in names if not isinstance(value, str)]
    if odd:
        problems.append(f"{len(odd)} entr{'ies are' if len(odd) > 1 else 'y is'} not a string "
                        f"({', '.join(jsontext.type_name(v) for v in odd[:5])})")
    text = [value for value in names if isinstance(value, str)]
    registered = [n for n in dict.fromkeys(text) if n in REGISTERED_HEADER_NAMES]
    if registered:
        problems.append(f"it lists names the JOSE specifications define ({_names(registered)}), which "
                        "crit must not")
    repeated = [name for name, count in _counts(text).items() if count > 1]
    if repeated:
        problems.append(f"it repeats {_names(repeated)}")
    absent = [n for n in dict.fromkeys(text) if n not in header]
    if absent:
        problems.append(f"it names {_names(absent)}, absent from the header")
    if problems:
        said = "; ".join(problems)
        add(Finding("crit-invalid", "high", "The header's crit breaks RFC 7515 §4.1.11.",
                    f"{said[0].upper()}{said[1:]}{more}. A recipient must treat such a token as "
                    f"invalid; PyJWT rejects it, libraries that ignore crit accept it, so two systems "
                    f"disagree about the same token. {fix}"))
    unknown = [n for n in dict.fromkeys(text) if n not in UNDERSTOOD_CRIT | REGISTERED_HEADER_NAMES]
    if unknown:
        add(Finding("crit-unknown", "high",
                    f"The header marks extensions critical that verifiers lack ({_names(unknown)}).",
                    "Critical means: a recipient that does not understand the parameter MUST reject the "
                    "token (RFC 7515 §4.1.11). PyJWT before 2.12.0 ignored crit and accepted such tokens "
                    "(CVE-2026-32597, the class of Authlib's CVE-2025-59420): a restriction the issuer "
                    "expressed in these parameters was silently skipped. PyJWT now rejects the token, and "
                    f"so does this tool's verifier. {fix}"))
    if not problems and not unknown:
        add(Finding("crit-header", "info", f"The header marks {_names(text)} as critical (crit).",
                    "Every listed extension is one PyJWT implements (b64, RFC 7797 unencoded payload), so a "
                    "current PyJWT honours it. Libraries that ignore crit may read the token differently; "
                    "make sure yours enforces crit."))


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(_short(name, 40) for name in names[:10])
    return shown + (f" and {len(names) - 10} more" if len(names) > 10 else "")


def _counts(names: Sequence[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    return counts


def _check_psychic(decoded: Decoded, header: dict[str, Any], add: Callable[[Finding], None]) -> None:
    """psychic-signature: an ECDSA signature with r or s zero or out of range (CVE-2022-21449)."""
    alg = header.get("alg")
    if decoded.kind != "jws" or not isinstance(alg, str) or len(decoded.segments) != 3:
        return
    signature = decoded.segments[2].data
    problem = algs.ecdsa_problem(alg, signature or b"")
    if problem:
        add(Finding("psychic-signature", "critical",
                    f"The {alg} signature has {problem}: it is invalid for every key and message.",
                    "A valid ECDSA signature has r and s between 1 and n-1 (n: the curve order). Java 15 to "
                    "18 skipped that check and accepted such a signature for any token and any key "
                    "(\"psychic signatures\", CVE-2022-21449): the token is a forgery probing for it. Fix: "
                    "update the runtime (Java 17.0.3 / 18.0.1 or later) and use a library that checks "
                    "0 < r, s < n before verifying; a correct verifier, this tool's included, says invalid."))


def _embedded_keys(header: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(where, key text, key type) for the keys a header carries: its jwk, and its x5c leaf certificate."""
    found = []
    jwk = header.get("jwk")
    if isinstance(jwk, dict):
        with contextlib.suppress(ValueError, RecursionError):  # parsed from JSON, so this is belt and braces
            found.append(("jwk", json.dumps(jwk), "jwk"))
    x5c = header.get("x5c")
    leaf = x5c[0] if isinstance(x5c, list) and x5c else None
    if isinstance(leaf, str) and re.fullmatch(r"[A-Za-z0-9+/=\s]{1,20000}", leaf):
        body = "\n".join(re.findall(".{1,64}", re.sub(r"\s+", "", leaf)))
        found.append(("x5c", f"-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n", "pem"))
    return found


def _check_self_signed(decoded: Decoded, header: dict[str, Any], add: Callable[[Finding], None]) -> None:
    """self-signed-token: the signature verifies with the key the header itself carries (jwk or x5c)."""
    alg = header.get("alg")
    if decoded.kind != "jws" or not isinstance(alg, str) or alg not in keys.ALGORITHMS \
            or len(decoded.segments) != 3 or decoded.segments[2].data is None:
        return
    head, body, sig = decoded.segments
    signing_input = f"{head.text}.{body.text}".encode("utf-8", "surrogatepass")
    for where, text, key_type in _embedded_keys(header):
        try:  # the same bounded readers as a pasted key: a hostile header cannot buy expensive maths
            key = keys.load_key(text, key_type)
        except JwtInputError:
            continue
        if keys.mismatch(alg, key) is None and algs.verifies(alg, key.public, signing_input, sig.data or b""):
            add(Finding("self-signed-token", "critical",
                        f"The signature verifies with the key the token carries in its own header ({where}).",
                        "This is the attacker's self-signed token: make a key pair, put the public key in "
                        "the header, sign whatever claims you like. The signature proves only that whoever "
                        "made the token had that key, not who issued it. A verifier that takes the key from "
                        "the token (Authlib before 1.6.9 with key=None, CVE-2026-27962; node-jose, "
                        "CVE-2018-0114) accepts it. Fix: verify only with keys you configured; ignore jwk, "
                        "x5c, jku and x5u when choosing the key, or validate an x5c chain against a pinned "
                        "root first."))
            return


def _check_times(
    payload: dict[str, Any], now: float, leeway: int, max_lifetime: int, add: Callable[[Finding], None]
) -> None:
    """missing-exp, long-lifetime, iat-in-future and nbf-after-exp."""
    exp: Any = payload.get("exp")
    iat: Any = payload.get("iat")
    nbf: Any = payload.get("nbf")
    if not is_numeric_date(exp):
        title = "The token has no expiry (exp)." if exp is None else "exp is not a valid NumericDate."
        add(Finding("missing-exp", "medium", title,
                    "A token without a usable exp works forever once stolen, and some libraries then "
                    "skip the expiry check entirely. Always set exp (minutes for access tokens) and "
                    "require it when verifying (options={'require': ['exp']} in PyJWT)."))
    else:
        start, basis = (iat, "from iat to exp") if is_numeric_date(iat) else (now, "from now until exp")
        lifetime = exp - start
        if lifetime > max_lifetime:
            title = f"The token lives {duration(lifetime)} ({basis}), longer than {duration(max_lifetime)}."
            add(Finding("long-lifetime", "medium" if lifetime > 30 * 86400 else "low", title,
                        "A stolen token works until it expires and is hard to revoke. Keep access tokens "
                        "short-lived (minutes) and use refresh tokens or sessions for long logins."))
        if is_numeric_date(nbf) and nbf >= exp:
            add(Finding("nbf-after-exp", "low", "nbf is not earlier than exp, so the token is never valid.",
                        "The token becomes usable only after it has expired. This is a bug in the issuer's "
                        "clock arithmetic; set nbf at or before iat and exp after it."))
    if is_numeric_date(iat) and iat > now + leeway:
        title = f"The token was issued {duration(iat - now)} in the future (iat)."
        add(Finding("iat-in-future", "medium", title,
                    "Either the issuer's clock is wrong or the token was made up. Servers that compute the "
                    "maximum age from iat would accept it for longer than intended. Sync clocks (NTP) and "
                    "reject tokens whose iat is ahead of now by more than the leeway."))


def _plainly_canonical(text: str) -> bool:
    """A cheap test that spares most segments a second decode: url alphabet, unused bits zero."""
    if "=" in text or "+" in text or "/" in text:
        return False
    # The last character of a 2- or 3-char tail carries 4 or 2 unused bits, which must be zero.
    tail = len(text) % 4
    return tail == 0 or text[-1] in ("AQgw" if tail == 2 else "AEIMQUYcgkosw048")


def _raw_payload(segment: Any, header: dict[str, Any]) -> bool:
    """True for the payload of an RFC 7797 token (b64: false), which is not base64url at all."""
    return bool(segment.name == "payload" and header.get("b64") is False)


def _find_duplicates(decoded: Decoded) -> list[tuple[str, DuplicateKey]]:
    """Re-parse header and payload to find repeated keys (decode() passes them in instead)."""
    found: list[tuple[str, DuplicateKey]] = []
    for seg in decoded.segments[:2]:
        if seg.data is not None and seg.name in ("header", "payload"):
            try:
                text = seg.data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            found.extend((seg.name, dup) for dup in jsontext.parse(text).duplicates)
    return found
