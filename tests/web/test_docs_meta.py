"""Meta-tests: the docs match the code, their links resolve, and the repository stands alone."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT
from toolbox.config import Settings

DOCS = ROOT / "docs"
README = (ROOT / "README.md").read_text()


def doc(name: str) -> str:
    return (DOCS / name).read_text()


def section(text: str, heading: str) -> str:
    """The text under `heading` up to the next heading of the same or a higher level."""
    level = heading.split(" ", 1)[0]
    start = text.index(heading + "\n") + len(heading)
    end = re.search(rf"^#{{1,{len(level)}}} ", text[start:], re.M)
    return text[start:start + end.start()] if end else text[start:]


def test_every_setting_is_in_the_configuration_table() -> None:
    text = doc("configuration.md")
    rows = {m.group(1) for m in re.finditer(r"^\| `(TOOLBOX_[A-Z0-9_]+)` \|", text, re.M)}
    names = {name for name, _, _ in Settings.documented()}
    assert names - rows == set(), "undocumented settings"
    assert rows - names == set(), "docs/configuration.md documents settings that do not exist"


def test_documented_defaults_match_the_code() -> None:
    text = doc("configuration.md")
    for name, default, _ in Settings.documented():
        row = re.search(rf"^\| `{name}` \| (.+?) \|", text, re.M)
        assert row is not None, name
        assert row.group(1).strip() == (f"`{default}`" if default else "(empty)"), name


def test_readme_setup_is_the_two_make_commands() -> None:
    assert "make run" in README and "make test" in README
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^run:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci


def test_one_python_floor_stated_and_checked() -> None:
    """pyproject's requires-python is the floor `make run` checks and the README states."""
    floor = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    version = floor.removeprefix(">=")
    makefile = (ROOT / "Makefile").read_text()
    assert f"sys.version_info < {tuple(int(part) for part in version.split('.'))}" in makefile
    assert f"Python {version} or newer" in makefile and f"Python {version} or newer" in README


def test_the_readme_reads_in_five_minutes() -> None:
    words = len(re.findall(r"\w+", README))
    assert words <= 1000, f"README.md has {words} words: move detail into docs/"


def test_every_jwt_finding_id_is_documented() -> None:
    sources = "\n".join(p.read_text() for p in (ROOT / "toolbox" / "core" / "jwt").rglob("*.py"))
    ids = set(re.findall(r'Finding\(\s*(?:id=)?"([a-z0-9-]+)"', sources))
    assert {"alg-none", "weak-secret", "short-hmac-key", "sensitive-claim"} <= ids
    table = section(doc("jwt.md"), "## Audit findings")
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \| (?:critical|high|medium|low|info)", table, re.M))
    assert ids - documented == set(), "finding ids missing from docs/jwt.md"
    assert documented - ids == set(), "docs/jwt.md documents finding ids the code never emits"


def test_every_key_set_finding_id_is_documented() -> None:
    """docs/jwt.md "Key set findings" lists exactly the linter's registry, each id with its severity."""
    from toolbox.core.jwt.jwks_lint import FINDINGS

    table = section(doc("jwt.md"), "## Key set findings")
    documented = dict(re.findall(r"^\| `([a-z0-9-]+)` \| (critical|high|medium|low|info) \|", table, re.M))
    assert documented == {finding_id: severity for finding_id, (severity, _) in FINDINGS.items()}
    source = (ROOT / "toolbox" / "core" / "jwt" / "jwks_lint.py").read_text()
    emitted = set(re.findall(r'finding\(\s*"([a-z0-9-]+)"', source))
    assert emitted == set(FINDINGS), "FINDINGS and the ids jwks_lint.py emits differ"


def test_every_header_finding_id_is_documented() -> None:
    from toolbox.core.headers.findings import FINDING_IDS

    table = section(doc("headers.md"), "## Header findings")
    for finding_id, severity in FINDING_IDS.items():
        row = next((line for line in table.splitlines() if line.startswith("|") and f"`{finding_id}`" in line),
                   None)
        assert row is not None, finding_id
        assert row.startswith(f"| {severity} |"), finding_id


def test_every_api_operation_and_cli_command_is_documented(client) -> None:  # type: ignore[no-untyped-def]
    from toolbox.cli import main

    api, cli = doc("api.md"), doc("cli.md")
    for path in client.get("/api/openapi.json").json["paths"]:
        assert f"POST {path}`" in api, path
    for name, group in main.commands.items():
        subcommands = getattr(group, "commands", {None: group})
        for sub in subcommands:
            command = f"toolbox {name}" + (f" {sub}" if sub else "")
            assert f"### `{command}`" in cli, command


def test_generated_tables_are_fresh() -> None:
    """The same check as `make lint`, so `make test-fast` catches a stale table too."""
    from cogapp import Cog

    files = [str(DOCS / name) for name in ("configuration.md", "cli.md", "jwt.md", "headers.md")]
    status = Cog().main(["cog", "--check", "--verbosity=0", "-I", str(DOCS), *files])
    assert status == 0, "docs/ tables are stale: run `make docs`"


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", path.read_text(), flags=re.S)
    return {_slug(m.group(1)) for m in re.finditer(r"^#+ (.+)$", text, re.M)}


MARKDOWN = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]


@pytest.mark.parametrize("path", MARKDOWN, ids=lambda p: p.name)
def test_relative_links_resolve(path: Path) -> None:
    text = re.sub(r"```.*?```", "", path.read_text(), flags=re.S)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        assert linked.exists(), f"{path.name}: {target}"
        if anchor and linked.suffix == ".md":
            assert anchor in _anchors(linked), f"{path.name}: {target}"


def test_every_doc_is_linked_from_the_readme() -> None:
    for path in DOCS.glob("*.md"):
        assert f"(docs/{path.name})" in README, path.name


def test_nothing_refers_outside_the_repository() -> None:
    """Only the bench scripts look beside the repository (for benchmark data); the design is here."""
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,  # noqa: S607
                             check=True).stdout.split()
    offenders = []
    for name in tracked:
        if name.startswith("tests/conformance/") or name == "tests/web/test_docs_meta.py":
            continue
        path = ROOT / name
        if path.suffix not in {".py", ".md", ".toml", ".yaml", ".cfg", ".sh", ".txt", ".html", ""}:
            continue
        if not path.is_file():
            continue
        text = path.read_text(errors="replace")
        # The bench scripts read ../shared/bench, and the docs say so; nothing else looks outside.
        if re.search(r"\.\./shared(?!/bench)|shared/DESIGN|\bDESIGN\.md", text):
            offenders.append(name)
    assert offenders == [], f"{offenders} cite files outside the repository (the design is docs/design.md)"
