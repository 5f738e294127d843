"""Edit and re-sign: a decoded token's header and payload carried into the encoder in one action, and the
new token's changes against the original (core, API, page, CLI)."""

from __future__ import annotations

import json
import time

import jwt as pyjwt
import pytest
from click.testing import CliRunner

from tests.web.test_keeps_input import fields_of
from toolbox.cli import main
from toolbox.core.jwt.changes import Change, changes, original_of
from toolbox.core.jwt.model import JwtInputError
from toolbox.core.jwt.samples import SAMPLE_SECRET, sample

SECRET = SAMPLE_SECRET


def token(payload: dict, header: dict | None = None, key: str = SECRET, alg: str = "HS256") -> str:  # type: ignore[type-arg]
    return pyjwt.encode(payload, key, algorithm=alg, headers=header)


# --- core ----------------------------------------------------------------------------------------------

def test_changes_are_listed_header_first_and_removals_last() -> None:
    original = original_of(token({"sub": "a", "role": "user", "n": 1, "obj": {"x": 1, "y": 2}}, {"kid": "k1"}))
    found = changes(original, {"alg": "HS256", "typ": "JWT", "kid": "k2"},
                    {"sub": "a", "n": 1.0, "obj": {"y": 2, "x": 1}, "admin": True})
    assert found == (
        Change("header", "kid", "changed", '"k1"', '"k2"'),
        Change("payload", "admin", "added", after="true"),
        Change("payload", "role", "removed", before='"user"'),
    )  # 1 and 1.0, and members in another order, are the same JSON value


def test_nothing_changed_is_an_empty_list_and_long_values_are_cut() -> None:
    text = token({"blob": "x" * 1000})
    original = original_of(text)
    assert changes(original, original.header, original.payload) == ()
    cut = changes(original, original.header, {"blob": "y" * 1000})[0]
    assert len(cut.after) == 200 and cut.after.endswith("…")


@pytest.mark.parametrize(("text", "words"), [
    ("eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4R0NNIn0..aaaa.bbbb.cccc", "encrypted (JWE)"),
    (token({"a": 1}).split(".")[0] + ".WzEsMl0.sig", "not a JSON object"),  # payload [1, 2]
    ("%%%.e30.", "header does not decode"),
])
def test_an_original_that_cannot_be_edited_says_why(text: str, words: str) -> None:
    with pytest.raises(JwtInputError, match=words.replace("(", r"\(").replace(")", r"\)")):
        original_of(text)


# --- API -------------------------------------------------------------------------------------------------

def test_the_api_lists_changes_against_the_original(client) -> None:  # type: ignore[no-untyped-def]
    original = token({"sub": "u1", "exp": 1_700_000_000, "scope": "read"})
    body = client.post("/api/v1/jwt/encode", json={
        "header": {"typ": "JWT", "kid": "new"}, "payload": {"sub": "u1", "exp": "+15m", "scope": "read write"},
        "alg": "HS256", "key": SECRET, "original": original}).json
    by_name = {(c["part"], c["name"]): c for c in body["changes"]}
    assert by_name[("header", "kid")]["change"] == "added" and ("header", "typ") not in by_name
    exp = by_name[("payload", "exp")]
    assert exp["before"] == "1700000000" and abs(int(exp["after"]) - (time.time() + 900)) < 60
    assert by_name[("payload", "scope")] == {"part": "payload", "name": "scope", "change": "changed",
                                             "before": '"read"', "after": '"read write"'}
    assert pyjwt.decode(body["token"], SECRET, algorithms=["HS256"])["scope"] == "read write"
    plain = client.post("/api/v1/jwt/encode", json={"payload": {}, "alg": "HS256", "key": SECRET}).json
    assert plain["changes"] is None  # no original: nothing to compare


@pytest.mark.parametrize("original", ["not a token", "eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4R0NNIn0..a.b.c",
                                      "\u202e.\u0000.x"])
def test_an_unreadable_original_is_a_422(client, original) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/jwt/encode", json={"payload": {}, "alg": "HS256", "key": SECRET,
                                                        "original": original})
    assert response.status_code == 422 and response.json["detail"].startswith("Original token: ")


@pytest.mark.parametrize("original", [5, ["x"], {"a": 1}, "x" * 2_000_000])
def test_a_wrong_type_or_oversized_original_is_refused(client, original) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/jwt/encode", json={"payload": {}, "alg": "HS256", "key": SECRET,
                                                        "original": original})
    assert response.status_code in (400, 413, 422)


# --- page ------------------------------------------------------------------------------------------------

def test_edit_and_resign_carries_an_hmac_token_into_the_encoder(client) -> None:  # type: ignore[no-untyped-def]
    hs = sample("hs256")
    assert hs is not None
    decoded = client.post("/jwt/", data={"token": hs.token, "key": hs.key}).get_data(as_text=True)
    assert "Edit and re-sign" in decoded
    page = client.post("/jwt/encode", data={"token": "Bearer " + hs.token, "key": hs.key, "key_type": "auto"})
    html = page.get_data(as_text=True)
    fields = fields_of(html)
    assert page.status_code == 200 and "Editing the decoded token" in html
    assert json.loads(fields["payload"]) == pyjwt.decode(hs.token, options={"verify_signature": False})
    assert "alg" not in json.loads(fields["header"]) and fields["key"] == hs.key  # the HMAC secret carried
    assert 'name="original" value="' + hs.token + '"' in html  # normalised: the Bearer prefix removed
    # Edit, then Sign: the result lists what changed.
    payload = json.loads(fields["payload"]) | {"name": "Grace Hopper", "exp": "+1h"}
    del payload["aud"]
    signed = client.post("/jwt/encode", data={"header": fields["header"], "payload": json.dumps(payload),
                                              "alg": "HS256", "key": hs.key, "original": hs.token},
                         headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "What changed against the original" in signed
    assert "payload.name" in signed and "payload.exp" in signed and "payload.aud" in signed
    assert "removed" in signed and "Grace Hopper" in signed


def test_an_rs256_token_carries_no_key_and_an_unsignable_alg_falls_back(client) -> None:  # type: ignore[no-untyped-def]
    rs = sample("rs256")
    assert rs is not None
    html = client.post("/jwt/encode", data={"token": rs.token, "key": rs.key}).get_data(as_text=True)
    fields = fields_of(html)
    assert fields["key"] == "" and '<option value="RS256" selected>' in html  # the public key cannot sign
    odd = "eyJhbGciOiJFUzk5OSJ9.eyJhIjoxfQ.c2ln"  # {"alg": "ES999"}: PyJWT would not sign it
    html = client.post("/jwt/encode", data={"token": odd}).get_data(as_text=True)
    assert "ES999" in html and "cannot sign here: HS256 is selected" in html


@pytest.mark.parametrize("text", ["", "not a token", "eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4R0NNIn0..a.b.c"])
def test_a_token_that_cannot_be_edited_is_a_422_on_the_encoder(client, text) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/jwt/encode", data={"token": text})
    assert response.status_code == 422 and "Cannot edit this token" in response.get_data(as_text=True)


def test_the_button_is_offered_for_signed_json_tokens_only(client) -> None:  # type: ignore[no-untyped-def]
    jwe = "eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4R0NNIn0..aaaa.bbbb.cccc"
    assert "Edit and re-sign" not in client.post("/jwt/", data={"token": jwe}).get_data(as_text=True)
    text_payload = token({}).split(".")[0] + ".aGVsbG8." + "c2ln"
    assert "Edit and re-sign" not in client.post("/jwt/", data={"token": text_payload}).get_data(as_text=True)


def test_a_spent_rate_limit_on_the_edit_keeps_the_decode_form(make_app) -> None:  # type: ignore[no-untyped-def]
    client = make_app(TOOLBOX_RATELIMIT_DEFAULT="1/minute").test_client()
    client.get("/")
    hs = sample("hs256")
    assert hs is not None
    response = client.post("/jwt/encode", data={"token": hs.token, "key": "k \u202e ü"})
    assert response.status_code == 429
    kept = fields_of(response.get_data(as_text=True))
    assert kept["token"] == hs.token and kept["key"] == "k \u202e ü"


# --- CLI -------------------------------------------------------------------------------------------------

def test_cli_resign_sets_unsets_and_reports_changes(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SIGNING_KEY", SECRET)
    original = token({"sub": "u1", "role": "user", "tmp": 1}, {"kid": "k1"})
    result = CliRunner().invoke(main, ["jwt", "resign", original, "--set", "role=admin", "--set", "exp=+15m",
                                       "--set", 'groups=["a","b"]', "--unset", "tmp", "--set-header", "kid=k2",
                                       "--key-env", "SIGNING_KEY"])
    assert result.exit_code == 0, result.output
    new = result.stdout.strip()
    claims = pyjwt.decode(new, SECRET, algorithms=["HS256"])
    assert claims["role"] == "admin" and claims["groups"] == ["a", "b"] and "tmp" not in claims
    assert abs(claims["exp"] - time.time() - 900) < 60
    assert pyjwt.get_unverified_header(new)["kid"] == "k2"
    assert 'changed payload.role: "user" → "admin"' in result.stderr
    assert "removed payload.tmp: 1 → (removed)" in result.stderr
    as_json = CliRunner().invoke(main, ["jwt", "resign", original, "--set", "role=x", "--key-env", "SIGNING_KEY",
                                        "--json"])
    assert json.loads(as_json.stdout)["changes"][0]["name"] == "role"


@pytest.mark.parametrize(("args", "words"), [
    (["--set", "novalue"], "write NAME=VALUE"),
    (["--set", "=x"], "write NAME=VALUE"),
    (["--unset", "nope"], "has no such claim"),
    (["--set-header", "alg=none"], "choose the algorithm with --alg"),
])
def test_cli_resign_refuses_bad_edits(monkeypatch, args, words) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SIGNING_KEY", SECRET)
    result = CliRunner().invoke(main, ["jwt", "resign", token({"a": 1}), *args, "--key-env", "SIGNING_KEY"])
    assert result.exit_code == 2 and words in result.stderr


def test_cli_resign_refuses_what_it_cannot_edit(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SIGNING_KEY", SECRET)
    jwe = CliRunner().invoke(main, ["jwt", "resign", "eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4R0NNIn0..a.b.c",
                                    "--key-env", "SIGNING_KEY"])
    assert jwe.exit_code == 2 and "encrypted (JWE)" in jwe.stderr
    odd = CliRunner().invoke(main, ["jwt", "resign", "eyJhbGciOiJFUzk5OSJ9.eyJhIjoxfQ.c2ln",
                                    "--key-env", "SIGNING_KEY"])
    assert odd.exit_code == 2 and "cannot sign here: choose one with --alg" in odd.stderr
    bidi = CliRunner().invoke(main, ["jwt", "resign", token({"a": 1}), "--set", "\u202eevil=1",
                                     "--key-env", "SIGNING_KEY"])
    assert bidi.exit_code == 0 and "\u202e" not in bidi.stderr
