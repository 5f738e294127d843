"""The key set linter's page: a pasted JWKS, JWK or discovery document, or an issuer fetched on the button."""

from __future__ import annotations

import json

from flask import Blueprint, Response, render_template, request
from markupsafe import Markup

from toolbox.core.findings import by_severity
from toolbox.core.jwt.jwks_lint import LintReport
from toolbox.ops.jwt_jwks import MAX_DOCUMENT, MAX_URL, JwksLintRequest
from toolbox.web.errors import keeps_input
from toolbox.web.forms import FormError, text_field
from toolbox.web.render import render_tool, run_op

jwt_jwks_bp = Blueprint("jwt_jwks", __name__, url_prefix="/jwt")

PAGE, PARTIAL = "jwt/jwks.html", "jwt/_jwks_result.html"
FIELDS = (("jwks", MAX_DOCUMENT), ("expected_issuer", MAX_URL), ("issuer", MAX_URL))
LABELS = {"jwks": "Key set or discovery document", "expected_issuer": "Expected issuer",
          "issuer": "Issuer URL"}

# "Try a sample": a set as a real service might publish it mid-rotation, with the mistakes seen in the wild:
# the old 1024-bit key kept under the new key's kid, an EC key labelled for the wrong curve, an HMAC
# fallback secret, and a key exported with its private exponent ("Main": a kid one letter-case away).
# Public test values made for this sample only.
_MAIN_N = (
    "ulkxRMQHMmE8gQOoqBjckBMOO6QkaRdI1LETm8RdnpQs7LlT71GiQvsW1qbmeiG71p7r7f4lG87SCFzTV2WBZNE_"
    "fzLqEouvvUrrGPUK_C_KyLbWd4U74ji4jn2O-DnKj2dN06ny9ALmbhKT3Ns-7otdHu4_gC3ECt0L8IfIFrrjOUIn"
    "6KCmRFAzMpmQ3ks91dezEkKMDX-Ddo9L-QbYsrAOuiKTwOaenX4lsfxfpjMmz8Rflcvy2UUAfY61o9aS66KCoQ8M"
    "9Lv17Br537wV-xs_It2H5krkQFymCtojC5WBDqQ4UkRu7R6572V--tcmKtnu2q8aUFrLF-FgZgUtGQ"
)
_LEGACY_N = (
    "ys4vQxyqnvKW3CRB8gB9elsx30VZAmEV2BRSTrE-41Vn9hK1JOXvO4R6Zo37Ji87GNazXVFD3NPhgYJW_04cZvrO"
    "FOu9dlm-U3FsvWRh2IXmxAW3BMG8UZoxgeZ3mbbru1ctH0naiYVo2YXd5Qy58ZkFjrWmrr_QxCrxmCEkcCE"
)
_EC_X, _EC_Y = "sl-aBB6sU8EqKYk-IeGYDAQDO8j3lnHEI8g0c0lcHbI", "yxtDanShkhgbtjPPJHUhDAEuAaZubazu412JTd4gqdc"
_LEAKED_N = (
    "mRrn5NZ1lC6Ik4cjCkCkOcIU2nnMfSW3zV-Xgeec0KLXyAm6lOL-B8EgxhhoW3N4U9gBb3hOpzNvYWvjwVp2SBtl"
    "WnDtIn5ftLJQsEHtVQn8tqQ2IvZ-DzrJONTrP6gPWZaAC74vYYF6wt9c6XeJBwhKA6nR2N2qmaCR3P4C9ewTjwrc"
    "M5OtQoqhNL_dXAD2BsGn_Aw_NqpvmhexkETNd96QcMqyeoV78cuTPBhD8a7XwrHDKjiREK81knVId11Tngb5pNr1"
    "_rmtYimXm0VpAfoAVEn096PEUsqDEMsKIGkEOzRUws2gkndKi2HI4rqG8Sfc88qDaWrbqtJSLFAJxQ"
)
_LEAKED_D = (
    "D7BBneHZ54bDKPbagNTx3xdDosWDTjmctXc7o6yTlY9yNAXHMDV4WVwRWysqGmDhLho-v2jhCmILYjy3eFsoLqhc"
    "AOH8cqHndbEl8oG265Vb5205POjsLuxTrTaoKnwyonf5A_sHiOLHLQvNTgEZMfbH-ssefS3tqtNYzv_aVs-i9pYp"
    "7Eo0uNcrNMloSPgwJjvsvDsz7c0OUMK7fft4uxGAioYpIz-3OZXuOMpBFNzPsI0dmTv-l7wqitL8r13b-q3SFK-O"
    "okpSGr10yRYd0OAukKU9k-hwn2VqsU0Dv-w6u1SM1xONi9VpY15INUYDS2eV8dK8Htai2q7pUjIaGw"
)
SAMPLE = json.dumps({"keys": [
    {"kty": "RSA", "kid": "main", "use": "sig", "alg": "RS256", "n": _MAIN_N, "e": "AQAB"},
    {"kty": "RSA", "kid": "main", "use": "sig", "alg": "RS256", "n": _LEGACY_N, "e": "AQAB"},
    {"kty": "EC", "kid": "ec-2026", "alg": "ES384", "crv": "P-256", "x": _EC_X, "y": _EC_Y},
    {"kty": "oct", "kid": "hs-fallback", "use": "sig", "alg": "HS256", "k": "c2VjcmV0LWZhbGxiYWNrLWtleQ"},
    {"kty": "RSA", "kid": "Main", "usage": "sig", "alg": "RS256", "n": _LEAKED_N, "e": "AQAB",
     "d": _LEAKED_D},
]}, indent=2)
SAMPLES = {"leaky": SAMPLE}


def _form() -> dict[str, str]:
    """The form as posted (clipped, NUL removed), to show again with an error."""
    return {name: request.form.get(name, "")[:limit].replace("\x00", "") for name, limit in FIELDS}


def _page(form: dict[str, str], *, status: int = 200, **context: object) -> Response:
    return render_tool(PAGE, PARTIAL, status=status, form=form, **context)


def _linted(form: dict[str, str], *, fetch: bool) -> Response:
    """Lint the pasted text, or (an explicit Fetch) the issuer's published keys."""
    if fetch:
        body = JwksLintRequest(issuer=form["issuer"])
    else:
        body = JwksLintRequest(jwks=form["jwks"], expected_issuer=form["expected_issuer"])
    outcome = run_op("jwt/jwks/lint", body)
    if outcome.result is None:
        return _page(form, status=outcome.status, error=outcome.problem or "The key set could not be linted.")
    report: LintReport = outcome.result
    return _page(form, result=report, findings=report.all_findings,
                 document_findings=tuple(by_severity(list(report.findings))))


@jwt_jwks_bp.route("/jwks", methods=["GET", "POST"])
def index() -> Response:
    """The linter: GET shows the form (linted when it names a sample), POST lints or fetches."""
    if request.method == "GET":
        sample = SAMPLES.get(request.args.get("sample", "")[:32])
        empty = {name: "" for name, _ in FIELDS}
        if sample is None:
            return _page(empty)
        return _linted({**empty, "jwks": sample}, fetch=False)
    try:
        form = {name: text_field(name, max_length=limit) for name, limit in FIELDS}
    except FormError as err:
        text = str(err)
        message = LABELS.get(err.field, err.field) + text[text.index(":"):] if ":" in text else text
        return _page(_form(), status=400, error=message)
    form["issuer"], form["expected_issuer"] = form["issuer"].strip(), form["expected_issuer"].strip()
    # Fetching is an explicit action: the Fetch button, or Enter in the issuer field with nothing pasted.
    fetch = request.form.get("action") == "fetch" or (not form["jwks"].strip() and bool(form["issuer"]))
    if fetch and not form["issuer"]:
        return _page(form, status=400, error="Issuer URL: fill it in to fetch its keys.")
    return _linted(form, fetch=fetch)


@keeps_input("jwt_jwks.index")
def _index_with_error(box: Markup) -> str:
    """The linter as posted, with an error (a spent rate limit, ...) where the result goes."""
    return render_template(PAGE, form=_form(), error_box=box)
