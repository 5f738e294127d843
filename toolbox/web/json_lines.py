"""JSON Lines: the page /json/lines (paste or upload) and POST /api/v1/json/lines/stream (an upload).

Both read an upload as it arrives (streamed_form: multipart, the options before the file part) and
feed it to the one validator (ops.json_lines.start_lines): a 100 MB file is never held, in memory or
on disk. Their body limit is TOOLBOX_JSON_LINES_MAX_BYTES (security.STREAMED_BODY_PATHS), not the
body limit of the other routes. A pasted text goes through the `json/lines` operation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, current_app, g, request
from markupsafe import Markup

from toolbox import settings_of
from toolbox.config import Settings
from toolbox.core.json.lines import BlankLines, LinesResult, LinesValidator
from toolbox.core.json.model import Dialect
from toolbox.ops import OpError, choices
from toolbox.ops.json_lines import LinesRequest, start_lines
from toolbox.web import apiauth
from toolbox.web.api import encode_result
from toolbox.web.errors import ProblemError, keeps_input, problem_of
from toolbox.web.forms import FormError, text_field
from toolbox.web.highlight import textarea_text
from toolbox.web.render import Outcome, render_tool, run_op
from toolbox.web.streamed_form import StreamedForm, form_error

json_lines_bp = Blueprint("json_lines", __name__, url_prefix="/json")
json_lines_api_bp = Blueprint("api_json_lines", __name__, url_prefix="/api/v1/json/lines")
json_lines_api_bp.before_request(apiauth.enforce)

NDJSON_TYPES = frozenset({"application/x-ndjson", "application/jsonl", "application/x-jsonlines"})
SHOWN = 200  # errors listed on the page (the API lists the first 1,000)
OPTION_BYTES = 64  # the small option fields (dialect, formats, blank_lines)

SAMPLE_SCHEMA = """{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["id", "sku", "qty", "status"],
  "properties": {
    "id": {"type": "integer", "minimum": 1},
    "sku": {"type": "string", "pattern": "^[A-Z]-[0-9]+$"},
    "qty": {"type": "integer", "minimum": 1},
    "status": {"enum": ["paid", "shipped", "cancelled"]}
  }
}
"""
SAMPLE_LINES = "\n".join([
    '{"id": 1, "sku": "A-1", "qty": 2, "status": "paid"}',
    '{"id": 2, "sku": "B-7", "qty": 1, "status": "shipped"}',
    '{"id": 3, "sku": "C-3", "qty": 0, "status": "paid"}',
    '{"id": 4, "qty": 5, "status": "paid"}',
    '{"id": 5, "sku": "D-9", "qty": 1, "status": "lost"}',
    '{"id": 6, "sku": "E-2", "qty": 3, "status": "paid",}',
    '{"id": 7, "sku": "F-4", "qty": 1, "status": "cancelled"}',
    '{"id": 8, "qty": 2, "status": "shipped"}',
    '{"id": 9, "sku": "g-5", "qty": "2", "status": "paid"}',
    '{"id": 10, "sku": "H-6", "qty": 4, "status": "shipped"}',
]) + "\n"


@dataclass(frozen=True)
class LinesForm:
    """The page's fields as submitted (echoed back; an uploaded file is never kept or echoed)."""

    text: str = ""
    schema: str = ""
    blank_lines: BlankLines = "error"
    filename: str = ""


def _options(fields: dict[str, str]) -> dict[str, Any]:
    """The validator's options from form fields; a value not among the choices is a 422."""
    options: dict[str, Any] = {}
    dialect = fields.get("dialect", "")
    if dialect:
        if dialect not in choices(Dialect):
            raise ProblemError(422, "dialect must be one of " + ", ".join(choices(Dialect)) + ".")
        options["dialect"] = dialect
    formats = fields.get("formats", "true")
    if formats not in ("true", "false"):
        raise ProblemError(422, "formats must be true or false.")
    options["formats"] = formats == "true"
    blank = fields.get("blank_lines", "error")
    if blank not in choices(BlankLines):
        raise ProblemError(422, "blank_lines must be error or ignore.")
    options["blank_lines"] = blank
    return options


def _start(settings: Settings, fields: dict[str, str]) -> LinesValidator:
    schema = fields.get("schema", "")
    try:
        return start_lines(settings, schema if schema.strip() else None, **_options(fields))
    except OpError as err:
        raise problem_of(err) from None


@json_lines_api_bp.post("/stream")
def stream_api() -> Response:
    """Validate an uploaded JSON Lines file as it arrives: multipart (`schema`, options, then `lines`)
    or a raw `application/x-ndjson` body (syntax only)."""
    settings = settings_of(current_app)
    request.max_content_length = settings.json_lines_max_bytes
    mimetype = request.mimetype
    if mimetype in NDJSON_TYPES:
        validator = _start(settings, {})
        while chunk := request.stream.read(64 * 1024):
            validator.feed(chunk)
        return _answer(validator.finish())
    if mimetype != "multipart/form-data":
        raise ProblemError(415, "Send multipart/form-data (a `schema` part, then a `lines` file part) or an "
                                "application/x-ndjson body.", title="Unsupported Media Type")
    started: list[LinesValidator] = []

    def open_file(fields: dict[str, str], filename: str) -> Any:
        started.append(_start(settings, fields))
        return started[0].feed

    limits = {"schema": settings.max_body_bytes, "dialect": OPTION_BYTES, "formats": OPTION_BYTES,
              "blank_lines": OPTION_BYTES}
    form = StreamedForm(request.content_type or "", limits, "lines", open_file)
    form.read(request.stream)
    if not started:
        raise form_error("No `lines` part: send the JSON Lines file as a part named lines, after the schema.")
    return _answer(started[0].finish())


def _answer(result: LinesResult) -> Response:
    return Response(encode_result(result), mimetype="application/json")


# The page ----------------------------------------------------------------------------------------


def read_page_form(settings: Settings) -> tuple[LinesForm, LinesResult | None]:
    """The posted form; an uploaded file is validated while it is read (its result is returned)."""
    if request.mimetype != "multipart/form-data":  # a plain form post (urlencoded): a paste only
        blank = text_field("blank_lines", max_length=OPTION_BYTES)
        if blank not in ("", "ignore"):
            raise FormError("blank_lines", "ignore, or nothing")
        # A NUL in the lines is that line's error, not the form's: the text is not refused for it.
        return LinesForm(text=request.form.get("text", "")[:settings.max_body_bytes],
                         schema=text_field("schema", max_length=settings.max_body_bytes),
                         blank_lines="ignore" if blank else "error"), None
    request.max_content_length = settings.json_lines_max_bytes
    started: list[LinesValidator] = []
    g.lines_fields = {}

    def open_file(fields: dict[str, str], filename: str) -> Any:
        g.lines_fields = fields
        if not filename:  # no file chosen: browsers still send the part, empty
            return _ignore
        started.append(_start(settings, {**fields, "blank_lines": _blank(fields)}))
        return started[0].feed

    limits = {"text": settings.max_body_bytes, "schema": settings.max_body_bytes, "blank_lines": OPTION_BYTES}
    form = StreamedForm(request.content_type or "", limits, "file", open_file)
    form.read(request.stream)
    fields = g.lines_fields = form.fields
    page = LinesForm(text=fields.get("text", ""), schema=fields.get("schema", ""), blank_lines=_blank(fields),
                     filename=(form.filename or "")[:200])
    return page, (started[0].finish() if started else None)


def _ignore(data: bytes) -> None:
    if data:
        raise form_error("A file part without a file name.")


def _blank(fields: dict[str, str]) -> BlankLines:
    return "ignore" if fields.get("blank_lines") == "ignore" else "error"


def _page(form: LinesForm, outcome: Outcome) -> Response:
    return render_tool("json/lines.html", "json/_lines_result.html", status=outcome.status, form=form,
                       result=outcome.result, problem=outcome.problem, syntax=outcome.syntax, shown=SHOWN,
                       textarea=textarea_text)


@json_lines_bp.route("/lines", methods=["GET", "POST"])
def lines_page() -> Response:
    """Validate JSON Lines: GET shows the form (or the sample and its result), POST the result."""
    settings = settings_of(current_app)
    if request.method == "GET":
        if request.args.get("sample") != "orders":
            return render_tool("json/lines.html", "json/_lines_result.html", form=LinesForm(),
                               textarea=textarea_text)
        form, uploaded = LinesForm(text=SAMPLE_LINES, schema=SAMPLE_SCHEMA), None
    else:
        try:
            form, uploaded = read_page_form(settings)
        except FormError as err:
            raise ProblemError(400, str(err)) from None
        except ProblemError as err:
            if err.code != 422:
                raise
            kept = _kept()
            return _page(LinesForm(text=kept["text"], schema=kept["schema"]),
                         Outcome(problem=err.description, status=422))
    if uploaded is not None:
        return _page(form, Outcome(result=uploaded))
    if not form.text.strip():
        return _page(form, Outcome(problem="Paste JSON Lines or choose a file.", status=422))
    return _page(form, run_op("json/lines", LinesRequest(text=form.text, schema=form.schema or None,
                                                          blank_lines=form.blank_lines)))


def _kept() -> dict[str, str]:
    """The page's text fields as posted, without reading the body again."""
    fields = g.get("lines_fields")
    if fields is None:  # the body was not read yet: a small urlencoded or multipart form can be
        fields = {}
        limit = settings_of(current_app).max_body_bytes
        if request.content_length is not None and request.content_length <= limit:
            fields = {name: request.form.get(name, "")[:limit] for name in ("text", "schema")}
    return {name: fields.get(name, "").replace("\x00", "") for name in ("text", "schema")}


@keeps_input("json_lines.lines_page")
def _lines_with_error(box: Markup) -> str:
    """The page as posted (the pasted text and schema; an uploaded file is not kept), with an error."""
    from flask import render_template

    kept = _kept()
    return render_template("json/lines.html", form=LinesForm(text=kept["text"], schema=kept["schema"]),
                           error_box=box, textarea=textarea_text)

