"""The published examples of RFC 7515 Appendix A.1-A.4 and RFC 8037 A.4 verify with their published keys.

Copied from the RFCs (via public test fixtures); the deterministic ones (HS256, RS256, Ed25519) are also
re-signed from the published private keys, which proves the copies are exact.
"""

from __future__ import annotations

import json

import pytest
from jwt.algorithms import get_default_algorithms

from toolbox.core.jwt import b64, keys
from toolbox.core.jwt.verify import verify

BEFORE_EXP = 1300819000  # the examples' exp is 1300819380 (March 2011)

# RFC 7515 A.1: HS256, header {"typ":"JWT",\r\n "alg":"HS256"}
A1_TOKEN = (
    "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
    ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
    ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
)
A1_K = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"

# RFC 7515 A.2: RS256
A2_TOKEN = (
    "eyJhbGciOiJSUzI1NiJ9"
    ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
    ".cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1"
    "dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jz"
    "DwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw"
)
A2_PUBLIC = {
    "kty": "RSA",
    "n": "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-"
    "pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg"
    "665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWy"
    "uXpoQ",
    "e": "AQAB",
}
A2_PRIVATE = {
    **A2_PUBLIC,
    "d": "Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgvfTeXZx9SE-7YwVol2NXOoAJe46sui395IW_GO-"
    "pWJ1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn439X0M_V51gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2Qv"
    "Xt4ehNYTCBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_jTj3ccPDVZFD9pIuhLhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOop"
    "znQ",
    "p": "4BzEEOtIpmVdVEZNCqS7baC4crd0pqnRH_5IB3jw3bcxGn6QLvnEtfdUdiYrqBdss1l58BQ3KhooKeQTa9AB0Hw_Py5PJdTJNPY8cQn7ouZ2KKDcm"
    "nPGBY5t7yLc1QlQ5xHdwW1VhvKn-nXqhJTBgIPgtldC-KDV5z-y2XDwGUc",
    "q": "uQPEfgmVtjL0Uyyx88GZFF1fOunH3-7cepKmtH4pxhtCoHqpWmT8YAmZxaewHgHAjLYsp1ZSe7zFYHj7C6ul7TjeLQeZD_YwD66t62wDmpe_HlB"
    "-TnBA-njbglfIsRLtXlnDzQkv5dTltRJ11BKBBypeeF6689rjcJIDEz9RWdc",
    "dp": "BwKfV3Akq5_MFZDFZCnW-wzl-CCo83WoZvnLQwCTeDv8uzluRSnm71I3QCLdhrqE2e9YkxvuxdBfpT_PI7Yz-FOKnu1R6HsJeDCjn12Sk3vmA"
    "ktV2zb34MCdy7cpdTh_YVr7tss2u6vneTwrA86rZtu5Mbr1C1XsmvkxHQAdYo0",
    "dq": "h_96-mK1R_7glhsum81dZxjTnYynPbZpHziZjeeHcXYsXaaMwkOlODsWa7I9xXDoRwbKgB719rrmI2oKr6N3Do9U0ajaHF-NKJnwgjMd2w9cj"
    "z3_-kyNlxAr2v4IKhGNpmM5iIgOS1VZnOZ68m6_pbLBSp3nssTdlqvd0tIiTHU",
    "qi": "IYd7DHOhrWvxkwPQsRM2tOgrjbcrfvtQJipd-DlcxyVuuM9sQLdgjVk2oy26F0EmpScGLq2MowX7fhd_QJQ3ydy5cY7YIBi87w93IKLEdfnbJ"
    "toOPLUW0ITrJReOgo1cq9SbsxYawBgfp_gh6A5603k2-ZQwVK0JKSHuLFkuQ3U",
}

# RFC 7515 A.3: ES256
A3_TOKEN = (
    "eyJhbGciOiJFUzI1NiJ9"
    ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
    ".DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"
)
A3_PUBLIC = {
    "kty": "EC",
    "crv": "P-256",
    "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
    "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
}
A3_D = "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"
A3_PEM = """-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEf83OJ3D2xF1Bg8vub9tLe1gHMzV7
6e8Tus9uPHvRVEXH8UTNG72bfocs3+257rn0s2ldbqkLJK2KRiMohYjlrQ==
-----END PUBLIC KEY-----
"""

# RFC 7515 A.4: ES512 over the non-JSON payload "Payload"
A4_TOKEN = (
    "eyJhbGciOiJFUzUxMiJ9.UGF5bG9hZA"
    ".AdwMgeerwtHoh-l192l60hp9wAHZFVJbLfD_UxMi70cwnZOYaRI1bKPWROc-mZZqwqT2SI-KGDKB34XO0aw_7Xdt"
    "AG8GaSwFKdCAPZgoXD2YBJZCPEX3xKpRwcdOO8KpEHwJjyqOgzDO7iKvU8vcnwNrmxYbSW9ERBXukOXolLzeO_Jn"
)
A4_PUBLIC = {
    "kty": "EC",
    "crv": "P-521",
    "x": "AekpBQ8ST8a8VcfVOTNl353vSrDCLLJXmPk06wTjxrrjcBpXp5EOnYG_NjFZ6OvLFV1jSfS9tsz4qUxcWceqwQGk",
    "y": "ADSmRA43Z1DSNx_RvcLI87cdL07l6jQyyBXMoxVg_l2Th-x3S1WDhjDly79ajL4Kkd0AZMaZmh9ubmf63e3kyMj2",
}
A4_D = "AY5pb7A0UFiB3RELSD64fTLOSV_jazdF7fLYyuTw8lOfRhWg6Y6rUrPAxerEzgdRhajnu0ferB0d53vM9mE15j2C"

# RFC 8037 A.4: EdDSA (Ed25519) over the non-JSON payload "Example of Ed25519 signing"
ED_TOKEN = (
    "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"
    ".hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"
)
ED_PUBLIC = {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}
ED_D = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"

JSON_EXAMPLES = [
    ("A.1", A1_TOKEN, A1_K, "secret-base64url"),
    ("A.1 as JWK", A1_TOKEN, json.dumps({"kty": "oct", "k": A1_K}), "jwk"),
    ("A.2", A2_TOKEN, json.dumps(A2_PUBLIC), "jwk"),
    ("A.3", A3_TOKEN, json.dumps(A3_PUBLIC), "jwk"),
    ("A.3 as PEM", A3_TOKEN, A3_PEM, "pem"),
]
TEXT_EXAMPLES = [
    ("A.4", A4_TOKEN, json.dumps(A4_PUBLIC), "jwk"),
    ("RFC 8037 A.4", ED_TOKEN, json.dumps(ED_PUBLIC), "jwk"),
]


@pytest.mark.parametrize(("name", "token", "key", "key_type"), JSON_EXAMPLES, ids=[e[0] for e in JSON_EXAMPLES])
def test_rfc_examples_verify_and_their_2011_exp_is_reported(name: str, token: str, key: str, key_type: str) -> None:
    result = verify(token, key, key_type)
    assert result.verified, result.reason
    assert result.reason is None
    assert result.claims_valid is False
    assert len(result.claim_errors) == 1 and result.claim_errors[0].startswith("expired about 1")
    before = verify(token, key, key_type, now=BEFORE_EXP)
    assert before.verified and before.claims_valid and before.claim_errors == ()


@pytest.mark.parametrize(("name", "token", "key", "key_type"), TEXT_EXAMPLES, ids=[e[0] for e in TEXT_EXAMPLES])
def test_rfc_examples_with_text_payloads_verify(name: str, token: str, key: str, key_type: str) -> None:
    result = verify(token, key, key_type)
    assert result.verified, result.reason
    assert result.claims_valid is False
    assert result.claim_errors == ("the payload is not a JSON object, so it has no claims to check",)


@pytest.mark.parametrize(("token", "public", "d"), [(A3_TOKEN, A3_PUBLIC, A3_D), (A4_TOKEN, A4_PUBLIC, A4_D)])
def test_the_published_private_ec_keys_verify_through_their_public_half(token: str, public: dict, d: str) -> None:
    result = verify(token, json.dumps({**public, "d": d}), "jwk")
    assert result.verified
    assert result.notes == ("the JWK contains private key material: only its public part is used",)


@pytest.mark.parametrize(
    ("token", "jwk"),
    [(A1_TOKEN, {"kty": "oct", "k": A1_K}), (A2_TOKEN, A2_PRIVATE), (ED_TOKEN, {**ED_PUBLIC, "d": ED_D})],
    ids=["HS256", "RS256", "Ed25519"],
)
def test_deterministic_examples_resign_to_the_published_signature(token: str, jwk: dict) -> None:
    header, payload, signature = token.split(".")
    key = keys.load_key(json.dumps(jwk), "jwk", private=True)
    algorithm = {"oct": "HS256", "RSA": "RS256", "OKP": "EdDSA"}[jwk["kty"]]
    raw = get_default_algorithms()[algorithm].sign(f"{header}.{payload}".encode(), key.private)
    assert b64.encode(raw) == signature


def test_a2_with_its_recovered_private_key_from_d_alone() -> None:
    only_d = {k: A2_PRIVATE[k] for k in ("kty", "n", "e", "d")}
    key = keys.load_key(json.dumps(only_d), "jwk", private=True)
    header, payload, signature = A2_TOKEN.split(".")
    raw = get_default_algorithms()["RS256"].sign(f"{header}.{payload}".encode(), key.private)
    assert b64.encode(raw) == signature


@pytest.mark.parametrize(("token", "key"), [(A1_TOKEN, A1_K), (A3_TOKEN, json.dumps(A3_PUBLIC))])
def test_tampered_rfc_examples_do_not_verify(token: str, key: str) -> None:
    header, payload, signature = token.split(".")
    claims = b64.decode(payload).data or b""
    tampered = f"{header}.{b64.encode(claims.replace(b'joe', b'eve'))}.{signature}"
    result = verify(tampered, key, "secret-base64url" if key == A1_K else "jwk")
    assert not result.verified
    assert result.reason is not None and result.reason.startswith("signature does not match")


def test_a1_secret_pasted_as_utf8_is_diagnosed_as_an_encoding_mistake() -> None:
    result = verify(A1_TOKEN, A1_K, "secret")
    assert not result.verified
    assert result.reason == (
        "secret encoding likely wrong: the signature does not match the secret read as UTF-8, "
        "but it verifies if the secret is read as base64url"
    )


def test_a2_public_key_as_a_certificate_less_pem_verifies() -> None:
    from cryptography.hazmat.primitives import serialization

    pem = keys.load_key(json.dumps(A2_PUBLIC), "jwk").public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.PKCS1
    )
    result = verify(A2_TOKEN, pem.decode(), "pem", now=BEFORE_EXP)
    assert result.verified and result.claims_valid
    assert result.key_description == "RSA public key, 2048 bits"
