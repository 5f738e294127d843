"""Tables in docs/ generated from the code with cog: settings, CLI commands and finding ids.

`make docs` rewrites them (`cog -r`); `make lint` runs `cog --check`, so CI fails when a table no
longer matches the code. Each function returns Markdown; the .md files call them like this:

    <!-- [[[cog import cogtables; cog.out(cogtables.settings_table()) ]]] -->
    ...generated...
    <!-- [[[end]]] -->
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterator
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent.parent
SEVERITIES = ("critical", "high", "medium", "low", "info")

# What each JWT audit finding means, in words. The ids and severities come from the code
# (toolbox/core/jwt); a finding the code emits without a line here stops `make docs`.
JWT_FINDING_NOTES: dict[str, str] = {
    "alg-none": "`alg` is `none` in any letter case: an unsecured token",
    "weak-secret": "an HS* signature verifies with a publicly known secret (a list of ~200 tutorial, "
    "framework and jwt.io example secrets, checked by computing the HMAC: no key needed); the finding "
    "names it",
    "embedded-key": "`jwk` or `x5c` in the header: key material must never be trusted from the token "
    "(Authlib CVE-2026-27962 class; critical when the embedded key has private members); the verifier "
    "never uses it unless you paste it as the key",
    "self-signed-token": "the signature verifies with the key the header itself carries (`jwk`, or the "
    "`x5c` leaf certificate): the attacker's self-signed token, accepted by any verifier that takes its key "
    "from the token",
    "psychic-signature": "an ES256/ES256K/ES384/ES512 signature with r or s zero, negative or not below the "
    "curve order (in the raw JWS form, or all zero bytes / DER of such a pair): invalid for every key; Java "
    "15–18 accepted it (CVE-2022-21449); the verifier says invalid",
    "crit-invalid": "`crit` breaks RFC 7515 §4.1.11: not a list, empty, non-string entries, names the "
    "JOSE specifications define (`alg`, `kid`, …), repeated names, or names absent from the header",
    "crit-unknown": "`crit` lists extensions PyJWT does not implement (anything but `b64`): the token must "
    "be rejected, and is (PyJWT before 2.12.0 accepted it: CVE-2026-32597)",
    "unsupported-alg": "`alg` is ML-DSA-44/65/87 (post-quantum, draft-ietf-cose-dilithium): recognised, "
    "but not supported (PyJWT does not implement it), rather than reported as unknown",
    "remote-key-url": "`jku` or `x5u` in the header: never fetched, never trusted automatically (the same "
    "class as an embedded key)",
    "suspicious-kid": "`kid` with path traversal, SQL or shell metacharacters, NUL, or a URL",
    "unknown-alg": "`alg` missing or not a registered JWS algorithm",
    "sensitive-claim": "the readable payload holds what looks like passwords, secrets, API or private "
    "keys, card numbers (Luhn-checked), SSNs, IBANs or national ids (pointers are shown, never values)",
    "short-hmac-key": "(verify) the HMAC key is shorter than the hash output (RFC 7518 §3.2)",
    "short-rsa-key": "(verify) RSA key under 2048 bits",
    "missing-exp": "no expiry",
    "iat-in-future": "issued in the future (beyond the leeway)",
    "crit-header": "`crit` lists only extensions PyJWT implements (`b64`, RFC 7797): honoured; libraries "
    "that ignore `crit` may read the token differently",
    "duplicate-key": "a JSON object in the header or payload repeats a key (parsers disagree on which "
    "wins)",
    "invisible-characters": "a header value, claim or member name holds bidi controls (U+202A–U+202E, "
    "U+2066–U+2069, U+200E/U+200F, U+061C; medium) or other invisible format characters (low) that "
    "make it display as something else (`\\u202enimda` reads as \"admin\"); the page shows them as "
    "`\\u202e` escapes",
    "long-lifetime": "lifetime over `TOOLBOX_JWT_MAX_LIFETIME` (default 24 h); medium over 30 days",
    "nbf-after-exp": "the token can never be valid",
    "noncanonical-base64": "padding, the standard base64 alphabet, or non-zero trailing bits",
    "oversized-token": "over 8 KiB: many servers cap request headers there",
    "jwe-token": "encrypted: only the protected header can be inspected without a key (jwt/decrypt "
    "decrypts it with one)",
    "jwe-unsigned-inner": "(decrypt) the plaintext is an unsigned token (`alg: none`): anyone with the "
    "recipient's public key can make it (the pac4j CVE-2026-29000 pattern)",
    "jwe-unsigned-claims": "(decrypt) the plaintext is a claims set, not a signed token: high when encrypted "
    "to a public key (RSA-OAEP, ECDH-ES: anyone can make one), low with a shared key",
    "jwe-rsa1-5": "(decrypt) the content key is encrypted with RSA1_5 (Bleichenbacher padding oracle); "
    "decrypted to show the plaintext, never recommended",
    "jwe-text-key": "(decrypt) `dir` or A*KW with a key that is UTF-8 text (a password as a key)",
    "jwe-pbes2": "(decrypt) a password-derived key (PBES2): medium when `p2c` is under 1000",
    "jwe-missing-cty": "(decrypt) the plaintext is a token but the header has no `cty: JWT`",
    "jwe-compressed": "(decrypt) `zip: DEF`: compression before encryption leaks lengths (CRIME/BREACH)",
    "sd-unknown-alg": "(SD-JWT) `_sd_alg` is not a hash this tool computes (the IANA names: sha-256, "
    "sha-384, sha-512, sha3-*, blake2*), or not a string: no digest can be checked",
    "sd-weak-alg": "(SD-JWT) `_sd_alg` is a truncated SHA-256 (`sha-256-128` and shorter), `sha-1` or "
    "`md5`",
    "sd-bad-disclosure": "(SD-JWT) a disclosure is malformed (base64url, JSON, not an array of 2 or 3, salt "
    "or name not a string, `~~`), uses a reserved name (`_sd`, `...`), would overwrite a plain claim, or "
    "is an element disclosure in an `_sd` (or a property one in an array): RFC 9901 §7.1 says reject",
    "sd-unmatched-disclosure": "(SD-JWT) a disclosure matches no digest in the token or in other "
    "disclosures (RFC 9901 §7.1: reject)",
    "sd-duplicate-digest": "(SD-JWT) a digest appears twice, or one disclosure is presented twice",
    "sd-kb-invalid": "(SD-JWT) the KB-JWT's `typ` is not `kb+jwt`, its `alg` is `none`, its `sd_hash` does "
    "not match the presentation, or it lacks `iat`, `aud` or `nonce` (its signature is checked by Verify)",
    "sd-short-salt": "(SD-JWT) a salt under 128 bits (6 bits per base64url character, 4 per hex digit): "
    "hidden values can be guessed against the digests",
    "sd-kb-missing": "(SD-JWT) the issuer JWT has `cnf` (a holder key) but no KB-JWT is presented",
    "sd-no-decoys": "(SD-JWT) every digest in the token is disclosed, so there are no decoy digests; when "
    "some stay hidden nothing is said, as decoys look exactly like undisclosed claims",
}


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def settings_table() -> str:
    """Every TOOLBOX_* setting with its default and description (Settings.documented())."""
    from toolbox.config import Settings

    rows = ["| variable | default | description |", "| --- | --- | --- |"]
    for name, default, doc in Settings.documented():
        rows.append(f"| `{name}` | {f'`{default}`' if default else '(empty)'} | {_cell(doc)} |")
    return "\n".join(rows) + "\n"


def _commands(group: click.Group, ctx: click.Context) -> Iterator[tuple[click.Command, click.Context]]:
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        sub = click.Context(command, info_name=name, parent=ctx)
        if isinstance(command, click.Group):
            yield from _commands(command, sub)
        else:
            yield command, sub


def _first_paragraph(text: str | None) -> str:
    return _cell(inspect.cleandoc(text or "").split("\n\n")[0].replace("\b", ""))


def cli_reference() -> str:
    """One section per `toolbox` command (walking the click tree): usage, summary, options."""
    from toolbox.cli import main

    root = click.Context(main, info_name="toolbox")
    out: list[str] = []
    for command, ctx in _commands(main, root):
        path = ctx.command_path
        usage = " ".join([path, *command.collect_usage_pieces(ctx)])
        out += [f"### `{path}`", "", _first_paragraph(command.help), "", "```", usage, "```", ""]
        help_option = command.get_help_option(ctx)
        records = [record for param in command.get_params(ctx)
                   if param is not help_option and (record := param.get_help_record(ctx)) is not None]
        if records:
            out += ["| option | description |", "| --- | --- |"]
            for opts, help_text in records:
                text = _cell(help_text) or ("" if opts.startswith("-") else "argument")
                out.append(f"| `{_cell(opts)}` | {text} |")
            out.append("")
    return "\n".join(out)


def cli_summary() -> str:
    """A one-line-per-command table of the whole `toolbox` command tree."""
    from toolbox.cli import main

    rows = ["| command | what it does |", "| --- | --- |"]
    for command, ctx in _commands(main, click.Context(main, info_name="toolbox")):
        anchor = ctx.command_path.replace(" ", "-")
        rows.append(f"| [`{ctx.command_path}`](#{anchor}) | {_cell(command.get_short_help_str(200))} |")
    return "\n".join(rows) + "\n"


def _strings(node: ast.AST | None, assigned: dict[str, list[ast.AST]]) -> set[str]:
    """String constants an expression can evaluate to (following local names one step)."""
    if node is None:
        return set()
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _strings(node.body, assigned) | _strings(node.orelse, assigned)
    if isinstance(node, ast.Name):
        return set().union(*(_strings(value, {}) for value in assigned.get(node.id, [])))
    return set()


def jwt_findings() -> dict[str, set[str]]:
    """Every JWT audit finding id the code constructs, with the severities it can have."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "toolbox" / "core" / "jwt").rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        assigned: dict[str, list[ast.AST]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        assigned.setdefault(target.id, []).append(node.value)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None))
                    == "Finding"):
                continue
            keywords = {k.arg: k.value for k in node.keywords}
            ident = _strings(node.args[0] if node.args else keywords.get("id"), {})
            severity = _strings(node.args[1] if len(node.args) > 1 else keywords.get("severity"), assigned)
            for finding_id in ident:
                found.setdefault(finding_id, set()).update(severity & set(SEVERITIES))
    return found


def _severity_key(severities: set[str]) -> tuple[int, ...]:
    return tuple(sorted(SEVERITIES.index(s) for s in severities)) or (len(SEVERITIES),)


def jwt_findings_table() -> str:
    """The JWT audit findings, worst first: id, severity (from the code), meaning."""
    found = jwt_findings()
    missing = sorted(set(found) - set(JWT_FINDING_NOTES))
    if missing:
        raise SystemExit(f"docs/cogtables.py: describe the JWT finding(s) {missing} in JWT_FINDING_NOTES")
    stale = sorted(set(JWT_FINDING_NOTES) - set(found))
    if stale:
        raise SystemExit(f"docs/cogtables.py: JWT_FINDING_NOTES describes {stale}, never emitted")
    rows = ["| id | severity | what it means |", "| --- | --- | --- |"]
    for finding_id in sorted(found, key=lambda i: (_severity_key(found[i]), i)):
        shown = " / ".join(sorted(found[finding_id], key=SEVERITIES.index)) or "varies"
        rows.append(f"| `{finding_id}` | {shown} | {_cell(JWT_FINDING_NOTES[finding_id])} |")
    return "\n".join(rows) + "\n"


def keyset_findings_table() -> str:
    """The key set linter's findings, worst first (toolbox.core.jwt.jwks_lint.FINDINGS)."""
    from toolbox.core.jwt.jwks_lint import FINDINGS

    rows = ["| id | severity | what it means |", "| --- | --- | --- |"]
    for finding_id, (severity, meaning) in sorted(FINDINGS.items(), key=lambda i: SEVERITIES.index(i[1][0])):
        rows.append(f"| `{finding_id}` | {severity} | {_cell(meaning)} |")
    return "\n".join(rows) + "\n"


def header_findings_table() -> str:
    """The header checker's finding ids by severity (toolbox.core.headers.findings.FINDING_IDS)."""
    from toolbox.core.headers.findings import FINDING_IDS

    rows = ["| severity | ids |", "| --- | --- |"]
    for severity in SEVERITIES:
        ids = sorted(i for i, s in FINDING_IDS.items() if s == severity)
        if ids:
            rows.append(f"| {severity} | " + ", ".join(f"`{i}`" for i in ids) + " |")
    return "\n".join(rows) + "\n"
