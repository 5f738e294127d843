"""json/diff: the semantic difference of two JSON texts and an RFC 6902 patch from the first to the second."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

from toolbox.core.json.model import JsonSyntaxError, JsonTooDeep
from toolbox.ops.contract import Context, Request, operation
from toolbox.ops.errors import ErrorKind, OpError
from toolbox.ops.json import FromFormat, JsonText, syntax_error

# Numbers leave exactly as written (Decimal as a JSON number, never a string or a float).
_EXACT = msgspec.json.Encoder(decimal_format="number")
Pointer = Annotated[str, msgspec.Meta(max_length=1000, pattern=r"^(/.*)?$",
                                      description="An RFC 6901 JSON Pointer; a token `*` matches any one "
                                                  "member or element.")]


class DiffRequest(Request):
    """Compare two JSON texts."""

    a: JsonText
    b: JsonText
    array_key: Annotated[str | None, msgspec.Meta(
        description="Match the elements of arrays of objects by this member (e.g. `id`).")] = None
    ignore: Annotated[list[Pointer], msgspec.Meta(max_length=100,
                                                  description="JSON Pointers to ignore.")] = []
    from_: FromFormat = msgspec.field(default="json", name="from")
    b_from: Annotated[FromFormat | None, msgspec.Meta(description="How b is written, when not as `from`.")
                      ] = None


class DiffEntry(msgspec.Struct, omit_defaults=True):
    """One difference: `path` in b (in a for removed), `from` in a for moved; the values before and after."""

    op: str
    path: str
    from_: str | None = msgspec.field(default=None, name="from")
    before: Any = msgspec.UNSET
    after: Any = msgspec.UNSET


class DiffResult(msgspec.Struct):
    """Whether the documents are equal, the differences in order, and the RFC 6902 patch from a to b."""

    equal: bool
    differences: list[DiffEntry]
    patch: Any  # a list of RFC 6902 operations (raw JSON: numbers exact)


def exact(value: Any) -> msgspec.Raw:
    """A parsed JSON value (Decimal numbers) as raw JSON with every number as written."""
    return msgspec.Raw(_EXACT.encode(value))


@operation("json/diff", summary="Compare two JSON documents; an RFC 6902 patch from the first to the second",
           request=DiffRequest, result=DiffResult)
def diff_json(request: DiffRequest, context: Context) -> DiffResult:
    """Parse both texts (a located error names `which`: a or b) and diff them."""
    from toolbox.core.json.diff import diff, read

    values = []
    b_from = request.b_from or request.from_
    for which, text, fmt in (("a", request.a, request.from_), ("b", request.b, b_from)):
        if fmt != "json":
            from toolbox.ops.json_convert import read_document

            values.append(read_document(text, fmt, context, which).value)
            continue
        try:
            values.append(read(text, context.settings.json_max_depth))
        except JsonSyntaxError as err:
            raise syntax_error(err, which) from None
        except JsonTooDeep as err:
            raise OpError(ErrorKind.UNUSABLE, f"{which}: {err}", title="Nested too deeply",
                          which=which) from None
    result = diff(values[0], values[1], array_key=request.array_key, ignore=tuple(request.ignore))
    entries = []
    for d in result.differences:
        entries.append(DiffEntry(
            d.op, d.path, d.from_,
            exact(d.before) if d.op in ("removed", "changed") else msgspec.UNSET,
            exact(d.after) if d.op in ("added", "changed") else msgspec.UNSET))
    return DiffResult(result.equal, entries, exact(list(result.patch)))
