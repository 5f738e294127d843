"""The JWT tool's pages: decode live as you type, verify, encode, and generate test keys."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import re
import time
from dataclasses import dataclass
from typing import Any, TypeVar

import msgspec
from flask import Blueprint, Response, current_app, render_template, request
from markupsafe import Markup

from toolbox import settings_of
from toolbox.core.jwt import b64
from toolbox.core.jwt.audit import WELL_KNOWN_KEY_TITLE
from toolbox.core.jwt.claims import duration
from toolbox.core.jwt.model import SEVERITY_ORDER, Finding, GeneratedKey
from toolbox.core.jwt.options import (
    ALGORITHMS,
    SIGN_KEY_TYPES,
    VERIFY_KEY_TYPES,
    Algorithm,
    DecryptKeyType,
    KeyKind,
    SignKeyType,
    VerifyKeyType,
)
from toolbox.core.jwt.remote_keys import KeySetCache
from toolbox.core.jwt.samples import sample
from toolbox.core.jwt.verify_claims import NO_EXPECTED_AUDIENCE, show
from toolbox.ops import OPERATIONS, Context, OpError, choices
from toolbox.ops.jwt import (
    MAX_LEEWAY,
    DecodeRequest,
    DecodeResult,
    EncodeRequest,
    EncodeResult,
    KeysRequest,
    NotAToken,
    VerifyRequest,
    VerifyResult,
    default_of,
    verify_with_cache,
)
from toolbox.ops.jwt_decrypt import DecryptRequest, DecryptResult
from toolbox.web.errors import keeps_input, status_of
from toolbox.web.forms import FormError, int_field, text_field
from toolbox.web.htmx import is_htmx
from toolbox.web.ratelimit import count_fetch
from toolbox.web.render import render_tool, run_op

jwt_bp = Blueprint("jwt", __name__, url_prefix="/jwt")
# One cache of fetched key sets per app (never user input: core/jwt/remote_keys.KeySetCache).
jwt_bp.record_once(lambda state: state.app.extensions.setdefault("toolbox.jwt_keysets", KeySetCache()))

MAX_FIELD = 256 * 1024
MAX_KB_AGE = 10 * 365 * 86400  # the API's own bound on kb_max_age
MAX_CLAIM_ROWS = 200  # rows in the claims table; a payload of 20 000 members is still shown in full above
DEFAULT_ALG: Algorithm = "HS256"
SAMPLE_HEADER = '{\n  "typ": "JWT"\n}'
SAMPLE_PAYLOAD = '{\n  "sub": "1234567890",\n  "name": "Ada Lovelace",\n  "iat": "now",\n  "exp": "+15m"\n}'
T = TypeVar("T")


# The labels the page shows: messages name fields as the user sees them.
LABELS = {"token": "Token", "key": "Key", "key_type": "Key type", "audience": "Expected audience",  # nosec B105  # labels, not passwords
          "issuer": "Expected issuer", "subject": "Expected subject", "require": "Required claims",
          "leeway": "Leeway", "header": "Header", "payload": "Payload", "alg": "Algorithm",
          "kind": "Key to generate", "generated": "Generated key", "kb_audience": "Key binding audience",
          "kb_nonce": "Key binding nonce", "kb_max_age": "Key binding max age"}


@dataclass(frozen=True)
class JwtForm:
    """The decode/verify form as submitted (echoed back into the page, never stored)."""

    token: str = ""
    key: str = ""
    key_type: VerifyKeyType = default_of(VerifyRequest, "key_type")
    audience: str = ""
    issuer: str = ""
    subject: str = ""
    require: str = ""
    leeway: int = 0
    kb_audience: str = ""  # SD-JWT key binding: what the KB-JWT must carry (not checked when empty)
    kb_nonce: str = ""
    kb_max_age: int = default_of(VerifyRequest, "kb_max_age")

    def decode_request(self) -> DecodeRequest:
        """The jwt/decode request these fields ask for."""
        return DecodeRequest(token=self.token, leeway=self.leeway)

    def verify_request(self) -> VerifyRequest:
        """The jwt/verify request these fields ask for (lists are typed space- or comma-separated)."""
        return VerifyRequest(token=self.token, key=self.key, key_type=self.key_type,
                             audience=split_list(self.audience) or None, issuer=self.issuer or None,
                             subject=self.subject or None, leeway=self.leeway,
                             require=split_list(self.require), kb_audience=self.kb_audience or None,
                             kb_nonce=self.kb_nonce or None, kb_max_age=self.kb_max_age)


@dataclass(frozen=True)
class Verdict:
    """The line a result opens with: a word, its tone (ok, bad, warn), a detail, and the reasons when
    there are several (one reason is the detail itself: nothing is said twice)."""

    word: str
    tone: str
    detail: str = ""
    reasons: tuple[str, ...] = ()
    status: str = ""  # the few words a screen reader hears ("Rejected: audience mismatch")
    fix_audience: str = ""  # the token's audience, offered as a one-click "Check audience" button


def read_jwt_form() -> JwtForm:
    """Validate the decode/verify form fields; FormError (400) says which field is wrong."""
    return JwtForm(
        token=text_field("token", max_length=MAX_FIELD),
        key=text_field("key", max_length=MAX_FIELD),
        key_type=choice_field("key_type", choices(VerifyKeyType), JwtForm.key_type, "key types"),
        audience=text_field("audience", max_length=2048).strip(),
        issuer=text_field("issuer", max_length=2048).strip(),
        subject=text_field("subject", max_length=2048).strip(),
        require=text_field("require", max_length=2048).strip(),
        leeway=int_field("leeway", default=0, low=0, high=MAX_LEEWAY),
        kb_audience=text_field("kb_audience", max_length=2048).strip(),
        kb_nonce=text_field("kb_nonce", max_length=2048).strip(),
        kb_max_age=int_field("kb_max_age", default=JwtForm.kb_max_age, low=0, high=MAX_KB_AGE),
    )


def with_chosen_audience(form: JwtForm) -> JwtForm:
    """The "Check audience" button posts the token's audience as `use_audience` (a second field named
    `audience` would be ambiguous): it fills Expected audience, with or without JavaScript."""
    chosen = text_field("use_audience", max_length=2048).strip()
    return dataclasses.replace(form, audience=chosen) if chosen else form


def choice_field(name: str, options: tuple[T, ...], default: str, what: str) -> T:
    """One of an operation's choices (absent -> `default`); anything else is a FormError."""
    value = text_field(name, default=default, max_length=32)
    for option in options:
        if value == option:
            return option
    raise FormError(name, f"choose one of the listed {what}")


def labelled(err: FormError) -> str:
    """A form error named by the field's label on the page ("Expected audience: at most 2048 characters.")."""
    generic = err.field.replace("_", " ").capitalize() + ": "
    text = str(err)
    return LABELS.get(err.field, generic[:-2]) + ": " + text.removeprefix(generic)


def split_list(text: str) -> tuple[str, ...]:
    """'exp, iat  sub' -> ('exp', 'iat', 'sub')."""
    return tuple(part for part in text.replace(",", " ").split() if part)


def explicit_action() -> bool:
    """Whether the user asked for this request: a form submit (JavaScript off, or the button with
    htmx, which sends the button's name), not the live decode that runs while they type."""
    return not is_htmx() or request.form.get("action") == "verify" or bool(request.form.get("use_audience"))


def short_reason(text: str) -> str:
    """The head of a reason, for a status line: "audience mismatch: expected ..." -> "audience mismatch"."""
    head = re.split(r"[:;,(]", text, maxsplit=1)[0].strip()
    return head if len(head) <= 80 else head[:77] + "..."


def keysets() -> KeySetCache:
    """This app's cache of key sets fetched in the last minute (created with the blueprint)."""
    cache: KeySetCache = current_app.extensions["toolbox.jwt_keysets"]
    return cache


def decode_for_page(form: JwtForm) -> tuple[DecodeResult | None, str | None, int]:
    """(what decoded, a problem to show, status): a token of which nothing decodes is still shown."""
    context = Context(settings_of(current_app), before_fetch=count_fetch)
    try:
        return OPERATIONS["jwt/decode"].run(form.decode_request(), context), None, 200
    except NotAToken as err:
        return err.decoded, None, status_of(err)
    except OpError as err:
        return None, err.message, status_of(err)


def verify_for_page(form: JwtForm) -> tuple[VerifyResult | None, str | None, int]:
    """(verification or None when a key set waits for an explicit action, a problem, status).

    A key set fetched in the last minute is reused while other fields change; a URL not fetched yet
    is fetched only on an explicit action (the button, or a plain submit).
    """
    context = Context(settings_of(current_app), before_fetch=count_fetch)
    try:
        result = verify_with_cache(form.verify_request(), context, keysets(), may_fetch=explicit_action())
        return result, None, 200
    except OpError as err:
        return None, err.message, status_of(err)


NOT_A_JWT = Verdict("This is not a JWT", "bad", "a JWT is three (JWS) or five (JWE) base64url parts "
                    "separated by dots", status="Not a JWT")


def verdict_of(decoded: DecodeResult | None, verification: VerifyResult | None, waiting: str,
               problem: str | None, form: JwtForm) -> Verdict | None:
    """Verified (PyJWT's verdict), Rejected with every reason, or decoded and not verified; never "valid".

    Without a key, a token anyone can forge (unsigned, or signed with a well-known secret) says so first.
    """
    if decoded is None:
        return None
    if not decoded.header:
        if len(decoded.segments) not in (3, 5):  # "hello world": not a damaged token, not a token at all
            return NOT_A_JWT
        reason = short_reason(decoded.errors[0]) if decoded.errors else ""
        return Verdict("Does not decode", "bad", reason, status=f"Does not decode: {reason}")
    if verification is not None:
        return _verification_verdict(decoded, verification, form)
    if decoded.kind == "unsecured":
        return Verdict("Unsigned", "bad", "anyone can forge this token (its alg is none)",
                       status="Unsigned: anyone can forge this token")
    weak = next((f for f in decoded.findings if f.id == "weak-secret"), None)
    if weak is not None:
        known = weak.title.removeprefix(WELL_KNOWN_KEY_TITLE).removesuffix(".")  # quoted by the audit
        said = "an empty secret" if known == "the empty string" else f"the publicly known secret {known}"
        return Verdict("Forgeable", "bad", f"signed with {said}: anyone can forge this token",
                       status=f"Forgeable: signed with {said}")
    if waiting:
        return Verdict("Decoded, not verified", "warn", "press Verify to fetch the key set")
    if problem:
        return Verdict("Decoded, not verified", "warn", "the key could not be used (see below)")
    return Verdict("Decoded, not verified", "warn", "add a key to check the signature and claims")


def _verification_verdict(decoded: DecodeResult, verification: VerifyResult, form: JwtForm) -> Verdict:
    sd = verification.sd_jwt  # an SD-JWT: its disclosures and key binding must pass too (RFC 9901 §7)
    if verification.verified and verification.claims_valid and (sd is None or sd.valid):
        kb = " and the key binding" if sd is not None and sd.key_binding else ""
        said = "the signature and every claim check pass" if sd is None else (
            f"the issuer's signature, the claims, the disclosures{kb} pass")
        return Verdict("Verified", "ok", f"{verification.alg} · {said}")
    reasons: list[str] = []
    if not verification.verified:
        why = verification.reason or "rejected"
        damaged = why.startswith("the signature part is damaged")  # says "signature" itself, plainly
        reasons.append(why[0].upper() + why[1:] if damaged else f"Signature not verified: {why}")
    fix = ""
    for error in () if verification.claims_valid else verification.claim_errors:
        if NO_EXPECTED_AUDIENCE in error and not form.audience:
            aud = decoded.payload.get("aud") if isinstance(decoded.payload, dict) else None
            valid = " — the signature itself is valid" if verification.verified else ""
            reasons.append(f"the token is for audience {show(aud)} and Expected audience is empty{valid}")
            fix = _one_audience(aud)
        else:
            reasons.append(error)
    reasons.extend(sd.reasons if sd is not None else ())
    first = reasons[0].removeprefix("Signature not verified: ")
    status = "Expected audience is empty" if fix and verification.verified else short_reason(first)
    if len(reasons) == 1:
        return Verdict("Rejected", "bad", reasons[0], status=f"Rejected: {status}", fix_audience=fix)
    return Verdict("Rejected", "bad", f"{len(reasons)} reasons", tuple(reasons), status=f"Rejected: {status}",
                   fix_audience=fix)


def _one_audience(aud: Any) -> str:
    """The audience a "Check audience" button can fill in: one string the field reads back as typed."""
    values = [aud] if isinstance(aud, str) else aud if isinstance(aud, list) else []
    fits = [v for v in values if isinstance(v, str) and v and split_list(v) == (v,) and len(v) <= 2048]
    return fits[0] if fits else ""


def status_line(verdict: Verdict | None, decoded: DecodeResult | None, verification: VerifyResult | None,
                findings: int, problem: str | None) -> str:
    """The short line a screen reader hears after each result: "Verified: RS256, 0 findings"."""
    plural = f"{findings} finding{'s' * (findings != 1)}"
    if verdict is None:
        return f"Error: {short_reason(problem)}" if problem else ""
    if verdict.word == "Verified" and verification is not None:
        return f"Verified: {verification.alg}, {plural}"
    if verdict.word in ("Unsigned", "Forgeable"):
        return f"{verdict.status}, {plural}"
    if verdict.status:
        return verdict.status
    return f"Decoded: {decoded.kind.upper() if decoded else ''}, {plural}"


def risky(findings: list[Finding]) -> str:
    """Critical and high findings summarised beside the verdict, in the Audit list's severity words
    ("1 critical and 2 high findings: ...")."""
    worst = [f for f in findings if f.severity in ("critical", "high")]
    if not worst:
        return ""
    counts = [(sum(f.severity == s for f in worst), s) for s in ("critical", "high")]
    said = " and ".join(f"{n} {s}" for n, s in counts if n)
    titles = "; ".join(f.title for f in worst[:3]) + ("; ..." if len(worst) > 3 else "")
    return f"{said} finding{'s' * (len(worst) != 1)}: {titles}"


def decrypt_for_page(form: JwtForm) -> tuple[DecryptResult | None, str | None, int]:
    """(the decrypted JWE, or None with the problem in words, status): jwt/decrypt with the form's key."""
    key_type: DecryptKeyType = next((t for t in choices(DecryptKeyType) if t == form.key_type), "auto")
    outcome = run_op("jwt/decrypt", DecryptRequest(token=form.token, key=form.key, key_type=key_type,
                                                   leeway=form.leeway))
    return outcome.result, outcome.problem, outcome.status


def decrypted_findings(decrypted: DecryptResult) -> list[Finding]:
    """The audit list once a JWE is decrypted: the encryption's findings, then the inner token's own."""
    inner = decrypted.inner.findings if decrypted.inner else ()
    return sorted(decrypted.findings + inner, key=lambda f: SEVERITY_ORDER[f.severity])


def decrypt_verdict(decrypted: DecryptResult | None, problem: str | None) -> Verdict:
    """Decrypted (what it carries, in one line), or Not decrypted with the reason."""
    if decrypted is None:
        reason = problem or "the key could not be used"  # said once, in the box below the verdict
        return Verdict("Not decrypted", "bad", "the key could not be used (see below)",
                       status=f"Not decrypted: {short_reason(reason)}")
    algs = f"{decrypted.header.get('alg')} + {decrypted.header.get('enc')}"
    inner = decrypted.inner
    if inner is not None and inner.kind == "unsecured":
        return Verdict("Decrypted", "bad", f"{algs} · the token inside is unsigned (alg none): anyone can "
                       "forge it", status="Decrypted: the token inside is unsigned")
    if inner is not None:
        alg = inner.header.get("alg") if inner.header else None
        return Verdict("Decrypted", "warn", f"{algs} · carries a {alg} token: verify it with its signer's "
                       "key (below)", status=f"Decrypted: {algs}, an inner {alg} token")
    return Verdict("Decrypted", "ok", f"{algs} · {decrypted.format} plaintext, {decrypted.size} bytes",
                   status=f"Decrypted: {algs}")


@jwt_bp.route("/", methods=["GET", "POST"])
def index() -> Response:
    """Decode and verify: GET shows the form (or a sample), POST (form or htmx) shows the result."""
    if request.method == "GET":
        chosen = sample(request.args.get("sample", "")[:32])
        if chosen is None:  # no sample, or an unknown name: the empty page
            return render_tool("jwt/index.html", "jwt/_result.html", form=JwtForm(), **_choices())
        form = JwtForm(token=chosen.token, key=chosen.key, audience=chosen.audience, issuer=chosen.issuer,
                       kb_audience=chosen.kb_audience, kb_nonce=chosen.kb_nonce)
        return _result_page(form, sample_note=chosen.description)
    try:
        form = with_chosen_audience(read_jwt_form())
    except FormError as err:  # said with the field's label; what was typed stays in the form
        return render_tool("jwt/index.html", "jwt/_result.html", status=400, form=_echo(JwtForm()),
                           input_error=labelled(err), data_status=f"Error: {labelled(err)}", **_choices())
    return _result_page(form)


def _result_page(form: JwtForm, sample_note: str = "") -> Response:
    decoded, problem, status = decode_for_page(form) if form.token.strip() else (None, None, 200)
    verification: VerifyResult | None = None
    waiting = ""  # a key set that will be fetched on an explicit action, not while typing
    jwe = decoded is not None and decoded.kind == "jwe"  # a key decrypts it (Decrypt) instead of verifying
    decrypted: DecryptResult | None = None
    if jwe and status == 200 and form.key.strip():
        decrypted, problem, status = decrypt_for_page(form)
    elif decoded is not None and status == 200 and form.key.strip():
        verification, problem, status = verify_for_page(form)
        if verification is None and problem is None:
            waiting = "Press Verify to fetch the key set from this URL (it is never fetched while you type)."
    findings = sorted((decoded.findings if decoded else ()) + (verification.findings if verification else ()),
                      key=lambda f: SEVERITY_ORDER[f.severity])
    verdict = verdict_of(decoded, verification, waiting, problem, form)
    if jwe and form.key.strip():
        findings = decrypted_findings(decrypted) if decrypted else findings
        verdict = decrypt_verdict(decrypted, problem)
    elif jwe and verdict is not None and verdict.word == "Decoded, not verified":
        verdict = Verdict("Encrypted", "warn", "add the recipient's private key, the shared secret or the "
                          "password to decrypt it", status="Encrypted: add a key to decrypt it")
    return render_tool(
        "jwt/index.html", "jwt/_result.html", status=status, form=form, decoded=decoded,
        verification=verification, input_error=problem, server_now=decoded.status.now if decoded else None,
        waiting=waiting, verdict=verdict, risky=risky(findings), sample_note=sample_note,
        data_status=status_line(verdict, decoded, verification, len(findings), problem),
        relabel=is_htmx() and request.method == "POST",  # the button says Decode or Verify
        refill_audience=is_htmx() and bool(request.form.get("use_audience")),  # "Check audience" filled it
        key_source=verification.key_source if verification else None, all_findings=findings, **_choices(),
        decrypted=decrypted, jwe=jwe,
    )


@dataclass(frozen=True)
class EncodeForm:
    """The sign form as submitted, and a generated key it carries along (never stored)."""

    header: str = SAMPLE_HEADER
    payload: str = SAMPLE_PAYLOAD
    alg: Algorithm = DEFAULT_ALG
    key: str = ""
    key_type: SignKeyType = default_of(EncodeRequest, "key_type")
    kind: KeyKind = "RSA-2048"
    generated: GeneratedKey | None = None
    original: str = ""  # edit and re-sign: the token this one is made from (changes are listed)


def read_encode_form() -> EncodeForm:
    """The sign form's fields (absent ones keep their defaults); FormError says which is wrong."""
    return EncodeForm(
        header=text_field("header", default=SAMPLE_HEADER, max_length=MAX_FIELD),
        payload=text_field("payload", default=SAMPLE_PAYLOAD, max_length=MAX_FIELD),
        alg=choice_field("alg", choices(Algorithm), DEFAULT_ALG, "algorithms"),
        key=text_field("key", max_length=MAX_FIELD),
        key_type=choice_field("key_type", choices(SignKeyType), EncodeForm.key_type, "key types"),
        kind=choice_field("kind", choices(KeyKind), EncodeForm.kind, "key kinds"),
        generated=_generated_field(),
        original=text_field("original", max_length=MAX_FIELD),
    )


def _generated_field() -> GeneratedKey | None:
    """The key pair generated earlier on this page, carried in the form so Sign does not lose it."""
    text = text_field("generated", max_length=MAX_FIELD)
    if not text:
        return None
    try:
        return msgspec.json.decode(text, type=GeneratedKey)
    except (msgspec.ValidationError, msgspec.DecodeError):
        raise FormError("generated", "not a key generated by this page") from None


@jwt_bp.route("/encode", methods=["GET", "POST"])
def encode_page() -> Response:
    """Build and sign a token; "Use this key" puts a generated key into the form (no JavaScript needed)."""
    if request.method == "GET":
        chosen = sample(request.args.get("sample", "")[:32])
        if chosen is None:
            return _encode_view(EncodeForm())
        form = EncodeForm(header=_pretty(chosen.header), payload=_pretty(chosen.payload), alg=chosen.alg,  # type: ignore[arg-type]
                          key=chosen.signing_key)
        return _encode_view(form, *_sign(form), note=chosen.description.split(":")[0] + ", signed with "
                            "its sample key.")
    if "token" in request.form:  # "Edit and re-sign" on the decode page posted its form here
        return _edit_view()
    try:
        form = read_encode_form()
    except FormError as err:
        return _encode_view(_echo(EncodeForm()), error=labelled(err), status=400)
    if request.form.get("action") == "use-key" and form.generated is not None:
        generated = form.generated
        use = EncodeForm(header=form.header, payload=form.payload, alg=generated.algorithm,  # type: ignore[arg-type]
                         key=generated.secret or generated.private_pem or "",
                         key_type="secret-base64url" if generated.secret else "pem", kind=form.kind,
                         generated=generated, original=form.original)
        response = _encode_view(use, note=f"The generated {generated.kind} key is in the Signing key field, "
                                          f"with {generated.algorithm} selected.", whole=True)
        if is_htmx():  # the key goes into the form: swap the whole workspace, not only the result
            response.headers["HX-Retarget"] = "#encode-workspace"
            response.headers["HX-Reswap"] = "outerHTML"
        return response
    return _encode_view(form, *_sign(form))


def _edit_view() -> Response:
    """The sign form filled from a decoded token: its header (without alg) and payload to edit, its alg,
    and its HMAC secret when the decode page had one (an asymmetric token needs its private key, which
    the decode page never has). The token is kept as `original`, so Sign lists what changed."""
    from toolbox.core.jwt.changes import original_of
    from toolbox.core.jwt.model import JwtInputError

    try:
        token = text_field("token", max_length=MAX_FIELD)
        key = text_field("key", max_length=MAX_FIELD)
    except FormError as err:
        return _encode_view(EncodeForm(), error=labelled(err), status=400)
    try:
        original = original_of(token)
    except JwtInputError as err:
        return _encode_view(EncodeForm(), error=f"Cannot edit this token: {err}.", status=422)
    alg = original.header.get("alg")
    signable = next((a for a in ALGORITHMS if a == alg), None)
    secret = key if signable and signable.startswith("HS") and "://" not in key else ""
    form = EncodeForm(header=_pretty({k: v for k, v in original.header.items() if k != "alg"}),
                      payload=_pretty(original.payload), alg=signable or DEFAULT_ALG, key=secret,
                      original=original_token(token))
    carried = "its header, payload and HMAC secret are" if secret else "its header and payload are"
    sign_with = "" if signable else f" Its alg {json.dumps(alg)} cannot sign here: {DEFAULT_ALG} is selected."
    return _encode_view(form, note=f"Editing the decoded token: {carried} below.{sign_with} Edit them (times "
                                   "such as \"+15m\" work) and Sign: the new token lists what changed.")


def original_token(text: str) -> str:
    """The token as the decoder normalised it (prefixes, quotes and whitespace removed)."""
    from toolbox.core.jwt.decode import decode

    return decode(text).token


def _sign(form: EncodeForm) -> tuple[EncodeResult | None, str | None, int]:
    try:
        header = _json_object(form.header or "{}", "header")
        payload = _json_object(form.payload or "{}", "payload")
    except ValueError as err:
        return None, str(err), 422
    outcome = run_op("jwt/encode", EncodeRequest(header=header, payload=payload, alg=form.alg, key=form.key,
                                                 key_type=form.key_type, original=form.original))
    return outcome.result, outcome.problem, outcome.status


def _encode_view(form: EncodeForm, signed: EncodeResult | None = None, error: str | None = None,
                 status: int = 200, *, note: str = "", whole: bool = False) -> Response:
    partial = "jwt/_encode_workspace.html" if whole else "jwt/_encoded.html"
    generated_json = msgspec.json.encode(form.generated).decode() if form.generated else ""
    if error:
        data_status = f"Cannot sign: {short_reason(error)}"
    elif signed:
        verdict = signed_verdict(signed, form.alg)
        data_status = f"{verdict.word}: {verdict.detail}"
    else:
        data_status = f"Generated: {form.generated.kind}" if form.generated else ""
    return render_tool("jwt/encode.html", partial, status=status, form=form, signed=signed, error=error,
                       verdict=signed_verdict(signed, form.alg) if signed else None,
                       generated=form.generated, generated_json=generated_json, note=note,
                       data_status=data_status, **_choices())


def signed_verdict(signed: EncodeResult, alg: str, now: float | None = None) -> Verdict:
    """The line a sign result opens with: "Signed: HS256 · 1 h until exp" (the times as signed)."""
    if alg == "none":
        return Verdict("Unsigned", "warn", "alg none: anyone can forge it; for testing rejection only")
    exp = _signed_claims(signed.token).get("exp")
    if isinstance(exp, bool) or not isinstance(exp, int | float):
        return Verdict("Signed", "ok", f"{alg} · no exp: it never expires")
    # Whole seconds, rounded up: "+1h" signed a moment ago is "1 h", not "59 min".
    try:
        left = math.ceil(exp - (time.time() if now is None else now))
    except (OverflowError, ValueError):  # an exp of 10**400 or Infinity: signed as written
        return Verdict("Signed", "ok", f"{alg} · exp is beyond any calendar")
    when = f"{duration(left)} until exp" if left >= 1 else f"expired {duration(left)} ago" if left <= -1 \
        else "expires now"
    return Verdict("Signed", "ok", f"{alg} · {when}")


def _signed_claims(token: str) -> dict[str, Any]:
    """The payload of a token this server just signed (a JSON object), or {} if it is not one."""
    parts = token.split(".")
    data = b64.decode(parts[1]).data if len(parts) == 3 else None
    try:
        claims = json.loads(data) if data else None
    except ValueError:
        claims = None
    return claims if isinstance(claims, dict) else {}


@jwt_bp.post("/keys")
def keys() -> Response:
    """Generate a test key pair (or HMAC secret), shown with the sign form whose fields are kept."""
    try:
        form = read_encode_form()
        kind: KeyKind = choice_field("kind", choices(KeyKind), "", "key kinds")  # no default: say which
    except FormError as err:
        return _encode_view(_echo(EncodeForm()), error=labelled(err), status=422)
    outcome = run_op("jwt/keys", KeysRequest(kind=kind))
    if outcome.result is None:
        return _encode_view(form, error=outcome.problem or "The key could not be generated.",
                            status=outcome.status)
    return _encode_view(dataclasses.replace(form, kind=kind, generated=outcome.result))


F = TypeVar("F", JwtForm, EncodeForm)


def _echo(empty: F) -> F:
    """The text fields as typed (a refused form is shown again, not emptied); choices keep defaults."""
    typed: dict[str, Any] = {field.name: request.form.get(field.name, "").replace("\x00", "")[:MAX_FIELD]
             for field in dataclasses.fields(empty) if isinstance(getattr(empty, field.name), str)
             and field.name not in ("key_type", "alg", "kind")}
    return dataclasses.replace(empty, **typed)


@keeps_input("jwt.index")
def _index_with_error(box: Markup) -> str:
    """The decode page as posted, with an error (a spent rate limit, ...) where the result goes."""
    return render_template("jwt/index.html", form=_echo(JwtForm()), error_box=box, **_choices())


@keeps_input("jwt.encode_page")
@keeps_input("jwt.keys")
def _encode_with_error(box: Markup) -> str:
    """The sign page as posted, with an error where the result goes (and a generated key kept)."""
    if "token" in request.form:  # "Edit and re-sign" from the decode page: its form comes back there
        return _index_with_error(box)
    form = _echo(EncodeForm())
    with contextlib.suppress(FormError):  # a damaged generated key is dropped, the rest is shown again
        form = dataclasses.replace(form, generated=_generated_field())
    generated_json = msgspec.json.encode(form.generated).decode() if form.generated else ""
    return render_template("jwt/encode.html", form=form, error_box=box, generated=form.generated,
                           generated_json=generated_json, **_choices())


def _pretty(value: dict[str, Any]) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def _json_object(text: str, name: str) -> dict[str, Any]:
    """A form's JSON text as an object; ValueError says why not (with the line and column)."""
    try:
        value = json.loads(text, parse_constant=_no_constants)
    except (ValueError, RecursionError) as err:
        where = f" (line {err.lineno}, column {err.colno})" if isinstance(err, json.JSONDecodeError) else ""
        raise ValueError(f"The {name} is not valid JSON{where}.") from None
    if not isinstance(value, dict):
        raise ValueError(f"The {name} must be a JSON object.")
    return value


def _no_constants(name: str) -> Any:
    raise ValueError(name)


def _choices() -> dict[str, Any]:
    return {"verify_key_types": VERIFY_KEY_TYPES, "sign_key_types": SIGN_KEY_TYPES,
            "algorithms": ALGORITHMS, "key_kinds": choices(KeyKind), "max_claim_rows": MAX_CLAIM_ROWS}
