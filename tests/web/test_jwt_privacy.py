"""Privacy of the JWT tool: tokens and keys never reach the logs, URLs or a cache."""

from __future__ import annotations

import time

import jwt

CANARY = "CANARY-b41e-jwt-secret-value-0123456789abcdef"
NOW = int(time.time())


def test_tokens_and_keys_never_logged(client, logs) -> None:  # type: ignore[no-untyped-def]
    token = jwt.encode({"sub": CANARY, "iat": NOW, "exp": NOW + 60}, CANARY, algorithm="HS256",
                       headers={"kid": CANARY})
    payload_b64 = token.split(".")[1]
    sent = [
        client.post("/jwt/", data={"token": token, "key": CANARY, "key_type": "secret"}),
        client.post("/jwt/", data={"token": token, "key": CANARY, "key_type": "jwk"}),  # bad key: error path
        client.post("/jwt/", data={"token": token}, headers={"HX-Request": "true"}),
        client.post("/jwt/encode", data={"payload": f'{{"sub": "{CANARY}"}}', "alg": "HS256", "key": CANARY}),
        client.post("/api/v1/jwt/decode", json={"token": token}),
        client.post("/api/v1/jwt/verify", json={"token": token, "key": CANARY, "key_type": "secret"}),
        client.post("/api/v1/jwt/verify", json={"token": token, "key": CANARY, "key_type": "pem"}),
        client.post("/api/v1/jwt/encode", json={"payload": {"sub": CANARY}, "alg": "HS256", "key": CANARY}),
        client.post("/api/v1/jwt/encode", json={"payload": {"sub": CANARY}, "alg": "RS256", "key": CANARY,
                                                 "key_type": "pem"}),
    ]
    assert all(r.status_code < 500 for r in sent)
    assert all(r.headers["Cache-Control"] == "no-store" for r in sent)
    text = "\n".join(logs.lines)
    assert logs.lines
    assert CANARY not in text and payload_b64 not in text and token.split(".")[2] not in text


def test_snippet_and_errors_do_not_echo_the_key(client) -> None:  # type: ignore[no-untyped-def]
    token = jwt.encode({"sub": "x"}, CANARY, algorithm="HS256")
    body = client.post("/api/v1/jwt/verify", json={"token": token, "key": CANARY, "key_type": "secret"}).json
    assert body["verified"] is True
    assert CANARY not in body["snippet"]
    bad = client.post("/api/v1/jwt/verify", json={"token": token, "key": CANARY + "{", "key_type": "jwk"})
    assert bad.status_code == 422
    assert CANARY not in bad.get_data(as_text=True)
