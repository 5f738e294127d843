"""`toolbox jwt decode|verify|decrypt|encode|keygen`: the JWT tool on the command line."""

from __future__ import annotations

import json
import os
import sys
from typing import Any, Literal

import click

from toolbox.cli.common import (
    EXIT_FAILED,
    EXIT_OF_KIND,
    EXIT_OK,
    cli_settings,
    echo,
    fail,
    print_json,
    run_op,
)
from toolbox.core.jwt.invisible import reveal
from toolbox.core.jwt.jwks_lint import LintReport
from toolbox.core.jwt.model import Finding
from toolbox.core.jwt.options import Algorithm, DecryptKeyType, KeyKind, SignKeyType, VerifyKeyType
from toolbox.core.text import escape_surrogates
from toolbox.ops import OPERATIONS, Context, OpError, choices
from toolbox.ops.jwt import (
    MAX_LEEWAY,
    DecodeRequest,
    DecodeResult,
    EncodeRequest,
    EncodeResult,
    KeysRequest,
    NotAToken,
    SdJwtResult,
    VerifyRequest,
    VerifyResult,
    default_of,
)


def read_token(token: str | None) -> str:
    """The token from the argument, or from stdin when the argument is '-' or absent."""
    if token is None or token == "-":  # noqa: S105 - "-" means stdin, not a password  # nosec B105
        if sys.stdin.isatty() and token is None:
            fail("give a token as an argument, or '-' to read it from stdin")
        return sys.stdin.read()
    return token


def read_key(key_file: str | None, key_env: str | None) -> str:
    """Key material from a file or an environment variable (never from the command line)."""
    if key_file and key_env:
        fail("give --key or --key-env, not both")
    if key_env:
        value = os.environ.get(key_env)
        if value is None:
            fail(f"environment variable {key_env} is not set")
        return value
    if key_file:
        try:
            with open(key_file, encoding="utf-8") as handle:
                return handle.read()
        except (OSError, UnicodeDecodeError) as err:
            fail(f"cannot read key file: {err}")
    fail("give the key with --key FILE or --key-env NAME")


def _print_findings(findings: tuple[Finding, ...]) -> None:
    if not findings:
        echo("Audit: no findings")
        return
    echo(f"Audit: {len(findings)} finding(s)")
    for finding in findings:
        echo(f"  [{finding.severity}] {finding.id}: {finding.title}")


def _print_decoded(decoded: DecodeResult) -> None:
    echo(f"Kind: {decoded.kind}")
    for note in decoded.notes:
        echo(f"Note: {note}")
    for error in decoded.errors:
        echo(f"Error: {error}")
    if decoded.header is not None:
        echo("Header:\n" + _shown(decoded.header))
    if decoded.payload_format == "json":
        echo("Payload:\n" + _shown(decoded.payload))
    elif decoded.payload_format == "text":
        echo(f"Payload (text):\n{decoded.payload_text}")
    elif decoded.payload_format == "binary":
        echo(f"Payload (binary, hex):\n{decoded.payload_hex}")
    elif decoded.payload_format == "encrypted":
        echo("Payload: encrypted (JWE)")
    if decoded.sd_jwt is not None:
        _print_sd_jwt(decoded.sd_jwt)
    for claim in decoded.claims:
        if claim.time:
            echo(f"  {claim.name}: {claim.time.iso} ({claim.time.relative})")
    echo(f"Status: {decoded.status.state}: {decoded.status.message}")
    _print_findings(decoded.findings)


def _print_sd_jwt(sd: SdJwtResult) -> None:
    """An SD-JWT's disclosures, undisclosed digests, rebuilt claims and key-binding JWT."""
    kind = f" ({sd.vc_type}{', vct ' + sd.vct if sd.vct else ''})" if sd.vc_type else ""
    default = "" if sd.sd_alg_declared else " (the default)"
    echo(f"SD-JWT{kind}: {len(sd.disclosures)} disclosure(s), digests {sd.sd_alg}{default}")
    for d in sd.disclosures:
        what = d.name if d.kind == "property" else "array element" if d.kind == "element" else "unreadable"
        value = f" = {_one_line(d.value)}" if d.kind != "invalid" else ""
        where = f" at {d.location}" if d.location else ""
        why = f": {d.problem}" if d.problem else ""
        echo(f"  {d.index}. {what}{value} [{d.status}{where}{why}] digest {d.digest or '-'}")
    for hidden in sd.undisclosed:
        echo(f"  undisclosed or decoy at {hidden.location}: {hidden.digest}")
    if sd.all_disclosed:
        echo("  every digest is disclosed: no decoys")
    if sd.claims is not None:
        echo("Claims (rebuilt from the disclosures):\n" + _shown(sd.claims))
    kb = sd.key_binding
    if kb is None:
        echo("Key binding: none presented")
    else:
        echo("Key binding JWT: " + ("; ".join(kb.problems) if kb.problems else "typ kb+jwt, sd_hash matches"))


def _one_line(value: Any) -> str:
    from toolbox.core.jwt.display import show_cell

    return show_cell(value)


def _shown(value: Any) -> str:
    """JSON under the same output budget as the page: indented when small, else one line with a note."""
    from toolbox.core.jwt.display import show_json

    shown = show_json(value)
    return shown.text + (f"\n({shown.note})" if shown.note else "")


@click.group("jwt")
def jwt_group() -> None:
    """Decode, verify, audit and sign JSON Web Tokens."""


@jwt_group.command("decode")
@click.argument("token", required=False)
@click.option("--leeway", type=click.IntRange(0, MAX_LEEWAY), default=default_of(DecodeRequest, "leeway"),
              help="Seconds of clock skew.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def decode_command(token: str | None, leeway: int, as_json: bool) -> None:
    """Decode and audit TOKEN (or stdin); exit 1 when nothing decodes."""
    request = DecodeRequest(token=read_token(token), leeway=leeway)
    try:
        decoded, code = OPERATIONS["jwt/decode"].run(request, Context(cli_settings())), EXIT_OK
    except NotAToken as err:  # what did decode is still shown; the exit code is the table's for kind input
        decoded, code = err.decoded, EXIT_OF_KIND[err.kind]
    except OpError as err:
        fail(err.message, EXIT_OF_KIND[err.kind])
    if as_json:
        print_json(decoded)
    else:
        _print_decoded(decoded)
    sys.exit(code)


@jwt_group.command("verify")
@click.argument("token", required=False)
@click.option("--key", "key_file", type=click.Path(dir_okay=False), help="File with the key.")
@click.option("--key-env", help="Environment variable holding the key.")
@click.option("--key-type", type=click.Choice(choices(VerifyKeyType)),
              default=default_of(VerifyRequest, "key_type"), show_default=True,
              help="How to read the key; auto detects it as the page and the API do.")
@click.option("--url", help="A JWKS or issuer URL to fetch keys from (instead of --key).")
@click.option("--audience", multiple=True, help="Expected aud (repeatable).")
@click.option("--issuer", help="Expected iss.")
@click.option("--subject", help="Expected sub.")
@click.option("--require", multiple=True, help="Claim that must be present (repeatable).")
@click.option("--leeway", type=click.IntRange(0, MAX_LEEWAY), default=default_of(VerifyRequest, "leeway"))
@click.option("--kb-audience", help="SD-JWT: the aud the key-binding JWT must carry.")
@click.option("--kb-nonce", help="SD-JWT: the nonce the key-binding JWT must carry.")
@click.option("--kb-max-age", type=click.IntRange(0, 10 * 365 * 86400), default=default_of(VerifyRequest,
              "kb_max_age"), show_default=True, help="SD-JWT: seconds the key-binding JWT's iat may be old.")
@click.option("--json", "as_json", is_flag=True)
def verify_command(token: str | None, key_file: str | None, key_env: str | None, key_type: VerifyKeyType,
                   url: str | None, audience: tuple[str, ...], issuer: str | None, subject: str | None,
                   require: tuple[str, ...], leeway: int, kb_audience: str | None, kb_nonce: str | None,
                   kb_max_age: int, as_json: bool) -> None:
    """Verify TOKEN's signature and claims; exit 0 valid, 1 invalid, 2 unusable input."""
    from toolbox.core.jwt.options import REMOTE_KEY_TYPES

    # A URL is fetched through the SSRF-safe fetcher under the TOOLBOX_FETCH_* policy.
    if key_type in REMOTE_KEY_TYPES and not url:
        fail(f"--key-type {key_type} needs --url")
    if url and (key_file or key_env):
        fail("give --url or --key/--key-env, not both")
    key = url if url else read_key(key_file, key_env)
    request = VerifyRequest(token=read_token(token), key=key, key_type=key_type, audience=audience or None,
                            issuer=issuer, subject=subject, leeway=leeway, require=require,
                            kb_audience=kb_audience, kb_nonce=kb_nonce, kb_max_age=kb_max_age)
    result: VerifyResult = run_op("jwt/verify", request)
    if as_json:
        print_json(result)
    else:
        _print_verification(result)
    sd_valid = result.sd_jwt is None or result.sd_jwt.valid  # an SD-JWT: disclosures and key binding too
    sys.exit(EXIT_OK if result.verified and result.claims_valid and sd_valid else EXIT_FAILED)


def _print_verification(result: VerifyResult) -> None:
    if result.verified:
        echo(f"Signature: verified ({result.alg}, {result.key_description})")
    else:
        echo(f"Signature: NOT verified: {result.reason}")
    if result.key_read_as:
        echo(f"Key read as: {result.key_read_as}")
    if result.key_source:
        echo(f"Key: {result.key_source}")
    for attempt in result.attempts if len(result.attempts) > 1 else ():
        echo(f"  {attempt.label}: {'verified' if attempt.verified else attempt.reason}")
    if result.claims_valid:
        echo("Claims: valid")
    for error in result.claim_errors:
        echo(f"Claims: {error}")
    sd = result.sd_jwt
    if sd is not None:
        kb = sd.key_binding
        if kb is not None and sd.key_binding_valid:
            echo(f"Key binding: verified ({kb.key_description}; {kb.issued}; aud {_one_line(kb.audience)}, "
                 f"nonce {_one_line(kb.nonce)})")
        elif kb is None:
            echo("Key binding: none presented")
        echo("SD-JWT: disclosures valid" if not sd.reasons else "SD-JWT: NOT valid")
        for reason in sd.reasons:
            echo(f"  {reason[0].upper()}{reason[1:]}")
    _print_findings(result.findings)


@jwt_group.command("decrypt")
@click.argument("token", required=False)
@click.option("--key", "key_file", type=click.Path(dir_okay=False), help="File with the private key, shared "
              "secret or password.")
@click.option("--key-env", help="Environment variable holding the key.")
@click.option("--key-type", type=click.Choice(choices(DecryptKeyType)), default="auto", show_default=True,
              help="How to read the key; auto detects it as the page and the API do.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def decrypt_command(token: str | None, key_file: str | None, key_env: str | None, key_type: DecryptKeyType,
                    as_json: bool) -> None:
    """Decrypt the JWE TOKEN ('-' or absent: stdin); exit 0 decrypted, 1 not decrypted, 2 unusable key."""
    from toolbox.ops.jwt_decrypt import DecryptRequest, DecryptResult

    request = DecryptRequest(token=read_token(token), key=read_key(key_file, key_env), key_type=key_type)
    result: DecryptResult = run_op("jwt/decrypt", request)
    if as_json:
        print_json(result)
        return
    echo(f"Decrypted: {result.header.get('alg')} + {result.header.get('enc')} with {result.key_used}")
    for note in result.notes:
        echo(f"Note: {note}")
    echo("Header:\n" + _shown(result.header))
    if result.format == "json":
        echo("Plaintext (JSON):\n" + _shown(result.payload))
        echo(f"Status: {result.status.state}: {result.status.message}")
    elif result.format == "binary":
        echo(f"Plaintext (binary, {result.size} bytes, hex):\n{result.plaintext_hex}")
    else:
        echo(f"Plaintext ({result.format}):\n{result.plaintext}")
    _print_findings(result.findings)
    if result.inner is not None:
        echo("Inner token (verify it with `toolbox jwt verify` and the signer's key):")
        _print_decoded(result.inner)


@jwt_group.command("encode")
@click.option("--payload", required=True, help="Payload JSON, or @FILE.")
@click.option("--header", default="{}", help="Extra header JSON, or @FILE.")
@click.option("--alg", type=click.Choice(choices(Algorithm)), required=True)
@click.option("--key", "key_file", type=click.Path(dir_okay=False), help="File with the signing key.")
@click.option("--key-env", help="Environment variable holding the signing key.")
@click.option("--key-type", type=click.Choice(choices(SignKeyType)),
              default=default_of(EncodeRequest, "key_type"), show_default=True)
def encode_command(payload: str, header: str, alg: Algorithm, key_file: str | None, key_env: str | None,
                   key_type: SignKeyType) -> None:
    """Sign a token; times such as "+15m" in iat/nbf/exp are resolved against now."""
    key = "" if alg == "none" else read_key(key_file, key_env)
    request = EncodeRequest(header=_json_arg(header, "--header"), payload=_json_arg(payload, "--payload"),
                            alg=alg, key=key, key_type=key_type)
    result: EncodeResult = run_op("jwt/encode", request)
    click.echo(result.token)


@jwt_group.command("resign")
@click.argument("token", required=False)
@click.option("--set", "sets", multiple=True, metavar="NAME=VALUE",
              help="Set a payload claim; VALUE is JSON when it reads as JSON (42, true, [\"a\"]), else a "
                   "string (exp=+15m works). Repeatable.")
@click.option("--unset", "unsets", multiple=True, metavar="NAME", help="Remove a payload claim. Repeatable.")
@click.option("--set-header", "header_sets", multiple=True, metavar="NAME=VALUE",
              help="Set a header member (not alg: use --alg), as --set does. Repeatable.")
@click.option("--alg", type=click.Choice(choices(Algorithm)), help="Sign with this algorithm (default: the "
              "token's own alg).")
@click.option("--key", "key_file", type=click.Path(dir_okay=False), help="File with the signing key.")
@click.option("--key-env", help="Environment variable holding the signing key.")
@click.option("--key-type", type=click.Choice(choices(SignKeyType)),
              default=default_of(EncodeRequest, "key_type"), show_default=True)
@click.option("--json", "as_json", is_flag=True, help="The new token and the changes as JSON.")
def resign_command(token: str | None, sets: tuple[str, ...], unsets: tuple[str, ...],
                   header_sets: tuple[str, ...], alg: Algorithm | None, key_file: str | None,
                   key_env: str | None, key_type: SignKeyType, as_json: bool) -> None:
    """Edit TOKEN's claims and sign it again (TOKEN or - reads stdin). The new token goes to stdout,
    what changed against the original to stderr."""
    from toolbox.core.jwt.changes import original_of
    from toolbox.core.jwt.model import JwtInputError
    from toolbox.core.jwt.options import ALGORITHMS

    text = read_token(token)
    try:
        original = original_of(text)
    except JwtInputError as err:
        fail(f"cannot edit this token: {err}")
    header = {k: v for k, v in original.header.items() if k != "alg"}
    payload = dict(original.payload)
    payload.update(_assignments(sets, "--set"))
    header.update(_assignments(header_sets, "--set-header"))
    if "alg" in header:
        fail("--set-header alg: choose the algorithm with --alg")
    for name in unsets:
        if name not in payload:
            fail(f"--unset {name}: the token has no such claim")
        del payload[name]
    chosen = alg or next((a for a in ALGORITHMS if a == original.header.get("alg")), None)
    if chosen is None:
        own = json.dumps(original.header.get("alg"))
        fail(f"the token's alg {own} cannot sign here: choose one with --alg")
    key = "" if chosen == "none" else read_key(key_file, key_env)
    request = EncodeRequest(header=header, payload=payload, alg=chosen, key=key, key_type=key_type,
                            original=text)
    result: EncodeResult = run_op("jwt/encode", request)
    if as_json:
        print_json(result)
        return
    click.echo(result.token)
    for change in result.changes or ():
        before = f"{change.before} → " if change.before else ""
        after = change.after or "(removed)"
        line = f"{change.change} {change.part}.{change.name}: {before}{after}"
        click.echo(reveal(escape_surrogates(line)), err=True)  # a claim name may hold bidi controls


def _assignments(pairs: tuple[str, ...], option: str) -> dict[str, Any]:
    """NAME=VALUE pairs; VALUE is JSON when it reads as JSON, else the text itself."""
    assigned: dict[str, Any] = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not name:
            fail(f"{option} {pair!r}: write NAME=VALUE")
        try:
            assigned[name] = json.loads(value)
        except (ValueError, RecursionError):
            assigned[name] = value
    return assigned


@jwt_group.command("keygen")
@click.argument("kind", type=click.Choice(["list", *choices(KeyKind)]))
@click.option("--json", "as_json", is_flag=True)
def keygen_command(kind: KeyKind | Literal["list"], as_json: bool) -> None:
    """Generate a test key of KIND (`toolbox jwt keygen list` lists them, one a line)."""
    if kind == "list":
        click.echo("\n".join(choices(KeyKind)))
        return
    generated = run_op("jwt/keys", KeysRequest(kind=kind))
    if as_json:
        print_json(generated)
        return
    for text in (generated.secret, generated.private_pem, generated.public_pem):
        if text:
            click.echo(text.rstrip("\n"))


def _json_arg(text: str, name: str) -> dict[str, Any]:
    if text.startswith("@"):
        try:
            with open(text[1:], encoding="utf-8") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError) as err:
            fail(f"{name}: cannot read file: {err}")
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        fail(f"{name} is not valid JSON")
    if not isinstance(value, dict):
        fail(f"{name} must be a JSON object")
    return value


@jwt_group.command("jwks-lint")
@click.argument("file", required=False, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--issuer", help="Fetch this issuer's discovery document and its jwks_uri instead of FILE.")
@click.option("--expected-issuer", help="With a pasted discovery document: the issuer it must name exactly.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable result (the API's answer).")
def jwks_lint_command(file: str | None, issuer: str | None, expected_issuer: str | None,
                      as_json: bool) -> None:
    """Lint a JWK Set, a JWK or a discovery document from FILE (or - for stdin), or an --issuer.

    Each key's RFC 7638 thumbprint, kid, kty, alg, use and size, and findings. Exit 0 when no finding is
    high or critical, 1 when one is (or the text is not a key set), 2 for a usage error or a failed fetch.
    """
    from toolbox.cli.common import read_input
    from toolbox.ops.jwt_jwks import JwksLintRequest

    if file and issuer:
        fail("give FILE or --issuer, not both")
    if not file and not issuer:
        if sys.stdin.isatty():
            fail("give a FILE, '-' for stdin, or --issuer URL")
        file = "-"
    text = read_input(file) if file else ""
    request = JwksLintRequest(jwks=text, issuer=issuer or "", expected_issuer=expected_issuer or "")
    report = run_op("jwt/jwks/lint", request, path=file if file and file != "-" else "")
    if as_json:
        print_json(report)
    else:
        _print_lint(report)
    worst = {f.severity for f in report.all_findings}
    sys.exit(EXIT_FAILED if worst & {"critical", "high"} else EXIT_OK)


def _print_lint(report: LintReport) -> None:
    facts = report.discovery
    echo(f"Source: {report.source} ({report.kind}, {report.total_keys} key{'s' * (report.total_keys != 1)})")
    if facts is not None:
        expected = f" (expected {facts.expected_issuer})" if facts.expected_issuer else ""
        echo(f"Issuer: {facts.issuer}{expected}")
        echo(f"jwks_uri: {facts.jwks_uri}")
    for note in report.notes:
        echo(f"Note: {note}")
    _print_lint_findings(report.findings)
    for key in report.keys:
        facts_line = ", ".join(f"{name} {value}" for name, value in (
            ("kid", key.kid), ("kty", key.kty), ("alg", key.alg), ("use", key.use), ("size", key.size))
            if value is not None)
        echo(f"Key #{key.position}: {facts_line}")
        echo(f"  thumbprint (RFC 7638, SHA-256): {key.thumbprint or '(not computable)'}")
        _print_lint_findings(key.findings)
    total = len(report.all_findings)
    echo(f"{total} finding{'s' * (total != 1)}")


def _print_lint_findings(findings: tuple[Finding, ...]) -> None:
    for finding in findings:
        echo(f"  [{finding.severity}] {finding.id}: {finding.title}")
        echo(f"      {finding.detail}")
