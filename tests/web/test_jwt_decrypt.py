"""POST /api/v1/jwt/decrypt, the /jwt/ page's Decrypt and the `toolbox jwt decrypt` command: tokens made by
jwcrypto (an independent implementation) and the RFC 7516 A.1 example; hostile input is a 4xx in words."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import jwt
import pytest
from click.testing import CliRunner
from jwcrypto import jwe as jc_jwe
from jwcrypto import jwk as jc_jwk

from toolbox.cli import main
from toolbox.core.jwt.samples import JWE_SAMPLE, sample

SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}
HTMX = {**SAME_ORIGIN, "HX-Request": "true"}
A1 = json.loads((Path(__file__).parents[1] / "unit" / "jwt" / "vectors" / "jwe" / "rfc7516_appendix_a.json")
                .read_text())["vectors"][0]
RSA = jc_jwk.JWK.generate(kty="RSA", size=2048, kid="enc-1")
RSA_PEM = RSA.export_to_pem(private_key=True, password=None).decode()
SIGNING = "the-inner-token-signing-secret-0123456789"
INNER = jwt.encode({"sub": "ada", "exp": 4_000_000_000}, SIGNING, algorithm="HS256")
UNSIGNED = jwt.encode({"sub": "admin", "role": "root"}, None, algorithm="none")


def make(plaintext: bytes | str, alg: str = "RSA-OAEP-256", enc: str = "A256GCM", key: Any = RSA,
         **header: Any) -> str:
    data = plaintext.encode() if isinstance(plaintext, str) else plaintext
    token = jc_jwe.JWE(data, json.dumps({"alg": alg, "enc": enc, **header}))
    token.allowed_algs = [alg, enc]
    token.add_recipient(key)
    return str(token.serialize(compact=True))


NESTED = make(INNER, cty="JWT", kid="enc-1")


# --- API ------------------------------------------------------------------------------------------

def test_api_rfc7516_a1(client) -> None:  # type: ignore[no-untyped-def]
    body = client.post("/api/v1/jwt/decrypt", json={"token": A1["token"], "key": json.dumps(A1["key"])}).json
    assert body["plaintext"] == A1["plaintext_utf8"] and body["format"] == "text"
    assert body["header"] == {"alg": "RSA-OAEP", "enc": "A256GCM"}
    assert body["key_used"] == "RSA private key, 2048 bits" and body["key_type"] == "jwk"
    assert body["inner"] is None and body["findings"] == []
    assert body["outer"]["kind"] == "jwe"


def test_api_nested_jws_is_decoded_audited_and_verifies(client) -> None:  # type: ignore[no-untyped-def]
    body = client.post("/api/v1/jwt/decrypt", json={"token": NESTED, "key": RSA_PEM}).json
    assert body["format"] == "token" and body["inner"]["kind"] == "jws"
    assert body["inner"]["payload"] == {"sub": "ada", "exp": 4_000_000_000}
    verified = client.post("/api/v1/jwt/verify", json={"token": body["plaintext"], "key": SIGNING}).json
    assert verified["verified"] is True  # the inner token, verified end to end by jwt/verify (PyJWT)


def test_api_unsigned_inner_token_is_critical(client) -> None:  # type: ignore[no-untyped-def]
    body = client.post("/api/v1/jwt/decrypt", json={"token": make(UNSIGNED, cty="JWT"), "key": RSA_PEM}).json
    assert {f["id"]: f["severity"] for f in body["findings"]}["jwe-unsigned-inner"] == "critical"
    assert "alg-none" in {f["id"] for f in body["inner"]["findings"]}


def test_api_claims_and_binary(client) -> None:  # type: ignore[no-untyped-def]
    body = client.post("/api/v1/jwt/decrypt", json={"token": make('{"sub": "ada", "exp": 1}'),
                                                    "key": RSA_PEM}).json
    assert body["payload"] == {"sub": "ada", "exp": 1} and body["status"]["state"] == "expired"
    assert {c["name"] for c in body["claims"]} == {"sub", "exp"}
    binary = client.post("/api/v1/jwt/decrypt", json={"token": make(b"\x00\xff"), "key": RSA_PEM}).json
    assert (binary["format"], binary["plaintext"], binary["plaintext_hex"]) == ("binary", None, "00ff")


@pytest.mark.parametrize(("body", "status", "words"), [
    ({"token": NESTED, "key": jc_jwk.JWK.generate(kty="RSA", size=2048).export_private()}, 422,
     "does not decrypt this token"),
    ({"token": NESTED.rsplit(".", 1)[0], "key": RSA_PEM}, 422, "5 parts"),
    ({"token": "a.b.c.d", "key": RSA_PEM}, 422, "this has 4"),
    ({"token": NESTED[:40] + "%" + NESTED[41:], "key": RSA_PEM}, 422, "bad base64url"),
    ({"token": INNER, "key": SIGNING}, 422, "signed token (JWS"),
    ({"token": NESTED, "key": "a secret"}, 422, "needs an RSA private key"),
    ({"token": NESTED, "key": RSA.export_to_pem().decode()}, 422, "decrypting needs the private key"),
    ({"token": NESTED, "key": "https://example.com/jwks.json"}, 422, "URL cannot decrypt"),
    ({"token": NESTED, "key": RSA_PEM, "key_type": "jwks-url"}, 422, "/key_type must be one of"),
    ({"token": NESTED, "key": 5}, 422, "/key"),
    ({"token": NESTED}, 422, "key"),
    ({"token": "x" * 300_000, "key": "k"}, 422, "token"),
    ({"token": NESTED, "key": RSA_PEM, "extra": 1}, 422, "fields this operation does not accept"),
])
def test_api_refusals_are_4xx_in_words(client, body: dict[str, Any], status: int,  # type: ignore[no-untyped-def]
                                       words: str) -> None:
    response = client.post("/api/v1/jwt/decrypt", json=body)
    assert response.status_code == status, response.json
    assert response.mimetype == "application/problem+json"
    assert words in json.dumps(response.json)


def test_api_tampered_tag_and_wrong_key_say_the_same(client) -> None:  # type: ignore[no-untyped-def]
    head, ek, iv, ct, tag = NESTED.split(".")
    tampered = ".".join((head, ek, iv, ct, ("B" if tag[0] == "A" else "A") + tag[1:]))
    other = jc_jwk.JWK.generate(kty="RSA", size=2048).export_to_pem(private_key=True, password=None).decode()
    one = client.post("/api/v1/jwt/decrypt", json={"token": tampered, "key": RSA_PEM}).json
    two = client.post("/api/v1/jwt/decrypt", json={"token": NESTED, "key": other}).json
    assert one["detail"] == two["detail"] and one["title"] == two["title"] == "Does not decrypt"


def test_api_hostile_p2c_and_zip_bomb(client) -> None:  # type: ignore[no-untyped-def]
    head = jwt.utils.base64url_encode(json.dumps({"alg": "PBES2-HS512+A256KW", "enc": "A256GCM",
                                                  "p2s": "AAAAAAAAAAA", "p2c": 2**31}).encode()).decode()
    response = client.post("/api/v1/jwt/decrypt", json={"token": f"{head}.AAAA.AAAA.AAAA.AAAA", "key": "pw"})
    assert response.status_code == 422 and "refuses more than 300,000" in response.json["detail"]
    key = jc_jwk.JWK.generate(kty="oct", size=128)
    bomb = make(b"A" * 2_000_000, "A128KW", "A128GCM", key, zip="DEF")
    response = client.post("/api/v1/jwt/decrypt", json={"token": bomb, "key": key.export()})
    assert response.status_code == 413 and "zip bomb" in response.json["detail"]


# --- page -----------------------------------------------------------------------------------------

def verdict(page: str) -> tuple[str, str, str]:
    found = re.search(r'class="verdict verdict-(ok|bad|warn)"><span class="word">([^<]+)</span>: '
                      r'<span class="detail">([^<]*)</span>', page)
    assert found, page[:500]
    return found.group(1), found.group(2), html.unescape(found.group(3))


def test_page_decrypts_a_jwe_and_offers_to_verify_the_inner_token(client) -> None:  # type: ignore[no-untyped-def]
    page = client.post("/jwt/", data={"token": NESTED, "key": RSA_PEM}, headers=HTMX).get_data(as_text=True)
    assert verdict(page) == ("warn", "Decrypted", "RSA-OAEP-256 + A256GCM · carries a HS256 token: verify it "
                                                  "with its signer's key (below)")
    assert "Decrypted with: kid=enc-1 (RSA 2048)" not in page  # a PEM has no kid
    assert "Decrypted with: RSA private key, 2048 bits" in page
    assert ">Decrypt</button>" in page  # the button is relabelled out of band
    assert "The token inside" in page and 'id="inner-payload"' in page
    form = re.search(r'<input type="hidden" name="token" value="([^"]+)">\s*<button type="submit" '
                     r'class="secondary">Verify the token inside', page)
    assert form and html.unescape(form.group(1)) == INNER
    verify = client.post("/jwt/", data={"token": INNER, "key": SIGNING}, headers=SAME_ORIGIN)
    assert verdict(verify.get_data(as_text=True))[1] == "Verified"


def test_page_without_javascript_and_without_a_key(client) -> None:  # type: ignore[no-untyped-def]
    page = client.post("/jwt/", data={"token": NESTED, "key": RSA_PEM}, headers=SAME_ORIGIN).get_data(as_text=True)
    assert verdict(page)[1] == "Decrypted" and ">Decrypt</button>" in page
    bare = client.post("/jwt/", data={"token": NESTED}, headers=SAME_ORIGIN).get_data(as_text=True)
    assert verdict(bare) == ("warn", "Encrypted", "add the recipient's private key, the shared secret or the "
                                                  "password to decrypt it")
    assert ">Decode</button>" in bare


def test_page_unsigned_inner_is_red_with_a_critical_finding(client) -> None:  # type: ignore[no-untyped-def]
    page = client.post("/jwt/", data={"token": make(UNSIGNED, cty="JWT"), "key": RSA_PEM},
                       headers=HTMX).get_data(as_text=True)
    tone, word, detail = verdict(page)
    assert (tone, word) == ("bad", "Decrypted") and "unsigned" in detail
    assert "jwe-unsigned-inner" in page and "2 critical findings" in page  # and the inner alg-none


@pytest.mark.parametrize(("data", "words"), [
    ({"key": "wrong key text"}, "needs an RSA private key"),
    ({"key": jc_jwk.JWK.generate(kty="RSA", size=2048).export_private()}, "does not decrypt this token"),
    ({"key": RSA_PEM, "key_type": "secret"}, "needs an RSA private key"),
    ({"key": "\u202e" + "x" * 100}, "needs an RSA private key"),
    ({"key": "{" * 5000}, "JSON"),
])
def test_page_refusals_are_422_with_the_header_still_shown(client, data: dict[str, str],  # type: ignore[no-untyped-def]
                                                           words: str) -> None:
    response = client.post("/jwt/", data={"token": NESTED, **data}, headers=HTMX)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert verdict(page) == ("bad", "Not decrypted", "the key could not be used (see below)")
    assert words in html.unescape(page.split("Cannot use this input", 1)[1])
    assert 'data-status="Not decrypted: ' in page  # what a screen reader hears
    assert 'id="header"' in page  # the protected header is still decoded and shown


def test_sample_jwe(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/jwt/?sample=jwe").get_data(as_text=True)
    assert verdict(page)[1] == "Decrypted" and JWE_SAMPLE in html.unescape(page)
    chosen = sample("jwe")
    assert chosen is not None and chosen.key.startswith("-----BEGIN PRIVATE KEY-----")
    assert jwt.decode(chosen.token.count(".") == 4 and _inner(chosen.token, chosen.key), chosen.signing_key,
                      algorithms=["HS256"], audience=chosen.audience)["sub"] == "sample-user"


def _inner(token: str, key: str) -> str:
    clear = jc_jwe.JWE()
    clear.deserialize(token, jc_jwk.JWK.from_pem(key.encode()))  # the independent implementation decrypts it
    return str(clear.payload.decode())


def test_the_key_is_never_logged(client, caplog) -> None:  # type: ignore[no-untyped-def]
    client.post("/api/v1/jwt/decrypt", json={"token": NESTED, "key": RSA_PEM})
    client.post("/jwt/", data={"token": NESTED, "key": RSA_PEM}, headers=HTMX)
    logged = caplog.text
    assert "PRIVATE KEY" not in logged and NESTED[:40] not in logged and "ada" not in logged


# --- CLI ------------------------------------------------------------------------------------------

def test_cli_decrypt(tmp_path: Path) -> None:
    key = tmp_path / "key.pem"
    key.write_text(RSA_PEM)
    result = CliRunner().invoke(main, ["jwt", "decrypt", NESTED, "--key", str(key)])
    assert result.exit_code == 0, result.output
    assert "Decrypted: RSA-OAEP-256 + A256GCM with RSA private key, 2048 bits" in result.output
    assert "Inner token" in result.output and '"sub": "ada"' in result.output
    piped = CliRunner().invoke(main, ["jwt", "decrypt", "-", "--key", str(key), "--json"], input=NESTED)
    assert piped.exit_code == 0 and json.loads(piped.output)["inner"]["kind"] == "jws"


def test_cli_failures_and_exit_codes(tmp_path: Path) -> None:
    other = tmp_path / "other.pem"
    other.write_text(jc_jwk.JWK.generate(kty="RSA", size=2048).export_to_pem(private_key=True, password=None)
                     .decode())
    wrong = CliRunner().invoke(main, ["jwt", "decrypt", NESTED, "--key", str(other)])
    assert wrong.exit_code == 1 and "does not decrypt this token" in wrong.output
    secret = tmp_path / "secret"
    secret.write_text("not an RSA key")
    unusable = CliRunner().invoke(main, ["jwt", "decrypt", NESTED, "--key", str(secret)])
    assert unusable.exit_code == 2 and "needs an RSA private key" in unusable.output
    truncated = CliRunner().invoke(main, ["jwt", "decrypt", "a.b.c.d", "--key", str(secret)])
    assert truncated.exit_code == 1 and "5 parts" in truncated.output
    nokey = CliRunner().invoke(main, ["jwt", "decrypt", NESTED])
    assert nokey.exit_code == 2 and "--key" in nokey.output


def test_cli_escapes_bidi_in_the_plaintext(tmp_path: Path) -> None:
    key = tmp_path / "key.pem"
    key.write_text(RSA_PEM)
    result = CliRunner().invoke(main, ["jwt", "decrypt", make("\u202enimda"), "--key", str(key)])
    assert result.exit_code == 0 and "\u202e" not in result.output and "\\u202e" in result.output
