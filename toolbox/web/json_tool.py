"""The JSON tool's pages: format (pretty, minify, sort, tree) and validate against a schema."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, current_app, request

from toolbox import settings_of
from toolbox.core.json.format import format_json
from toolbox.core.json.model import (
    FormatOptions,
    FormatResult,
    JsonSyntaxError,
    JsonTooDeep,
    ValidationResult,
)
from toolbox.core.json.tree import JsonTree, rows, tree_nodes
from toolbox.core.json.validate import UnusableInputError, validate
from toolbox.web.errors import ProblemError
from toolbox.web.forms import FormError, text_field
from toolbox.web.render import render_tool

json_bp = Blueprint("json", __name__, url_prefix="/json")

MAX_TEXT = 16 * 1024 * 1024  # the body limit (TOOLBOX_MAX_BODY_BYTES) is the real bound
HIGHLIGHT_LIMIT = 512 * 1024  # above this many characters the output is shown plain
TREE_LIMIT = 5000  # nodes in the collapsible tree view
DIALECTS = {"": "From $schema (default 2020-12)", "draft2020-12": "Draft 2020-12",
            "draft2019-09": "Draft 2019-09", "draft7": "Draft 7", "draft6": "Draft 6", "draft4": "Draft 4"}
INDENTS = {"2": 2, "4": 4, "tab": "tab"}


@dataclass(frozen=True)
class FormatForm:
    """The format form as submitted (echoed back into the page, never stored)."""

    text: str = ""
    mode: str = "pretty"
    indent: str = "2"
    sort_keys: bool = False
    ascii: bool = False
    lenient: bool = False

    def options(self, max_depth: int) -> FormatOptions:
        """The core options these fields ask for."""
        return FormatOptions(mode="minify" if self.mode == "minify" else "pretty",
                             indent=INDENTS[self.indent], sort_keys=self.sort_keys, ascii=self.ascii,
                             lenient=self.lenient, max_depth=max_depth)


def _checkbox(name: str) -> bool:
    return request.form.get(name) in ("on", "true", "1", "yes")


def read_format_form() -> FormatForm:
    """Validate the format form; FormError names the bad field."""
    mode = text_field("mode", default="pretty", max_length=10)
    indent = text_field("indent", default="2", max_length=4)
    if mode not in ("pretty", "minify"):
        raise FormError("mode", "choose pretty or minify")
    if indent not in INDENTS:
        raise FormError("indent", "choose 2, 4 or tab")
    return FormatForm(text=text_field("text", max_length=MAX_TEXT), mode=mode, indent=indent,
                      sort_keys=_checkbox("sort_keys"), ascii=_checkbox("ascii"),
                      lenient=_checkbox("lenient"))


def run_format(form: FormatForm) -> tuple[FormatResult | None, JsonSyntaxError | None, str | None]:
    """Format; returns (result, syntax error, other input error)."""
    if not form.text.strip():
        return None, None, None
    try:
        return format_json(form.text, form.options(settings_of(current_app).json_max_depth)), None, None
    except JsonSyntaxError as err:
        return None, err, None
    except JsonTooDeep as err:
        return None, None, str(err)


@json_bp.route("/", methods=["GET", "POST"])
def index() -> Response:
    """Format: GET shows the form, POST (form or htmx) shows the result."""
    if request.method == "GET":
        return render_tool("json/index.html", "json/_result.html", form=FormatForm(), **_limits())
    try:
        form = read_format_form()
    except FormError as err:
        raise ProblemError(400, str(err)) from None
    result, syntax, problem = run_format(form)
    status = 422 if syntax or problem else 200
    tree = _tree(form) if result is not None and not form.lenient else None
    return render_tool("json/index.html", "json/_result.html", status=status, form=form, result=result,
                       syntax=syntax, problem=problem, tree=tree,
                       tree_rows=list(rows(tree)) if tree else [], **_limits())


def _tree(form: FormatForm) -> JsonTree | None:
    """The tree view, for documents small enough to be worth browsing that way."""
    if len(form.text) > HIGHLIGHT_LIMIT:
        return None
    try:
        return tree_nodes(form.text, max_nodes=TREE_LIMIT, max_depth=settings_of(current_app).json_max_depth)
    except (JsonSyntaxError, JsonTooDeep):  # pragma: no cover - format_json accepted the same text
        return None


@json_bp.post("/download")
def download() -> Response:
    """The formatted document as a file (works without JavaScript)."""
    try:
        form = read_format_form()
    except FormError as err:
        raise ProblemError(400, str(err)) from None
    result, syntax, problem = run_format(form)
    if result is None:
        raise ProblemError(422, str(syntax or problem or "Nothing to download: the document is empty."))
    response = Response(result.output, mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="formatted.json"'
    return response


@dataclass(frozen=True)
class ValidateForm:
    """The validate form as submitted."""

    instance: str = ""
    schema: str = ""
    dialect: str = ""
    formats: bool = True


def read_validate_form() -> ValidateForm:
    """Validate the validate form's fields."""
    dialect = text_field("dialect", default="", max_length=20)
    if dialect not in DIALECTS:
        raise FormError("dialect", "choose one of the listed dialects")
    # An unticked checkbox is simply absent; the hidden field says the form was submitted.
    formats = _checkbox("formats") if request.form.get("submitted") else True
    return ValidateForm(instance=text_field("instance", max_length=MAX_TEXT),
                        schema=text_field("schema", max_length=MAX_TEXT), dialect=dialect, formats=formats)


def run_validate(form: ValidateForm) -> tuple[ValidationResult | None, str | None, JsonSyntaxError | None]:
    """Validate; returns (result, input problem in words, syntax error)."""
    if not form.instance.strip() or not form.schema.strip():
        return None, "Paste both a JSON document and a schema.", None
    try:
        result = validate(form.instance, form.schema, dialect=form.dialect or None,  # type: ignore[arg-type]
                          formats=form.formats, max_depth=settings_of(current_app).json_max_depth)
    except JsonSyntaxError as err:
        return None, None, err
    except (UnusableInputError, JsonTooDeep) as err:
        return None, str(err), None
    return result, None, None


@json_bp.route("/validate", methods=["GET", "POST"])
def validate_page() -> Response:
    """Validate a document against a JSON Schema."""
    if request.method == "GET":
        return render_tool("json/validate.html", "json/_validation.html", form=ValidateForm(),
                           dialects=DIALECTS)
    try:
        form = read_validate_form()
    except FormError as err:
        raise ProblemError(400, str(err)) from None
    result, problem, syntax = run_validate(form)
    status = 422 if problem or syntax else 200
    return render_tool("json/validate.html", "json/_validation.html", status=status, form=form,
                       result=result, problem=problem, syntax=syntax, dialects=DIALECTS,
                       error_lines=_error_lines(result), instance_lines=_lines(form.instance, result))


def _error_lines(result: ValidationResult | None) -> dict[int, list[Any]]:
    lines: dict[int, list[Any]] = {}
    for error in result.errors if result else ():
        if error.line is not None:
            lines.setdefault(error.line, []).append(error)
    return lines


def _lines(text: str, result: ValidationResult | None) -> list[str]:
    """The instance split into lines for the inline error view (only when it is small)."""
    if result is None or result.valid or len(text) > HIGHLIGHT_LIMIT:
        return []
    return text.splitlines()


def _limits() -> dict[str, Any]:
    return {"highlight_limit": HIGHLIGHT_LIMIT, "tree_limit": TREE_LIMIT}
