"""OIDC discovery through the page, the API and the CLI: a bad document is a clear 422 / exit 2."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner

from tests.servers import serve_json
from tests.unit.jwt import hugekeys
from tests.unit.jwt.test_key_bounds import rs256_token
from toolbox.cli import main

# /<case>/.well-known/openid-configuration serves DOCUMENTS[case] (with {origin} and {issuer} filled in).
DOCUMENTS: dict[str, Any] = {
    "no-issuer": {"jwks_uri": "{origin}/jwks.json"},
    "issuer-number": {"issuer": 12345, "jwks_uri": "{origin}/jwks.json"},
    "issuer-list": {"issuer": ["{issuer}"], "jwks_uri": "{origin}/jwks.json"},
    "issuer-null": {"issuer": None, "jwks_uri": "{origin}/jwks.json"},
    "other-issuer": {"issuer": "https://evil.example", "jwks_uri": "{origin}/jwks.json"},
    "jwks-uri-list": {"issuer": "{issuer}", "jwks_uri": ["{origin}/jwks.json"]},
    "jwks-uri-relative": {"issuer": "{issuer}", "jwks_uri": "/jwks.json"},
    "jwks-uri-file": {"issuer": "{issuer}", "jwks_uri": "file:///etc/passwd"},
    "not-an-object": ["{issuer}"],
}


def fill(value: Any, origin: str, issuer: str) -> Any:
    if isinstance(value, str):
        return value.replace("{origin}", origin).replace("{issuer}", issuer)
    if isinstance(value, list):
        return [fill(v, origin, issuer) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, origin, issuer) for k, v in value.items()}
    return value


def _discovery(path: str, origin: str) -> bytes | None:
    """One discovery document per case (/<case>/.well-known/...) and a usable JWKS."""
    case = path.split("/")[1]
    if path.endswith("/.well-known/openid-configuration") and case in DOCUMENTS:
        return json.dumps(fill(DOCUMENTS[case], origin, f"{origin}/{case}")).encode()
    if path == "/jwks.json":
        return hugekeys.rsa_jwks(2048).encode()  # usable: only the document can make this fail
    return None


@pytest.fixture(scope="module")
def origin() -> Iterator[str]:
    with serve_json(_discovery) as served:
        yield served


@pytest.mark.parametrize("case", list(DOCUMENTS))
def test_bad_discovery_documents_are_a_clear_422(make_app, origin, case) -> None:  # type: ignore[no-untyped-def]
    client = make_app(TOOLBOX_FETCH_ALLOW="127.0.0.0/8", TOOLBOX_FETCH_PORTS="any").test_client()
    body = {"token": rs256_token(256), "key": f"{origin}/{case}", "key_type": "issuer"}
    api = client.post("/api/v1/jwt/verify", json=body)
    assert api.status_code == 422, api.json
    assert api.mimetype == "application/problem+json" and api.json["reason"]
    assert "issuer" in api.json["detail"] or "jwks_uri" in api.json["detail"] or "JSON object" in api.json["detail"]
    page = client.post("/jwt/", data={**body, "action": "verify"}, headers={"HX-Request": "true"})  # the button
    assert page.status_code == 422 and "Cannot use this input" in page.get_data(as_text=True)


def test_the_cli_exits_2_on_a_document_without_issuer(origin, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TOOLBOX_FETCH_ALLOW", "127.0.0.0/8")
    monkeypatch.setenv("TOOLBOX_FETCH_PORTS", "any")
    result = CliRunner().invoke(main, ["jwt", "verify", rs256_token(256), "--key-type", "issuer",
                                       "--url", f"{origin}/no-issuer"])
    assert result.exit_code == 2 and "issuer" in result.output
