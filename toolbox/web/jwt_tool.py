"""The JWT tool's pages: decode live as you type, verify, encode, and generate test keys."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Blueprint, Response, current_app, request

from toolbox import settings_of
from toolbox.core.jwt.model import SEVERITY_ORDER
from toolbox.core.jwt.options import (
    ALGORITHMS,
    SIGN_KEY_TYPES,
    VERIFY_KEY_TYPES,
    Algorithm,
    KeyKind,
    SignKeyType,
    VerifyKeyType,
)
from toolbox.core.jwt.remote_keys import REMOTE_KEY_TYPES
from toolbox.ops import OPERATIONS, Context, OpError, choices
from toolbox.ops.jwt import (
    MAX_LEEWAY,
    DecodeRequest,
    DecodeResult,
    EncodeRequest,
    KeysRequest,
    NotAToken,
    VerifyRequest,
    VerifyResult,
    default_of,
)
from toolbox.web.errors import ProblemError, status_of
from toolbox.web.forms import FormError, int_field, text_field
from toolbox.web.htmx import is_htmx
from toolbox.web.ratelimit import count_fetch
from toolbox.web.render import render_tool, run_op

jwt_bp = Blueprint("jwt", __name__, url_prefix="/jwt")

MAX_FIELD = 256 * 1024
MAX_CLAIM_ROWS = 200  # rows in the claims table; a payload of 20 000 members is still shown in full above
DEFAULT_ALG: Algorithm = "HS256"
SAMPLE_HEADER = '{\n  "typ": "JWT"\n}'
SAMPLE_PAYLOAD = '{\n  "sub": "1234567890",\n  "name": "Ada Lovelace",\n  "iat": "now",\n  "exp": "+15m"\n}'
T = TypeVar("T")


@dataclass(frozen=True)
class JwtForm:
    """The decode/verify form as submitted (echoed back into the page, never stored)."""

    token: str = ""
    key: str = ""
    key_type: VerifyKeyType = VerifyRequest.page_key_type
    audience: str = ""
    issuer: str = ""
    subject: str = ""
    require: str = ""
    leeway: int = 0

    def decode_request(self) -> DecodeRequest:
        """The jwt/decode request these fields ask for."""
        return DecodeRequest(token=self.token, leeway=self.leeway)

    def verify_request(self) -> VerifyRequest:
        """The jwt/verify request these fields ask for (lists are typed space- or comma-separated)."""
        return VerifyRequest(token=self.token, key=self.key, key_type=self.key_type,
                             audience=split_list(self.audience) or None, issuer=self.issuer or None,
                             subject=self.subject or None, leeway=self.leeway,
                             require=split_list(self.require))


def read_jwt_form() -> JwtForm:
    """Validate the decode/verify form fields; FormError (400) says which field is wrong."""
    return JwtForm(
        token=text_field("token", max_length=MAX_FIELD),
        key=text_field("key", max_length=MAX_FIELD),
        key_type=choice_field("key_type", choices(VerifyKeyType), VerifyRequest.page_key_type, "key types"),
        audience=text_field("audience", max_length=2048).strip(),
        issuer=text_field("issuer", max_length=2048).strip(),
        subject=text_field("subject", max_length=2048).strip(),
        require=text_field("require", max_length=2048).strip(),
        leeway=int_field("leeway", default=0, low=0, high=MAX_LEEWAY),
    )


def choice_field(name: str, options: tuple[T, ...], default: str, what: str) -> T:
    """One of an operation's choices (absent -> `default`); anything else is a FormError."""
    value = text_field(name, default=default, max_length=32)
    for option in options:
        if value == option:
            return option
    raise FormError(name, f"choose one of the listed {what}")


def split_list(text: str) -> tuple[str, ...]:
    """'exp, iat  sub' -> ('exp', 'iat', 'sub')."""
    return tuple(part for part in text.replace(",", " ").split() if part)


def explicit_action() -> bool:
    """Whether the user asked for this request: a form submit (JavaScript off, or the button with
    htmx, which sends the button's name), not the live decode that runs while they type."""
    return not is_htmx() or request.form.get("action") == "verify"


def decode_for_page(form: JwtForm) -> tuple[DecodeResult | None, str | None, int]:
    """(what decoded, a problem to show, status): a token of which nothing decodes is still shown."""
    context = Context(settings_of(current_app), before_fetch=count_fetch)
    try:
        return OPERATIONS["jwt/decode"].run(form.decode_request(), context), None, 200
    except NotAToken as err:
        return err.decoded, None, status_of(err)
    except OpError as err:
        return None, err.message, status_of(err)


@jwt_bp.route("/", methods=["GET", "POST"])
def index() -> Response:
    """Decode and verify: GET shows the form, POST (form or htmx) shows the result."""
    if request.method == "GET":
        return render_tool("jwt/index.html", "jwt/_result.html", form=JwtForm(), **_choices())
    try:
        form = read_jwt_form()
    except FormError as err:
        raise ProblemError(400, str(err)) from None
    decoded, problem, status = decode_for_page(form) if form.token.strip() else (None, None, 200)
    verification: VerifyResult | None = None
    waiting = ""  # a key set that will be fetched on an explicit action, not while typing
    if decoded is not None and status == 200 and form.key.strip():
        if form.key_type in REMOTE_KEY_TYPES and not explicit_action():
            waiting = "Press Verify to fetch the key set from this URL (it is never fetched while you type)."
        else:
            outcome = run_op("jwt/verify", form.verify_request())
            verification, problem, status = outcome.result, outcome.problem, outcome.status
    findings = (decoded.findings if decoded else ()) + (verification.findings if verification else ())
    return render_tool(
        "jwt/index.html", "jwt/_result.html", status=status, form=form, decoded=decoded,
        verification=verification, input_error=problem, server_now=decoded.status.now if decoded else None,
        waiting=waiting,
        key_source=verification.key_source if verification else None,
        all_findings=sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity]), **_choices(),
    )


@jwt_bp.route("/encode", methods=["GET", "POST"])
def encode_page() -> Response:
    """Build and sign a token from header and payload JSON."""
    values: dict[str, str] = {"header": SAMPLE_HEADER, "payload": SAMPLE_PAYLOAD, "alg": DEFAULT_ALG,
                              "key": "", "key_type": default_of(EncodeRequest, "key_type")}
    if request.method == "GET":
        return render_tool("jwt/encode.html", "jwt/_encoded.html", values=values, **_choices())
    try:
        alg = choice_field("alg", choices(Algorithm), DEFAULT_ALG, "algorithms")
        key_type = choice_field("key_type", choices(SignKeyType), values["key_type"], "key types")
        values = {"header": text_field("header", max_length=MAX_FIELD),
                  "payload": text_field("payload", max_length=MAX_FIELD),
                  "alg": alg, "key": text_field("key", max_length=MAX_FIELD), "key_type": key_type}
    except FormError as err:
        raise ProblemError(400, str(err)) from None
    token, error, status = None, None, 200
    try:
        header = _json_object(values["header"] or "{}", "header")
        payload = _json_object(values["payload"] or "{}", "payload")
    except ValueError as err:
        error, status = str(err), 422
    else:
        outcome = run_op("jwt/encode", EncodeRequest(header=header, payload=payload, alg=alg,
                                                     key=values["key"], key_type=key_type))
        token = outcome.result.token if outcome.result else None
        error, status = outcome.problem, outcome.status
    return render_tool("jwt/encode.html", "jwt/_encoded.html", status=status, values=values, token=token,
                       error=error, **_choices())


@jwt_bp.post("/keys")
def keys() -> Response:
    """Generate a test key pair (or HMAC secret) and show it as PEM and JWK."""
    try:
        kind: KeyKind = choice_field("kind", choices(KeyKind), "", "key kinds")  # no default: say which
    except FormError as err:
        raise ProblemError(422, str(err)) from None
    outcome = run_op("jwt/keys", KeysRequest(kind=kind))
    if outcome.result is None:
        raise ProblemError(outcome.status, outcome.problem or "The key could not be generated.")
    generated = outcome.result
    return render_tool("jwt/encode.html", "jwt/_keys.html", generated=generated,
                       values={"header": SAMPLE_HEADER, "payload": SAMPLE_PAYLOAD,
                               "alg": generated.algorithm, "key": "", "key_type": "pem"},
                       **_choices())


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
