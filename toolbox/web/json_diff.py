"""The JSON diff page: two documents, their differences by JSON Pointer, and the RFC 6902 patch."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Blueprint, Response, current_app, request
from markupsafe import Markup

from toolbox import settings_of
from toolbox.core.json.diff import Marks, marked_lines
from toolbox.ops.json_diff import DiffRequest, DiffResult
from toolbox.web.errors import ProblemError, keeps_input
from toolbox.web.forms import FormError, text_field
from toolbox.web.highlight import textarea_text
from toolbox.web.render import Outcome, render_tool, run_op

json_diff_bp = Blueprint("json_diff", __name__, url_prefix="/json")

MAX_TEXT = 16 * 1024 * 1024  # the body limit (TOOLBOX_MAX_BODY_BYTES) is the real bound
SHOWN = 500  # differences listed on the page (the patch and the API have them all)
SIDE_LIMIT = 200_000  # characters per document: above this, no side-by-side view
SIDE_LINES = 3000
_POINTER = re.compile(r"(/.*)?")


@dataclass(frozen=True)
class DiffSample:
    """Two documents that differ in every way the diff reports."""

    a: str
    b: str
    array_key: str = ""
    ignore: str = ""


SAMPLES = {"order": DiffSample(
    a='{\n  "id": "ord-1",\n  "total": 19.90,\n  "meta": {"updated": "2026-01-01T10:00:00Z"},\n'
      '  "items": [\n    {"sku": "A-1", "qty": 1},\n    {"sku": "B-2", "qty": 2},\n'
      '    {"sku": "C-3", "qty": 1}\n  ],\n  "tags": ["new", "gift", "express"]\n}\n',
    b='{\n  "id": "ord-1",\n  "total": 19.9,\n  "meta": {"updated": "2026-01-02T09:30:00Z"},\n'
      '  "items": [\n    {"sku": "C-3", "qty": 1},\n    {"sku": "A-1", "qty": 3}\n  ],\n'
      '  "tags": ["express", "new", "gift"],\n  "note": "Leave at the door"\n}\n',
    array_key="sku", ignore="/meta/updated")}


@dataclass(frozen=True)
class DiffForm:
    """The diff form as submitted (echoed back into the page, never stored)."""

    a: str = ""
    b: str = ""
    array_key: str = ""
    ignore: str = ""  # one JSON Pointer per line

    def pointers(self) -> list[str]:
        """The ignored pointers, one per non-blank line."""
        return [line.strip() for line in self.ignore.splitlines() if line.strip()]

    def request(self) -> DiffRequest:
        """The operation's request these fields ask for."""
        return DiffRequest(a=self.a, b=self.b, array_key=self.array_key.strip() or None,
                           ignore=self.pointers())


def read_diff_form() -> DiffForm:
    """Validate the diff form's fields."""
    form = DiffForm(a=text_field("a", max_length=MAX_TEXT), b=text_field("b", max_length=MAX_TEXT),
                    array_key=text_field("array_key", max_length=200),
                    ignore=text_field("ignore", max_length=20_000))
    pointers = form.pointers()
    if len(pointers) > 100:
        raise FormError("ignore", "at most 100 pointers")
    for pointer in pointers:
        if not _POINTER.fullmatch(pointer) or len(pointer) > 1000:
            raise FormError("ignore", "one JSON Pointer per line, each starting with /")
    return form


def run_diff(form: DiffForm) -> Outcome:
    """Compare the form's documents (both are needed)."""
    if not form.a.strip() or not form.b.strip():
        return Outcome(problem="Paste JSON into both Before (A) and After (B).", status=422)
    return run_op("json/diff", form.request())


def _page(form: DiffForm, outcome: Outcome) -> Response:
    result = outcome.result
    patch = _pretty(bytes(result.patch).decode()) if result is not None else ""
    return render_tool("json/diff.html", "json/_diff_result.html", status=outcome.status, form=form,
                       result=result, patch=patch, shown=SHOWN, problem=outcome.problem,
                       syntax=outcome.syntax, textarea=textarea_text, raw=_raw, sides=_sides(form, result))


def _sides(form: DiffForm, result: DiffResult | None) -> list[tuple[str, list[str], Marks]]:
    """Both texts line by line with the differences marked (small documents only), or nothing."""
    if result is None or result.equal or any(len(text) > SIDE_LIMIT or text.count("\n") > SIDE_LINES
                                             for text in (form.a, form.b)):
        return []
    marks = marked_lines(form.a, form.b, array_key=form.array_key.strip() or None,
                         ignore=tuple(form.pointers()), max_depth=settings_of(current_app).json_max_depth,
                         limit=SHOWN)
    return [("Before (A)", form.a.splitlines(), marks[0]), ("After (B)", form.b.splitlines(), marks[1])]


def _raw(value: object) -> str:
    """A Raw JSON value of a difference as text (clipped for the table)."""
    text = bytes(value).decode() if value is not None else ""  # type: ignore[call-overload]
    return text if len(text) <= 300 else text[:300] + "…"


def _pretty(patch: str) -> str:
    """The patch one operation per line (numbers as written)."""
    if not patch or patch == "[]":
        return patch
    import msgspec

    return msgspec.json.format(patch.encode(), indent=2).decode()


@json_diff_bp.route("/diff", methods=["GET", "POST"])
def diff_page() -> Response:
    """Compare two JSON documents: GET shows the form (or a sample and its result), POST the result."""
    if request.method == "GET":
        sample = SAMPLES.get(request.args.get("sample", ""))
        if sample is None:
            return render_tool("json/diff.html", "json/_diff_result.html", form=DiffForm(),
                               textarea=textarea_text)
        form = DiffForm(a=sample.a, b=sample.b, array_key=sample.array_key, ignore=sample.ignore)
    else:
        try:
            form = read_diff_form()
        except FormError as err:
            raise ProblemError(400, str(err)) from None
    outcome = run_diff(form)
    if request.form.get("action") == "download" and outcome.result is not None:
        response = Response(_pretty(bytes(outcome.result.patch).decode()) + "\n",
                            mimetype="application/json-patch+json")
        response.headers["Content-Disposition"] = 'attachment; filename="patch.json"'
        return response
    return _page(form, outcome)


def _typed(name: str, limit: int = MAX_TEXT) -> str:
    return request.form.get(name, "")[:limit].replace("\x00", "")


@keeps_input("json_diff.diff_page")
def _diff_with_error(box: Markup) -> str:
    """The diff page as posted, with an error where the result goes."""
    from flask import render_template

    form = DiffForm(a=_typed("a"), b=_typed("b"), array_key=_typed("array_key", 200),
                    ignore=_typed("ignore", 20_000))
    return render_template("json/diff.html", form=form, error_box=box, textarea=textarea_text)
