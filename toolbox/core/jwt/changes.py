"""Edit and re-sign: what a newly signed token changed against the token it was made from.

`changes(original, header, payload)` compares the original token's header and payload with the
new ones member by member (values compared as JSON, so 1 and 1.0 are equal and key order inside a
value does not matter), header first, in the new token's order, removed members last. The
signature always changes with a new signing; it is not listed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from .decode import decode
from .model import JwtInputError

Part = Literal["header", "payload"]
ChangeKind = Literal["added", "removed", "changed"]
MAX_SHOWN = 200  # characters of a value shown in a change


@dataclass(frozen=True)
class Change:
    """One member of the header or payload that the new token adds, removes or changes.

    `before` and `after` are the values as compact JSON text (cut at MAX_SHOWN characters), "" when
    the member is absent on that side.
    """

    part: Part
    name: str
    change: ChangeKind
    before: str = ""
    after: str = ""


@dataclass(frozen=True)
class Original:
    """The header and payload of the token being edited (both JSON objects)."""

    header: dict[str, Any]
    payload: dict[str, Any]


def original_of(token: str) -> Original:
    """The header and payload of a JWS whose both parts are JSON objects; JwtInputError otherwise."""
    decoded = decode(token)
    if decoded.kind == "jwe":
        raise JwtInputError("the original token is encrypted (JWE): its payload cannot be edited here")
    if decoded.header is None:
        raise JwtInputError("the original token's header does not decode: " + (decoded.errors or ("",))[0])
    if not isinstance(decoded.payload, dict):
        raise JwtInputError("the original token's payload is not a JSON object, so it has no claims to edit")
    return Original(decoded.header, decoded.payload)


def changes(original: Original, header: dict[str, Any], payload: dict[str, Any]) -> tuple[Change, ...]:
    """Every member the new header and payload add, remove or change against `original`."""
    return (*_compare("header", original.header, header), *_compare("payload", original.payload, payload))


def _compare(part: Part, before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    found = []
    for name, value in after.items():
        if name not in before:
            found.append(Change(part, name, "added", after=_shown(value)))
        elif _canonical(before[name]) != _canonical(value):
            found.append(Change(part, name, "changed", _shown(before[name]), _shown(value)))
    found += [Change(part, name, "removed", before=_shown(value)) for name, value in before.items()
              if name not in after]
    return found


def _canonical(value: Any) -> str:
    """JSON text that is equal for equal JSON values (numbers by value, members sorted)."""
    return json.dumps(_numbers(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _numbers(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return float(value) if isinstance(value, int) and abs(value) < 2**53 else value
    if isinstance(value, list):
        return [_numbers(item) for item in value]
    if isinstance(value, dict):
        return {key: _numbers(item) for key, item in value.items()}
    return value


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"
