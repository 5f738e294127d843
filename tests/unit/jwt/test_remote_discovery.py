"""OIDC discovery documents are checked before anything else is fetched (issue 8, finding 6).

The document must carry "issuer" as a string equal to the issuer asked for (OIDC Discovery 1.0 §4.3)
and "jwks_uri" as an absolute https URL (http only when the issuer itself is http, e.g. a local test
identity provider the operator allowed with TOOLBOX_FETCH_ALLOW).
"""

from __future__ import annotations

from typing import Any

import pytest

from toolbox.core.jwt import remote_keys
from toolbox.core.jwt.remote_keys import RemoteKeyError, jwks_from_issuer
from toolbox.core.net import FetchPolicy

ISSUER = "https://login.example.com"


def discover(monkeypatch: pytest.MonkeyPatch, config: Any, issuer: str = ISSUER) -> tuple[str, str]:
    fetched: list[str] = []

    def fake_get_json(url: str, what: str, policy: FetchPolicy) -> dict[str, Any]:
        fetched.append(url)
        if url.endswith("/.well-known/openid-configuration"):
            return config  # type: ignore[no-any-return]
        return {"keys": []}

    monkeypatch.setattr(remote_keys, "_get_json", fake_get_json)
    return jwks_from_issuer(issuer, FetchPolicy())


@pytest.mark.parametrize("issuer", [None, 123, 1.5, True, [ISSUER], {"url": ISSUER}, "", "https://evil.example"])
def test_issuer_must_be_the_string_asked_for(monkeypatch: pytest.MonkeyPatch, issuer: Any) -> None:
    config: dict[str, Any] = {"jwks_uri": ISSUER + "/jwks"}
    if issuer is not None:
        config["issuer"] = issuer
    with pytest.raises(RemoteKeyError, match="issuer") as caught:
        discover(monkeypatch, config)
    assert caught.value.refused is False


@pytest.mark.parametrize("jwks_uri", [None, 5, ["https://login.example.com/jwks"], {}, "", "/jwks.json",
                                      "jwks.json", "javascript:alert(1)", "ftp://login.example.com/jwks",
                                      "file:///etc/passwd", "http://login.example.com/jwks", "https://",
                                      "https://" + "a" * 5000 + ".example/jwks"])
def test_jwks_uri_must_be_an_absolute_https_url(monkeypatch: pytest.MonkeyPatch, jwks_uri: Any) -> None:
    config: dict[str, Any] = {"issuer": ISSUER}
    if jwks_uri is not None:
        config["jwks_uri"] = jwks_uri
    with pytest.raises(RemoteKeyError, match="jwks_uri"):
        discover(monkeypatch, config)


def test_a_good_document_is_followed(monkeypatch: pytest.MonkeyPatch) -> None:
    uri, _ = discover(monkeypatch, {"issuer": ISSUER + "/", "jwks_uri": ISSUER + "/keys"})
    assert uri == ISSUER + "/keys"
    uri, _ = discover(monkeypatch, {"issuer": "http://127.0.0.1:8080", "jwks_uri": "http://127.0.0.1:8080/k"},
                      issuer="http://127.0.0.1:8080")
    assert uri == "http://127.0.0.1:8080/k"  # http only because the issuer itself is http
