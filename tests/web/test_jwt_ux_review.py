"""The JWT pages after a UX review: a rejection says what to do about a missing expected audience (and
offers it in one click, with or without JavaScript), forgeable tokens say so first, the verdict and its
reasons are said once, input that is not a JWT says so plainly, and a signed token opens with a verdict
and is decoded with its key."""

from __future__ import annotations

import html
import re
import time
import warnings

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.web.test_jwt_page_flow import post, verdict
from toolbox.core.jwt.model import Finding
from toolbox.ops.jwt import EncodeResult
from toolbox.web.jwt_tool import risky, signed_verdict

SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}
HTMX = {**SAME_ORIGIN, "HX-Request": "true"}
NOW = int(time.time())
SECRET = "a-long-enough-hmac-secret-for-hs256-0123456789"
FOR_API = jwt.encode({"sub": "1", "aud": "api", "exp": NOW + 900}, SECRET, algorithm="HS256")


def status(page: str) -> str:
    found = re.search(r'data-status="([^"]*)"', page)
    assert found
    return html.unescape(found.group(1))


def audience_field(page: str) -> str:
    found = re.search(r'<input id="audience" name="audience" value="([^"]*)"', page)
    assert found
    return html.unescape(found.group(1))


# --- 1. a token for an audience, and Expected audience empty -------------------------------------------

def test_an_empty_expected_audience_is_explained_and_the_signature_is_said_valid(client) -> None:  # type: ignore[no-untyped-def]
    page = post(client, {"token": FOR_API, "key": SECRET})
    assert verdict(page) == ("bad", "Rejected", 'the token is for audience "api" and Expected audience is empty '
                                                "— the signature itself is valid")
    assert status(page) == "Rejected: Expected audience is empty"
    button = re.search(r'<button type="submit" form="jwt-form"[^>]*name="use_audience" value="api">'
                       r'Check audience &#34;api&#34;</button>|<button type="submit" form="jwt-form"[^>]*'
                       r'name="use_audience" value="api">Check audience "api"</button>', page)
    assert button, page[:1500]


def test_with_a_wrong_key_the_signature_is_not_said_valid(client) -> None:  # type: ignore[no-untyped-def]
    page = post(client, {"token": FOR_API, "key": "another-long-enough-hmac-secret-0123456789"})
    tone, word, detail = verdict(page)
    assert (tone, word, detail) == ("bad", "Rejected", "2 reasons")
    assert "signature itself is valid" not in page
    assert 'the token is for audience &#34;api&#34; and Expected audience is empty' in page or \
        'the token is for audience &quot;api&quot; and Expected audience is empty' in page
    assert status(page) == "Rejected: signature does not match"


def test_check_audience_without_javascript_fills_the_field_and_verifies(client) -> None:  # type: ignore[no-untyped-def]
    page = post(client, {"token": FOR_API, "key": SECRET, "audience": "", "use_audience": "api"}, SAME_ORIGIN)
    assert page.startswith("<!doctype html>")
    assert verdict(page)[:2] == ("ok", "Verified")
    assert audience_field(page) == "api"  # the next submit sends it again
    assert 'id="jwt-form"' in page


def test_check_audience_with_htmx_verifies_and_refills_the_field_out_of_band(client) -> None:  # type: ignore[no-untyped-def]
    page = post(client, {"token": FOR_API, "key": SECRET, "audience": "", "use_audience": "api"})
    assert verdict(page)[:2] == ("ok", "Verified")
    oob = re.search(r'<input id="audience" name="audience" value="api"[^>]*hx-swap-oob="true">', page)
    assert oob  # the field on the page now says api, so typing elsewhere keeps the audience
    assert 'hx-swap-oob="true">' not in post(client, {"token": FOR_API, "key": SECRET, "audience": "api"}) \
        .split("jwt-submit")[0]  # only the button asks for it


def test_a_list_audience_offers_its_first_usable_member(client) -> None:  # type: ignore[no-untyped-def]
    token = jwt.encode({"aud": ["has space", "orders", "billing"], "exp": NOW + 900}, SECRET, algorithm="HS256")
    page = post(client, {"token": token, "key": SECRET})
    assert 'name="use_audience" value="orders"' in page
    assert verdict(post(client, {"token": token, "key": SECRET, "use_audience": "orders"}))[1] == "Verified"


def test_an_issuer_without_an_expected_issuer_is_verified_as_pyjwt_does(client) -> None:  # type: ignore[no-untyped-def]
    token = jwt.encode({"iss": "https://idp.example", "exp": NOW + 900}, SECRET, algorithm="HS256")
    assert jwt.decode(token, SECRET, algorithms=["HS256"])  # PyJWT does not ask for an expected issuer
    page = post(client, {"token": token, "key": SECRET})
    assert verdict(page)[1] == "Verified" and "use_audience" not in page


# --- 2. forgeable tokens say so first; severity in the Audit list's words -------------------------------

def test_an_unsigned_token_opens_red(client) -> None:  # type: ignore[no-untyped-def]
    page = post(client, {"token": jwt.encode({"sub": "a", "exp": NOW + 60}, None, algorithm="none")})
    tone, word, detail = verdict(page)
    assert (tone, word) == ("bad", "Unsigned") and detail.startswith("anyone can forge this token")
    assert status(page).startswith("Unsigned: anyone can forge this token, ")
    assert "1 critical finding: " in page and "high-risk" not in page


def test_an_unsigned_token_with_a_key_is_still_pyjwts_rejected(client) -> None:  # type: ignore[no-untyped-def]
    page = post(client, {"token": jwt.encode({"sub": "a"}, None, algorithm="none"), "key": SECRET})
    assert verdict(page)[:2] == ("bad", "Rejected")


def test_a_token_signed_with_a_well_known_secret_opens_forgeable(client) -> None:  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyJWT warns about the short secret, which is the point
        token = jwt.encode({"sub": "a", "exp": NOW + 60}, "secret", algorithm="HS256")
    page = post(client, {"token": token})
    assert verdict(page) == ("bad", "Forgeable", "signed with the publicly known secret 'secret': anyone can "
                                                 "forge this token")
    assert status(page).startswith("Forgeable: signed with the publicly known secret 'secret', ")


def test_risky_uses_the_severity_words() -> None:
    def finding(severity: str) -> Finding:
        return Finding("x", severity, f"a {severity} one", "")  # type: ignore[arg-type]

    assert risky([finding("critical"), finding("high"), finding("high"), finding("low")]) == \
        "1 critical and 2 high findings: a critical one; a high one; a high one"
    assert risky([finding("high")]) == "1 high finding: a high one"
    assert risky([finding("medium")]) == ""


# --- 3. the verdict once, the card below neutral ---------------------------------------------------------

@pytest.mark.parametrize("key", [SECRET, "another-long-enough-hmac-secret-0123456789"])
def test_the_verdict_and_key_read_as_are_said_once(client, key: str) -> None:  # type: ignore[no-untyped-def]
    page = post(client, {"token": FOR_API, "key": key, "audience": "api"})
    assert page.count('class="word"') == 1
    assert 'id="h-verify">Signature and key</h2>' in page
    assert not re.search(r">\s*(Verified|Rejected)\s*</h2>", page)
    assert page.lower().count("key read as") == 1
    assert "The reasons are listed" not in page


# --- 4. broken input -------------------------------------------------------------------------------------

def test_text_without_dots_is_not_a_jwt(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/jwt/", data={"token": "hello world"}, headers=HTMX)
    page = response.get_data(as_text=True)
    assert verdict(page) == ("bad", "This is not a JWT",
                             "a JWT is three (JWS) or five (JWE) base64url parts separated by dots")
    assert status(page) == "Not a JWT"
    assert "Input tidied" not in page
    details = page.split('<details class="not-a-jwt"><summary>What was read</summary>', 1)
    assert len(details) == 2 and "not UTF-8" not in details[0]  # the technical details stay, folded


def test_a_damaged_signature_is_said_plainly_and_the_payload_is_read(client) -> None:  # type: ignore[no-untyped-def]
    page = post(client, {"token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.bad", "key": "secret"})
    tone, word, detail = verdict(page)
    assert (tone, word) == ("bad", "Rejected")
    assert detail.startswith("The signature part is damaged (cut off or edited)")
    assert "payload cannot be read" not in page and "reject-reasons" not in page


def test_a_wrong_key_raises_no_finding_about_its_length(client) -> None:  # type: ignore[no-untyped-def]
    page = post(client, {"token": FOR_API, "key": "short", "audience": "api"})
    assert verdict(page)[:2] == ("bad", "Rejected")
    assert "short-hmac-key" not in page


# --- 5. the sign page --------------------------------------------------------------------------------------

SIGN = {"header": "{}", "payload": '{"sub": "x", "exp": "+1h"}', "alg": "HS256", "key": SECRET, "key_type": "auto"}


@pytest.mark.parametrize("headers", [HTMX, SAME_ORIGIN], ids=["htmx", "no-js"])
def test_signing_opens_with_a_verdict_line(client, headers: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    page = client.post("/jwt/encode", data=SIGN, headers=headers).get_data(as_text=True)
    line = re.search(r'<p class="verdict verdict-ok"><span class="word">Signed</span>: '
                     r'<span class="detail">HS256 · 1 h until exp</span></p>', page)
    assert line
    assert status(page.split('class="encode-output"', 1)[1]) == "Signed: HS256 · 1 h until exp"


def test_signed_verdict_words() -> None:
    token = jwt.encode({"exp": 1000}, SECRET, algorithm="HS256")
    assert signed_verdict(EncodeResult(token=token), "HS256", now=1000 - 900).detail == "HS256 · 15 min until exp"
    assert signed_verdict(EncodeResult(token=token), "HS256", now=1120).detail == "HS256 · expired 2 min ago"
    bare = jwt.encode({"sub": "x"}, SECRET, algorithm="HS256")
    assert signed_verdict(EncodeResult(token=bare), "HS256").detail == "HS256 · no exp: it never expires"
    assert signed_verdict(EncodeResult(token="e30.e30."), "none").word == "Unsigned"


def _decode_it(page: str) -> dict[str, str]:
    form = page.split('id="decode-signed"', 1)[1].split("</form>", 1)[0]
    return {html.unescape(n): html.unescape(v) for n, v in
            re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form)}


def test_decode_it_carries_the_key_so_the_decoder_verifies(client) -> None:  # type: ignore[no-untyped-def]
    page = client.post("/jwt/encode", data=SIGN, headers=SAME_ORIGIN).get_data(as_text=True)
    fields = _decode_it(page)
    assert set(fields) == {"token", "key", "key_type"} and fields["key"] == SECRET
    assert fields["key_type"] == "secret"  # the type the signer read it as
    decoded = post(client, fields, SAME_ORIGIN)
    assert verdict(decoded)[:2] == ("ok", "Verified")


def test_decode_it_with_a_private_key_verifies_with_its_public_half(client) -> None:  # type: ignore[no-untyped-def]
    private = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    page = client.post("/jwt/encode", data={**SIGN, "alg": "ES256", "key": private},
                       headers=SAME_ORIGIN).get_data(as_text=True)
    fields = _decode_it(page)
    assert fields["key_type"] == "pem"
    assert verdict(post(client, fields, SAME_ORIGIN))[:2] == ("ok", "Verified")


def test_decode_it_for_alg_none_sends_only_the_token(client) -> None:  # type: ignore[no-untyped-def]
    page = client.post("/jwt/encode", data={**SIGN, "alg": "none", "key": ""},
                       headers=SAME_ORIGIN).get_data(as_text=True)
    assert set(_decode_it(page)) == {"token"}


def test_the_keygen_help_does_not_say_beside(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/jwt/encode").get_data(as_text=True)
    assert "shown with the form" in page and "beside the form" not in page


@pytest.mark.parametrize("exp", ["1e400", str(10**400)])
def test_signed_verdict_survives_an_exp_beyond_any_calendar(client, exp: str) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/jwt/encode", data={**SIGN, "payload": f'{{"exp": {exp}}}'}, headers=HTMX)
    assert response.status_code in (200, 422)


@pytest.mark.parametrize(("value", "status"), [
    ("a" * 5000, 400),  # longer than any audience the field reads back
    ("api\x00", 400),  # a NUL is refused by every text field
    ("ápi://ünïcode", 200),  # non-ASCII is a fine audience: it just does not match
    ("<script>alert(1)</script>", 200),
])
def test_use_audience_refuses_hostile_values_with_the_input_kept(client, value: str, status: int) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/jwt/", data={"token": FOR_API, "key": SECRET, "use_audience": value})
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert FOR_API in page  # the token is kept
    assert "<script>alert(1)</script>" not in page
