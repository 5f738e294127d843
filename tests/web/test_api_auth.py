"""Optional API authentication with short-lived JWTs (TOOLBOX_API_JWT_KEY)."""

from __future__ import annotations

import time

import jwt
import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.web.testapi import add_test_api
from toolbox.cli import main
from toolbox.core.apitoken import issue_token

SECRET = "an-api-secret-of-at-least-32-bytes!!"
URL = "/api/v1/test/echo"
BODY = {"text": "hi"}


@pytest.fixture
def auth_app(make_app):  # type: ignore[no-untyped-def]
    return add_test_api(make_app(TOOLBOX_API_JWT_KEY=SECRET, TOOLBOX_API_JWT_MAX_TTL="900"))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def hs(claims: dict[str, object], key: str = SECRET, alg: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=alg)


def test_valid_token_passes_and_names_the_subject(auth_app) -> None:  # type: ignore[no-untyped-def]
    token = issue_token(SECRET, "ci-bot", 300)
    response = auth_app.test_client().post(URL, json=BODY, headers=bearer(token))
    assert response.status_code == 200
    assert response.json["subject"] == "ci-bot"


def _refused(auth_app, logs, headers: dict[str, str], reason: str) -> None:  # type: ignore[no-untyped-def]
    response = auth_app.test_client().post(URL, json=BODY, headers=headers)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.json["reason"] == reason
    assert response.headers["WWW-Authenticate"].startswith('Bearer realm="toolbox"')
    events = logs.events("api-auth-failed")
    assert events and events[-1]["reason"] == reason
    token = headers.get("Authorization", "").partition(" ")[2]
    if token:
        assert token not in "\n".join(logs.lines)


def test_missing_token(auth_app, logs) -> None:  # type: ignore[no-untyped-def]
    _refused(auth_app, logs, {}, "missing")


def test_not_bearer(auth_app, logs) -> None:  # type: ignore[no-untyped-def]
    _refused(auth_app, logs, {"Authorization": "Basic dXNlcjpwYXNz"}, "malformed")


def test_expired_token(auth_app, logs) -> None:  # type: ignore[no-untyped-def]
    now = int(time.time())
    _refused(auth_app, logs, bearer(hs({"sub": "a", "iat": now - 600, "exp": now - 60})), "expired")


def test_token_without_exp(auth_app, logs) -> None:  # type: ignore[no-untyped-def]
    _refused(auth_app, logs, bearer(hs({"sub": "a", "iat": int(time.time())})), "missing-exp")


def test_wrong_algorithm(auth_app, logs) -> None:  # type: ignore[no-untyped-def]
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(time.time())
    token = jwt.encode({"sub": "a", "iat": now, "exp": now + 60}, private, algorithm="RS256")
    _refused(auth_app, logs, bearer(token), "algorithm-not-allowed")


def test_wrong_key(auth_app, logs) -> None:  # type: ignore[no-untyped-def]
    token = issue_token("another-secret-that-is-32-bytes-long", "a", 60)
    _refused(auth_app, logs, bearer(token), "bad-signature")


def test_over_long_lifetime(auth_app, logs) -> None:  # type: ignore[no-untyped-def]
    now = int(time.time())
    _refused(auth_app, logs, bearer(hs({"sub": "a", "iat": now, "exp": now + 86400})), "lifetime-too-long")


@pytest.mark.parametrize("alg", ["none", "NONE", "nOne"])
def test_alg_none(auth_app, logs, alg) -> None:  # type: ignore[no-untyped-def]
    now = int(time.time())
    header = jwt.utils.base64url_encode(f'{{"alg":"{alg}"}}'.encode()).decode()
    payload = jwt.utils.base64url_encode(f'{{"sub":"a","exp":{now + 60}}}'.encode()).decode()
    _refused(auth_app, logs, bearer(f"{header}.{payload}."), "algorithm-not-allowed")


def test_garbage_token(auth_app, logs) -> None:  # type: ignore[no-untyped-def]
    _refused(auth_app, logs, bearer("not-a-jwt"), "malformed")


def test_pages_and_openapi_stay_open(auth_app) -> None:  # type: ignore[no-untyped-def]
    client = auth_app.test_client()
    assert client.get("/").status_code == 200
    assert client.get("/api/openapi.json").status_code == 200
    assert client.get("/healthz").status_code == 200


def test_public_key_mode(make_app) -> None:  # type: ignore[no-untyped-def]
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    app = add_test_api(make_app(TOOLBOX_API_JWT_KEY=pem, TOOLBOX_API_JWT_AUDIENCE="toolbox"))
    now = int(time.time())
    good = jwt.encode({"sub": "svc", "aud": "toolbox", "iat": now, "exp": now + 60}, private, algorithm="PS256")
    client = app.test_client()
    assert client.post(URL, json=BODY, headers=bearer(good)).json["subject"] == "svc"
    no_aud = jwt.encode({"sub": "svc", "iat": now, "exp": now + 60}, private, algorithm="RS256")
    assert client.post(URL, json=BODY, headers=bearer(no_aud)).json["reason"] == "missing-aud"


def test_rate_limits_count_per_subject(make_app) -> None:  # type: ignore[no-untyped-def]
    app = add_test_api(make_app(TOOLBOX_API_JWT_KEY=SECRET, TOOLBOX_RATELIMIT_DEFAULT="2/minute"))
    client = app.test_client()
    alice, bob = issue_token(SECRET, "alice", 60), issue_token(SECRET, "bob", 60)
    assert [client.post(URL, json=BODY, headers=bearer(alice)).status_code for _ in range(3)] == [200, 200, 429]
    assert client.post(URL, json=BODY, headers=bearer(bob)).status_code == 200


def test_failed_auth_is_rate_limited_by_ip(make_app) -> None:  # type: ignore[no-untyped-def]
    app = add_test_api(make_app(TOOLBOX_API_JWT_KEY=SECRET, TOOLBOX_RATELIMIT_DEFAULT="3/minute"))
    client = app.test_client()
    codes = [client.post(URL, json=BODY, headers=bearer("junk")).status_code for _ in range(5)]
    assert codes == [401, 401, 401, 429, 429]


def test_cli_token_issue_mints_a_token_the_api_accepts(auth_app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TOOLBOX_API_JWT_KEY", SECRET)
    result = CliRunner().invoke(main, ["token", "issue", "--subject", "deploy", "--ttl", "120"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert claims["sub"] == "deploy" and claims["exp"] - claims["iat"] == 120
    response = auth_app.test_client().post(URL, json=BODY, headers=bearer(token))
    assert response.json["subject"] == "deploy"


@pytest.mark.parametrize(
    ("env", "args", "message"),
    [
        ({}, ["--subject", "x"], "TOOLBOX_API_JWT_KEY is not set"),
        ({"TOOLBOX_API_JWT_KEY": SECRET}, ["--subject", "x", "--ttl", "901"], "exceeds"),
        ({"TOOLBOX_API_JWT_KEY": "short"}, ["--subject", "x"], "TOOLBOX_API_JWT_KEY"),
    ],
)
def test_cli_token_issue_usage_errors_exit_2(monkeypatch, env, args, message) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("TOOLBOX_API_JWT_KEY", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(main, ["token", "issue", *args])
    assert result.exit_code == 2
    assert message in result.output
