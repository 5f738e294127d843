"""The JWT tool's contract (issue 9): its API is generated from the operations' types, so an unknown
field is refused, every error kind reaches one status and one exit code, and every response carries
only fields its OpenAPI schema declares."""

from __future__ import annotations

import json
import time
from typing import Any

import jsonschema
import jwt
import pytest
from click.testing import CliRunner

from tests.servers import free_port
from tests.web.test_jwt_remote_keys import JWK, issuer  # noqa: F401 - `issuer` is a fixture (a loopback IdP)
from tests.web.test_jwt_remote_keys import token as remote_token
from toolbox.cli import main
from toolbox.cli.common import EXIT_OF_KIND
from toolbox.core.jwt.options import Algorithm, KeyKind, SignKeyType, VerifyKeyType
from toolbox.ops import OPERATIONS, ErrorKind, choices
from toolbox.ops.jwt import EncodeRequest, VerifyRequest, default_of
from toolbox.web.errors import STATUS_OF_KIND

SECRET = "a-test-secret-that-is-long-enough-for-hs256-hs384-and-even-hs512-ok"
NOW = int(time.time())
TOKEN = jwt.encode({"sub": "ada", "iat": NOW, "exp": NOW + 600, "aud": "x"}, SECRET, algorithm="HS256",
                   headers={"kid": "k1"})
NESTED = jwt.encode({"sub": "outer"}, SECRET, algorithm="HS256", headers={"cty": "JWT"}).split(".")
HTMX = {"HX-Request": "true"}

VALID_BODIES: dict[str, dict[str, Any]] = {
    "decode": {"token": TOKEN},
    "verify": {"token": TOKEN, "key": SECRET, "key_type": "secret"},
    "encode": {"payload": {"sub": "x"}, "alg": "HS256", "key": SECRET},
    "keys": {"kind": "HS256"},
}


@pytest.mark.parametrize("op", sorted(VALID_BODIES))
@pytest.mark.parametrize("extra", [{"leeway_seconds": 5}, {"Token": "x"}, {"key_id": None}])
def test_unknown_fields_are_refused_not_ignored(client, op: str, extra: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    assert client.post(f"/api/v1/jwt/{op}", json=VALID_BODIES[op]).status_code == 200
    response = client.post(f"/api/v1/jwt/{op}", json={**VALID_BODIES[op], **extra})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.json["errors"][0]["message"] == "has fields this operation does not accept"


@pytest.mark.parametrize(("op", "body"), [
    ("verify", {"token": TOKEN, "key": SECRET, "key_type": "secret", "audience": ["a"] * 51}),
    ("verify", {"token": TOKEN, "key": SECRET, "key_type": "secret", "require": ["exp", 1]}),
    ("verify", {"token": TOKEN, "key": "", "key_type": "secret"}),
    ("verify", {"token": TOKEN, "key": SECRET, "key_type": "secret", "leeway": 86401}),
    ("encode", {"payload": {}, "alg": "HS257", "key": SECRET}),
    ("encode", {"payload": [], "alg": "HS256", "key": SECRET}),
    ("encode", {"payload": {}, "alg": "HS256", "key": SECRET, "key_type": "jwks"}),
    ("encode", {"payload": {}, "header": {str(i): i for i in range(101)}, "alg": "HS256"}),
    ("keys", {"kind": "RSA-1024"}),
    ("keys", {}),
    ("decode", {"token": ""}),
])
def test_bodies_that_do_not_fit_the_type_are_422(client, op: str, body: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    response = client.post(f"/api/v1/jwt/{op}", json=body)
    assert response.status_code == 422
    assert response.json["errors"]


# --- every error kind: one HTTP status (API and page) and one exit code (CLI) ---------------------

def _kind(response: Any, kind: ErrorKind) -> None:
    assert response.status_code == STATUS_OF_KIND[kind], response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/problem+json"
    assert response.json["kind"] == kind.value


def test_input_a_token_that_does_not_decode(client) -> None:  # type: ignore[no-untyped-def]
    _kind(client.post("/api/v1/jwt/decode", json={"token": "%%%.%%%.%%%"}), ErrorKind.INPUT)
    page = client.post("/jwt/", data={"token": "%%%.%%%.%%%"}, headers=HTMX)
    assert page.status_code == STATUS_OF_KIND[ErrorKind.INPUT]
    assert 'class="tok tok-header tok-bad"' in page.get_data(as_text=True)  # what did not decode is shown
    # Not a token is a failed check, like a document that is not JSON: the table's code, no exception.
    cli = CliRunner().invoke(main, ["jwt", "decode", "%%%.%%%.%%%"])
    assert cli.exit_code == EXIT_OF_KIND[ErrorKind.INPUT] == 1 and "bad base64url" in cli.output


def test_unusable_a_key_that_cannot_be_used(client, tmp_path) -> None:  # type: ignore[no-untyped-def]
    body = {"token": TOKEN, "key": "{not json", "key_type": "jwk"}
    _kind(client.post("/api/v1/jwt/verify", json=body), ErrorKind.UNUSABLE)
    _kind(client.post("/api/v1/jwt/encode", json={"payload": {}, "alg": "RS256", "key": SECRET}),
          ErrorKind.UNUSABLE)
    page = client.post("/jwt/", data={**body, "action": "verify"}, headers=HTMX)  # the button
    assert page.status_code == STATUS_OF_KIND[ErrorKind.UNUSABLE] and "Cannot use this input" in page.get_data(
        as_text=True)
    signed = client.post("/jwt/encode", data={"payload": "{}", "alg": "RS256", "key": SECRET}, headers=HTMX)
    assert signed.status_code == STATUS_OF_KIND[ErrorKind.UNUSABLE] and "Cannot sign" in signed.get_data(
        as_text=True)
    key = tmp_path / "k.json"
    key.write_text("{not json")
    cli = CliRunner().invoke(main, ["jwt", "verify", TOKEN, "--key", str(key), "--key-type", "jwk"])
    assert cli.exit_code == EXIT_OF_KIND[ErrorKind.UNUSABLE]
    cli = CliRunner().invoke(main, ["jwt", "encode", "--payload", "{}", "--alg", "RS256", "--key", str(key)])
    assert cli.exit_code == EXIT_OF_KIND[ErrorKind.UNUSABLE]
    cli = CliRunner().invoke(main, ["token", "issue", "--subject", "x"])  # TOOLBOX_API_JWT_KEY not set
    assert cli.exit_code == EXIT_OF_KIND[ErrorKind.UNUSABLE]


def test_refused_a_key_set_url_the_fetch_policy_refuses(make_app, logs, issuer) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    client = make_app(TOOLBOX_FETCH_PORTS="any").test_client()  # loopback is not allowed
    body = {"token": remote_token(issuer), "key": issuer + "/jwks.json", "key_type": "jwks-url"}
    api = client.post("/api/v1/jwt/verify", json=body)
    _kind(api, ErrorKind.REFUSED)
    assert api.json["reason"] and "127.0.0.1" not in api.get_data(as_text=True)
    page = client.post("/jwt/", data={**body, "action": "verify"}, headers=HTMX)  # the button
    assert page.status_code == STATUS_OF_KIND[ErrorKind.REFUSED] and "refused" in page.get_data(as_text=True)
    # Logged once per refusal, by the page as by the API, never with the address.
    events = logs.events("fetch-refused")
    assert len(events) == 2 and all("127.0.0.1" not in str(e["reason"]) for e in events)
    cli = CliRunner().invoke(main, ["jwt", "verify", body["token"], "--key-type", "jwks-url", "--url", body["key"]],
                             env={"TOOLBOX_FETCH_PORTS": "any"})
    assert cli.exit_code == EXIT_OF_KIND[ErrorKind.REFUSED] and "refused" in cli.output


def test_failed_a_key_set_that_could_not_be_fetched(make_app, logs) -> None:  # type: ignore[no-untyped-def]
    client = make_app(TOOLBOX_FETCH_ALLOW="127.0.0.0/8", TOOLBOX_FETCH_PORTS="any").test_client()
    url = f"http://127.0.0.1:{free_port()}/jwks.json"  # nothing listens there
    body = {"token": TOKEN, "key": url, "key_type": "jwks-url"}
    api = client.post("/api/v1/jwt/verify", json=body)
    _kind(api, ErrorKind.FAILED)
    assert api.json["reason"]
    page = client.post("/jwt/", data={**body, "action": "verify"}, headers=HTMX)  # the button
    assert page.status_code == STATUS_OF_KIND[ErrorKind.FAILED]
    assert logs.events("fetch-refused") == []  # a failure is not a policy refusal
    cli = CliRunner().invoke(main, ["jwt", "verify", TOKEN, "--key-type", "jwks-url", "--url", url],
                             env={"TOOLBOX_FETCH_ALLOW": "127.0.0.0/8", "TOOLBOX_FETCH_PORTS": "any"})
    assert cli.exit_code == EXIT_OF_KIND[ErrorKind.FAILED]


def test_too_large_a_token_over_the_limit_and_a_lifetime_over_the_maximum(monkeypatch) -> None:
    from toolbox.core.jwt.normalize import MAX_TOKEN_CHARS

    huge = "a" * (MAX_TOKEN_CHARS + 1)  # the API's schema stops this first (422); the CLI reaches the op
    for args in (["jwt", "decode", "-"], ["jwt", "verify", "-", "--key-env", "K", "--key-type", "secret"]):
        cli = CliRunner().invoke(main, args, input=huge, env={"K": SECRET})
        assert cli.exit_code == EXIT_OF_KIND[ErrorKind.TOO_LARGE] and "the limit is" in cli.output
    monkeypatch.setenv("TOOLBOX_API_JWT_KEY", "k" * 40)
    cli = CliRunner().invoke(main, ["token", "issue", "--subject", "x", "--ttl", "901"])
    assert cli.exit_code == EXIT_OF_KIND[ErrorKind.TOO_LARGE] and "exceeds" in cli.output


def test_every_kind_a_jwt_operation_raises_is_covered_above() -> None:
    # INPUT, UNUSABLE, REFUSED, FAILED and TOO_LARGE: all five kinds, each tested through its adapters.
    assert set(ErrorKind) == {ErrorKind.INPUT, ErrorKind.UNUSABLE, ErrorKind.REFUSED, ErrorKind.FAILED,
                              ErrorKind.TOO_LARGE}


# --- responses against the generated OpenAPI document ---------------------------------------------

def closed(schema: Any) -> Any:
    """`schema` with every object that lists properties closed to others: a response field that
    the document does not declare fails validation instead of passing unseen."""
    if isinstance(schema, list):
        return [closed(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: closed(v) for k, v in schema.items()}
    if "properties" in schema and "additionalProperties" not in schema:
        out["additionalProperties"] = False
    return out


def check_against_document(client, path: str, response: Any, body: Any = None) -> None:  # type: ignore[no-untyped-def]
    document = client.get("/api/openapi.json").json
    operation = document["paths"][path]["post"]
    schema = operation["responses"][str(response.status_code)]["content"][response.mimetype]["schema"]
    resolved = {**schema, "components": closed(document["components"])}
    jsonschema.validate(response.json if body is None else body, resolved)


@pytest.mark.parametrize(("path", "body"), [
    ("/api/v1/jwt/decode", {"token": TOKEN}),
    ("/api/v1/jwt/decode", {"token": "Bearer " + TOKEN.rsplit(".", 1)[0] + ".", "leeway": 30}),
    ("/api/v1/jwt/decode", {"token": f"{NESTED[0]}.{jwt.utils.base64url_encode(TOKEN.encode()).decode()}."
                                     f"{NESTED[2]}"}),
    ("/api/v1/jwt/decode", {"token": jwt.encode({"exp": 1, "password": "x"}, "secret", algorithm="HS256")}),
    ("/api/v1/jwt/decode", {"token": "eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4R0NNIn0..aXY.Y2lwaGVy.dGFn"}),
    ("/api/v1/jwt/decode", {"token": "%%%.%%%.%%%"}),  # a problem, against the Problem schema
    ("/api/v1/jwt/verify", VALID_BODIES["verify"]),
    ("/api/v1/jwt/verify", {"token": TOKEN, "key": "wrong-" + SECRET, "key_type": "secret", "audience": ["y"],
                            "issuer": "i", "subject": "s", "require": ["jti"]}),
    ("/api/v1/jwt/verify", {"token": TOKEN, "key": json.dumps({"keys": [{"kty": "oct", "kid": "k1",
                            "k": jwt.utils.base64url_encode(SECRET.encode()).decode()}, {"kty": "oct", "k": "AAAA"}]}),
                            "key_type": "jwks"}),
    ("/api/v1/jwt/verify", {"token": TOKEN, "key": "{", "key_type": "jwk"}),
    ("/api/v1/jwt/encode", {"payload": {"sub": "x", "exp": "+5m"}, "header": {"kid": "a"}, "alg": "HS384",
                            "key": SECRET}),
    ("/api/v1/jwt/encode", {"payload": {}, "alg": "none"}),
    *[("/api/v1/jwt/keys", {"kind": kind}) for kind in ("HS512", "P-256", "Ed25519", "RSA-2048")],
])
def test_responses_carry_only_what_the_document_declares(client, path: str, body: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    response = client.post(path, json=body)
    assert response.status_code in (200, 422)
    check_against_document(client, path, response)


def test_a_fetched_key_set_response_conforms_too(make_app, issuer) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    client = make_app(TOOLBOX_FETCH_ALLOW="127.0.0.0/8", TOOLBOX_FETCH_PORTS="any").test_client()
    for key_type, key in (("jwks-url", issuer + "/jwks.json"), ("issuer", issuer)):
        response = client.post("/api/v1/jwt/verify", json={"token": remote_token(issuer), "key": key,
                                                            "key_type": key_type})
        assert response.json["verified"] is True and response.json["key_source"]
        check_against_document(client, "/api/v1/jwt/verify", response)


def test_the_closed_check_catches_an_undeclared_field(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/jwt/encode", json=VALID_BODIES["encode"])
    check_against_document(client, "/api/v1/jwt/encode", response)
    undeclared = {**response.json, "extra": 1}  # as if the result carried a field its type does not declare
    with pytest.raises(jsonschema.ValidationError):
        check_against_document(client, "/api/v1/jwt/encode", response, undeclared)
    claims = client.post("/api/v1/jwt/decode", json={"token": TOKEN})
    deep = claims.json
    deep["claims"][0]["extra"] = 1  # an undeclared field deeper down is caught too
    with pytest.raises(jsonschema.ValidationError):
        check_against_document(client, "/api/v1/jwt/decode", claims, deep)


def test_the_response_schemas_are_the_result_types(client) -> None:  # type: ignore[no-untyped-def]
    document = client.get("/api/openapi.json").json
    schemas = document["components"]["schemas"]
    for op in ("decode", "verify", "encode", "keys"):
        ok = document["paths"][f"/api/v1/jwt/{op}"]["post"]["responses"]["200"]["content"]["application/json"]
        name = ok["schema"]["$ref"].rsplit("/", 1)[1]
        assert name == OPERATIONS[f"jwt/{op}"].result.__name__
        assert schemas[name]["properties"], name
    assert {"verified", "alg", "kid", "reason", "claims_valid", "claim_errors", "findings", "key_source"} <= set(
        schemas["VerifyResult"]["properties"])
    assert "/api/v1/token/issue" not in document["paths"]  # minting API tokens is the CLI's alone


# --- choices and defaults, declared once on the types ----------------------------------------------

def test_the_forms_offer_exactly_the_types_choices(client) -> None:  # type: ignore[no-untyped-def]
    import re

    def options(html: str, select: str) -> tuple[str, ...]:
        block = html.split(f'<select id="{select}"', 1)[1].split("</select>", 1)[0]
        return tuple(re.findall(r'<option value="([^"]+)"', block))

    decode_page = client.get("/jwt/").get_data(as_text=True)
    encode_page = client.get("/jwt/encode").get_data(as_text=True)
    assert options(decode_page, "key_type") == choices(VerifyKeyType)
    assert options(encode_page, "key_type") == choices(SignKeyType)
    assert options(encode_page, "alg") == choices(Algorithm)
    assert options(encode_page, "kind") == choices(KeyKind)
    # One default for every adapter, declared on the request type: detect the key type.
    assert default_of(VerifyRequest, "key_type") == default_of(EncodeRequest, "key_type") == "auto"
    assert re.search(rf'<option value="{default_of(VerifyRequest, "key_type")}" selected>', decode_page)
    assert re.search(rf'<option value="{default_of(EncodeRequest, "key_type")}" selected>',
                     encode_page.split('<select id="key_type"', 1)[1])


def test_the_cli_offers_exactly_the_types_choices_and_defaults() -> None:
    from toolbox.cli.jwt import jwt_group

    def option(command: str, name: str) -> Any:
        return next(p for p in jwt_group.commands[command].params if p.name == name)

    assert tuple(option("verify", "key_type").type.choices) == choices(VerifyKeyType)
    assert option("verify", "key_type").default == default_of(VerifyRequest, "key_type")
    assert tuple(option("encode", "key_type").type.choices) == choices(SignKeyType)
    assert option("encode", "key_type").default == default_of(EncodeRequest, "key_type")
    assert tuple(option("encode", "alg").type.choices) == choices(Algorithm)
    assert tuple(option("keygen", "kind").type.choices) == ("list", *choices(KeyKind))


def test_the_key_generator_makes_exactly_the_kinds_offered() -> None:
    from toolbox.core.jwt.keygen import KEY_KINDS

    assert choices(KeyKind) == KEY_KINDS


def test_bad_choices_in_the_forms_are_refused(client) -> None:  # type: ignore[no-untyped-def]
    assert client.post("/jwt/encode", data={"payload": "{}", "alg": "HS257", "key": SECRET}).status_code == 400
    assert client.post("/jwt/encode", data={"payload": "{}", "alg": "HS256", "key": SECRET,
                                            "key_type": "jwks"}).status_code == 400
    assert client.post("/jwt/keys", data={}).status_code == 422
