"""Licence check of what Toolbox ships: every package in requirements/main.lock and the npm
packages that are not devDependencies (htmx), each against an allowlist (`make audit`).

The Python licences come from the installed distributions' metadata, as pip-licenses reads it
(`pip-licenses --from=all --format=json`) in an environment with exactly main.lock installed;
the npm ones from node_modules/<name>/package.json (package-lock.json when not installed).
Prints a table and exits 1 when a package is missing, has another version than its lock, or has
a licence that is not on the allowlist. Policy: docs/development.md, "Supply chain".

    python tools/licence_check.py PIP_LICENSES_JSON requirements/main.lock package-lock.json
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

# SPDX ids allowed in what we ship. Permissive licences; MPL-2.0 is weak (file-level) copyleft:
# fine for a dependency used unmodified, its own files stay under the MPL.
ALLOWED = {
    "0BSD": "permissive",
    "MIT": "permissive",
    "MIT-0": "permissive",
    "BSD-2-Clause": "permissive",
    "BSD-3-Clause": "permissive",
    "BSD": "permissive",  # the "BSD License" classifier, which does not say 2- or 3-clause
    "Apache-2.0": "permissive",
    "ISC": "permissive",
    "PSF-2.0": "permissive",
    "Python-2.0": "permissive",
    # CNRI's Python 1.6.1 licence (OSI approved, permissive; part of Python's own licence history):
    # `regex` (needed by jsonpath-rfc9535 for RFC 9535's I-Regexp) is "Apache-2.0 AND CNRI-Python".
    "CNRI-Python": "permissive",
    "MPL-2.0": "weak copyleft",
}

# Trove classifiers ("License :: OSI Approved :: ...") and common free-text names, as SPDX ids.
NAMES = {
    "mit license": "MIT",
    "mit": "MIT",
    "the mit license (mit)": "MIT",
    "bsd license": "BSD",
    "bsd": "BSD",
    "apache software license": "Apache-2.0",
    "apache license 2.0": "Apache-2.0",
    "apache 2.0": "Apache-2.0",
    "isc license (iscl)": "ISC",
    "python software foundation license": "PSF-2.0",
    "mozilla public license 2.0 (mpl 2.0)": "MPL-2.0",
}

SPDX_IDS = {spdx.lower(): spdx for spdx in ALLOWED}
UNKNOWN = "UNKNOWN"


def normalize(name: str) -> str:
    """A distribution name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_lock(path: Path) -> dict[str, str]:
    """name -> version, for each `name==version` a pip-compile lock file pins."""
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)", line)
        if match:
            pins[normalize(match.group(1))] = match.group(2)
    return pins


def spdx_id(term: str) -> str | None:
    term = term.strip()
    return SPDX_IDS.get(term.lower()) or NAMES.get(term.lower())


def expression_allowed(expression: str) -> bool | None:
    """Whether an SPDX expression is allowed (OR: any side, AND: both); None when unreadable."""
    tokens = re.findall(r"\(|\)|[^\s()]+", expression)
    position = 0

    def parse_or() -> bool | None:
        nonlocal position
        result = parse_and()
        while position < len(tokens) and tokens[position].upper() == "OR":
            position += 1
            right = parse_and()
            result = None if result is None or right is None else result or right
        return result

    def parse_and() -> bool | None:
        nonlocal position
        result = parse_atom()
        while position < len(tokens) and tokens[position].upper() == "AND":
            position += 1
            right = parse_atom()
            result = None if result is None or right is None else result and right
        return result

    def parse_atom() -> bool | None:
        nonlocal position
        if position >= len(tokens):
            return None
        item = tokens[position]
        position += 1
        if item == "(":
            result = parse_or()
            if position >= len(tokens) or tokens[position] != ")":
                return None
            position += 1
            return result
        if position < len(tokens) and tokens[position].upper() == "WITH":
            return None  # an exception clause: decide by hand, never silently
        return spdx_id(item) is not None  # an id not on the allowlist is not allowed

    result = parse_or()
    return result if position == len(tokens) else None


def verdict(licence: str) -> str:
    """'ok' / 'ok (weak copyleft)' / 'NOT ALLOWED' / 'UNKNOWN' for a licence as metadata gives it."""
    if not licence or licence == UNKNOWN:
        return "UNKNOWN"
    parts = [part.strip() for part in licence.split(";") if part.strip()]  # classifiers: any one
    allowed: list[str] = []
    for part in parts:
        ident = spdx_id(part)
        if ident:
            allowed.append(ident)
        elif expression_allowed(part):
            allowed.extend(spdx_id(t) or "" for t in re.findall(r"[^\s()]+", part))
    allowed = [ident for ident in allowed if ident]
    if not allowed:
        return "NOT ALLOWED" if parts else "UNKNOWN"
    if all(ALLOWED[ident] == "weak copyleft" for ident in allowed):
        return "ok (weak copyleft)"
    return "ok"


def python_rows(report: list[dict[str, str]], pins: dict[str, str]) -> list[tuple[str, ...]]:
    installed = {normalize(entry["Name"]): entry for entry in report}
    rows: list[tuple[str, ...]] = []
    for name, version in sorted(pins.items()):
        entry = installed.get(name)
        if entry is None:
            if name in {"pip", "setuptools"}:
                continue  # pip-licenses never lists the installers; neither is shipped in the app
            rows.append(("pypi", name, version, "-", "-", "NOT INSTALLED"))
            continue
        licence, source = UNKNOWN, "-"
        for key, label in (("License-Expression", "expression"), ("License-Classifier", "classifier"),
                           ("License-Metadata", "license field")):
            value = entry.get(key, UNKNOWN).strip()
            if value and value != UNKNOWN:
                licence, source = value, label
                break
        state = verdict(licence) if entry["Version"] == version else f"VERSION {entry['Version']}"
        rows.append(("pypi", entry["Name"], version, licence.splitlines()[0][:48], source, state))
    return rows


def npm_rows(package_lock: Path) -> list[tuple[str, ...]]:
    lock = json.loads(package_lock.read_text(encoding="utf-8"))
    rows: list[tuple[str, ...]] = []
    for key, meta in sorted(lock.get("packages", {}).items()):
        if not key.startswith("node_modules/") or meta.get("dev") or meta.get("devOptional"):
            continue  # the root, and dev-only packages (axe-core, for the tests) are not shipped
        name = key.removeprefix("node_modules/")
        manifest = package_lock.parent / key / "package.json"
        licence, source = meta.get("license", UNKNOWN), "package-lock.json"
        if manifest.is_file():
            installed = json.loads(manifest.read_text(encoding="utf-8"))
            if installed.get("version") != meta.get("version"):
                rows.append(("npm", name, meta.get("version", "?"), "-", "-",
                             f"VERSION {installed.get('version')}"))
                continue
            licence, source = installed.get("license", UNKNOWN), f"{key}/package.json"
        if not isinstance(licence, str):
            licence = UNKNOWN  # the old {"type": ...} form: decide by hand
        rows.append(("npm", name, meta.get("version", "?"), licence, source, verdict(licence)))
    return rows


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    report = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    rows = python_rows(report, read_lock(Path(argv[2]))) + npm_rows(Path(argv[3]))
    header: tuple[str, ...] = ("from", "package", "version", "licence", "read from", "verdict")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, tuple("-" * width for width in widths), *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    bad = [row for row in rows if not row[5].startswith("ok")]
    allowlist = ", ".join(sorted(ALLOWED))
    if bad:
        print(f"licence check: {len(bad)} of {len(rows)} shipped packages have no licence on the "
              f"allowlist ({allowlist}): {', '.join(row[1] for row in bad)}", file=sys.stderr)
        return 1
    print(f"licence check: all {len(rows)} shipped packages are under allowed licences ({allowlist})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
