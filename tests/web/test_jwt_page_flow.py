"""Issue 10 on the JWT pages: the verdict first, a short status for screen readers, samples and Clear,
generated keys that can be used and are never lost, and messages in the words the page uses."""

from __future__ import annotations

import html
import re
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from toolbox.core.jwt.samples import SAMPLE_SECRET, SAMPLES

SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}
HTMX = {**SAME_ORIGIN, "HX-Request": "true"}
NOW = int(time.time())
SECRET = "a-long-enough-hmac-secret-for-hs256-0123456789"
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PUBLIC_PEM = RSA_KEY.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo).decode()
RS256 = jwt.encode({"sub": "ada", "aud": "api://orders", "iat": NOW, "exp": NOW + 780}, RSA_KEY,
                   algorithm="RS256")


def post(client, data: dict[str, str], headers: dict[str, str] = HTMX) -> str:  # type: ignore[no-untyped-def]
    return client.post("/jwt/", data=data, headers=headers).get_data(as_text=True)


def verdict(page: str) -> tuple[str, str, str]:
    """(tone, word, detail) of the verdict line, which must open the result."""
    body = page.split('id="jwt-result"', 1)[-1]
    found = re.search(r'<(?:p|div) class="verdict verdict-(ok|bad|warn)"><span class="word">([^<]+)</span>:? '
                      r'<span class="detail">([^<]*)</span>', body)
    assert found, body[:600]
    opening = re.sub(r"<div class=\"jwt-output\"[^>]*>\s*", "", body.split(">", 1)[1].strip(), count=1)
    assert opening.startswith(("<p class=\"verdict", "<div class=\"verdict")), opening[:200]
    return found.group(1), found.group(2), html.unescape(found.group(3))


def data_status(page: str) -> str:
    found = re.search(r'data-status="([^"]*)"', page)
    assert found
    return html.unescape(found.group(1))


# --- the verdict line ------------------------------------------------------------------------------

def test_verified_is_green_and_names_alg_and_key(client) -> None:  # type: ignore[no-untyped-def]
    page = post(client, {"token": RS256, "key": PUBLIC_PEM, "audience": "api://orders"})
    assert verdict(page) == ("ok", "Verified", "RS256 · the signature and every claim check pass")
    assert page.count("PEM public key (RSA 2048)") == 1  # "Key read as" is said once, in the card below
    assert data_status(page) == "Verified: RS256, 0 findings"
    # The clock is a fact, not a verdict. (The token was made at import; xdist may run this later.)
    left = (NOW + 780 - int(time.time())) // 60
    assert any(f"not expired · {m} min left" in page for m in (left - 1, left, left + 1)), left


def test_rejected_is_red_with_every_reason_listed(client) -> None:  # type: ignore[no-untyped-def]
    page = post(client, {"token": RS256, "key": PUBLIC_PEM, "audience": "api://billing", "require": "jti"})
    tone, word, detail = verdict(page)
    assert (tone, word, detail) == ("bad", "Rejected", "2 reasons")
    reasons = re.findall(r'<ul class="reject-reasons">(.*?)</ul>', page, re.S)
    assert len(reasons) == 1  # one list, under the one verdict line
    items = sorted(html.unescape(item) for item in re.findall(r"<li>(.*?)</li>", reasons[0]))
    assert len(items) == 2 and items[0].startswith("audience mismatch: expected 'api://billing'")
    assert items[1] == "required claim 'jti' is missing"
    assert data_status(page) in ("Rejected: audience mismatch", "Rejected: required claim 'jti' is missing")
    assert "The reasons are listed" not in page and 'id="h-verify">Signature and key<' in page
    only_audience = post(client, {"token": RS256, "key": PUBLIC_PEM, "audience": "api://billing"})
    assert data_status(only_audience) == "Rejected: audience mismatch"
    # One reason is the verdict line itself, not repeated in a list below it.
    tone, word, detail = verdict(only_audience)
    assert detail.startswith("audience mismatch: expected 'api://billing'")
    assert "reject-reasons" not in only_audience and only_audience.count("audience mismatch: expected") == 1


def test_a_wrong_key_is_rejected_for_the_signature(client) -> None:  # type: ignore[no-untyped-def]
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    page = post(client, {"token": RS256, "key": other, "audience": "api://orders"})
    assert verdict(page)[:2] == ("bad", "Rejected")
    assert "Signature not verified: signature does not match" in page
    assert data_status(page) == "Rejected: signature does not match"


def test_without_a_key_it_is_decoded_not_verified_never_valid(client) -> None:  # type: ignore[no-untyped-def]
    page = post(client, {"token": RS256})
    tone, word, _ = verdict(page)
    assert (tone, word) == ("warn", "Decoded, not verified")
    assert data_status(page) == "Decoded: JWS, 0 findings"
    assert not re.search(r">\s*(Valid|valid)\b", page)


def test_high_risk_findings_are_summarised_beside_the_verdict(client) -> None:  # type: ignore[no-untyped-def]
    unsecured = jwt.encode({"sub": "a"}, None, algorithm="none")  # alg none, no exp: critical + medium
    page = post(client, {"token": unsecured})
    link = re.search(r'<p class="small"><a href="#findings">([^<]+)</a>', page)
    assert link and link.group(1).startswith("1 critical finding: ")  # the Audit list's word for it
    assert 'id="findings"' in page
    findings = re.findall(r'<li class="finding sev-(\w+)">', page)
    assert data_status(page) == f"Unsigned: anyone can forge this token, {len(findings)} findings"
    assert data_status(post(client, {"token": RS256})) == "Decoded: JWS, 0 findings"


def test_a_token_that_does_not_decode_says_so_first(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/jwt/", data={"token": "%%%.%%%.%%%"}, headers=HTMX)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert verdict(page)[:2] == ("bad", "Does not decode")
    assert data_status(page).startswith("Does not decode: ")


def test_the_claims_table_becomes_cards_on_phones(client) -> None:  # type: ignore[no-untyped-def]
    page = post(client, {"token": RS256})
    table = re.search(r'<table class="claims stack">.*?</table>', page, re.S)
    assert table
    cells = re.findall(r"<td[^>]*>", table.group(0))
    assert cells and all("data-label=" in cell for cell in cells)


@pytest.mark.parametrize("path", ["/jwt/", "/jwt/encode"])
def test_pages_are_wide_workspaces_without_live_regions_in_results(client, path: str) -> None:  # type: ignore[no-untyped-def]
    page = client.get(path).get_data(as_text=True)
    assert '<main id="main" tabindex="-1" class="workspace">' in page
    section = re.search(r'<section id="(?:jwt|encode)-result"[^>]*>', page)
    assert section and 'aria-label="Result"' in section.group(0) and "aria-live" not in section.group(0)
    actions = re.findall(r'<div class="actions">(.*?)</div>', page, re.S)[0]
    assert "Try a sample</a>" in actions and 'class="button secondary"' in actions
    assert f'<a class="button secondary" href="{path}">Clear</a>' in actions


# --- samples and Clear -----------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "expected"), [("hs256", "Verified"), ("rs256", "Verified"),
                                                ("expired", "Rejected")])
def test_a_sample_fills_the_form_and_shows_the_result(client, name: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/jwt/?sample={name}")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert verdict(page)[1] == expected
    token = re.search(r'<textarea id="token"[^>]*>([^<]+)</textarea>', page)
    key = re.search(r'<textarea id="key"[^>]*>([^<]+)</textarea>', page)
    assert token and key  # a script can post the same fields and get the same verdict
    again = post(client, {"token": html.unescape(token.group(1)), "key": html.unescape(key.group(1)),
                          "audience": "sample-api", "issuer": "https://issuer.example"})
    assert verdict(again)[1] == expected
    assert SAMPLES[name] in page


@pytest.mark.parametrize("query", ["?sample=nope", "?sample=", "?sample=" + "x" * 5000, "?sample=%00",
                                   "?sample=__class__"])
def test_an_unknown_sample_is_the_empty_page(client, query: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/jwt/" + query)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert re.search(r'<textarea id="token"[^>]*></textarea>', page)
    assert 'class="verdict' not in page


def test_the_encode_sample_is_signed_with_its_sample_key(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/jwt/encode?sample=hs256").get_data(as_text=True)
    signed = re.search(r'id="encoded-token">([^<]+)<', page)
    assert signed
    assert jwt.decode(signed.group(1), SAMPLE_SECRET, algorithms=["HS256"], audience="sample-api")
    assert data_status(page).startswith("Signed: HS256")
    assert client.get("/jwt/encode?sample=nope").status_code == 200


def test_clear_is_an_empty_page(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/jwt/").get_data(as_text=True)
    assert re.search(r'<section id="jwt-result" class="result" aria-label="Result"></section>', page)


# --- generated keys: "Use this key", and never lost on Sign ----------------------------------------

SIGN_FORM = {"header": '{"typ": "JWT", "cty": "mine"}', "payload": '{"sub": "typed by me"}', "alg": "HS256",
             "key": "", "key_type": "auto"}


def _generate(client, kind: str = "P-256") -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """Press Generate with JavaScript off: (the page, the generated key's hidden field)."""
    response = client.post("/jwt/keys", data={**SIGN_FORM, "kind": kind, "action": "generate"},
                           headers=SAME_ORIGIN)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    hidden = re.search(r'<input type="hidden" form="sign-form" name="generated" value="([^"]+)">', page)
    assert hidden
    return page, html.unescape(hidden.group(1))


def _field(page: str, name: str) -> str:
    found = re.search(rf'<textarea id="{name}"[^>]*>([^<]*)</textarea>', page)
    assert found
    return html.unescape(found.group(1))


def test_generate_keeps_what_was_typed_in_the_sign_form(client) -> None:  # type: ignore[no-untyped-def]
    page, _ = _generate(client)
    assert _field(page, "header") == SIGN_FORM["header"] and _field(page, "payload") == SIGN_FORM["payload"]
    assert "BEGIN PUBLIC KEY" in page and "Use this key</button>" in page
    assert '<option value="P-256" selected>' in page


def test_use_this_key_without_javascript(client) -> None:  # type: ignore[no-untyped-def]
    _, generated = _generate(client)
    response = client.post("/jwt/encode", data={**SIGN_FORM, "kind": "P-256", "generated": generated,
                                                "action": "use-key"}, headers=SAME_ORIGIN)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.startswith("<!doctype html>")
    assert _field(page, "sign-key").startswith("-----BEGIN PRIVATE KEY-----")
    key_type = page.split('<select id="key_type"', 1)[1].split("</select>", 1)[0]
    assert '<option value="pem" selected>' in key_type
    assert '<option value="ES256" selected>' in page.split('<select id="alg"', 1)[1].split("</select>", 1)[0]
    assert _field(page, "payload") == SIGN_FORM["payload"]  # nothing typed is replaced
    assert 'id="gen-public-pem"' in page  # the public key stays shown
    # ... and signing with it makes a token its public key verifies, the pair still shown.
    signed = client.post("/jwt/encode", data={**SIGN_FORM, "alg": "ES256", "key": _field(page, "sign-key"),
                                              "key_type": "pem", "generated": generated, "action": "sign"},
                         headers=SAME_ORIGIN).get_data(as_text=True)
    token = re.search(r'id="encoded-token">([^<]+)<', signed)
    public = re.search(r'id="gen-public-pem">([^<]+)<', signed)
    assert token and public
    assert jwt.decode(token.group(1), html.unescape(public.group(1)), algorithms=["ES256"])["sub"] == "typed by me"


def test_use_this_key_with_htmx_swaps_the_whole_workspace(client) -> None:  # type: ignore[no-untyped-def]
    _, generated = _generate(client, "HS384")
    response = client.post("/jwt/encode", data={**SIGN_FORM, "kind": "HS384", "generated": generated,
                                                "action": "use-key"}, headers=HTMX)
    assert response.headers["HX-Retarget"] == "#encode-workspace"
    assert response.headers["HX-Reswap"] == "outerHTML"
    page = response.get_data(as_text=True)
    assert page.startswith('<div class="tool-layout" id="encode-workspace">')
    assert '<option value="secret-base64url" selected>' in page and '<option value="HS384" selected>' in page
    secret = re.search(r'id="gen-secret">([^<]+)<', page)
    assert secret and _field(page, "sign-key") == secret.group(1)


def test_the_key_pair_survives_sign_with_htmx(client) -> None:  # type: ignore[no-untyped-def]
    _, generated = _generate(client, "Ed25519")
    page = client.post("/jwt/encode", data={**SIGN_FORM, "key": SECRET, "generated": generated},
                       headers=HTMX).get_data(as_text=True)
    assert 'id="encoded-token"' in page and 'id="gen-public-pem"' in page and "Use this key" in page
    failed = client.post("/jwt/encode", data={**SIGN_FORM, "key": "", "generated": generated},
                         headers=HTMX).get_data(as_text=True)
    assert "Cannot sign" in failed and 'id="gen-public-pem"' in failed  # a failed Sign keeps it too


def test_a_tampered_generated_field_is_refused_by_its_label(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/jwt/encode", data={**SIGN_FORM, "generated": '{"kind": 5}', "action": "use-key"},
                           headers=HTMX)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Generated key: not a key generated by this page" in page


# --- messages in the page's words --------------------------------------------------------------------

@pytest.mark.parametrize(("url", "data", "status", "label"), [
    ("/jwt/", {"token": "x", "key_type": "telepathy"}, 400, "Key type: choose one of the listed key types"),
    ("/jwt/", {"token": "x", "audience": "a" * 5000}, 400, "Expected audience: at most 2048 characters"),
    ("/jwt/", {"token": "x", "issuer": "a" * 5000}, 400, "Expected issuer: at most 2048 characters"),
    ("/jwt/", {"token": "x", "leeway": "soon"}, 400, "Leeway: must be a whole number"),
    ("/jwt/encode", {"payload": "{}", "alg": "HS257"}, 400, "Algorithm: choose one of the listed algorithms"),
    ("/jwt/keys", {"kind": "RSA-1024"}, 422, "Key to generate: choose one of the listed key kinds"),
    ("/jwt/keys", {}, 422, "Key to generate: choose one of the listed key kinds"),
])
@pytest.mark.parametrize("headers", [HTMX, SAME_ORIGIN], ids=["htmx", "no-js"])
def test_form_errors_use_the_labels_and_no_http_jargon(client, url, data, status, label, headers) -> None:  # type: ignore[no-untyped-def]
    response = client.post(url, data=data, headers=headers)
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert label in page
    assert "Unprocessable" not in page and "Bad Request" not in page and f"{status} ·" not in page


def test_a_refused_form_keeps_what_was_typed(client) -> None:  # type: ignore[no-untyped-def]
    page = client.post("/jwt/", data={"token": RS256, "key": PUBLIC_PEM, "leeway": "soon"},
                       headers=SAME_ORIGIN).get_data(as_text=True)
    assert _field(page, "token") == RS256 and _field(page, "key") == PUBLIC_PEM


def test_a_spent_rate_limit_keeps_the_input_without_javascript(make_app) -> None:  # type: ignore[no-untyped-def]
    client = make_app(TOOLBOX_RATELIMIT_DEFAULT="2/minute").test_client()
    form = {"token": RS256, "key": PUBLIC_PEM}
    for _ in range(2):
        assert client.post("/jwt/", data=form, headers=SAME_ORIGIN).status_code == 200
    response = client.post("/jwt/", data=form, headers=SAME_ORIGIN)
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert _field(page, "token") == RS256 and _field(page, "key") == PUBLIC_PEM
    assert "Too many requests" in page and "429 ·" not in page


def test_a_spent_rate_limit_keeps_a_generated_key(make_app) -> None:  # type: ignore[no-untyped-def]
    client = make_app(TOOLBOX_RATELIMIT_DEFAULT="1/minute").test_client()
    _, generated = _generate(client, "Ed25519")
    response = client.post("/jwt/encode", data={**SIGN_FORM, "generated": generated}, headers=SAME_ORIGIN)
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert _field(page, "payload") == SIGN_FORM["payload"] and 'id="gen-public-pem"' in page


def test_the_button_says_decode_until_there_is_a_key(client) -> None:  # type: ignore[no-untyped-def]
    def button(page: str) -> str:
        found = re.findall(r'<button type="submit" id="jwt-submit" name="action" value="verify"([^>]*)>(\w+)<', page)
        assert len(found) == 1, found
        return found[0][1] + (" (out of band)" if 'hx-swap-oob="true"' in found[0][0] else "")

    assert button(client.get("/jwt/").get_data(as_text=True)) == "Decode"
    assert button(client.post("/jwt/", data={"token": RS256}, headers=SAME_ORIGIN).get_data(as_text=True)) == "Decode"
    assert button(client.get("/jwt/?sample=hs256").get_data(as_text=True)) == "Verify"
    # A live result relabels the button out of band, so "Press Verify" names the button on screen.
    assert button(post(client, {"token": RS256, "key": "https://idp.example/jwks.json"})) == "Verify (out of band)"
    assert button(post(client, {"token": RS256, "key": " "})) == "Decode (out of band)"
