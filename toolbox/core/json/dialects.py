"""JSON Schema dialects: their names, metaschema URIs, and jsonschema-rs's validator for each."""

from __future__ import annotations

from typing import Any, Final

import jsonschema_rs
from jsonschema_specifications import REGISTRY as BUNDLED_METASCHEMAS  # type: ignore[import-untyped]

from toolbox.core.json.model import Dialect
from toolbox.core.json.validate_input import UnknownDialectError

DEFAULT_DIALECT: Final[Dialect] = "draft2020-12"
DIALECTS: Final[tuple[Dialect, ...]] = ("draft4", "draft6", "draft7", "draft2019-09", "draft2020-12")

METASCHEMA_URI: Final[dict[Dialect, str]] = {
    "draft4": "http://json-schema.org/draft-04/schema#",
    "draft6": "http://json-schema.org/draft-06/schema#",
    "draft7": "http://json-schema.org/draft-07/schema#",
    "draft2019-09": "https://json-schema.org/draft/2019-09/schema",
    "draft2020-12": "https://json-schema.org/draft/2020-12/schema",
}

ENGINE_CLASS: Final[dict[Dialect, Any]] = {
    "draft4": jsonschema_rs.Draft4Validator,
    "draft6": jsonschema_rs.Draft6Validator,
    "draft7": jsonschema_rs.Draft7Validator,
    "draft2019-09": jsonschema_rs.Draft201909Validator,
    "draft2020-12": jsonschema_rs.Draft202012Validator,
}

# Where `$id` lives and whether `$ref` hides its siblings, by dialect.
ID_KEYWORD: Final[dict[Dialect, str]] = {d: ("id" if d == "draft4" else "$id") for d in DIALECTS}
REF_OVERRIDES_SIBLINGS: Final[dict[Dialect, bool]] = {
    d: d in ("draft4", "draft6", "draft7") for d in DIALECTS
}


def normalize_uri(uri: str) -> str:
    """A metaschema URI without its empty fragment and with https, for comparison."""
    uri = uri.strip()
    if uri.endswith("#"):
        uri = uri[:-1]
    if uri.startswith("http://"):
        uri = "https://" + uri[len("http://") :]
    return uri


_BY_URI: Final[dict[str, Dialect]] = {normalize_uri(uri): name for name, uri in METASCHEMA_URI.items()}
_ALIASES: Final[dict[str, Dialect]] = {
    "4": "draft4", "6": "draft6", "7": "draft7", "draft-04": "draft4", "draft-06": "draft6",
    "draft-07": "draft7", "2019-09": "draft2019-09", "2020-12": "draft2020-12",
    "draft201909": "draft2019-09", "draft202012": "draft2020-12",
}

BUNDLED_URIS: Final[frozenset[str]] = frozenset(normalize_uri(uri) for uri in BUNDLED_METASCHEMAS)


def metaschema(dialect: Dialect) -> Any:
    """The dialect's metaschema document (bundled: never fetched)."""
    return BUNDLED_METASCHEMAS.contents(METASCHEMA_URI[dialect].removesuffix("#"))


def dialect_named(name: str) -> Dialect:
    """The dialect for a name such as "draft7" or "2020-12"; UnknownDialectError otherwise."""
    key = name.strip().lower()
    for dialect in DIALECTS:
        if key == dialect:
            return dialect
    if key in _ALIASES:
        return _ALIASES[key]
    raise UnknownDialectError(
        f"Unknown JSON Schema dialect {name!r}; choose one of {', '.join(DIALECTS)}", "schema"
    )


def detect_dialect(schema: Any, chosen: Dialect | None) -> tuple[Dialect, str | None]:
    """The dialect to use and, when `chosen` overrides a different `$schema`, a note saying so.

    Without a choice the root `$schema` decides (default draft2020-12); an unknown `$schema`
    URI is an UnknownDialectError, because custom metaschemas would have to be fetched.
    """
    declared = schema.get("$schema") if isinstance(schema, dict) else None
    from_uri: Dialect | None = None
    if isinstance(declared, str):
        from_uri = _BY_URI.get(normalize_uri(declared))
        if from_uri is None and chosen is None:
            raise UnknownDialectError(
                f"Unknown $schema {declared!r}: supported are "
                + ", ".join(METASCHEMA_URI.values())
                + " (custom metaschemas are never fetched)",
                "schema",
            )
    if chosen is not None:
        if chosen not in METASCHEMA_URI:
            raise UnknownDialectError(f"Unknown JSON Schema dialect {chosen!r}", "schema")
        if isinstance(declared, str) and from_uri != chosen:
            return chosen, f"Validated as {chosen} as chosen, although the schema's $schema is {declared!r}."
        return chosen, None
    return (from_uri or DEFAULT_DIALECT), None
