"""The schema compatibility page: an old and a new JSON Schema, each change and whom it breaks."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import Any

from flask import Blueprint, Response, request
from markupsafe import Markup

from toolbox.ops.json_compat import CompatChange, CompatRequest, CompatResult
from toolbox.web.errors import ProblemError, keeps_input
from toolbox.web.forms import FormError, text_field
from toolbox.web.highlight import textarea_text
from toolbox.web.render import Outcome, render_tool, run_op

json_compat_bp = Blueprint("json_compat", __name__, url_prefix="/json")

MAX_TEXT = 16 * 1024 * 1024  # the body limit (TOOLBOX_MAX_BODY_BYTES) is the real bound
SHOWN = 300  # changes listed on the page (the API has them all)
EXAMPLE_CHARS = 2000  # an example longer than this is clipped on the page (and not offered to validate)

_OLD = """{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "title": "Order",
  "type": "object",
  "required": ["id", "customer", "items"],
  "additionalProperties": false,
  "properties": {
    "id": {"type": "string", "pattern": "^ord-[0-9]{4}$"},
    "status": {"enum": ["new", "paid", "shipped"]},
    "customer": {
      "type": "object",
      "required": ["name"],
      "properties": {
        "name": {"type": "string", "minLength": 1},
        "email": {"type": "string"}
      }
    },
    "items": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/line"}},
    "note": {"type": ["string", "null"], "maxLength": 200},
    "coupon": {"type": "string"},
    "payment": {"oneOf": [{"$ref": "#/$defs/card"}, {"$ref": "#/$defs/invoice"}]}
  },
  "$defs": {
    "line": {
      "type": "object",
      "required": ["sku", "qty"],
      "properties": {
        "sku": {"type": "string"},
        "qty": {"type": "integer", "minimum": 1, "maximum": 100}
      }
    },
    "card": {"type": "object", "required": ["last4"], "properties": {"last4": {"type": "string"}}},
    "invoice": {"type": "object", "required": ["due"], "properties": {"due": {"type": "string"}}}
  }
}
"""
_NEW = """{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "title": "Order (v2)",
  "description": "An order as the shop's API accepts it.",
  "type": "object",
  "required": ["id", "customer", "items", "currency"],
  "additionalProperties": false,
  "properties": {
    "id": {"type": "string", "pattern": "^ord-[0-9]{4}$"},
    "status": {"enum": ["new", "paid", "cancelled"]},
    "customer": {
      "type": "object",
      "required": ["name"],
      "properties": {
        "name": {"type": "string", "minLength": 1},
        "email": {"type": "string", "format": "email"}
      }
    },
    "items": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/line"}},
    "note": {"type": "string", "maxLength": 500},
    "currency": {"enum": ["EUR", "USD"]},
    "payment": {"oneOf": [{"$ref": "#/$defs/card"}, {"$ref": "#/$defs/invoice"}, {"type": "null"}]}
  },
  "$defs": {
    "line": {
      "type": "object",
      "required": ["sku", "qty"],
      "properties": {
        "sku": {"type": "string"},
        "qty": {"type": "integer", "minimum": 1, "maximum": 10}
      }
    },
    "card": {"type": "object", "required": ["last4"], "properties": {"last4": {"type": "string"}}},
    "invoice": {"type": "object", "required": ["due"], "properties": {"due": {"type": "string"}}}
  }
}
"""
SAMPLES = {"order": (_OLD, _NEW)}


@dataclass(frozen=True)
class CompatForm:
    """The compatibility form as submitted (echoed back into the page, never stored)."""

    old: str = ""
    new: str = ""


@dataclass(frozen=True)
class Row:
    """One change on the page: both directions' entries and the examples worth showing."""

    first: CompatChange
    request: CompatChange
    response: CompatChange
    examples: list[tuple[str, str, bool]]  # (direction, example text, offered to validate)


def read_compat_form() -> CompatForm:
    """Validate the form's fields."""
    return CompatForm(old=text_field("old", max_length=MAX_TEXT), new=text_field("new", max_length=MAX_TEXT))


def run_compat(form: CompatForm) -> Outcome:
    """Compare the form's schemas (both are needed)."""
    if not form.old.strip() or not form.new.strip():
        return Outcome(problem="Paste a JSON Schema into both Old schema and New schema.", status=422)
    return run_op("json/compat", CompatRequest(old=form.old, new=form.new))


def rows(result: CompatResult | None) -> list[Row]:
    """The changes grouped: one row per change, its request and response entries side by side."""
    if result is None:
        return []
    grouped = []
    for _, entries in groupby(result.changes[: 2 * SHOWN], key=lambda c: c.change):
        pair = {c.direction: c for c in entries}
        if len(pair) != 2:
            continue
        examples = []
        for direction in ("request", "response"):
            change = pair[direction]
            if change.breaking:
                text = bytes(change.example).decode()
                short = len(text) <= EXAMPLE_CHARS
                examples.append((direction, text if short else text[:EXAMPLE_CHARS] + "…", short))
        grouped.append(Row(pair["request"], pair["request"], pair["response"], examples))
    return grouped


def _page(form: CompatForm, outcome: Outcome) -> Response:
    result = outcome.result
    return render_tool("json/compat.html", "json/_compat_result.html", status=outcome.status, form=form,
                       result=result, rows=rows(result), shown=SHOWN, problem=outcome.problem,
                       words=verdict_words,
                       syntax=outcome.syntax, textarea=textarea_text)


@json_compat_bp.route("/compat", methods=["GET", "POST"])
def compat_page() -> Response:
    """Compare two schemas: GET shows the form (or the sample and its result), POST the result."""
    if request.method == "GET":
        sample = SAMPLES.get(request.args.get("sample", ""))
        if sample is None:
            return render_tool("json/compat.html", "json/_compat_result.html", form=CompatForm(),
                               textarea=textarea_text)
        form = CompatForm(old=sample[0], new=sample[1])
    else:
        try:
            form = read_compat_form()
        except FormError as err:
            raise ProblemError(400, str(err)) from None
    return _page(form, run_compat(form))


def _typed(name: str) -> str:
    return request.form.get(name, "")[:MAX_TEXT].replace("\x00", "")


@keeps_input("json_compat.compat_page")
def _compat_with_error(box: Markup) -> str:
    """The compatibility page as posted, with an error where the result goes."""
    from flask import render_template

    form = CompatForm(old=_typed("old"), new=_typed("new"))
    return render_template("json/compat.html", form=form, error_box=box, textarea=textarea_text)


def verdict_words(direction: str, verdict: Any) -> str:
    """A direction's verdict in words (the page's two verdict lines)."""
    if verdict.verdict == "compatible":
        return ("every document the old schema accepted is still accepted" if direction == "request"
                else "the new schema accepts nothing the old one rejected")
    parts = [f"{verdict.breaking} breaking"] if verdict.breaking else []
    if verdict.unknown:
        parts.append(f"{verdict.unknown} to review by hand")
    return ", ".join(parts) or "not fully compared (a bound was reached)"
