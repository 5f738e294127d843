"""Schema inference: JSON samples → a draft 2020-12 schema that every sample validates against.

The samples are values the strict reader made (parse.parse_strict: integers int, other numbers
Decimal, exactly). Per path, every value seen there (in every sample, and for array items in every
element) is summed up in one Node; the schema is written from the nodes. Rules, each chosen so that
every sample validates and nothing is claimed that the samples do not show:

- `type`: the JSON types seen, one name or a list ("string" and "null" → ["string", "null"]).
  Never anyOf: every keyword written here is scoped to one type (`properties` to objects, `items`
  to arrays, `format` to strings), so one schema carries them all. An integer literal (no fraction,
  no exponent) is "integer"; a path where any literal has a fraction or an exponent, `1.0` and
  `1e2` included, is "number" (the writer meant a non-integer field; "number" accepts both).
- Objects: `properties` in first-seen key order, `required` = the keys present in every object
  seen at that path; `additionalProperties` is left open (not written).
- Arrays: `items` merges every element of every array at that path; no `items` when all were empty.
- `format` (date-time, date, time, email, uri, uuid, ipv4, ipv6) only when every string at that
  path matches one, by checks stricter than the validators' (ASCII only, real calendar dates).
- `enum` only for a small closed vocabulary: the path holds only strings (and maybe null), at most
  ENUM_MAX_VALUES distinct values of at most ENUM_MAX_LENGTH characters, each seen at least
  ENUM_MIN_REPEATS times, in at least ENUM_MIN_SAMPLES different samples (null is then listed too).
- Deeper than max_depth levels a value is left open (`{}`), with a note.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

DIALECT_URI = "https://json-schema.org/draft/2020-12/schema"
MAX_SAMPLES = 1000
MAX_INFER_DEPTH = 64  # levels of nesting described; deeper values are left open ({})
ENUM_MAX_VALUES = 5
ENUM_MAX_LENGTH = 40
ENUM_MIN_REPEATS = 2
ENUM_MIN_SAMPLES = 3
TYPE_ORDER = ("object", "array", "string", "integer", "number", "boolean", "null")
FORMATS = ("date-time", "date", "time", "email", "uri", "uuid", "ipv4", "ipv6")

_DATE = r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
_TIME = (r"([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9])(?:\.[0-9]{1,9})?"
         r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])")
_DATE_RE = re.compile(_DATE + r"\Z")
_TIME_RE = re.compile(_TIME + r"\Z")
_DATE_TIME_RE = re.compile(_DATE + "T" + _TIME + r"\Z")
_UUID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")
_IPV4_RE = re.compile(r"(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}"
                      r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\Z")
_IPV6_CHARS = re.compile(r"[0-9a-fA-F:]{2,39}\Z")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST = rf"(?:{_LABEL}\.)+[A-Za-z]{{2,63}}"
_EMAIL_RE = re.compile(r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*@" + _HOST + r"\Z")
_URI_RE = re.compile(r"(?:https?|wss?|ftp)://" + rf"(?:{_HOST}|localhost)" + r"(?::[0-9]{1,5})?"
                     r"(?:/(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})*)*"
                     r"(?:\?(?:[A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2})*)?"
                     r"(?:#(?:[A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2})*)?\Z")


def _real_date(m: re.Match[str]) -> bool:
    try:
        date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return False
    return True


def _is_ipv6(text: str) -> bool:
    if not _IPV6_CHARS.match(text) or ":" not in text:
        return False
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


def string_formats(text: str) -> frozenset[str]:
    """The formats of FORMATS that `text` certainly is (empty for most strings)."""
    if len(text) > 2048:
        return frozenset()
    found: set[str] = set()
    m = _DATE_TIME_RE.match(text)
    if m and _real_date(m):
        found.add("date-time")
    m = _DATE_RE.match(text)
    if m and _real_date(m):
        found.add("date")
    if _TIME_RE.match(text):
        found.add("time")
    if _EMAIL_RE.match(text):
        found.add("email")
    if _URI_RE.match(text):
        found.add("uri")
    if _UUID_RE.match(text):
        found.add("uuid")
    if _IPV4_RE.match(text):
        found.add("ipv4")
    if _is_ipv6(text):
        found.add("ipv6")
    return frozenset(found)


@dataclass
class Node:
    """Everything seen at one path: its types, and what each type needs to be described."""

    types: set[str] = field(default_factory=set)
    objects: int = 0  # objects seen here
    properties: dict[str, Node] = field(default_factory=dict)
    present: dict[str, int] = field(default_factory=dict)  # key → how many of those objects had it
    items: Node | None = None  # every element of every array seen here
    strings: int = 0
    formats: set[str] | None = None  # formats every string so far matched (None: no string yet)
    values: dict[str, int] | None = field(default_factory=dict)  # string → count; None once too many
    value_samples: set[int] = field(default_factory=set)  # samples holding a string here (a few)
    too_deep: bool = False  # values here were nested beyond the depth described


@dataclass(frozen=True)
class Inferred:
    """The inferred schema (plain JSON values) and notes on what was decided."""

    schema: dict[str, Any]
    notes: tuple[str, ...]


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if value is True or value is False:
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, (Decimal, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def _see_string(node: Node, text: str, sample: int) -> None:
    node.strings += 1
    if node.formats is None:
        node.formats = set(string_formats(text))
    elif node.formats:
        node.formats &= string_formats(text)
    if node.values is not None:
        if len(text) > ENUM_MAX_LENGTH or (text not in node.values and len(node.values) >= ENUM_MAX_VALUES):
            node.values = None
        else:
            node.values[text] = node.values.get(text, 0) + 1
            if len(node.value_samples) < ENUM_MIN_SAMPLES:
                node.value_samples.add(sample)


def _see(node: Node, value: Any, sample: int, depth: int, max_depth: int) -> None:
    """Add `value` (at `depth`) to `node`; iterative over siblings, recursive over depth ≤ max_depth."""
    kind = _type_name(value)
    node.types.add(kind)
    if kind == "string":
        _see_string(node, value, sample)
    elif kind == "object":
        node.objects += 1
        if depth >= max_depth:
            node.too_deep = node.too_deep or bool(value)
            return
        for key, member in value.items():
            child = node.properties.get(key)
            if child is None:
                child = node.properties[key] = Node()
            node.present[key] = node.present.get(key, 0) + 1
            _see(child, member, sample, depth + 1, max_depth)
    elif kind == "array":
        if depth >= max_depth:
            node.too_deep = node.too_deep or bool(value)
            return
        for element in value:
            if node.items is None:
                node.items = Node()
            _see(node.items, element, sample, depth + 1, max_depth)


def _schema(node: Node) -> dict[str, Any]:
    if node.too_deep:
        return {}
    types = [t for t in TYPE_ORDER if t in node.types and not (t == "integer" and "number" in node.types)]
    schema: dict[str, Any] = {"type": types[0] if len(types) == 1 else types}
    if "object" in node.types and node.properties:
        schema["properties"] = {key: _schema(child) for key, child in node.properties.items()}
        required = [key for key, count in node.present.items() if count == node.objects]
        if required:
            schema["required"] = required
    if "array" in node.types and node.items is not None:
        schema["items"] = _schema(node.items)
    if "string" in node.types:
        values = node.values
        if (values and set(types) <= {"string", "null"} and len(node.value_samples) >= ENUM_MIN_SAMPLES
                and min(values.values()) >= ENUM_MIN_REPEATS):
            schema["enum"] = sorted(values) + ([None] if "null" in node.types else [])
        elif node.formats:
            schema["format"] = next(f for f in FORMATS if f in node.formats)
    return schema


def _deep_paths(node: Node, path: str, out: list[str]) -> None:
    if len(out) >= 3:
        return
    if node.too_deep:
        out.append(path or "/")
        return
    for key, child in node.properties.items():
        _deep_paths(child, f"{path}/{key.replace('~', '~0').replace('/', '~1')}", out)
    if node.items is not None:
        _deep_paths(node.items, f"{path}/*", out)


def infer(samples: Sequence[Any], max_depth: int = MAX_INFER_DEPTH) -> Inferred:
    """The draft 2020-12 schema of `samples` (parsed values, at least one); see the module docstring."""
    if not samples:
        raise ValueError("At least one sample is needed")
    if len(samples) > MAX_SAMPLES:
        raise ValueError(f"At most {MAX_SAMPLES:,} samples ({len(samples):,} given)")
    root = Node()
    for index, sample in enumerate(samples):
        _see(root, sample, index, 0, max_depth)
    schema = {"$schema": DIALECT_URI, **_schema(root)}
    notes = [f"Inferred from {len(samples):,} sample{'s' if len(samples) != 1 else ''}; "
             "every sample validates against it. Objects stay open to other members "
             "(add \"additionalProperties\": false to close them)."]
    deep: list[str] = []
    _deep_paths(root, "", deep)
    if deep:
        notes.append(f"Nested deeper than {max_depth} levels, left open ({{}}): " + ", ".join(deep)
                     + (" …" if len(deep) >= 3 else ""))
    if len(samples) < ENUM_MIN_SAMPLES:
        notes.append(f"No enum from fewer than {ENUM_MIN_SAMPLES} samples.")
    return Inferred(schema=schema, notes=tuple(notes))
