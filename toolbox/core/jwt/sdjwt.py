"""SD-JWT (RFC 9901): split a presentation, decode its disclosures, match their digests, rebuild the claims.

Only the compact form is read: `<issuer-signed JWT>~<disclosure>~...~<disclosure>~[<KB-JWT>]`. The JSON
serialization (RFC 9901 §8) is named when pasted, not processed. Everything here is pure and bounded:
at most MAX_DISCLOSURES disclosures, values nested at most jsontext.MAX_DEPTH deep (the JSON reader's
own limit), a node budget for the walk, and each digest used once, so a hostile token cannot make the
rebuilt claims grow beyond the disclosures it carries.

The issuer-signed JWT and the KB-JWT are decoded and verified by the ordinary JWT code (decode.py and
verify.py): this module only adds what RFC 9901 adds on top.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Literal

from toolbox.core.jwt import b64, jsontext
from toolbox.core.jwt.model import Finding

MAX_DISCLOSURES = 500  # real credentials carry tens; each one is hashed and parsed
MAX_NODES = 20000  # values visited while rebuilding the claims
MAX_REBUILT_DEPTH = jsontext.MAX_DEPTH - 4  # the rebuilt claims stay within what the JSON printers take
NOT_REBUILT = "(not rebuilt: nested too deep or too large)"
MIN_SALT_BITS = 128  # RFC 9901 §4.2.1 / §9.3: at least 128 bits of entropy
KB_TYP = "kb+jwt"
VC_TYPES = {"dc+sd-jwt": "SD-JWT VC", "vc+sd-jwt": "SD-JWT VC (the older media type vc+sd-jwt)"}
RESERVED = ("_sd", "...")

DisclosureKind = Literal["property", "element", "invalid"]
DisclosureStatus = Literal["matched", "unmatched", "duplicate", "rejected", "invalid", "unchecked"]

# IANA "Named Information Hash Algorithm" names (RFC 6920) that hashlib can compute: name -> (hashlib name,
# digest bytes kept). Truncated SHA-256 and the non-IANA sha-1/md5 are computed so the digests can be
# shown, and flagged as weak.
_HASHES: dict[str, tuple[str, int | None]] = {
    "sha-256": ("sha256", None), "sha-384": ("sha384", None), "sha-512": ("sha512", None),
    "sha3-224": ("sha3_224", None), "sha3-256": ("sha3_256", None), "sha3-384": ("sha3_384", None),
    "sha3-512": ("sha3_512", None), "blake2s-256": ("blake2s", None), "blake2b-512": ("blake2b", None),
    "blake2b-256": ("blake2b-256", None),
    "sha-256-128": ("sha256", 16), "sha-256-120": ("sha256", 15), "sha-256-96": ("sha256", 12),
    "sha-256-64": ("sha256", 8), "sha-256-32": ("sha256", 4),
    "sha-1": ("sha1", None), "md5": ("md5", None),
}
WEAK_HASHES = ("sha-256-128", "sha-256-120", "sha-256-96", "sha-256-64", "sha-256-32", "sha-1", "md5")
_HEX = re.compile(r"[0-9a-fA-F]+")
_B64URL = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class Disclosure:
    """One disclosure as presented: its parts, its digest, and where (if anywhere) it belongs."""

    index: int  # 1-based position in the presentation
    text: str  # the base64url text exactly as presented (the digest is taken over it)
    start: int  # offset of `text` in the token
    kind: DisclosureKind  # property: [salt, name, value]; element: [salt, value]
    salt: str | None
    name: str | None  # the claim name of a property disclosure
    value: Any
    digest: str | None  # base64url digest under _sd_alg; None when _sd_alg cannot be computed
    status: DisclosureStatus
    location: str | None  # JSON Pointer of the claim or array element in the rebuilt claims
    problem: str | None  # why it is invalid, rejected or unmatched, in words


@dataclass(frozen=True)
class HiddenDigest:
    """A digest in the token that no presented disclosure matches: an undisclosed claim, or a decoy."""

    digest: str
    location: str  # JSON Pointer of the object (its `_sd`) or array (a `{"...": digest}` element)
    array: bool  # True for an array element digest


@dataclass(frozen=True)
class KeyBinding:
    """The KB-JWT's structure as decoding can judge it (no key needed); verify.py checks its signature."""

    text: str
    start: int
    header: dict[str, Any] | None
    payload: dict[str, Any] | None
    sd_hash: str | None  # the digest this presentation must carry (over everything up to the last '~')
    problems: tuple[str, ...]  # typ, alg none, sd_hash mismatch, missing claims: each in words


@dataclass(frozen=True)
class SdJwt:
    """An SD-JWT as read: the issuer JWT's place, every disclosure, the hidden digests, the rebuilt claims."""

    issuer_jwt: str
    sd_alg: str  # the _sd_alg in force ("sha-256" when absent)
    sd_alg_declared: bool
    sd_alg_problem: str | None  # unknown or not a string: digests cannot be checked
    disclosures: tuple[Disclosure, ...]
    hidden: tuple[HiddenDigest, ...]
    claims: Any  # the rebuilt claims (None when the issuer payload is not a JSON object)
    errors: tuple[str, ...]  # what a verifier must reject the SD-JWT for (RFC 9901 §7.1), in words
    key_binding: KeyBinding | None
    cnf: dict[str, Any] | None  # the issuer's cnf claim (the holder's key) when present
    vc_type: str | None  # "SD-JWT VC" when typ is dc+sd-jwt / vc+sd-jwt
    vct: str | None
    findings: tuple[Finding, ...] = ()

    @property
    def all_disclosed(self) -> bool:
        """True when the token has digests and every one of them is disclosed (so none is a decoy)."""
        return not self.hidden and any(d.status == "matched" for d in self.disclosures)


def looks_like_sd_jwt(token: str) -> bool:
    """A compact SD-JWT has a '~' after an issuer-signed JWT (two dots before the first '~')."""
    return "~" in token and token.split("~", 1)[0].count(".") == 2


def json_serialization(text: str) -> bool:
    """True for a pasted SD-JWT in the JSON serialization (RFC 9901 §8), which is not read here."""
    head = text.lstrip()[:1]
    return head == "{" and '"disclosures"' in text and '"payload"' in text


def hasher(name: str) -> Callable[[bytes], bytes] | None:
    """The digest function for an `_sd_alg` name; None when it is not one this tool computes."""
    if name not in _HASHES:
        return None
    algo, keep = _HASHES[name]
    if algo == "blake2b-256":
        return lambda data: hashlib.blake2b(data, digest_size=32).digest()
    return lambda data: hashlib.new(algo, data).digest()[: keep or None]


def digest_of(text: str, name: str = "sha-256") -> str:
    """The base64url digest of a disclosure (or of an SD-JWT for sd_hash): over its ASCII text."""
    fn = hasher(name)
    if fn is None:
        raise ValueError(f"unsupported hash algorithm {name!r}")
    return b64.encode(fn(text.encode("utf-8", "surrogatepass")))


def read(token: str, header: dict[str, Any] | None, payload: Any) -> SdJwt:
    """Read the SD-JWT `token` whose issuer-signed JWT decoded to `header` and `payload`."""
    parts = token.split("~")
    errors: list[str] = []
    issuer, middle, last = parts[0], parts[1:-1], parts[-1]
    starts = [0]
    for part in parts[:-1]:
        starts.append(starts[-1] + len(part) + 1)
    middle_starts = starts[1:-1]
    kb_text = last if last else None
    if kb_text is not None and kb_text.count(".") != 2:
        errors.append(f"the SD-JWT does not end with '~': its last part is not a KB-JWT (it has "
                      f"{kb_text.count('.')} dots, a JWT has 2); it is read as a disclosure")
        middle, middle_starts, kb_text = [*middle, last], [*middle_starts, starts[-1]], None
    if len(middle) > MAX_DISCLOSURES:
        errors.append(f"{len(middle)} disclosures; only the first {MAX_DISCLOSURES} are read")
        middle, middle_starts = middle[:MAX_DISCLOSURES], middle_starts[:MAX_DISCLOSURES]

    obj = payload if isinstance(payload, dict) else None
    sd_alg, declared, alg_problem = _sd_alg(obj)
    fn = hasher(sd_alg) if alg_problem is None else None
    disclosures = [_disclosure(i + 1, text, start, fn) for i, (text, start) in
                   enumerate(zip(middle, middle_starts, strict=True))]
    errors.extend(f"disclosure {d.index}: {d.problem}" for d in disclosures if d.kind == "invalid")
    if alg_problem:
        errors.append(alg_problem)

    builder = _Builder(disclosures)
    claims = None
    if obj is not None and fn is not None:
        claims = builder.rebuild(obj)
        disclosures = builder.finish()
        errors.extend(builder.errors)
    elif obj is not None:
        claims = {k: v for k, v in obj.items() if k not in ("_sd", "_sd_alg")}
    cnf = obj.get("cnf") if obj is not None and isinstance(obj.get("cnf"), dict) else None
    typ = header.get("typ") if header else None
    vct = claims.get("vct") if isinstance(claims, dict) else None
    kb = _key_binding(kb_text, starts[-1], token[: len(token) - len(kb_text)] if kb_text else token,
                      sd_alg if alg_problem is None else "sha-256") if kb_text else None
    sd = SdJwt(issuer, sd_alg, declared, alg_problem, tuple(disclosures), tuple(builder.hidden), claims,
               tuple(errors), kb, cnf, VC_TYPES.get(typ) if isinstance(typ, str) else None,
               vct if isinstance(vct, str) else None)
    return replace(sd, findings=audit(sd))


def _sd_alg(payload: dict[str, Any] | None) -> tuple[str, bool, str | None]:
    """(the _sd_alg in force, whether it was declared, why it cannot be used)."""
    if payload is None or "_sd_alg" not in payload:
        return "sha-256", False, None
    value = payload["_sd_alg"]
    if not isinstance(value, str):
        return "sha-256", True, (f"_sd_alg is a JSON {jsontext.type_name(value)}, not a hash algorithm "
                                 "name: the digests cannot be checked")
    shown = ascii(value[:40])
    if value in _HASHES:
        return value, True, None
    near = [n for n in _HASHES if n == value.lower() or n.replace("-", "") == value.lower().replace("-", "")]
    hint = f" (names are the IANA ones, lower case: did you mean {near[0]!r}?)" if near else ""
    known = ", ".join(n for n in _HASHES if n not in WEAK_HASHES)
    return value[:40], True, (f"_sd_alg {shown} is not a hash algorithm this tool knows{hint}: the digests "
                              f"cannot be checked (known: {known})")


def _disclosure(index: int, text: str, start: int, fn: Callable[[bytes], bytes] | None) -> Disclosure:
    """Decode one disclosure; never raises."""
    digest = b64.encode(fn(text.encode("utf-8", "surrogatepass"))) if fn and text else None

    def bad(problem: str) -> Disclosure:
        return Disclosure(index, text, start, "invalid", None, None, None, digest, "invalid", None, problem)

    if not text:
        return bad("empty ('~~'): a disclosure is never empty")
    got = b64.decode(text, offset=start)
    if got.data is None:
        return bad(str(got.error))
    try:
        raw = got.data.decode("utf-8")
    except UnicodeDecodeError as err:
        return bad(f"not UTF-8 at byte {err.start + 1}")
    parsed = jsontext.parse(raw)
    if parsed.error is not None:
        return bad(f"not JSON: {parsed.error}")
    value = parsed.value
    if not isinstance(value, list):
        return bad(f"a disclosure is a JSON array, this is a JSON {jsontext.type_name(value)}")
    if len(value) not in (2, 3):
        return bad(f"a disclosure is an array of 3 (salt, name, value) or 2 (salt, value) elements; "
                   f"this has {len(value)}")
    salt = value[0]
    if not isinstance(salt, str):
        return bad(f"the salt is a JSON {jsontext.type_name(salt)}, not a string")
    if len(value) == 2:
        return Disclosure(index, text, start, "element", salt, None, value[1], digest, "unchecked", None,
                          None)
    name = value[1]
    if not isinstance(name, str):
        return bad(f"the claim name is a JSON {jsontext.type_name(name)}, not a string")
    problem = f"the claim name {name!r} is reserved (RFC 9901 §4.2.1)" if name in RESERVED else None
    return Disclosure(index, text, start, "property", salt, name, value[2], digest,
                      "rejected" if problem else "unchecked", None, problem)


class _Builder:
    """Rebuild the claims (RFC 9901 §7.1 step 3), recording where each disclosure went."""

    def __init__(self, disclosures: list[Disclosure]) -> None:
        self.disclosures = disclosures
        self.by_digest: dict[str, int] = {}
        self.errors: list[str] = []
        self.hidden: list[HiddenDigest] = []
        self.placed: dict[int, tuple[DisclosureStatus, str | None, str | None]] = {}
        self.seen: set[str] = set()
        self.budget = MAX_NODES
        self.cut = False
        for i, d in enumerate(disclosures):
            if d.digest is None or d.kind == "invalid":
                continue
            if d.digest in self.by_digest:
                first = disclosures[self.by_digest[d.digest]].index
                self.placed[i] = ("duplicate", None, f"the same disclosure as disclosure {first}")
                self.errors.append(f"disclosure {d.index} repeats disclosure {first}")
            else:
                self.by_digest[d.digest] = i

    def rebuild(self, payload: dict[str, Any]) -> Any:
        """The claims with every matched disclosure put in place and _sd, _sd_alg and '...' removed."""
        body = {k: v for k, v in payload.items() if k != "_sd_alg"}
        return self._value(body, "", 0)

    def finish(self) -> list[Disclosure]:
        """The disclosures with their status, location and problem as the walk found them."""
        out = []
        for i, d in enumerate(self.disclosures):
            if i in self.placed:
                status, where, problem = self.placed[i]
                out.append(replace(d, status=status, location=where, problem=problem or d.problem))
            elif d.kind != "invalid":
                why = "no digest in the token or in another disclosure matches it"
                out.append(replace(d, status="unmatched", problem=d.problem or why))
                self.errors.append(f"disclosure {d.index} matches no digest (RFC 9901 §7.1: reject)")
            else:
                out.append(d)
        return out

    def _value(self, value: Any, where: str, depth: int) -> Any:
        self.budget -= 1
        if self.budget < 0 or depth > MAX_REBUILT_DEPTH:
            if not self.cut:
                self.errors.append(f"the claims nest deeper than {MAX_REBUILT_DEPTH} levels or have more "
                                   f"than {MAX_NODES} values; the rest is not rebuilt")
            self.cut = True
            return NOT_REBUILT
        if isinstance(value, dict):
            return self._object(value, where, depth)
        if isinstance(value, list):
            return self._array(value, where, depth)
        return value

    def _claim(self, digest: Any, where: str, array: bool) -> int | None:
        """The index of the disclosure a digest names (the first time); None otherwise, a digest no
        disclosure matches recorded as hidden."""
        if not isinstance(digest, str):
            self.errors.append(f"{where or '/'}: a digest is a JSON {jsontext.type_name(digest)}, "
                               "not a string")
            return None
        if digest in self.seen:
            self.errors.append(f"{where or '/'}: the digest {digest[:60]!r} appears more than once "
                               "(RFC 9901 §7.1: reject)")
            return None
        self.seen.add(digest)
        found = self.by_digest.get(digest)
        if found is None:
            self.hidden.append(HiddenDigest(digest[:200], where or "/", array))
        return found

    def _object(self, node: dict[str, Any], where: str, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "_sd":
                continue
            out[key] = self._value(value, f"{where}/{jsontext.escape_pointer_token(key)}", depth + 1)
        sd = node.get("_sd")
        if "_sd" in node and not isinstance(sd, list):
            self.errors.append(f"{where or '/'}: _sd is a JSON {jsontext.type_name(sd)}, "
                               "not an array of digests")
            return out
        for digest in sd or ():
            i = self._claim(digest, where, False)
            if i is None:
                continue
            d = self.disclosures[i]
            if d.kind != "property":
                self._reject(i, where, "an array element disclosure, but its digest is in an object's _sd")
            elif d.status == "rejected":
                self.placed[i] = ("rejected", None, d.problem)
                self.errors.append(f"disclosure {d.index}: {d.problem}")
            elif d.name in out:
                self._reject(i, where, f"its claim {d.name!r} already exists in {where or 'the payload'} "
                                       "(it would overwrite it)")
            else:
                at = f"{where}/{jsontext.escape_pointer_token(str(d.name))}"
                self.placed[i] = ("matched", at, None)
                out[str(d.name)] = self._value(d.value, at, depth + 1)
        return out

    def _array(self, node: list[Any], where: str, depth: int) -> list[Any]:
        out: list[Any] = []
        for item in node:
            if isinstance(item, dict) and "..." in item:
                if len(item) != 1:
                    self.errors.append(f"{where}: an array element digest object has other members "
                                       "beside '...'")
                i = self._claim(item["..."], where, True)
                if i is None:
                    continue
                d = self.disclosures[i]
                if d.kind != "element":
                    self._reject(i, where, "an object property disclosure, but its digest is an array "
                                           "element")
                    continue
                at = f"{where}/{len(out)}"
                self.placed[i] = ("matched", at, None)
                out.append(self._value(d.value, at, depth + 1))
            else:
                out.append(self._value(item, f"{where}/{len(out)}", depth + 1))
        return out

    def _reject(self, i: int, where: str, why: str) -> None:
        self.placed[i] = ("rejected", None, why)
        self.errors.append(f"disclosure {self.disclosures[i].index}: {why}")


def _key_binding(text: str, start: int, presented: str, sd_alg: str) -> KeyBinding:
    """Decode the KB-JWT and check what needs no key: typ, alg, sd_hash, and its required claims."""
    parts = text.split(".")
    problems: list[str] = []
    decoded: list[dict[str, Any] | None] = []
    for name, part in zip(("header", "payload"), parts[:2], strict=True):
        got = b64.decode(part)
        parsed = jsontext.parse(got.data.decode("utf-8", "replace")) if got.data is not None else None
        value = parsed.value if parsed is not None and parsed.ok else None
        if not isinstance(value, dict):
            problems.append(f"the KB-JWT {name} is not a JSON object")
            value = None
        decoded.append(value)
    header, payload = decoded
    expected = digest_of(presented, sd_alg)
    if header is not None:
        typ, alg = header.get("typ"), header.get("alg")
        if typ != KB_TYP:
            problems.append(f"the KB-JWT typ is {_shown(typ)}; it must be \"{KB_TYP}\"")
        if not isinstance(alg, str) or alg.lower() == "none":
            problems.append(f"the KB-JWT alg is {_shown(alg)}: a KB-JWT must be signed")
    if payload is not None:
        got_hash = payload.get("sd_hash")
        if got_hash is None:
            problems.append("the KB-JWT has no sd_hash")
        elif got_hash != expected:
            problems.append(f"the KB-JWT sd_hash {_shown(got_hash)} does not match this presentation "
                            f"({expected}): it was made for other disclosures, or they were changed")
        missing = [claim for claim in ("iat", "aud", "nonce") if claim not in payload]
        if missing:
            problems.append(f"the KB-JWT lacks {', '.join(missing)} (RFC 9901 §4.3 requires them)")
    return KeyBinding(text, start, header, payload, expected, tuple(problems))


def _shown(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return f"a JSON {jsontext.type_name(value)}"
    text = json.dumps(value, ensure_ascii=True)
    return text if len(text) <= 80 else text[:79] + "…"


def salt_bits(salt: str) -> int:
    """An upper bound on a salt's entropy: 4 bits a hex digit, 6 a base64url character, else 8 a byte."""
    if _HEX.fullmatch(salt):
        return 4 * len(salt)
    if _B64URL.fullmatch(salt):
        return 6 * len(salt)
    return 8 * len(salt.encode("utf-8", "surrogatepass"))


def audit(sd: SdJwt) -> tuple[Finding, ...]:
    """The SD-JWT findings (ids documented in docs/jwt.md, "Audit findings")."""
    found: list[Finding] = []
    if sd.sd_alg_problem:
        found.append(Finding("sd-unknown-alg", "high", "The SD-JWT's _sd_alg is not a known hash algorithm.",
                             f"{sd.sd_alg_problem[0].upper()}{sd.sd_alg_problem[1:]}. A verifier cannot "
                             "match any disclosure and must reject the SD-JWT. Use sha-256 (the default)."))
    elif sd.sd_alg in WEAK_HASHES:
        found.append(Finding("sd-weak-alg", "high", f"The SD-JWT's _sd_alg {sd.sd_alg} is weak.",
                             "Its digests are short or its hash is broken, so a holder may find a second "
                             "disclosure with the same digest and present a claim the issuer never signed "
                             "(RFC 9901 §9.5). Use sha-256 or stronger."))
    invalid = [d for d in sd.disclosures if d.status in ("invalid", "rejected")]
    if invalid:
        said = "; ".join(f"disclosure {d.index}: {d.problem}" for d in invalid[:5])
        found.append(Finding("sd-bad-disclosure", "high", f"{len(invalid)} disclosure(s) cannot be used.",
                             f"{said}{' …' if len(invalid) > 5 else ''}. A verifier must reject an SD-JWT "
                             "with a malformed disclosure, a reserved claim name (_sd, ...), or one that "
                             "would overwrite a claim the issuer wrote in plain (RFC 9901 §7.1)."))
    unmatched = [d for d in sd.disclosures if d.status == "unmatched"]
    if unmatched:
        found.append(Finding("sd-unmatched-disclosure", "high",
                             f"{len(unmatched)} disclosure(s) match no digest in the token.",
                             f"Disclosure(s) {', '.join(str(d.index) for d in unmatched[:20])}: the issuer "
                             "never signed these values (or _sd_alg is not the one used). A verifier must "
                             "reject the SD-JWT (RFC 9901 §7.1); one that ignores them may be fed claims "
                             "nobody issued."))
    repeats = [e for e in sd.errors if "more than once" in e or "repeats disclosure" in e]
    if repeats:
        found.append(Finding("sd-duplicate-digest", "high",
                             "A digest or a disclosure appears more than once.",
                             f"{'; '.join(repeats[:5])}. RFC 9901 §7.1 requires rejecting it: two claims "
                             "from one disclosure, or one disclosure placed twice, let a holder repeat "
                             "a value the issuer meant once."))
    short = [d for d in sd.disclosures if d.salt is not None and salt_bits(d.salt) < MIN_SALT_BITS]
    if short:
        d = short[0]
        found.append(Finding("sd-short-salt", "medium",
                             f"{len(short)} disclosure(s) have a salt under {MIN_SALT_BITS} bits.",
                             f"Disclosure {d.index}'s salt has {len(d.salt or '')} characters, at most "
                             f"{salt_bits(d.salt or '')} bits. With a short salt, a hidden claim can be "
                             "found by hashing guesses of its value (a birth date, a country) against the "
                             "digests (RFC 9901 §9.3). Use 128 random bits (16 bytes, base64url)."))
    if sd.cnf is not None and sd.key_binding is None:
        found.append(Finding("sd-kb-missing", "medium",
                             "The issuer bound the SD-JWT to a holder key (cnf), but no KB-JWT is presented.",
                             "Without a key-binding JWT anyone who copies this SD-JWT can present it. A "
                             "verifier that requires key binding must reject it (RFC 9901 §7.3); a holder "
                             "should append a KB-JWT signed with the cnf key."))
    if sd.key_binding is not None and sd.key_binding.problems:
        found.append(Finding("sd-kb-invalid", "high", "The key-binding JWT is not acceptable.",
                             f"{'; '.join(sd.key_binding.problems[:5])}. A verifier must reject the "
                             "presentation (RFC 9901 §7.3)."))
    if sd.all_disclosed and not sd.sd_alg_problem:
        count = sum(d.status == "matched" for d in sd.disclosures)
        found.append(Finding("sd-no-decoys", "low",
                             f"No decoy digests: all {count} digests in the token are disclosed.",
                             "Decoys cannot be told from undisclosed claims, so they can only be ruled out "
                             "when every digest is disclosed, as here. Without decoys, the number of digests "
                             "tells every verifier how many selectively disclosable claims the credential "
                             "has (RFC 9901 §4.2.5 recommends adding decoy digests)."))
    return tuple(found)


@dataclass(frozen=True)
class KeyBindingCheck:
    """The KB-JWT verified: its signature by the cnf key, and its claims against what the verifier expects."""

    signature_verified: bool
    key_description: str  # the cnf key, as the verifier read it
    audience: Any  # the KB-JWT's aud and nonce as presented, shown beside the expected values
    nonce: Any
    issued: str  # "issued 2 min ago", or why iat does not read
    problems: tuple[str, ...]  # every reason to reject the key binding, in words

    @property
    def valid(self) -> bool:
        """True when the KB-JWT is signed by the cnf key and every check passes."""
        return self.signature_verified and not self.problems


@dataclass(frozen=True)
class SdJwtCheck:
    """What RFC 9901 adds to verifying the issuer JWT: the disclosures and the key binding."""

    reasons: tuple[str, ...]  # every reason a verifier must reject the presentation (§7.1, §7.3)
    key_binding: KeyBindingCheck | None  # None when no KB-JWT is presented

    @property
    def valid(self) -> bool:
        """True when nothing in the disclosures or the key binding must be rejected."""
        return not self.reasons


def check(sd: SdJwt, *, audience: str | None = None, nonce: str | None = None, max_age: int | None = 300,
          leeway: float = 0, now: float) -> SdJwtCheck:
    """Check the disclosures (§7.1) and verify the KB-JWT when there is one (§7.3).

    `audience` and `nonce` are compared only when given (the verifier knows them, this tool does not);
    `max_age` bounds how old the KB-JWT's iat may be (None: any age). The signature is verified by
    verify.py with the issuer's cnf.jwk, exactly as a JWT with a pasted JWK is.
    """
    reasons = list(sd.errors)
    kb = sd.key_binding
    if kb is None:
        return SdJwtCheck(tuple(reasons), None)
    result = _kb_check(sd, kb, audience, nonce, max_age, leeway, now)
    reasons.extend(f"key binding: {problem}" for problem in result.problems)
    if not result.signature_verified and not any("signature" in p for p in result.problems):
        reasons.append("key binding: the KB-JWT signature is not verified")
    return SdJwtCheck(tuple(reasons), result)


def _kb_check(sd: SdJwt, kb: KeyBinding, audience: str | None, nonce: str | None, max_age: int | None,
              leeway: float, now: float) -> KeyBindingCheck:
    from toolbox.core.jwt.claims import duration, is_numeric_date
    from toolbox.core.jwt.model import JwtInputError
    from toolbox.core.jwt.verify import verify

    problems = list(kb.problems)
    payload = kb.payload or {}
    jwk = sd.cnf.get("jwk") if sd.cnf is not None else None
    verified, description = False, "no key"
    if not isinstance(jwk, dict):
        problems.append("the issuer JWT has no cnf.jwk, so the KB-JWT signature cannot be checked "
                        "(a cnf with jkt, x5t#S256 or kid needs the holder's key, which is not in the token)")
    elif jwk.get("kty") == "oct" or "k" in jwk:
        problems.append("cnf.jwk is a symmetric key: it is readable by everyone who sees the token, so a "
                        "KB-JWT signed with it proves nothing (RFC 9901 §4.3 wants the holder's public key)")
    else:
        try:
            result = verify(kb.text, json.dumps(jwk), "jwk", now=now)
            verified, description = result.verified, result.key_description
            if not verified:
                problems.append(f"the KB-JWT signature is not verified with the cnf key: {result.reason}")
        except JwtInputError as err:
            problems.append(f"the cnf key cannot be used: {err}")
    got_aud, got_nonce = payload.get("aud"), payload.get("nonce")
    if audience is not None and got_aud != audience:
        problems.append(f"the KB-JWT aud is {_shown(got_aud)}, expected {_shown(audience)}")
    if nonce is not None and got_nonce != nonce:
        problems.append(f"the KB-JWT nonce is {_shown(got_nonce)}, expected {_shown(nonce)}")
    iat = payload.get("iat")
    issued = "no iat"
    if "iat" in payload and not is_numeric_date(iat):
        problems.append("the KB-JWT iat is not a NumericDate")
        issued = "iat does not read"
    elif is_numeric_date(iat):
        age = now - float(iat)  # type: ignore[arg-type]  # is_numeric_date: a finite number
        issued = f"issued {duration(age)} ago" if age >= 0 else f"issued {duration(-age)} in the future"
        if age < -leeway:
            problems.append(f"the KB-JWT was issued {duration(-age)} in the future")
        elif max_age is not None and age > max_age + leeway:
            problems.append(f"the KB-JWT was issued {duration(age)} ago, more than the {duration(max_age)} "
                            "a presentation may be old")
    return KeyBindingCheck(verified, description, got_aud, got_nonce, issued, tuple(problems))
