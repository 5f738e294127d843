"""The built-in samples ("Try a sample"): PyJWT agrees with the verdict each one promises."""

from __future__ import annotations

import time

import jwt
import pytest

from toolbox.core.jwt.samples import SAMPLE_AUDIENCE, SAMPLE_ISSUER, SAMPLE_SECRET, SAMPLES, sample


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_sample_is_what_it_says(name: str) -> None:
    chosen = sample(name)
    assert chosen is not None and chosen.description == SAMPLES[name]
    options = {"algorithms": [chosen.alg], "audience": chosen.audience or None, "issuer": SAMPLE_ISSUER}
    issuer_jwt = chosen.token.split("~")[0]  # an SD-JWT's signature is its issuer-signed JWT's
    if SAMPLES[name].endswith("Verified"):
        assert jwt.decode(issuer_jwt, chosen.key, **options)["sub"] == "sample-user"
    else:
        with pytest.raises(jwt.ExpiredSignatureError):
            jwt.decode(issuer_jwt, chosen.key, **options)


def test_samples_are_signed_now_with_obvious_sample_keys() -> None:
    now = time.time()
    chosen = sample("hs256", now=now)
    assert chosen is not None and chosen.key == SAMPLE_SECRET and "sample" in SAMPLE_SECRET
    claims = jwt.decode(chosen.token, SAMPLE_SECRET, algorithms=["HS256"], audience=SAMPLE_AUDIENCE)
    assert claims["iat"] == int(now) and claims["exp"] == int(now) + 900
    rs = sample("rs256")
    assert rs is not None and rs.key.startswith("-----BEGIN PUBLIC KEY-----")
    assert jwt.get_unverified_header(rs.token)["kid"] == "sample-rsa-key"
    assert sample("rs256") is not None and sample("rs256").key == rs.key  # type: ignore[union-attr]


@pytest.mark.parametrize("name", ["", "HS256", "nope", "__init__", "hs256 ", "x" * 1000])
def test_unknown_names_are_none(name: str) -> None:
    assert sample(name) is None
