"""Issue 10: "Verified" is a promise. The page and the API accept a token exactly when PyJWT's
jwt.decode, with the same key and the same claim options, accepts it; otherwise "Rejected"."""

from __future__ import annotations

import itertools
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}
SECRET = "a-long-enough-hmac-secret-for-hs256!"
NOW = int(time.time())
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PUBLIC_PEM = RSA_KEY.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo).decode()
OTHER_SECRET = "another-long-enough-hmac-secret-xyz!"

CLAIMS = {
    "plain": {"sub": "1", "exp": NOW + 780},
    "aud-orders": {"sub": "1", "aud": "api://orders", "exp": NOW + 780},
    "aud-list": {"sub": "1", "aud": ["api://orders", "api://billing"], "exp": NOW + 780},
    "expired": {"sub": "1", "exp": NOW - 3600},
    "not-yet": {"sub": "1", "nbf": NOW + 3600, "exp": NOW + 7200},
    "with-jti-iss": {"sub": "1", "jti": "x", "iss": "https://idp.example", "exp": NOW + 780},
}
OPTIONS = {
    "none": {},
    "aud-billing": {"audience": "api://billing"},
    "aud-orders": {"audience": "api://orders"},
    "require-jti": {"require": ["jti"]},
    "iss": {"issuer": "https://idp.example"},
    "aud-billing+jti": {"audience": "api://billing", "require": ["jti"]},
}


def _pyjwt_accepts(token: str, key: str, alg: str, options: dict) -> bool:
    try:
        jwt.decode(token, key, algorithms=[alg], audience=options.get("audience"), issuer=options.get("issuer"),
                   options={"require": options.get("require", [])})
    except jwt.PyJWTError:
        return False
    return True


CASES = [
    (alg, claims, option, right_key)
    for alg, claims, option, right_key in itertools.product(["HS256", "RS256"], CLAIMS, OPTIONS, [True, False])
]


@pytest.mark.parametrize(("alg", "claims", "option", "right_key"), CASES)
def test_api_verdict_is_pyjwts(client, alg, claims, option, right_key) -> None:  # type: ignore[no-untyped-def]
    signing = SECRET if alg == "HS256" else RSA_KEY
    token = jwt.encode(CLAIMS[claims], signing, algorithm=alg)
    key, key_type = ((SECRET if right_key else OTHER_SECRET), "secret") if alg == "HS256" else (
        (PUBLIC_PEM if right_key else _other_pem()), "pem")
    body = {"token": token, "key": key, "key_type": key_type, **OPTIONS[option]}
    answer = client.post("/api/v1/jwt/verify", json=body).json
    expected = _pyjwt_accepts(token, key, alg, OPTIONS[option])
    assert (answer["verified"] and answer["claims_valid"]) is expected, answer


@pytest.mark.parametrize(("claims", "option"), [("aud-orders", "aud-billing+jti"), ("plain", "none"),
                                                ("expired", "none"), ("aud-orders", "aud-orders")])
def test_page_says_verified_only_when_pyjwt_accepts(client, claims, option) -> None:  # type: ignore[no-untyped-def]
    token = jwt.encode(CLAIMS[claims], RSA_KEY, algorithm="RS256")
    form = {"token": token, "key": PUBLIC_PEM, "key_type": "pem"}
    options = OPTIONS[option]
    form.update({k: (" ".join(v) if isinstance(v, list) else v) for k, v in options.items()})
    html = client.post("/jwt/", data=form, headers={**SAME_ORIGIN, "HX-Request": "true"}).get_data(as_text=True)
    word = html.split('<span class="word">', 1)[1].split("<", 1)[0]  # the one verdict line, at the top
    assert word == ("Verified" if _pyjwt_accepts(token, PUBLIC_PEM, "RS256", options) else "Rejected")
    assert html.count('<span class="word">') == 1  # said once: the card below has a neutral heading
    assert 'id="h-verify">Signature and key<' in html
    assert "valid for another" not in html  # the clock alone never says "valid"


_OTHER: list[str] = []


def _other_pem() -> str:
    if not _OTHER:
        other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        _OTHER.append(other.public_key().public_bytes(serialization.Encoding.PEM,
                                                      serialization.PublicFormat.SubjectPublicKeyInfo).decode())
    return _OTHER[0]
