"""The official JSON Schema Test Suite (vendored in tests/conformance), as cases for our core validator."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import referencing
import referencing.jsonschema
from jsonschema import validators

from toolbox.core.json.dialects import ENGINE_CLASS, METASCHEMA_URI
from toolbox.core.json.model import Dialect
from toolbox.core.json.schema_refs import RefusedReference, document_uri, fast_retriever
from toolbox.core.json.validate import CompiledSchema, compile_schema

ROOT = Path(__file__).resolve().parents[3]
SUITE = ROOT / "tests" / "conformance" / "JSON-Schema-Test-Suite"
DIALECTS: tuple[Dialect, ...] = ("draft4", "draft6", "draft7", "draft2019-09", "draft2020-12")
REMOTE_BASE = "http://localhost:1234/"
EXPECTED_FAILURES_FILE = Path(__file__).with_name("expected_failures.json")
# jsonschema, the reference implementation: only compared with here, never on the product's path.
REFERENCE_CLASS: dict[Dialect, Any] = {
    "draft4": validators.Draft4Validator,
    "draft6": validators.Draft6Validator,
    "draft7": validators.Draft7Validator,
    "draft2019-09": validators.Draft201909Validator,
    "draft2020-12": validators.Draft202012Validator,
}


@dataclass(frozen=True)
class Case:
    """One test of the suite: `id` is "<dialect>/<file>::<group>::<test>"."""

    id: str
    dialect: Dialect
    file: str  # relative to tests/<dialect>/, e.g. "ref.json" or "optional/format/email.json"
    group: int
    schema: Any
    data: Any
    valid: bool

    @property
    def required(self) -> bool:
        return not self.file.startswith("optional/")


@cache
def remotes() -> dict[str, Any]:
    """The suite's remotes/ folder, keyed by the http://localhost:1234/ URL it stands for (read from disk)."""
    folder = SUITE / "remotes"
    return {
        REMOTE_BASE + path.relative_to(folder).as_posix(): json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(folder.rglob("*.json"))
    }


def cases(dialect: Dialect, *, required: bool = True, formats: bool = False) -> Iterator[Case]:
    """Required tests (tests/<dialect>/*.json) and/or optional/format tests, in file order."""
    folder = SUITE / "tests" / dialect
    files: list[Path] = []
    if required:
        files += sorted(folder.glob("*.json"))
    if formats:
        files += sorted((folder / "optional" / "format").glob("*.json"))
    for path in files:
        rel = path.relative_to(folder).as_posix()
        for g, group in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            for test in group["tests"]:
                yield Case(
                    f"{dialect}/{rel}::{group['description']}::{test['description']}",
                    dialect, rel, g, group["schema"], test["data"], test["valid"],
                )


def all_cases() -> list[Case]:
    """Every required test of the five dialects, then every optional/format test."""
    out: list[Case] = []
    for dialect in DIALECTS:
        out += cases(dialect)
    for dialect in DIALECTS:
        out += cases(dialect, required=False, formats=True)
    return out


_compiled: dict[tuple[str, str, int], CompiledSchema] = {}


def compiled(case: Case) -> CompiledSchema:
    """Our compiled schema for the case's group (compiled once per group)."""
    key = (case.dialect, case.file, case.group)
    if key not in _compiled:
        _compiled[key] = compile_schema(
            json.dumps(case.schema), dialect=case.dialect, formats=formats(case), resources=remotes()
        )
    return _compiled[key]


def formats(case: Case) -> bool:
    """Format assertion for optional/format tests; required tests treat format as an annotation."""
    return not case.required


def ours_valid(case: Case) -> bool:
    """Our verdict through the core path: texts in, ValidationResult out."""
    return compiled(case).validate(json.dumps(case.data)).valid


def reference_valid(case: Case) -> bool:
    """jsonschema alone (the reference), with the suite's remotes and no network."""
    cls = REFERENCE_CLASS[case.dialect]
    registry = reference_registry(remotes(), METASCHEMA_URI[case.dialect])
    checker = cls.FORMAT_CHECKER if formats(case) else None
    validator = cls(case.schema, registry=registry, format_checker=checker)  # type: ignore[call-arg]
    return bool(validator.is_valid(case.data))


def fast_valid(case: Case) -> bool:
    """jsonschema-rs alone, with the suite's remotes and no network."""
    validator = ENGINE_CLASS[case.dialect](
        case.schema, validate_formats=formats(case), retriever=fast_retriever(remotes())
    )
    return bool(validator.is_valid(case.data))


def reference_registry(extra: dict[str, Any], dialect_uri: str) -> referencing.Registry[Any]:
    """A `referencing` registry for jsonschema that never fetches (the metaschemas are bundled)."""
    default = referencing.jsonschema.specification_with(dialect_uri)
    documents = {document_uri(uri): contents for uri, contents in extra.items()}

    def retrieve(uri: str) -> referencing.Resource[Any]:
        key = document_uri(uri)
        if key in documents:
            return referencing.Resource.from_contents(documents[key], default_specification=default)
        raise RefusedReference(f"{uri} is outside the suite's remotes and is never fetched")

    return referencing.Registry(retrieve=retrieve)  # type: ignore[call-arg]


def expected_failures() -> dict[str, dict[str, str]]:
    """{"ours": {case id: reason}, "engines_disagree": {case id: what differs}}."""
    data: dict[str, dict[str, str]] = json.loads(EXPECTED_FAILURES_FILE.read_text(encoding="utf-8"))
    return data


def disagreement(reference: bool | None, fast: bool, expected: bool) -> str:
    """How the two engines' verdicts differ, and what the suite expects."""

    def word(verdict: bool | None) -> str:
        return "raises" if verdict is None else ("valid" if verdict else "invalid")

    return f"jsonschema {word(reference)}, jsonschema-rs {word(fast)}; the suite expects {word(expected)}"
