"""The JWT tool's operations, without any adapter: typed results, and one OpError kind for each refusal."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import jwt
import msgspec
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.servers import free_port, serve_json
from tests.web.test_jwt_remote_keys import KEY, identity_provider
from toolbox.config import Settings
from toolbox.core.apitoken import load_verification_key, verify_token
from toolbox.core.jwt.normalize import MAX_TOKEN_CHARS
from toolbox.ops import OPERATIONS, Context, ErrorKind, OpError
from toolbox.ops.jwt import (
    DecodeRequest,
    DecodeResult,
    EncodeRequest,
    IssueTokenRequest,
    KeysRequest,
    NotAToken,
    VerifyRequest,
    VerifyResult,
)

SECRET = "a-test-secret-that-is-long-enough-for-hs256-hs384-and-even-hs512-ok"
NOW = int(time.time())
TOKEN = jwt.encode({"sub": "ada", "iat": NOW, "exp": NOW + 600}, SECRET, algorithm="HS256")
LOOPBACK = {"TOOLBOX_FETCH_ALLOW": "127.0.0.0/8", "TOOLBOX_FETCH_PORTS": "any"}


def run(name: str, request: Any, env: dict[str, str] | None = None, before_fetch: Any = None) -> Any:
    settings = Settings.from_env(env or {})
    context = Context(settings) if before_fetch is None else Context(settings, before_fetch=before_fetch)
    return OPERATIONS[name].run(request, context)


def raised(name: str, request: Any, **kwargs: Any) -> OpError:
    with pytest.raises(OpError) as caught:
        run(name, request, **kwargs)
    return caught.value


@pytest.fixture(scope="module")
def idp() -> Iterator[str]:
    with serve_json(identity_provider) as origin:
        yield origin


def idp_token(issuer: str) -> str:
    return jwt.encode({"sub": "a", "iss": issuer, "iat": NOW, "exp": NOW + 600}, KEY, algorithm="RS256",
                      headers={"kid": "k1"})


def test_decode_gives_the_typed_result_without_the_token() -> None:
    result = run("jwt/decode", DecodeRequest(token="Bearer " + TOKEN, leeway=5))
    assert isinstance(result, DecodeResult)
    assert result.header == {"alg": "HS256", "typ": "JWT"} and result.status.leeway == 5
    encoded = msgspec.to_builtins(result)
    assert "token" not in encoded and all("data" not in segment for segment in encoded["segments"])


def test_a_token_that_does_not_decode_is_input_and_carries_what_was_read() -> None:
    with pytest.raises(NotAToken) as caught:
        run("jwt/decode", DecodeRequest(token="%%%.e30.x"))
    err = caught.value
    assert err.kind is ErrorKind.INPUT and err.title == "Token does not decode"
    assert [s.name for s in err.decoded.segments] == ["header", "payload", "signature"]
    assert err.details["errors"] and all(e["pointer"] == "/token" for e in err.details["errors"])


@pytest.mark.parametrize("name", ["jwt/decode", "jwt/verify"])
def test_a_text_longer_than_any_token_is_too_large(name: str) -> None:
    huge = "a" * (MAX_TOKEN_CHARS + 1)
    request = DecodeRequest(token=huge) if name == "jwt/decode" else VerifyRequest(token=huge, key=SECRET,
                                                                                  key_type="secret")
    assert raised(name, request).kind is ErrorKind.TOO_LARGE


def test_verify_with_a_pasted_key_never_spends_the_fetch_budget() -> None:
    def no_fetch() -> None:
        raise AssertionError("a pasted key is not fetched")

    result = run("jwt/verify", VerifyRequest(token=TOKEN, key=SECRET, key_type="secret", audience="x"),
                 before_fetch=no_fetch)
    assert isinstance(result, VerifyResult)
    assert result.verified and not result.claims_valid and result.key_source is None


@pytest.mark.parametrize("key_type", ["jwks-url", "issuer"])
def test_fetched_key_sets_spend_the_budget_once_before_fetching(idp: str, key_type: str) -> None:
    spent: list[str] = []
    key = idp + "/jwks.json" if key_type == "jwks-url" else idp
    result = run("jwt/verify", VerifyRequest(token=idp_token(idp), key=key, key_type=key_type), LOOPBACK,
                 before_fetch=lambda: spent.append("fetch"))
    assert result.verified and result.kid == "k1"
    assert spent == ["fetch"]
    assert result.key_source.startswith("JWKS fetched from " + idp)


def test_a_spent_budget_stops_the_fetch(idp: str, monkeypatch: pytest.MonkeyPatch) -> None:
    class Spent(Exception):
        pass

    def spend() -> None:
        raise Spent

    def never(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("fetched after the budget said no")

    monkeypatch.setattr("toolbox.core.net.fetcher.check_target", never)
    with pytest.raises(Spent):
        run("jwt/verify", VerifyRequest(token=TOKEN, key=idp, key_type="issuer"), LOOPBACK, before_fetch=spend)


def test_a_refused_key_set_url_is_refused_with_a_reason_that_names_no_address(idp: str) -> None:
    err = raised("jwt/verify", VerifyRequest(token=TOKEN, key=idp + "/jwks.json", key_type="jwks-url"),
                 env={"TOOLBOX_FETCH_PORTS": "any"})
    assert err.kind is ErrorKind.REFUSED and err.details["reason"]
    assert "127.0.0.1" not in err.message and "127.0.0.1" not in err.details["reason"]


@pytest.mark.parametrize("path", ["/nothing-here", None])
def test_a_key_set_that_cannot_be_fetched_is_failed(idp: str, path: str | None) -> None:
    url = idp + path if path else f"http://127.0.0.1:{free_port()}/jwks.json"
    err = raised("jwt/verify", VerifyRequest(token=TOKEN, key=url, key_type="jwks-url"), env=LOOPBACK)
    assert err.kind is ErrorKind.FAILED and err.details["reason"] == err.message


@pytest.mark.parametrize(("key", "key_type"), [("{", "jwk"), ("not a pem", "pem"), ('{"keys": 1}', "jwks")])
def test_a_key_that_cannot_be_used_is_unusable(key: str, key_type: Any) -> None:
    assert raised("jwt/verify", VerifyRequest(token=TOKEN, key=key, key_type=key_type)).kind is ErrorKind.UNUSABLE


def test_a_damaged_token_is_a_verdict_not_an_error() -> None:
    result = run("jwt/verify", VerifyRequest(token=TOKEN[:-4], key=SECRET, key_type="secret"))
    assert result.verified is False and result.reason


def test_encode_and_keys() -> None:
    key = run("jwt/keys", KeysRequest(kind="P-256"))
    signed = run("jwt/encode", EncodeRequest(payload={"sub": "x", "exp": "+1m"}, alg="ES256", key=key.private_pem,
                                             key_type="pem"))
    claims = jwt.decode(signed.token, key.public_pem, algorithms=["ES256"])
    assert claims["sub"] == "x" and 0 < claims["exp"] - time.time() <= 60
    mismatch = raised("jwt/encode", EncodeRequest(payload={}, alg="RS256", key=SECRET))
    assert mismatch.kind is ErrorKind.UNUSABLE and mismatch.title == "Cannot sign"
    bad_time = raised("jwt/encode", EncodeRequest(payload={"exp": "+3 fortnights"}, alg="HS256", key=SECRET))
    assert bad_time.kind is ErrorKind.UNUSABLE
    assert raised("jwt/keys", KeysRequest(kind="RSA-1024")).kind is ErrorKind.UNUSABLE  # type: ignore[arg-type]


def test_issue_token_mints_what_the_api_accepts() -> None:
    env = {"TOOLBOX_API_JWT_KEY": "k" * 40, "TOOLBOX_API_JWT_AUDIENCE": "toolbox", "TOOLBOX_API_JWT_MAX_TTL": "300"}
    issued = run("token/issue", IssueTokenRequest(subject="ci"), env)
    claims = verify_token(issued.token, load_verification_key("k" * 40), max_ttl=300, audience="toolbox")
    assert claims["sub"] == issued.subject == "ci" and claims["exp"] == issued.expires
    assert claims["exp"] - claims["iat"] == 300
    assert run("token/issue", IssueTokenRequest(subject="ci", ttl=60), env).expires - time.time() <= 60


def test_issue_token_refusals() -> None:
    assert raised("token/issue", IssueTokenRequest(subject="x")).kind is ErrorKind.UNUSABLE  # no key set
    over = raised("token/issue", IssueTokenRequest(subject="x", ttl=901), env={"TOOLBOX_API_JWT_KEY": "k" * 40})
    assert over.kind is ErrorKind.TOO_LARGE and "exceeds" in over.message
    public = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    verify_only = raised("token/issue", IssueTokenRequest(subject="x"), env={"TOOLBOX_API_JWT_KEY": public})
    assert verify_only.kind is ErrorKind.UNUSABLE and "HMAC" in verify_only.message


def test_token_issue_is_not_served_by_the_api() -> None:
    assert OPERATIONS["token/issue"].api is False
    assert all(OPERATIONS[f"jwt/{name}"].api for name in ("decode", "verify", "encode", "keys"))


def test_requests_refuse_unknown_fields_and_values_outside_the_choices() -> None:
    with pytest.raises(msgspec.ValidationError, match="unknown field"):
        msgspec.json.decode(json.dumps({"token": TOKEN, "leway": 1}), type=DecodeRequest)
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(json.dumps({"token": TOKEN, "key": "k", "key_type": "password"}), type=VerifyRequest)
    decoded = msgspec.json.decode(json.dumps({"token": TOKEN, "key": "k", "key_type": "pem", "audience": ["a"]}),
                                  type=VerifyRequest)
    assert decoded.audience == ("a",) and decoded.require == () and decoded.leeway == 0


def test_verify_with_cache_fetches_only_when_allowed_and_spends_the_budget_only_then(idp) -> None:  # type: ignore[no-untyped-def]
    from toolbox.core.jwt.remote_keys import KeySetCache
    from toolbox.ops.jwt import verify_with_cache

    spent: list[int] = []
    context = Context(Settings.from_env(LOOPBACK), before_fetch=lambda: spent.append(1))
    cache = KeySetCache()
    request = VerifyRequest(token=idp_token(idp), key=idp + "/jwks.json")
    assert verify_with_cache(request, context, cache, may_fetch=False) is None and spent == [] and len(cache) == 0
    fetched = verify_with_cache(request, context, cache, may_fetch=True)
    assert fetched is not None and fetched.verified and spent == [1] and len(cache) == 1
    reused = verify_with_cache(request, context, cache, may_fetch=False)
    assert reused is not None and reused.verified and spent == [1]
    assert reused.key_source == f"JWKS fetched from {idp}/jwks.json, reused from the last minute"
    assert (reused.key_type, reused.key_read_as) == ("jwks-url", "JWKS URL: JWK Set (1 key)")
    # A pasted key never needs a fetch: verified whatever may_fetch says, nothing cached.
    pasted = VerifyRequest(token=TOKEN, key=SECRET)
    assert verify_with_cache(pasted, context, cache, may_fetch=False).verified  # type: ignore[union-attr]
    assert len(cache) == 1 and spent == [1]


def test_an_undetectable_key_is_unusable_with_the_reason() -> None:
    error = raised("jwt/encode", EncodeRequest(payload={}, alg="RS256", key="https://idp.example/jwks.json"))
    assert error.kind is ErrorKind.UNUSABLE and "a URL cannot sign" in error.message
    error = raised("jwt/verify", VerifyRequest(token=TOKEN, key="   "))
    assert error.kind is ErrorKind.UNUSABLE and "no key given" in error.message
