"""SD-JWT through the API, the page and the CLI: RFC 9901 vectors, the sample, and hostile input (4xx, never 5xx)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from toolbox.core.jwt import b64
from toolbox.core.jwt.samples import sample

VECTORS = json.loads((Path(__file__).parents[1] / "unit" / "jwt" / "vectors" / "sd-jwt" / "generated.json")
                     .read_text("utf-8"))
SIMPLE = VECTORS["rfc-simple"]["presentation"]
ISSUER_JWK = json.dumps({"kty": "EC", "crv": "P-256", "x": "b28d4MwZMjw8-00CG4xfnn9SLMVMM19SlqZpVb_uNtQ",
                         "y": "Xv5zWwuoaTgdS6hV43yI6gBwTnjukmFQQnJ_kCxzqk8"})


def test_decode_answers_kind_sd_jwt(client) -> None:  # type: ignore[no-untyped-def]
    body = client.post("/api/v1/jwt/decode", json={"token": SIMPLE}).json
    assert body["kind"] == "sd-jwt"
    sd = body["sd_jwt"]
    assert sd["claims"] == VECTORS["rfc-simple"]["verified_contents"]
    assert body["payload"] == VECTORS["rfc-simple"]["issuer_payload"]  # as signed, with _sd
    assert len(sd["disclosures"]) == 4 and len(sd["undisclosed"]) == 6 and not sd["all_disclosed"]
    given = next(d for d in sd["disclosures"] if d["name"] == "given_name")
    assert given["digest"] == "jsu9yVulwQQlhFlM_3JlzMaSFzglhQG0DpfayQwLUK4" and given["status"] == "matched"
    assert given["location"] == "/given_name" and given["salt"] == "2GLC42sKQveCfGfryNRN9w"
    assert sd["key_binding"]["problems"] == [] and sd["key_binding"]["header"]["typ"] == "kb+jwt"
    assert {c["name"] for c in body["claims"]} >= {"given_name", "family_name", "address"}


def test_verify_checks_issuer_signature_and_key_binding(client) -> None:  # type: ignore[no-untyped-def]
    kb = VECTORS["rfc-simple"]["kb_jwt_payload"]
    request = {"token": SIMPLE, "key": ISSUER_JWK, "kb_audience": kb["aud"], "kb_nonce": kb["nonce"],
               "kb_max_age": None}
    body = client.post("/api/v1/jwt/verify", json=request).json
    assert body["verified"] is True and body["alg"] == "ES256"
    assert body["sd_jwt"]["valid"] is True and body["sd_jwt"]["key_binding_valid"] is True
    assert body["sd_jwt"]["key_binding"]["nonce"] == "1234567890"
    wrong = client.post("/api/v1/jwt/verify", json={**request, "kb_nonce": "other"}).json
    assert wrong["verified"] is True and wrong["sd_jwt"]["valid"] is False
    assert any("nonce" in reason for reason in wrong["sd_jwt"]["reasons"])
    stale = client.post("/api/v1/jwt/verify", json={**request, "kb_max_age": 0}).json  # made minutes ago
    assert stale["sd_jwt"]["key_binding_valid"] is False


def test_verify_sample(client) -> None:  # type: ignore[no-untyped-def]
    chosen = sample("sd-jwt")
    assert chosen is not None
    body = client.post("/api/v1/jwt/verify", json={"token": chosen.token, "key": chosen.key,
                                                    "kb_audience": chosen.kb_audience,
                                                    "kb_nonce": chosen.kb_nonce}).json
    assert body["verified"] and body["claims_valid"] and body["sd_jwt"]["valid"]
    tampered = chosen.token.replace("~", "~" + b64.encode(b'["salt-salt-salt-salt-salt", "admin", true]') + "~", 1)
    bad = client.post("/api/v1/jwt/verify", json={"token": tampered, "key": chosen.key}).json
    assert bad["verified"] and not bad["sd_jwt"]["valid"]
    assert any("matches no digest" in r for r in bad["sd_jwt"]["reasons"])
    assert any("sd_hash" in r for r in bad["sd_jwt"]["reasons"])


HOSTILE = ["~", "~~~~", "a~b", "x.y.z~", "..~", "~" * 200_000, "e30.e30.~" + "A" * 200_000,
           "e30.e30.x~" + "~".join(["WyJzIiwgIm4iLCAxXQ"] * 2000) + "~",
           "e30.e30.x~\u202e~\x00~", "e30.e30.x~" + b64.encode(b"[" * 100_000) + "~",
           "e30.e30.x~a~eyJhbGciOiJub25lIn0.e30.", "{\"payload\": \"x\", \"disclosures\": []}"]


@pytest.mark.parametrize("token", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_input_is_4xx_or_a_result(client, token: str) -> None:  # type: ignore[no-untyped-def]
    for path, extra in (("decode", {}), ("verify", {"key": ISSUER_JWK})):
        response = client.post(f"/api/v1/jwt/{path}", json={"token": token, **extra})
        assert response.status_code in (200, 422), (path, response.status_code)
    page = client.post("/jwt/", data={"token": token, "key": ISSUER_JWK})
    assert page.status_code in (200, 400, 422)  # a NUL in a form field is refused as malformed (400)


@pytest.mark.parametrize("field", [{"kb_max_age": -1}, {"kb_max_age": "x"}, {"kb_nonce": 5},
                                   {"kb_audience": "a" * 5000}])
def test_bad_kb_fields_are_422(client, field: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/jwt/verify", json={"token": SIMPLE, "key": ISSUER_JWK, **field})
    assert response.status_code == 422 and response.json["errors"]


def test_page_shows_disclosures_hidden_digests_and_key_binding(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/jwt/?sample=sd-jwt").get_data(as_text=True)
    assert "SD-JWT VC" in html and "Verified" in html
    assert html.count('class="disclosure-row') == 4
    assert "undisclosed or decoy" in html and "Key binding" in html
    assert "Erika" in html and "erika@example.com" not in html  # a hidden claim stays hidden


def test_page_rejects_an_unmatched_disclosure(client) -> None:  # type: ignore[no-untyped-def]
    chosen = sample("sd-jwt")
    assert chosen is not None
    stray = b64.encode(b'["c2FsdHNhbHRzYWx0c2FsdA", "role", "admin"]')
    token = chosen.token.replace("~", f"~{stray}~", 1)
    html = client.post("/jwt/", data={"token": token, "key": chosen.key, "kb_audience": chosen.kb_audience,
                                      "kb_nonce": chosen.kb_nonce, "kb_max_age": "300"}).get_data(as_text=True)
    assert "Rejected" in html and "matches no digest" in html
    assert re.search(r"unmatched", html)


def test_page_escapes_disclosure_values(client) -> None:  # type: ignore[no-untyped-def]
    import jwt as pyjwt

    from toolbox.core.jwt.sdjwt import digest_of

    evil = b64.encode(json.dumps(["c2FsdHNhbHRzYWx0c2FsdA", "<script>x</script>", "<img src=x>"]).encode())
    token = pyjwt.encode({"_sd": [digest_of(evil)]}, "k" * 32, algorithm="HS256") + f"~{evil}~"
    html = client.post("/jwt/", data={"token": token}).get_data(as_text=True)
    assert "<script>x" not in html and "<img src=x>" not in html and "&lt;img src=x&gt;" in html


def test_cli_decode_and_verify(tmp_path: Path) -> None:
    from toolbox.cli import main

    runner = CliRunner()
    out = runner.invoke(main, ["jwt", "decode", SIMPLE])
    assert out.exit_code == 0, out.output
    assert "Kind: sd-jwt" in out.output and "given_name" in out.output and "undisclosed or decoy" in out.output
    as_json = runner.invoke(main, ["jwt", "decode", "--json", SIMPLE])
    assert json.loads(as_json.output)["sd_jwt"]["claims"]["given_name"] == "John"
    key = tmp_path / "issuer.jwk"
    key.write_text(ISSUER_JWK)
    kb = VECTORS["rfc-simple"]["kb_jwt_payload"]
    good = runner.invoke(main, ["jwt", "verify", SIMPLE, "--key", str(key), "--kb-audience", kb["aud"],
                                "--kb-nonce", kb["nonce"], "--kb-max-age", "0"])
    assert good.exit_code != 0 and "Key binding" in good.output  # stale (max age 0)
    fresh = runner.invoke(main, ["jwt", "verify", SIMPLE, "--key", str(key), "--kb-audience", kb["aud"],
                                 "--kb-nonce", kb["nonce"], "--kb-max-age", "315360000"])
    assert fresh.exit_code == 0, fresh.output
    assert "Key binding: verified" in fresh.output
    wrong = runner.invoke(main, ["jwt", "verify", "--json", SIMPLE, "--key", str(key), "--kb-nonce", "x"])
    assert wrong.exit_code != 0 and json.loads(wrong.output)["sd_jwt"]["valid"] is False


@pytest.mark.parametrize(("field", "value", "label"), [("kb_max_age", "x", "Key binding max age"),
                                                       ("kb_max_age", "-5", "Key binding max age"),
                                                       ("kb_nonce", "n" * 3000, "Key binding nonce"),
                                                       ("kb_audience", "a" * 3000, "Key binding audience")])
def test_page_refuses_bad_key_binding_fields(client, field: str, value: str, label: str) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/jwt/", data={"token": SIMPLE, "key": ISSUER_JWK, field: value})
    assert response.status_code == 400
    assert label in response.get_data(as_text=True)
