"""The key set linter through the API, the page and the CLI: pasted documents, an issuer fetched from a
loopback identity provider (OIDC and RFC 8414 discovery, each fetch counted), refusals and hostile input
as clear 4xx (exit 1/2), never a 5xx."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner

from tests.servers import serve_json
from tests.unit.jwt.test_jwks_lint import OIDC, ec_jwk, good, good2
from toolbox.cli import main
from toolbox.web.jwt_jwks import SAMPLE

LOOPBACK = {"TOOLBOX_FETCH_ALLOW": "127.0.0.0/8", "TOOLBOX_FETCH_PORTS": "any"}
CLEAN = {"keys": [good("a"), good2("b")]}
LEAKY = {"keys": [good("a"), {**good2("a"), "d": "AQAB"}]}


def _document(issuer: str, jwks_uri: str) -> dict[str, Any]:
    return {**OIDC, "issuer": issuer, "jwks_uri": jwks_uri,
            **{name: issuer + "/" + name for name in ("authorization_endpoint", "token_endpoint")}}


def _idp(path: str, origin: str) -> bytes | None:
    """/<case>/.well-known/openid-configuration per case; /oauth only in the RFC 8414 place."""
    documents = {
        "clean": _document(f"{origin}/clean", f"{origin}/clean.json"),
        "leaky": _document(f"{origin}/leaky", f"{origin}/leaky.json"),
        "slash": _document(f"{origin}/slash/", f"{origin}/clean.json"),
        "private": _document(f"{origin}/private", "http://10.0.0.1/jwks.json"),
        "nojwks": {k: v for k, v in _document(f"{origin}/nojwks", "").items() if k != "jwks_uri"},
        "filejwks": _document(f"{origin}/filejwks", "file:///etc/passwd"),
        "notdoc": {"hello": "world"},
        "badjwks": _document(f"{origin}/badjwks", f"{origin}/notjwks.json"),
    }
    case = path.split("/")[1]
    if path == f"/{case}/.well-known/openid-configuration" and case in documents:
        return json.dumps(documents[case]).encode()
    if path == "/.well-known/oauth-authorization-server/oauth":
        return json.dumps({"issuer": f"{origin}/oauth", "jwks_uri": f"{origin}/clean.json",
                           "response_types_supported": ["code"]}).encode()
    bodies = {"/clean.json": CLEAN, "/leaky.json": LEAKY, "/notjwks.json": {"keys": "none"}}
    return json.dumps(bodies[path]).encode() if path in bodies else None


@pytest.fixture(scope="module")
def origin() -> Iterator[str]:
    with serve_json(_idp) as served:
        yield served


@pytest.fixture
def loopback(make_app):  # type: ignore[no-untyped-def]
    return make_app(**LOOPBACK).test_client()


# --- API ------------------------------------------------------------------------------------------

def test_api_lints_a_pasted_set(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/jwt/jwks/lint", json={"jwks": json.dumps(LEAKY)})
    assert response.status_code == 200
    body = response.json
    assert body["kind"] == "jwks" and body["source"] == "pasted" and body["total_keys"] == 2
    assert [k["kid"] for k in body["keys"]] == ["a", "a"] and len(body["keys"][0]["thumbprint"]) == 43
    assert {f["id"] for f in body["findings"]} == {"duplicate-kid"}
    assert [f["id"] for f in body["keys"][1]["findings"]] == ["private-key-material"]
    assert set(body["keys"][0]) >= {"thumbprint", "kid", "kty", "alg", "use", "size", "findings"}


def test_api_lints_a_pasted_discovery_document_against_an_expected_issuer(client) -> None:  # type: ignore[no-untyped-def]
    body = {"jwks": json.dumps(OIDC), "expected_issuer": OIDC["issuer"] + "/"}
    answer = client.post("/api/v1/jwt/jwks/lint", json=body).json
    assert answer["kind"] == "discovery" and answer["keys"] == []
    assert [f["id"] for f in answer["findings"]] == ["issuer-mismatch"]
    assert answer["discovery"]["expected_issuer"] == OIDC["issuer"] + "/"


@pytest.mark.parametrize("body,status,said", [
    ({}, 422, "Nothing to lint"),
    ({"jwks": "   "}, 422, "Nothing to lint"),
    ({"jwks": "{}", "issuer": "https://a.example"}, 422, "not both"),
    ({"issuer": "https://a.example", "expected_issuer": "https://a.example"}, 422, "expected_issuer"),
    ({"jwks": "not json"}, 422, "not valid JSON"),
    ({"jwks": "[" * 200_000}, 422, "not valid JSON"),
    ({"jwks": '{"keys": 5}'}, 422, "must be an array"),
    ({"jwks": 5}, 422, "/jwks"),
    ({"jwks": ["{}"]}, 422, "/jwks"),
    ({"issuer": {"a": 1}}, 422, "/issuer"),
    ({"jwks": "x" * (1024 * 1024 + 1)}, 422, "maxLength"),
    ({"jwks": "{}", "extra": 1}, 422, "does not accept"),
])
def test_api_refuses_bad_bodies_clearly(make_app, body: dict[str, Any], status: int, said: str) -> None:  # type: ignore[no-untyped-def]
    client = make_app(TOOLBOX_MAX_BODY_BYTES="4194304").test_client()
    response = client.post("/api/v1/jwt/jwks/lint", json=body)
    assert response.status_code == status and response.mimetype == "application/problem+json"
    assert said in json.dumps(response.json), response.json


def test_api_malformed_json_body_is_400(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/jwt/jwks/lint", data=b'{"jwks": ', content_type="application/json")
    assert response.status_code == 400


def test_api_survives_hostile_sets(client) -> None:  # type: ignore[no-untyped-def]
    hostile = {"keys": [5, None, [], "x", {"kty": {"a": [1]}}, {"kty": "RSA", "n": ["\ud800"], "e": 1e308},
                        {"kid": "\u202enimda", "kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"},
                        *[good(str(i)) for i in range(150)]]}
    response = client.post("/api/v1/jwt/jwks/lint", json={"jwks": json.dumps(hostile)})
    assert response.status_code == 200
    body = response.json
    assert body["total_keys"] == 157 and len(body["keys"]) == 100
    assert "keys-not-read" in {f["id"] for f in body["findings"]}


# --- issuer fetched --------------------------------------------------------------------------------

def test_issuer_is_discovered_and_its_keys_linted(loopback, origin) -> None:  # type: ignore[no-untyped-def]
    body = loopback.post("/api/v1/jwt/jwks/lint", json={"issuer": f"{origin}/leaky"}).json
    assert body["kind"] == "discovery" and body["total_keys"] == 2
    assert body["source"] == (f"discovery document fetched from {origin}/leaky/.well-known/openid-configuration; "
                              f"keys fetched from {origin}/leaky.json")
    found = {f["id"] for f in body["findings"]} | {f["id"] for k in body["keys"] for f in k["findings"]}
    assert {"duplicate-kid", "private-key-material", "insecure-url"} <= found  # http:// on loopback
    assert "issuer-mismatch" not in found


def test_a_trailing_slash_is_an_issuer_mismatch(loopback, origin) -> None:  # type: ignore[no-untyped-def]
    body = loopback.post("/api/v1/jwt/jwks/lint", json={"issuer": f"{origin}/slash"}).json
    mismatch = next(f for f in body["findings"] if f["id"] == "issuer-mismatch")
    assert "trailing slash" in mismatch["detail"]


def test_the_discovery_url_itself_is_accepted(loopback, origin) -> None:  # type: ignore[no-untyped-def]
    url = f"{origin}/clean/.well-known/openid-configuration"
    body = loopback.post("/api/v1/jwt/jwks/lint", json={"issuer": url}).json
    assert body["discovery"]["expected_issuer"] == f"{origin}/clean"
    assert "issuer-mismatch" not in {f["id"] for f in body["findings"]}


def test_rfc8414_document_is_tried_after_a_404(make_app, origin) -> None:  # type: ignore[no-untyped-def]
    client = make_app(**LOOPBACK, TOOLBOX_RATELIMIT_FETCH="3/minute").test_client()
    body = client.post("/api/v1/jwt/jwks/lint", json={"issuer": f"{origin}/oauth"}).json
    assert body["source"].startswith(f"discovery document fetched from {origin}/.well-known/oauth-authorization-server/oauth")
    assert body["total_keys"] == 2 and "missing-metadata" not in {f["id"] for f in body["findings"]}
    # Three fetches (OIDC 404, RFC 8414, jwks_uri) spent the budget of three: the next is 429.
    assert client.post("/api/v1/jwt/jwks/lint", json={"issuer": f"{origin}/clean"}).status_code == 429


def test_every_fetch_is_counted(make_app, origin) -> None:  # type: ignore[no-untyped-def]
    client = make_app(**LOOPBACK, TOOLBOX_RATELIMIT_FETCH="3/minute").test_client()
    assert client.post("/api/v1/jwt/jwks/lint", json={"issuer": f"{origin}/clean"}).status_code == 200  # 2
    second = client.post("/api/v1/jwt/jwks/lint", json={"issuer": f"{origin}/clean"})  # 3, then 4: refused
    assert second.status_code == 429
    pasted = client.post("/api/v1/jwt/jwks/lint", json={"jwks": json.dumps(CLEAN)})  # nothing fetched
    assert pasted.status_code == 200


def test_a_jwks_uri_at_a_private_address_is_refused_by_the_fetcher(loopback, origin) -> None:  # type: ignore[no-untyped-def]
    response = loopback.post("/api/v1/jwt/jwks/lint", json={"issuer": f"{origin}/private"})
    assert response.status_code == 422 and response.json["kind"] == "refused"
    assert "10.0.0.1" not in response.json["detail"] or "refused" in response.json["detail"]


def test_the_issuer_itself_at_a_private_address_is_refused(client) -> None:  # type: ignore[no-untyped-def]
    for issuer in ("http://127.0.0.1:9/", "http://169.254.169.254/latest", "http://[::1]/", "file:///etc/passwd"):
        response = client.post("/api/v1/jwt/jwks/lint", json={"issuer": issuer})
        assert response.status_code == 422, issuer


@pytest.mark.parametrize("case,said", [
    ("nojwks", "no jwks_uri"), ("filejwks", "not an absolute http(s) URL"),
])
def test_documents_without_a_fetchable_jwks_uri_are_linted_with_a_note(loopback, origin, case, said) -> None:  # type: ignore[no-untyped-def]
    body = loopback.post("/api/v1/jwt/jwks/lint", json={"issuer": f"{origin}/{case}"}).json
    assert body["keys"] == [] and said in body["notes"][0]


@pytest.mark.parametrize("case,said", [
    ("notdoc", "not a discovery document"), ("badjwks", "not a JWK Set"), ("missing", "HTTP 404"),
])
def test_unusable_answers_are_a_clear_422(loopback, origin, case, said) -> None:  # type: ignore[no-untyped-def]
    response = loopback.post("/api/v1/jwt/jwks/lint", json={"issuer": f"{origin}/{case}"})
    assert response.status_code == 422 and said in response.json["detail"]


# --- page -----------------------------------------------------------------------------------------

def test_page_and_sample(client) -> None:  # type: ignore[no-untyped-def]
    empty = client.get("/jwt/jwks")
    assert empty.status_code == 200 and "Key set linter" in empty.get_data(as_text=True)
    page = client.get("/jwt/jwks?sample=leaky").get_data(as_text=True)
    for finding_id in ("duplicate-kid", "weak-rsa-key", "alg-key-mismatch", "symmetric-key", "mixed-algorithms",
                       "private-key-material", "kid-collision", "member-typo"):
        assert finding_id in page, finding_id
    assert "to fix" in page and "Thumbprint" in page
    assert client.get("/jwt/jwks?sample=nope").get_data(as_text=True).count("finding-id") == 0


def test_the_jwt_page_links_here(client) -> None:  # type: ignore[no-untyped-def]
    assert 'href="/jwt/jwks"' in client.get("/jwt/").get_data(as_text=True)


def test_page_post_lints_and_escapes(client) -> None:  # type: ignore[no-untyped-def]
    document = {"keys": [good("<script>alert(1)</script>"), ec_jwk(kid="\u202eabc", use="sig", alg="ES256")]}
    response = client.post("/jwt/jwks", data={"jwks": json.dumps(document), "action": "lint"},
                           headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<script>alert" not in html and "&lt;script&gt;" in html
    assert "\u202e" not in html and "No problems found" in html


@pytest.mark.parametrize("data,status,said", [
    ({"jwks": "nope"}, 422, "not valid JSON"),
    ({"jwks": "x" * (1024 * 1024 + 1)}, 400, "Key set or discovery document: at most"),
    ({"jwks": "{}", "issuer": "\x00"}, 400, "NUL"),
    ({"action": "fetch"}, 400, "Issuer URL: fill it in"),
    ({}, 422, "Paste a JWK Set"),
])
def test_page_errors_are_clear(client, data, status, said) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/jwt/jwks", data=data)
    assert response.status_code == status and said in response.get_data(as_text=True)


def test_page_fetches_only_on_an_explicit_action(make_app, origin) -> None:  # type: ignore[no-untyped-def]
    client = make_app(**LOOPBACK).test_client()
    pasted = client.post("/jwt/jwks", data={"jwks": json.dumps(CLEAN), "issuer": f"{origin}/leaky",
                                            "action": "lint"}).get_data(as_text=True)
    assert "Source: pasted" in pasted  # the issuer field is not fetched by Lint
    fetched = client.post("/jwt/jwks", data={"jwks": "", "issuer": f"{origin}/leaky", "action": "fetch"},
                          headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "private-key-material" in fetched and f"{origin}/leaky.json" in fetched
    enter = client.post("/jwt/jwks", data={"jwks": "", "issuer": f"{origin}/clean"})  # Enter in the field
    assert enter.status_code == 200 and "keys fetched from" in enter.get_data(as_text=True)


def test_page_shows_a_refused_fetch(loopback, origin) -> None:  # type: ignore[no-untyped-def]
    response = loopback.post("/jwt/jwks", data={"issuer": f"{origin}/private", "action": "fetch"})
    assert response.status_code == 422 and "refused" in response.get_data(as_text=True)


def test_nothing_pasted_is_logged(client, caplog) -> None:  # type: ignore[no-untyped-def]
    secret = "c2VjcmV0LWZhbGxiYWNrLWtleQ"
    assert secret in SAMPLE
    client.post("/api/v1/jwt/jwks/lint", json={"jwks": SAMPLE})
    client.post("/jwt/jwks", data={"jwks": SAMPLE})
    assert secret not in caplog.text


# --- CLI ------------------------------------------------------------------------------------------

def test_cli_file_stdin_json_and_exit_codes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    leaky, clean = tmp_path / "leaky.json", tmp_path / "clean.json"
    leaky.write_text(json.dumps(LEAKY))
    clean.write_text(json.dumps(CLEAN))
    runner = CliRunner()
    result = runner.invoke(main, ["jwt", "jwks-lint", str(leaky)])
    assert result.exit_code == 1 and "[critical] private-key-material" in result.output
    assert "thumbprint (RFC 7638, SHA-256)" in result.output
    result = runner.invoke(main, ["jwt", "jwks-lint", str(clean)])
    assert result.exit_code == 0 and "0 findings" in result.output
    result = runner.invoke(main, ["jwt", "jwks-lint", "-", "--json"], input=json.dumps(LEAKY))
    assert result.exit_code == 1 and json.loads(result.output)["keys"][1]["findings"][0]["id"] == "private-key-material"
    result = runner.invoke(main, ["jwt", "jwks-lint", "-"], input=json.dumps({"keys": [good("a", use=None)]}))
    assert result.exit_code == 1 and "[high] invalid-key" in result.output


@pytest.mark.parametrize("args,stdin,code,said", [
    (["-"], "not json", 1, "not valid JSON"),
    (["-"], b"\xff\xfe{", 2, "not UTF-8"),
    (["/no/such/file"], None, 2, "No such file"),
    (["x.json", "--issuer", "https://a.example"], None, 2, "not both"),
    (["--issuer", "http://127.0.0.1:9/"], None, 2, ""),
])
def test_cli_bad_input(args: list[str], stdin: str | bytes | None, code: int, said: str) -> None:
    result = CliRunner().invoke(main, ["jwt", "jwks-lint", *args], input=stdin)
    assert result.exit_code == code and said in result.output


def test_cli_issuer(origin, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for name, value in LOOPBACK.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(main, ["jwt", "jwks-lint", "--issuer", f"{origin}/leaky"])
    assert result.exit_code == 1 and f"jwks_uri: {origin}/leaky.json" in result.output
    result = CliRunner().invoke(main, ["jwt", "jwks-lint", "--issuer", f"{origin}/private"])
    assert result.exit_code == 2 and "refused" in result.output
