"""The JWT pages: decode as you type (htmx) and by plain form submit, verify, encode, keys."""

from __future__ import annotations

import re
import time

import jwt
import pytest

SECRET = "a-test-secret-that-is-long-enough-for-hs256-hs384-and-even-hs512-ok"
NOW = int(time.time())


def token(claims: dict[str, object] | None = None, key: str = SECRET, alg: str = "HS256") -> str:
    return jwt.encode(claims or {"sub": "ada", "iat": NOW, "exp": NOW + 600}, key, algorithm=alg)


def test_page_has_a_real_form_with_htmx_layered_on(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/jwt/").get_data(as_text=True)
    assert 'method="post"' in html and 'action="/jwt/#jwt-result"' in html
    assert 'hx-post="/jwt/"' in html and "hx-trigger=" in html
    textarea = re.search(r"<textarea id=\"token\"[^>]*>", html)
    assert textarea and 'autocomplete="off"' in textarea.group(0) and 'spellcheck="false"' in textarea.group(0)


def test_plain_form_post_renders_the_full_page_with_the_result(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/jwt/", data={"token": token()})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.startswith("<!doctype html>")
    assert "ada" in html and "HS256" in html
    assert response.headers["Cache-Control"] == "no-store"


def test_htmx_post_renders_only_the_result(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/jwt/", data={"token": "Bearer " + token()}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html and "ada" in html
    assert "Bearer" in html  # the note saying the prefix was removed


def test_verify_with_the_right_and_wrong_secret(client) -> None:  # type: ignore[no-untyped-def]
    good = client.post("/jwt/", data={"token": token(), "key": SECRET, "key_type": "secret"},
                       headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Signature verified" in good and "Signature not verified" not in good
    bad = client.post("/jwt/", data={"token": token(), "key": "wrong-" + SECRET, "key_type": "secret"},
                      headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Signature not verified" in bad
    # The snippet reproduces the check without containing the secret.
    assert "jwt.decode" in good and SECRET not in good.split("jwt-snippet", 1)[1].split("</pre>", 1)[0]


def test_undecodable_token_is_422_with_the_reason(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/jwt/", data={"token": "%%%.%%%.%%%"}, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "char" in response.get_data(as_text=True)


def test_empty_token_asks_for_one(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/jwt/", data={"token": "  "}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Paste a token" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"token": "x", "leeway": "soon"}, "Leeway"),
        ({"token": "x", "leeway": "-5"}, "Leeway"),
        ({"token": "x", "leeway": "999999"}, "Leeway"),
        ({"token": "x", "key_type": "telepathy"}, "Key type"),
        ({"token": "x", "audience": "a" * 5000}, "Expected audience"),
        ({"token": "a\x00b"}, "NUL"),
    ],
)
def test_bad_form_fields_are_400_with_the_field_named(client, data, fragment) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/jwt/", data=data, headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert fragment in response.get_data(as_text=True)


def test_hostile_tokens_never_500(client) -> None:  # type: ignore[no-untyped-def]
    import random

    rng = random.Random(7)
    samples = [
        "".join(chr(rng.randrange(32, 0x2FFF)) for _ in range(300)),
        "." * 1000,
        "eyJ" + "A" * 200_000,
        "[" * 50_000,
        token({"nested": [[[[[[[[[[[]]]]]]]]]]]}),
        # JSON escapes of lone surrogates: valid JSON text, but not encodable as UTF-8.
        jwt.utils.base64url_encode(b'{"alg":"HS256","kid":"\\ud800"}').decode() + "."
        + jwt.utils.base64url_encode(b'{"\\udc00":"\\ud800","exp":1}').decode() + ".c2ln",
        "<script>alert(1)</script>.e30.",
    ]
    for sample in samples:
        response = client.post("/jwt/", data={"token": sample}, headers={"HX-Request": "true"})
        assert response.status_code in (200, 400, 413, 422), sample[:40]
        assert "<script>alert(1)" not in response.get_data(as_text=True)


def test_oversized_token_is_refused_clearly(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/jwt/", data={"token": "a" * 300_000}, headers={"HX-Request": "true"})
    assert response.status_code in (400, 422)
    assert "limit" in response.get_data(as_text=True) or "characters" in response.get_data(as_text=True)


def test_encode_page_signs_and_the_token_verifies(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/jwt/encode").status_code == 200
    response = client.post("/jwt/encode", data={
        "header": '{"typ": "JWT"}', "payload": '{"sub": "bob", "exp": "+15m"}',
        "alg": "HS384", "key": SECRET, "key_type": "secret"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    signed = re.search(r'id="encoded-token">([^<]+)<', response.get_data(as_text=True))
    assert signed
    claims = jwt.decode(signed.group(1), SECRET, algorithms=["HS384"])
    assert claims["sub"] == "bob" and 800 < claims["exp"] - time.time() <= 900


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [("{", "not valid JSON"), ("[1]", "JSON object"), ('{"a": NaN}', "not valid JSON")],
)
def test_encode_bad_json_is_422(client, payload, fragment) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/jwt/encode", data={"payload": payload, "alg": "HS256", "key": SECRET},
                           headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert fragment in response.get_data(as_text=True)


def test_key_generation(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/jwt/keys", data={"kind": "Ed25519"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "BEGIN PRIVATE KEY" in html and "BEGIN PUBLIC KEY" in html and "OKP" in html
    assert client.post("/jwt/keys", data={"kind": "RSA-1024"}).status_code == 422


def test_nav_links_to_the_tool(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/").get_data(as_text=True)
    assert 'href="/jwt/"' in html


def test_findings_from_decode_and_verify_are_listed_by_severity(client) -> None:  # type: ignore[no-untyped-def]
    weak = jwt.encode({"sub": "a", "iat": NOW, "exp": NOW + 90 * 86400}, "secret", algorithm="HS256")
    html = client.post("/jwt/", data={"token": weak, "key": "secret", "key_type": "secret"},
                       headers={"HX-Request": "true"}).get_data(as_text=True)
    order = re.findall(r'<li class="finding sev-(\w+)">', html)
    assert "critical" in order and "high" in order and "medium" in order  # weak-secret, short-hmac-key, long-lifetime
    ranks = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
    assert [ranks[s] for s in order] == sorted(ranks[s] for s in order)
    assert "weak-secret" in html and "short-hmac-key" in html
