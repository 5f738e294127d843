"""Meta-tests: every setting is documented in the README, and the README's commands are real."""

from __future__ import annotations

import re

from tests.conftest import ROOT
from toolbox.config import Settings

README = (ROOT / "README.md").read_text()


def test_every_setting_is_in_the_readme_table() -> None:
    rows = {m.group(1) for m in re.finditer(r"^\| `(TOOLBOX_[A-Z0-9_]+)` \|", README, re.M)}
    names = {name for name, _, _ in Settings.documented()}
    assert names - rows == set(), "undocumented settings"
    assert rows - names == set(), "README documents settings that do not exist"


def test_readme_defaults_match_the_code() -> None:
    for name, default, _ in Settings.documented():
        row = re.search(rf"^\| `{name}` \| (.+?) \|", README, re.M)
        assert row is not None, name
        shown = row.group(1).strip()
        assert shown == (f"`{default}`" if default else "(empty)"), name


def test_readme_setup_is_the_two_make_commands() -> None:
    assert "make run" in README and "make test" in README
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^run:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci


def test_every_jwt_finding_id_is_documented() -> None:
    sources = "\n".join(p.read_text() for p in (ROOT / "toolbox" / "core" / "jwt").glob("*.py"))
    ids = set(re.findall(r'Finding\(\s*"([a-z0-9-]+)"', sources))
    assert {"alg-none", "weak-secret", "short-hmac-key", "sensitive-claim"} <= ids
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \| (?:critical|high|medium|low|info)", README, re.M))
    assert ids - documented == set(), "finding ids missing from the README table"
    assert documented - ids == set(), "README documents finding ids the code never emits"


def test_every_api_operation_and_cli_command_is_documented(client) -> None:  # type: ignore[no-untyped-def]
    from toolbox.cli import main

    for path in client.get("/api/openapi.json").json["paths"]:
        assert f"POST {path}`" in README, path
    for name, group in main.commands.items():
        subcommands = getattr(group, "commands", {None: group})
        for sub in subcommands:
            assert f"toolbox {name}" + (f" {sub}" if sub else "") in README, (name, sub)


def test_every_header_finding_id_is_documented() -> None:
    from toolbox.core.headers.findings import FINDING_IDS

    section = README.split("### Header findings", 1)[1].split("###", 1)[0]
    for finding_id, severity in FINDING_IDS.items():
        row = next((line for line in section.splitlines() if f"`{finding_id}`" in line), None)
        assert row is not None, finding_id
        assert row.startswith(f"| {severity} |"), finding_id
