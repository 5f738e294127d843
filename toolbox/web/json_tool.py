"""The JSON tool's pages: format (pretty, minify, sort, tree) and validate against a schema."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request
from markupsafe import Markup

from toolbox import settings_of
from toolbox.core.json.errors import lenient_cause
from toolbox.core.json.formats import FORMAT_NAMES
from toolbox.core.json.model import (
    Dialect,
    Indent,
    JsonSyntaxError,
    JsonTooDeep,
    JsonWarning,
    Mode,
    ValidationResult,
)
from toolbox.core.json.samples import FORMAT_SAMPLES, VALIDATE_SAMPLES
from toolbox.core.json.tree import JsonTree, rows, tree_nodes
from toolbox.ops import choices
from toolbox.ops.json import FormatRequest, ValidateRequest
from toolbox.web.errors import ProblemError, keeps_input
from toolbox.web.forms import FormError, choice_field, text_field
from toolbox.web.highlight import textarea_text
from toolbox.web.htmx import is_htmx
from toolbox.web.render import Outcome, render_tool, run_op

json_bp = Blueprint("json", __name__, url_prefix="/json")

MAX_TEXT = 16 * 1024 * 1024  # the body limit (TOOLBOX_MAX_BODY_BYTES) is the real bound
HIGHLIGHT_LIMIT = 512 * 1024  # characters: no annotated instance (validator) above this
TREE_LIMIT = 5000  # nodes in the collapsible tree view
# Above this many characters the text is formatted when the user asks (Format, a paste, an option),
# not on every pause in typing: each pause would upload and format the whole text again.
LIVE_LIMIT = 200_000
# The page shows the head of a large output (highlighted, numbered) and offers the whole as a download:
# a browser paints 100 KB of spans at once, megabytes of them take seconds (no-JS pages too).
HEAD_LINES = 1000
HEAD_CHARS = 50_000
DIALECTS = {"": "From $schema (default 2020-12)", "draft2020-12": "Draft 2020-12",
            "draft2019-09": "Draft 2019-09", "draft7": "Draft 7", "draft6": "Draft 6", "draft4": "Draft 4"}
assert set(DIALECTS) - {""} == set(choices(Dialect))  # nosec B101  # labels for exactly the operation's choices (import-time invariant)
INDENTS = {str(indent): indent for indent in choices(Indent)}  # form value -> the operation's choice


@dataclass(frozen=True)
class FormatForm:
    """The format form as submitted (echoed back into the page, never stored)."""

    text: str = ""
    mode: str = "pretty"
    indent: str = "2"
    sort_keys: bool = False
    ascii: bool = False
    lenient: bool = False
    live: bool = False  # sent by a pause in typing (htmx), not by a button, a paste or an option

    def request(self) -> FormatRequest:
        """The operation's request these fields ask for."""
        return FormatRequest(text=self.text, mode="minify" if self.mode == "minify" else "pretty",
                             indent=INDENTS[self.indent], sort_keys=self.sort_keys, ascii=self.ascii,
                             lenient=self.lenient)


def _checkbox(name: str) -> bool:
    return request.form.get(name) in ("on", "true", "1", "yes")


def read_format_form() -> FormatForm:
    """Validate the format form; FormError names the bad field."""
    mode = text_field("mode", default="pretty", max_length=10)
    indent = text_field("indent", default="2", max_length=4)
    if mode not in choices(Mode):
        raise FormError("mode", "choose pretty or minify")
    if indent not in INDENTS:
        raise FormError("indent", "choose 2, 4 or tab")
    return FormatForm(text=text_field("text", max_length=MAX_TEXT), mode=mode, indent=indent,
                      sort_keys=_checkbox("sort_keys"), ascii=_checkbox("ascii"),
                      lenient=_checkbox("lenient"), live=_checkbox("live"))


def run_format(form: FormatForm) -> Outcome:
    """Format the form's text (an empty text shows nothing)."""
    if not form.text.strip():
        return Outcome()
    return run_op("json/format", form.request())


@dataclass(frozen=True)
class OutputHead:
    """What the page shows of a formatted output: its first lines, and how much there is in all."""

    text: str
    lines: int  # lines in `text`
    total_lines: int
    total_chars: int

    @property
    def size(self) -> int:
        """UTF-8 bytes of the part shown."""
        return len(self.text.encode("utf-8", "surrogatepass"))

    @property
    def truncated(self) -> bool:
        """True when the page shows only part of the output."""
        return len(self.text) < self.total_chars


def output_head(output: str, max_lines: int = HEAD_LINES, max_chars: int = HEAD_CHARS) -> OutputHead:
    """The first `max_lines` lines of `output`, cut at `max_chars` characters (a long line is cut too)."""
    total_lines = output.count("\n") + 1
    limit = min(len(output), max_chars)
    end = -1
    for _ in range(max_lines):
        end = output.find("\n", end + 1, limit)
        if end < 0:
            break
    cut = end if end >= 0 else limit
    text = output[:cut]
    return OutputHead(text, text.count("\n") + 1, total_lines, len(output))


@json_bp.route("/", methods=["GET", "POST"])
def index() -> Response:
    """Format: GET shows the form (or a sample and its result), POST (form or htmx) shows the result."""
    if request.method == "GET":
        sample = FORMAT_SAMPLES.get(request.args.get("sample", ""))
        if sample is None:
            return render_tool("json/index.html", "json/_result.html", form=FormatForm(), **_limits())
        return _format_page(FormatForm(text=sample.text))
    try:
        form = read_format_form()
    except FormError as err:
        raise ProblemError(400, str(err)) from None
    if form.live and len(form.text) > LIVE_LIMIT:
        # A pause in typing a large text: nothing is formatted (htmx swaps nothing on a 204) and the
        # result already says "Large input: press Format".
        return Response(status=204)
    return _format_page(form)


@dataclass(frozen=True)
class Duplicates:
    """What the verdict says about repeated keys: how many, and the first one ('"id" at line 3')."""

    count: int
    first: str


_MORE = re.compile(r"and (\d+) more")


def duplicates_of(warnings: Sequence[JsonWarning]) -> Duplicates | None:
    """The duplicate-key warnings summed up for the verdict, or None when no key repeats."""
    listed = [w for w in warnings if w.id == "duplicate-key" and w.line is not None]
    if not listed:
        return None
    more = [_MORE.search(w.message) for w in warnings if w.id == "duplicate-key" and w.line is None]
    count = len(listed) + sum(int(m.group(1)) for m in more if m is not None)
    token = (listed[0].pointer or "").rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
    key = json.dumps(token[:80] + ("…" if len(token) > 80 else ""), ensure_ascii=False)
    return Duplicates(count, f"{key} at line {listed[0].line:,}")


def _format_page(form: FormatForm) -> Response:
    """Run the format operation on the form and render the page or its result partial."""
    outcome = run_format(form)
    tree = _tree(form) if outcome.result is not None and not form.lenient else None
    head = output_head(outcome.result.output) if outcome.result is not None else None
    cause = lenient_cause(outcome.syntax.message) if outcome.syntax and not form.lenient else None
    return render_tool("json/index.html", "json/_result.html", status=outcome.status, form=form,
                       result=outcome.result, syntax=outcome.syntax, problem=outcome.problem, tree=tree,
                       tree_rows=list(rows(tree)) if tree else [], head=head, lenient_cause=cause,
                       large=len(form.text) > LIVE_LIMIT,
                       duplicates=duplicates_of(outcome.result.warnings) if outcome.result else None,
                       **_limits())


def _tree(form: FormatForm) -> JsonTree | None:
    """The tree view, for documents small enough to be worth browsing that way (and quick to paint)."""
    if len(form.text) > LIVE_LIMIT:
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
    outcome = run_format(form)
    if outcome.result is None:
        # Nothing is lost: the page comes back with the input as typed and the error beside it.
        empty = None if outcome.syntax else "Nothing to download: paste JSON first."
        status = outcome.status if outcome.status != 200 else 422
        cause = lenient_cause(outcome.syntax.message) if outcome.syntax and not form.lenient else None
        return render_tool("json/index.html", "json/_result.html", status=status, form=form, result=None,
                           syntax=outcome.syntax, problem=outcome.problem or empty, tree=None, tree_rows=[],
                           head=None, lenient_cause=cause, large=False, **_limits())
    response = Response(outcome.result.output, mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="formatted.json"'
    return response


INPUT_FORMATS = tuple(FORMAT_NAMES)  # json, yaml, toml: how the instance and the schema may be written


@dataclass(frozen=True)
class ValidateForm:
    """The validate form as submitted."""

    instance: str = ""
    schema: str = ""
    dialect: str = ""
    formats: bool = True
    from_: str = "json"  # how the instance is written: json, yaml or toml
    schema_from: str = "json"

    def request(self) -> ValidateRequest:
        """The operation's request these fields ask for."""
        return ValidateRequest(instance=self.instance, schema=self.schema,
                               dialect=self.dialect or None, formats=self.formats,  # type: ignore[arg-type]
                               from_=self.from_, schema_from=self.schema_from)  # type: ignore[arg-type]


def read_validate_form() -> ValidateForm:
    """Validate the validate form's fields."""
    dialect = text_field("dialect", default="", max_length=20)
    if dialect not in DIALECTS:
        raise FormError("dialect", "choose one of the listed dialects")
    # An unticked checkbox is simply absent; the hidden field says the form was submitted.
    formats = _checkbox("formats") if request.form.get("submitted") else True
    return ValidateForm(instance=text_field("instance", max_length=MAX_TEXT),
                        schema=text_field("schema", max_length=MAX_TEXT), dialect=dialect, formats=formats,
                        from_=choice_field("from", choices=INPUT_FORMATS, default="json"),
                        schema_from=choice_field("schema_from", choices=INPUT_FORMATS, default="json"))


def run_validate(form: ValidateForm) -> Outcome:
    """Validate the form's texts (both are needed)."""
    if not form.instance.strip() or not form.schema.strip():
        return Outcome(problem="Paste JSON into both Instance and Schema.", status=422)
    return run_op("json/validate", form.request())


@json_bp.route("/validate", methods=["GET", "POST"])
def validate_page() -> Response:
    """Validate a document against a JSON Schema."""
    if request.method == "GET":
        sample = VALIDATE_SAMPLES.get(request.args.get("sample", ""))
        if sample is None:
            return render_tool("json/validate.html", "json/_validation.html", form=ValidateForm(),
                               dialects=DIALECTS, input_formats=FORMAT_NAMES, textarea=textarea_text)
        form = ValidateForm(instance=sample.instance, schema=sample.schema)
    else:
        try:
            form = read_validate_form()
        except FormError as err:
            raise ProblemError(400, str(err)) from None
        if request.form.get("action") == "infer":
            return _infer_schema(form)
    outcome = run_validate(form)
    result = outcome.result
    return render_tool("json/validate.html", "json/_validation.html", status=outcome.status, form=form,
                       result=result, problem=outcome.problem, syntax=outcome.syntax, dialects=DIALECTS,
                       input_formats=FORMAT_NAMES, textarea=textarea_text,
                       error_lines=_error_lines(result), instance_lines=_lines(form.instance, result))


def _infer_schema(form: ValidateForm) -> Response:
    """The "Infer a schema from this Instance" button: the Schema field filled with json/infer's schema
    (htmx: swapped in out of band), its notes where the result goes. Nothing is validated until Validate."""
    from toolbox.ops.json_infer import InferRequest

    if not form.instance.strip():
        outcome = Outcome(problem="Paste a JSON document into Instance to infer its schema.", status=422)
    else:
        outcome = run_op("json/infer", InferRequest(samples=[form.instance],
                                                    from_=form.from_))  # type: ignore[arg-type]
    inferred = outcome.result
    if inferred is not None:
        schema = json.dumps(inferred.schema, indent=2, ensure_ascii=False)
        form = replace(form, schema=schema, schema_from="json")
    return render_tool("json/validate.html", "json/_validation.html", status=outcome.status, form=form,
                       inferred=inferred, result=None, problem=outcome.problem, syntax=outcome.syntax,
                       dialects=DIALECTS, input_formats=FORMAT_NAMES, textarea=textarea_text,
                       oob=is_htmx() and inferred is not None,
                       error_lines={}, instance_lines=[])


def _error_lines(result: ValidationResult | None) -> dict[int, list[Any]]:
    lines: dict[int, list[Any]] = {}
    for error in result.errors if result else ():
        if error.line is not None:
            lines.setdefault(error.line, []).append(error)
    return lines


def _lines(text: str, result: ValidationResult | None) -> list[str]:
    """The instance split into lines for the inline error view (only when it is small)."""
    if result is None or not result.errors or len(text) > HIGHLIGHT_LIMIT:
        return []
    return text.splitlines()


def _limits() -> dict[str, Any]:
    return {"highlight_limit": HIGHLIGHT_LIMIT, "tree_limit": TREE_LIMIT, "live_limit": LIVE_LIMIT,
            "textarea": textarea_text}


# --- a failed plain form post (a spent rate limit, a refused field) keeps what was typed ----------

def _typed(name: str) -> str:
    return request.form.get(name, "")[:MAX_TEXT].replace("\x00", "")


@keeps_input("json.index")
@keeps_input("json.download")
def _format_with_error(box: Markup) -> str:
    """The format page as posted, with an error where the result goes; odd choices fall back."""
    indent = request.form.get("indent", "2")
    mode = "minify" if request.form.get("mode") == "minify" else "pretty"
    form = FormatForm(text=_typed("text"), mode=mode,
                      indent=indent if indent in INDENTS else "2", sort_keys=_checkbox("sort_keys"),
                      ascii=_checkbox("ascii"), lenient=_checkbox("lenient"))
    return render_template("json/index.html", form=form, error_box=box, **_limits())


@keeps_input("json.validate_page")
def _validate_with_error(box: Markup) -> str:
    """The validate page as posted, with an error where the result goes."""
    dialect = request.form.get("dialect", "")
    form = ValidateForm(instance=_typed("instance"), schema=_typed("schema"),
                        dialect=dialect if dialect in DIALECTS else "",
                        formats=_checkbox("formats") if request.form.get("submitted") else True,
                        from_=_known(request.form.get("from", "")),
                        schema_from=_known(request.form.get("schema_from", "")))
    return render_template("json/validate.html", form=form, error_box=box, dialects=DIALECTS,
                           input_formats=FORMAT_NAMES, textarea=textarea_text)


def _known(fmt: str) -> str:
    """An input format as posted, if it is one (the page comes back as typed, never with a bad choice)."""
    return fmt if fmt in INPUT_FORMATS else "json"
