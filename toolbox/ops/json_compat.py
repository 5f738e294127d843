"""json/compat: what changed between an old and a new JSON Schema, and whom each change breaks."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

from toolbox.core.json.model import JsonSyntaxError, JsonTooDeep
from toolbox.ops.contract import Context, Request, operation
from toolbox.ops.errors import ErrorKind, OpError
from toolbox.ops.json import syntax_error

_EXACT = msgspec.json.Encoder(decimal_format="number")
Verdict = Literal["breaking", "compatible", "unknown"]


class CompatRequest(Request):
    """Compare two JSON Schema texts."""

    old: Annotated[str, msgspec.Meta(description="The old schema (a JSON text), as json/validate takes it.")]
    new: Annotated[str, msgspec.Meta(description="The new schema (a JSON text).")]
    formats: Annotated[bool, msgspec.Meta(description="Assert `format` (false: a format change is an "
                                                      "annotation and is not reported).")] = True


class CompatChange(msgspec.Struct, kw_only=True):
    """One change in one direction (each change is listed once per direction, with the same `change`)."""

    change: int
    kind: str
    direction: Literal["request", "response"]
    breaking: bool
    verdict: Verdict
    path: str
    old_pointer: str | None
    new_pointer: str | None
    message: str
    example: Any = msgspec.UNSET  # a whole document (raw JSON, numbers exact); only when breaking
    note: str | msgspec.UnsetType = msgspec.UNSET


class DirectionVerdict(msgspec.Struct, kw_only=True):
    """One direction's verdict and how many of its changes break or are unknown."""

    verdict: Verdict
    breaking: int
    unknown: int


class CompatResult(msgspec.Struct, kw_only=True):
    """Each direction's verdict, every change in both directions, and notes."""

    request: DirectionVerdict
    response: DirectionVerdict
    changes: list[CompatChange]
    dialects: dict[str, str]
    notes: list[str]


@operation("json/compat", summary="Compare two JSON Schemas: each change breaking or not, for documents "
           "producers send (request) and consumers read (response)",
           request=CompatRequest, result=CompatResult)
def compat_json(request: CompatRequest, context: Context) -> CompatResult:
    """Compile both schemas with the validator (each error names `which`: old or new) and compare them."""
    from toolbox.core.json.compat import CompatSchemaError, compare, compile_side
    from toolbox.core.json.validate import UnusableInputError

    depth = context.settings.json_max_depth
    compiled = []
    for which, text in (("old", request.old), ("new", request.new)):
        if not text.strip():
            raise OpError(ErrorKind.UNUSABLE, f"The {which} schema is empty: paste a JSON Schema",
                          title=f"No {which} schema", which=which)
        try:
            compiled.append(compile_side(text, which, formats=request.formats, max_depth=depth))
        except JsonSyntaxError as err:
            located = syntax_error(err, f"{which} schema")
            raise OpError(ErrorKind.UNUSABLE, f"The {which} schema is not valid JSON: {located.message}",
                          title=located.title,
                          **{**located.details, "which": which}) from None
        except (UnusableInputError, JsonTooDeep) as err:
            raise OpError(ErrorKind.UNUSABLE, f"The {which} schema: {err}", title="Cannot compare",
                          which=which) from None
        except CompatSchemaError as err:
            error = err.error
            where = f" (at {error.instance_path or '/'}" + (f", line {error.line}, column {error.column})"
                                                            if error.line else ")")
            more = f" ({err.count:,} problems)" if err.count > 1 else ""
            raise OpError(ErrorKind.UNUSABLE, f"The {which} schema is not a valid schema{more}: "
                          f"{error.message}{where}", title=f"The {which} schema is not a valid schema",
                          which=which, pointer=error.instance_path, schema_line=error.line,
                          schema_column=error.column) from None
    result = compare(compiled[0], compiled[1], formats=request.formats, max_depth=depth)
    changes = [CompatChange(
        change=e.change, kind=e.kind, direction=e.direction, breaking=e.verdict == "breaking",
        verdict=e.verdict, path=e.path, old_pointer=e.old_pointer, new_pointer=e.new_pointer,
        message=e.message,
        example=msgspec.Raw(_EXACT.encode(e.example)) if e.has_example else msgspec.UNSET,
        note=e.note or msgspec.UNSET) for e in result.entries]

    def summary(direction: str) -> DirectionVerdict:
        mine = [c for c in changes if c.direction == direction]
        return DirectionVerdict(verdict=result.verdicts[direction],  # type: ignore[index]
                                breaking=sum(c.verdict == "breaking" for c in mine),
                                unknown=sum(c.verdict == "unknown" for c in mine))

    return CompatResult(request=summary("request"), response=summary("response"), changes=changes,
                        dialects={"old": compiled[0].dialect, "new": compiled[1].dialect},
                        notes=list(result.notes))
