"""The JSON convert page: JSON, YAML 1.2 or TOML in, JSON or YAML out, numbers exact, what changed noted."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, request
from markupsafe import Markup

from toolbox.core.json.formats import FORMAT_NAMES, Format
from toolbox.ops import choices
from toolbox.ops.json_convert import ConvertRequest, OutputFormat
from toolbox.web.errors import ProblemError, keeps_input
from toolbox.web.forms import FormError, choice_field, text_field
from toolbox.web.highlight import textarea_text
from toolbox.web.render import Outcome, render_tool, run_op

json_convert_bp = Blueprint("json_convert", __name__, url_prefix="/json")

MAX_TEXT = 16 * 1024 * 1024  # the body limit (TOOLBOX_MAX_BODY_BYTES) is the real bound
SHOWN = 100_000  # characters of output shown on the page; Download has it all
FROM = tuple(choices(Format))
TO = tuple(choices(OutputFormat))
MEDIA = {"json": ("application/json", "converted.json"), "yaml": ("application/yaml", "converted.yaml")}

SAMPLES = {"config": ("yaml", "json", """\
# A deployment: defaults shared by anchors, scripts as block scalars.
defaults: &defaults
  replicas: 2
  timeout: 1.50        # seconds: stays 1.50, never 1.5
  retries: 3
services:
  - name: api
    <<: *defaults      # YAML 1.1 merge key: an ordinary key in YAML 1.2
    image: "registry.example/api:1.10"
    version: 1.10      # a number: exactly 1.10
    release: 2024-05-01  # no timestamps in YAML 1.2: a string
    enabled: yes       # YAML 1.2: the string "yes"
    limit: 123456789012345678901234567890
    start: |
      ./migrate --check
      exec ./serve --port 8080
  - name: worker
    settings: *defaults
    note: >
      Folded text: these lines
      join into one.
""")}


@dataclass(frozen=True)
class ConvertForm:
    """The convert form as submitted (echoed back into the page, never stored)."""

    text: str = ""
    from_: str = "yaml"
    to: str = "json"

    def request(self) -> ConvertRequest:
        """The operation's request these fields ask for."""
        return ConvertRequest(text=self.text, from_=self.from_, to=self.to)  # type: ignore[arg-type]


def read_convert_form() -> ConvertForm:
    """Validate the convert form's fields."""
    return ConvertForm(text=text_field("text", max_length=MAX_TEXT),
                       from_=choice_field("from", choices=FROM, default="yaml"),
                       to=choice_field("to", choices=TO, default="json"))


def run_convert(form: ConvertForm) -> Outcome:
    """Convert the form's text (it must not be empty)."""
    if not form.text.strip():
        return Outcome(problem=f"Paste a {FORMAT_NAMES[form.from_]} document to convert.", status=422)
    return run_op("json/convert", form.request())


@json_convert_bp.route("/convert", methods=["GET", "POST"])
def convert_page() -> Response:
    """Convert JSON, YAML and TOML: GET shows the form (or a sample and its result), POST the result."""
    if request.method == "GET":
        sample = SAMPLES.get(request.args.get("sample", ""))
        if sample is None:
            return render_tool("json/convert.html", "json/_convert_result.html", form=ConvertForm(),
                               textarea=textarea_text, names=FORMAT_NAMES)
        form = ConvertForm(text=sample[2], from_=sample[0], to=sample[1])
    else:
        try:
            form = read_convert_form()
        except FormError as err:
            raise ProblemError(400, str(err)) from None
    outcome = run_convert(form)
    if request.form.get("action") == "download" and outcome.result is not None:
        media, filename = MEDIA[form.to]
        response = Response(outcome.result.output, mimetype=media)
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    output = outcome.result.output if outcome.result is not None else ""
    return render_tool("json/convert.html", "json/_convert_result.html", status=outcome.status, form=form,
                       result=outcome.result, problem=outcome.problem, syntax=outcome.syntax,
                       textarea=textarea_text, names=FORMAT_NAMES, shown=output[:SHOWN],
                       lines=output.count("\n"), whole=len(output) <= SHOWN)


@keeps_input("json_convert.convert_page")
def _convert_with_error(box: Markup) -> str:
    """The convert page as posted, with an error where the result goes."""
    from flask import render_template

    def pick(name: str, allowed: tuple[str, ...], default: str) -> str:
        value = request.form.get(name, "")
        return value if value in allowed else default

    form = ConvertForm(text=request.form.get("text", "")[:MAX_TEXT].replace("\x00", ""),
                       from_=pick("from", FROM, "yaml"), to=pick("to", TO, "json"))
    return render_template("json/convert.html", form=form, error_box=box, textarea=textarea_text,
                           names=FORMAT_NAMES)
