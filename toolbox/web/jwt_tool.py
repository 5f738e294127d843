"""The JWT tool's pages: decode live as you type, verify, encode, and generate test keys."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, current_app, request

from toolbox import settings_of
from toolbox.core.jwt.decode import decode
from toolbox.core.jwt.encode import encode
from toolbox.core.jwt.keygen import KEY_KINDS, generate_key
from toolbox.core.jwt.model import SEVERITY_ORDER, Decoded, JwtInputError, Verification
from toolbox.core.jwt.normalize import TokenTooLong
from toolbox.core.jwt.options import ALGORITHMS, SIGN_KEY_TYPES, VERIFY_KEY_TYPES
from toolbox.core.jwt.verify import verify
from toolbox.web.errors import ProblemError
from toolbox.web.forms import FormError, int_field, text_field
from toolbox.web.remote_keys import resolve_key
from toolbox.web.render import render_tool

jwt_bp = Blueprint("jwt", __name__, url_prefix="/jwt")

MAX_FIELD = 256 * 1024
MAX_CLAIM_ROWS = 200  # rows in the claims table; a payload of 20 000 members is still shown in full above

SAMPLE_HEADER = '{\n  "typ": "JWT"\n}'
SAMPLE_PAYLOAD = '{\n  "sub": "1234567890",\n  "name": "Ada Lovelace",\n  "iat": "now",\n  "exp": "+15m"\n}'


@dataclass(frozen=True)
class JwtForm:
    """The decode/verify form as submitted (echoed back into the page, never stored)."""

    token: str = ""
    key: str = ""
    key_type: str = "secret"
    audience: str = ""
    issuer: str = ""
    subject: str = ""
    require: str = ""
    leeway: int = 0


def read_jwt_form() -> JwtForm:
    """Validate the decode/verify form fields; FormError (400) says which field is wrong."""
    key_type = text_field("key_type", default="secret", max_length=32)
    if key_type not in VERIFY_KEY_TYPES:
        raise FormError("key_type", "choose one of the listed key types")
    return JwtForm(
        token=text_field("token", max_length=MAX_FIELD),
        key=text_field("key", max_length=MAX_FIELD),
        key_type=key_type,
        audience=text_field("audience", max_length=2048).strip(),
        issuer=text_field("issuer", max_length=2048).strip(),
        subject=text_field("subject", max_length=2048).strip(),
        require=text_field("require", max_length=2048).strip(),
        leeway=int_field("leeway", default=0, low=0, high=86400),
    )


def split_list(text: str) -> tuple[str, ...]:
    """'exp, iat  sub' -> ('exp', 'iat', 'sub')."""
    return tuple(part for part in text.replace(",", " ").split() if part)


def run_jwt(form: JwtForm) -> tuple[Decoded | None, Verification | None, str | None]:
    """Decode (and verify when a key is given); the third value is an input error message."""
    decoded, verification, error, _ = run_jwt_with_source(form)
    return decoded, verification, error


def run_jwt_with_source(form: JwtForm) -> tuple[Decoded | None, Verification | None, str | None, str | None]:
    """As run_jwt, plus where a fetched key set came from."""
    if not form.token.strip():
        return None, None, None, None
    now = time.time()
    max_lifetime = settings_of(current_app).jwt_max_lifetime
    try:
        decoded = decode(form.token, now=now, leeway=form.leeway, max_lifetime=max_lifetime)
    except TokenTooLong as err:
        return None, None, f"That is not a token: {err}.", None
    verification, key_source = None, None
    if form.key.strip() and decoded.decodes:
        try:
            key, key_type, key_source = resolve_key(form.key, form.key_type)
            verification = verify(
                form.token, key, key_type,
                audience=list(split_list(form.audience)) or None,
                issuer=form.issuer or None, subject=form.subject or None,
                leeway=form.leeway, require=split_list(form.require), now=now,
            )
        except JwtInputError as err:  # includes RemoteKeyError (fetch refused or failed)
            return decoded, None, str(err), key_source
    return decoded, verification, None, key_source


@jwt_bp.route("/", methods=["GET", "POST"])
def index() -> Response:
    """Decode and verify: GET shows the form, POST (form or htmx) shows the result."""
    if request.method == "GET":
        return render_tool("jwt/index.html", "jwt/_result.html", form=JwtForm(), **_choices())
    try:
        form = read_jwt_form()
    except FormError as err:
        raise ProblemError(400, str(err)) from None
    decoded, verification, input_error, key_source = run_jwt_with_source(form)
    status = 200
    if input_error or (decoded is not None and not decoded.decodes):
        status = 422
    findings = (decoded.findings if decoded else ()) + (verification.findings if verification else ())
    return render_tool(
        "jwt/index.html", "jwt/_result.html", status=status, form=form, decoded=decoded,
        verification=verification, input_error=input_error, server_now=int(time.time()),
        key_source=key_source,
        all_findings=sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity]), **_choices(),
    )


@jwt_bp.route("/encode", methods=["GET", "POST"])
def encode_page() -> Response:
    """Build and sign a token from header and payload JSON."""
    values = {"header": SAMPLE_HEADER, "payload": SAMPLE_PAYLOAD, "alg": "HS256", "key": "",
              "key_type": "secret"}
    if request.method == "GET":
        return render_tool("jwt/encode.html", "jwt/_encoded.html", values=values, **_choices())
    try:
        values = {
            "header": text_field("header", max_length=MAX_FIELD),
            "payload": text_field("payload", max_length=MAX_FIELD),
            "alg": text_field("alg", default="HS256", max_length=16),
            "key": text_field("key", max_length=MAX_FIELD),
            "key_type": text_field("key_type", default="secret", max_length=32),
        }
    except FormError as err:
        raise ProblemError(400, str(err)) from None
    token, error = None, None
    try:
        header = _json_object(values["header"] or "{}", "header")
        payload = _json_object(values["payload"] or "{}", "payload")
        token = encode(header, payload, values["alg"], values["key"], values["key_type"])
    except JwtInputError as err:
        error = str(err)
    return render_tool("jwt/encode.html", "jwt/_encoded.html", status=422 if error else 200,
                       values=values, token=token, error=error, **_choices())


@jwt_bp.post("/keys")
def keys() -> Response:
    """Generate a test key pair (or HMAC secret) and show it as PEM and JWK."""
    try:
        kind = text_field("kind", default="ES256", max_length=32)
        generated = generate_key(kind)
    except (FormError, JwtInputError) as err:
        raise ProblemError(422, str(err)) from None
    return render_tool("jwt/encode.html", "jwt/_keys.html", generated=generated,
                       values={"header": SAMPLE_HEADER, "payload": SAMPLE_PAYLOAD,
                               "alg": generated.algorithm, "key": "", "key_type": "pem"},
                       **_choices())


def _json_object(text: str, name: str) -> dict[str, Any]:
    try:
        value = json.loads(text, parse_constant=_no_constants)
    except (ValueError, RecursionError) as err:
        where = f" (line {err.lineno}, column {err.colno})" if isinstance(err, json.JSONDecodeError) else ""
        raise JwtInputError(f"The {name} is not valid JSON{where}.") from None
    if not isinstance(value, dict):
        raise JwtInputError(f"The {name} must be a JSON object.")
    return value


def _no_constants(name: str) -> Any:
    raise ValueError(name)


def _choices() -> dict[str, Any]:
    return {"verify_key_types": VERIFY_KEY_TYPES, "sign_key_types": SIGN_KEY_TYPES,
            "algorithms": ALGORITHMS, "key_kinds": KEY_KINDS, "max_claim_rows": MAX_CLAIM_ROWS}
