"""`toolbox jwt …`: output, --json and exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
import time

import jwt
from click.testing import CliRunner

from toolbox.cli import main

SECRET = "a-test-secret-that-is-long-enough-for-hs256-hs384-and-even-hs512-ok"
NOW = int(time.time())
TOKEN = jwt.encode({"sub": "ada", "iat": NOW, "exp": NOW + 600}, SECRET, algorithm="HS256")


def run(*args: str, stdin: str | None = None, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), input=stdin, env=env)


def test_decode_argument_and_stdin() -> None:
    result = run("jwt", "decode", TOKEN)
    assert result.exit_code == 0 and '"sub": "ada"' in result.output
    piped = run("jwt", "decode", "-", stdin=f"Authorization: Bearer {TOKEN}\n")
    assert piped.exit_code == 0 and "ada" in piped.output


def test_decode_json_and_failure_exit_code() -> None:
    result = run("jwt", "decode", "--json", TOKEN)
    assert result.exit_code == 0
    assert json.loads(result.output)["header"]["alg"] == "HS256"
    assert run("jwt", "decode", "%%%").exit_code == 1  # not a token: the check failed


def test_verify_exit_codes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    key = tmp_path / "secret.txt"
    key.write_text(SECRET)
    assert run("jwt", "verify", TOKEN, "--key", str(key), "--key-type", "secret").exit_code == 0
    wrong = run("jwt", "verify", TOKEN, "--key-env", "K", "--key-type", "secret", env={"K": "x" * 40})
    assert wrong.exit_code == 1 and "NOT verified" in wrong.output
    assert run("jwt", "verify", TOKEN, "--key-type", "secret").exit_code == 2  # no key given
    assert run("jwt", "verify", TOKEN, "--key-env", "MISSING_VAR").exit_code == 2
    bad_key = run("jwt", "verify", TOKEN, "--key-env", "K", "--key-type", "jwk", env={"K": "{"})
    assert bad_key.exit_code == 2


def test_encode_and_keygen() -> None:
    signed = run("jwt", "encode", "--payload", '{"sub": "z", "exp": "+1h"}', "--alg", "HS512",
                 "--key-env", "K", env={"K": SECRET})
    assert signed.exit_code == 0
    assert jwt.decode(signed.output.strip(), SECRET, algorithms=["HS512"])["sub"] == "z"
    assert run("jwt", "encode", "--payload", "[1]", "--alg", "HS256", "--key-env", "K", env={"K": SECRET}).exit_code == 2
    listed = run("jwt", "keygen", "list")
    assert "Ed25519" in listed.output
    generated = run("jwt", "keygen", "Ed25519", "--json")
    assert json.loads(generated.output)["public_jwk"]["crv"] == "Ed25519"
    assert run("jwt", "keygen", "RSA-512").exit_code == 2


def test_huge_keys_are_a_fast_exit_2(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.unit.jwt import hugekeys
    from tests.unit.jwt.test_key_bounds import TOO_BIG, TOO_BIG_TO_SIGN, rs256_token

    huge = tmp_path / "huge.pem"
    huge.write_text(hugekeys.rsa_private_pem(16384))
    real = tmp_path / "rsa8192.pem"
    real.write_text(hugekeys.real_rsa_8192_pem())
    started = time.perf_counter()
    refused = run("jwt", "verify", rs256_token(2048), "--key", str(huge), "--key-type", "pem")
    assert refused.exit_code == 2 and TOO_BIG in refused.output
    checked = run("jwt", "verify", rs256_token(1024), "--key", str(real), "--key-type", "pem")
    assert checked.exit_code == 1 and "NOT verified" in checked.output
    unsigned = run("jwt", "encode", "--payload", "{}", "--alg", "RS256", "--key", str(real), "--key-type", "pem")
    assert unsigned.exit_code == 2 and TOO_BIG_TO_SIGN in unsigned.output
    assert time.perf_counter() - started < 3  # validating the 8192-bit key alone cost 3 to 9 s


def test_decode_output_is_bounded_for_deeply_nested_payloads() -> None:
    from tests.web.test_jwt_output_bounds import TOKENS

    token = TOKENS["wide and deep (the attack)"]
    result = run("jwt", "decode", "-", stdin=token)
    assert result.exit_code == 0 and "Shown on one line" in result.output
    assert len(result.output) < 4 * len(token) + 64 * 1024  # indented, it was about 12 MB


def test_bidi_and_invisible_characters_are_printed_as_escapes() -> None:
    token = jwt.encode({"role": "\u202enimda", "n\u200bame": "x"}, SECRET, algorithm="HS256",
                       headers={"kid": "k\u2066"})
    for args in (("jwt", "decode", token), ("jwt", "decode", "--json", token)):
        result = run(*args)
        assert result.exit_code == 0
        assert not any(char in result.output for char in "\u202e\u200b\u2066")
        assert "\\u202enimda" in result.output
    assert json.loads(run("jwt", "decode", "--json", token).output)["payload"]["role"] == "\u202enimda"


def test_json_output_is_the_operations_result(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import msgspec

    from toolbox.ops.jwt import DecodeResult, VerifyResult

    decoded = json.loads(run("jwt", "decode", "--json", TOKEN).output)
    assert set(decoded) == set(DecodeResult.__struct_fields__)  # what the API answers, no token echoed
    msgspec.convert(decoded, DecodeResult)
    key = tmp_path / "secret.txt"
    key.write_text(SECRET)
    verified = json.loads(run("jwt", "verify", "--json", TOKEN, "--key", str(key), "--key-type", "secret").output)
    assert set(verified) == set(VerifyResult.__struct_fields__) and verified["verified"] is True


def test_token_issue_goes_through_the_operation(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from toolbox.ops import OPERATIONS

    calls: list[object] = []
    real = OPERATIONS["token/issue"]
    monkeypatch.setitem(OPERATIONS, "token/issue", type(real)(real.name, real.summary, real.request, real.result,
                                                              lambda r, c: calls.append(r) or real.run(r, c),
                                                              real.api))
    result = run("token", "issue", "--subject", "ci", "--ttl", "60", env={"TOOLBOX_API_JWT_KEY": "k" * 40})
    assert result.exit_code == 0 and len(calls) == 1
    assert jwt.decode(result.output.strip(), "k" * 40, algorithms=["HS256"])["sub"] == "ci"


def test_key_types_are_detected_by_default(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The CLI's default is the page's and the API's: "auto" (it assumed a PEM here, a secret there)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    private = ec.generate_private_key(ec.SECP256R1())
    private_pem = tmp_path / "private.pem"
    private_pem.write_bytes(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                  serialization.NoEncryption()))
    public_pem = tmp_path / "public.pem"
    public_pem.write_bytes(private.public_key().public_bytes(serialization.Encoding.PEM,
                                                             serialization.PublicFormat.SubjectPublicKeyInfo))
    signed = run("jwt", "encode", "--payload", '{"sub": "auto"}', "--alg", "ES256", "--key", str(private_pem))
    assert signed.exit_code == 0, signed.output
    verified = run("jwt", "verify", signed.output.strip(), "--key", str(public_pem))
    assert verified.exit_code == 0 and "Key read as: PEM public key (EC P-256)" in verified.output
    secret = run("jwt", "verify", TOKEN, "--key-env", "K", env={"K": SECRET})  # a secret without --key-type
    assert secret.exit_code == 0 and f"Key read as: HMAC secret (UTF-8, {len(SECRET)} bytes)" in secret.output
    confused = run("jwt", "verify", TOKEN, "--key", str(public_pem))  # HS256 token, a public key
    assert confused.exit_code == 1 and "key-confusion" in confused.output


def test_url_and_key_options_are_exclusive_and_remote_types_need_a_url(tmp_path) -> None:  # type: ignore[no-untyped-def]
    key = tmp_path / "secret.txt"
    key.write_text(SECRET)
    both = run("jwt", "verify", TOKEN, "--key", str(key), "--url", "https://idp.example/jwks.json")
    assert both.exit_code == 2 and "not both" in both.output
    missing = run("jwt", "verify", TOKEN, "--key-type", "issuer", "--key", str(key))
    assert missing.exit_code == 2 and "needs --url" in missing.output
