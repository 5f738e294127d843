"""Decode whatever was pasted: JWS, unsecured, JWE, nested and damaged tokens, without raising."""

from __future__ import annotations

import dataclasses
import time
from typing import Any

from toolbox.core.jwt import b64, jsontext, sdjwt
from toolbox.core.jwt.audit import audit
from toolbox.core.jwt.claims import describe_claims, token_status
from toolbox.core.jwt.jsontext import DuplicateKey
from toolbox.core.jwt.model import SEVERITY_ORDER, Decoded, Kind, PayloadFormat, Segment, TokenStatus
from toolbox.core.jwt.normalize import normalize

MAX_NESTING = 3  # cty: JWT inside cty: JWT ...; real tokens nest once, hostile ones forever
HEX_LIMIT = 4096  # bytes of a binary payload shown as hex; the rest is counted, not shown
MAX_SEGMENTS = 8  # parts decoded one by one; a string of dots must not become 262144 segments

JWS_NAMES = ("header", "payload", "signature")
JWE_NAMES = ("header", "encrypted_key", "iv", "ciphertext", "tag")


@dataclasses.dataclass
class _Payload:
    """What the payload part turned out to be (mutable while decode() works it out)."""

    format: PayloadFormat = "missing"
    value: Any = None
    text: str | None = None
    hex: str | None = None


def decode(text: str, *, now: float | None = None, leeway: int = 0, max_lifetime: int = 86400) -> Decoded:
    """Decode a pasted token; damaged input gives errors in words, only TokenTooLong is raised."""
    token, notes = normalize(text)
    clock = time.time() if now is None else now
    if "~" in token:
        return _decode_sd_jwt(token, notes, clock, leeway, max_lifetime)
    decoded = _decode(token, notes, clock, leeway, max_lifetime, depth=0)
    if sdjwt.json_serialization(token):  # said, not read: only the compact form is
        said = ("this looks like an SD-JWT in the JSON serialization (RFC 9901 §8), which is not read here: "
                "paste the compact form, <issuer JWT>~<disclosure>~…~")
        return dataclasses.replace(decoded, errors=(said, *decoded.errors))
    return decoded


def _decode_sd_jwt(token: str, notes: tuple[str, ...], now: float, leeway: int, max_lifetime: int) -> Decoded:
    """An SD-JWT (RFC 9901): the issuer-signed JWT decoded and audited as any JWT, then its disclosures.

    `header`, `payload` and the segments stay the issuer JWT's as signed; the claims table, the time
    status and the sensitive-claim audit (plain claims only) follow; the claims are the rebuilt ones.
    """
    issuer = _decode(token.split("~", 1)[0], notes, now, leeway, max_lifetime, depth=0)
    sd = sdjwt.read(token, issuer.header, issuer.payload)
    claims = sd.claims if isinstance(sd.claims, dict) else None
    findings = sorted(issuer.findings + sd.findings, key=lambda f: SEVERITY_ORDER[f.severity])
    return dataclasses.replace(
        issuer, token=token, kind="sd-jwt", sd_jwt=sd, errors=issuer.errors + sd.errors,
        claims=describe_claims(claims, now, leeway) if claims is not None else issuer.claims,
        status=token_status(claims, now, leeway) if claims is not None else issuer.status,
        findings=tuple(findings))


def _decode(
    token: str, notes: tuple[str, ...], now: float, leeway: int, max_lifetime: int, depth: int
) -> Decoded:
    """decode() after normalisation; `depth` counts how far inside cty: JWT tokens we are."""
    if not token:
        return Decoded(token, notes, "unknown", (), None, None, None, None, "missing", "",
                       ("there is no token: the input is empty",), (),
                       TokenStatus("unknown", _no_claims("missing"), int(now), leeway), ())
    errors: list[str] = []
    duplicates: list[tuple[str, DuplicateKey]] = []
    count = token.count(".") + 1
    parts = token.split(".", MAX_SEGMENTS - 1)
    starts = [0]
    for part in parts[:-1]:
        starts.append(starts[-1] + len(part) + 1)

    header_seg = _segment("header", parts[0], 0)
    header = _read_header(header_seg, errors, duplicates)
    jwe = count == 5 or (count != 3 and header is not None and "enc" in header)
    names = JWE_NAMES if jwe else JWS_NAMES
    raw_payload = header is not None and header.get("b64") is False and not jwe  # RFC 7797
    segments = [header_seg]
    for i in range(1, len(parts)):
        name = names[i] if i < len(names) else f"part {i + 1}"
        if i == MAX_SEGMENTS - 1 and count > MAX_SEGMENTS:
            rest = f"not decoded: a token has at most 5 parts and this has {count}"
            segments.append(Segment(f"parts {i + 1} to {count}", parts[i], starts[i], None, rest))
        elif i == 1 and raw_payload:
            raw = parts[i].encode("utf-8", "surrogatepass")  # the payload as is, not base64url
            segments.append(Segment(name, parts[i], starts[i], raw, None))
        else:
            segments.append(_segment(name, parts[i], starts[i]))
    errors.extend(f"{seg.name}: {seg.error}" for seg in segments[1:MAX_SEGMENTS - 1] if seg.error)
    if count not in (3, 5):
        errors.insert(0, _count_error(count, jwe))

    alg = header.get("alg") if header is not None else None
    unsecured = isinstance(alg, str) and alg.lower() == "none"
    kind: Kind = "unknown"
    if count == 5:
        kind = "jwe"
    elif count == 3:
        kind = "unsecured" if unsecured else "jws"
    if count == 5 and header is not None and "enc" not in header:
        errors.append("header: a 5-part token is a JWE, but the header has no 'enc'")

    payload = _Payload()
    if jwe:
        payload.format = "encrypted"
    elif len(segments) > 1 and segments[1].data is not None:
        payload = _read_payload(segments[1].data, errors, duplicates)

    signature = parts[2] if count == 3 else ""
    if count == 3 and not signature and not unsecured:
        errors.append("signature: empty (the token was cut off, or its signature was stripped)")
    if unsecured and signature:
        errors.append("signature: present although alg is none; no verifier should use it")

    nested = None
    cty = header.get("cty") if header is not None else None
    if isinstance(cty, str) and cty.lower() in ("jwt", "application/jwt") and not jwe:
        nested = _nested(payload, now, leeway, max_lifetime, depth, errors)

    if payload.format == "json":
        status = token_status(payload.value, now, leeway)
    else:
        status = TokenStatus("unknown", _no_claims(payload.format), int(now), leeway)
    decoded = Decoded(
        token=token, notes=notes, kind=kind, segments=tuple(segments), header=header, payload=payload.value,
        payload_text=payload.text, payload_hex=payload.hex, payload_format=payload.format,
        signature=signature, errors=tuple(errors),
        claims=describe_claims(payload.value, now, leeway) if payload.format == "json" else (),
        status=status, findings=(), nested=nested,
    )
    findings = audit(decoded, now=now, leeway=leeway, max_lifetime=max_lifetime, duplicates=duplicates)
    return dataclasses.replace(decoded, findings=findings)


def _segment(name: str, text: str, start: int) -> Segment:
    """Decode one base64url part; positions in the error count from the start of the token."""
    result = b64.decode(text, offset=start)
    return Segment(name, text, start, result.data, result.error)


def _read_header(
    seg: Segment, errors: list[str], duplicates: list[tuple[str, DuplicateKey]]
) -> dict[str, Any] | None:
    """The header as a JSON object, or None with the reason added to `errors`."""
    if seg.data is None:
        errors.append(f"header: {seg.error}")
        return None
    if not seg.data:
        errors.append("header is empty")
        return None
    try:
        text = seg.data.decode("utf-8")
    except UnicodeDecodeError as err:
        errors.append(f"header is not UTF-8 at byte {err.start + 1}")
        return None
    parsed = jsontext.parse(text)
    if parsed.error is not None:
        errors.append(f"header is not JSON: {parsed.error}")
        return None
    if not isinstance(parsed.value, dict):
        errors.append(f"header is not a JSON object: it is a JSON {jsontext.type_name(parsed.value)}")
        return None
    duplicates.extend(("header", dup) for dup in parsed.duplicates)
    return parsed.value


def _read_payload(data: bytes, errors: list[str], duplicates: list[tuple[str, DuplicateKey]]) -> _Payload:
    """Classify the payload bytes as JSON, text or binary."""
    if not data:
        errors.append("payload: empty (a detached payload, RFC 7515 Appendix F, or a truncated token)")
        return _Payload()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        if data[:1] in (b"{", b"["):
            errors.append(f"payload is not UTF-8 at byte {err.start + 1}, so it is shown as hex")
        if len(data) > HEX_LIMIT:
            errors.append(f"payload: binary, {len(data)} bytes; only the first {HEX_LIMIT} are shown as hex")
        return _Payload("binary", hex=data[:HEX_LIMIT].hex())
    parsed = jsontext.parse(text)
    if parsed.error is not None:
        if text.lstrip()[:1] in ("{", "["):  # meant to be JSON; plain text payloads are legitimate JWS
            errors.append(f"payload is not JSON: {parsed.error}")
        return _Payload("text", text=text)
    duplicates.extend(("payload", dup) for dup in parsed.duplicates)
    return _Payload("json", parsed.value, text)


def _nested(payload: _Payload, now: float, leeway: int, max_lifetime: int, depth: int,
            errors: list[str]) -> Decoded | None:
    """The inner token of a cty: JWT token, when the payload is one and the depth allows."""
    inner = payload.text.strip() if payload.format == "text" and payload.text else ""
    if inner.count(".") not in (2, 4):
        if payload.format != "missing":
            errors.append("payload: the header says cty JWT, but the payload is not a token")
        return None
    if depth + 1 > MAX_NESTING:
        errors.append(f"payload: tokens nested deeper than {MAX_NESTING} levels are not decoded")
        return None
    token, notes = normalize(inner)
    return _decode(token, notes, now, leeway, max_lifetime, depth + 1)


def _count_error(count: int, jwe: bool) -> str:
    """Explain a wrong number of dot-separated parts."""
    if jwe:
        return f"a JWE has 5 parts separated by dots; this has {count}"
    reason = {
        1: "no dots: the payload and signature parts are missing",
        2: "the signature part is missing",
        4: "one more than a JWS, one fewer than a JWE, which has 5",
    }.get(count, "a JWE has 5")
    return f"a JWS has 3 parts separated by dots; this has {count} ({reason})"


def _no_claims(fmt: PayloadFormat) -> str:
    """Why there are no time claims to judge."""
    return {
        "encrypted": "the payload is encrypted, so its time claims cannot be read",
        "missing": "there is no readable payload, so there are no time claims",
        "text": "the payload is text, not JSON, so it has no time claims",
        "binary": "the payload is binary, not JSON, so it has no time claims",
    }.get(fmt, "the payload has no time claims")
