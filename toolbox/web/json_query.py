"""The JSON query page: a document, a JSONPath (RFC 9535) or jq expression, the results (downloadable)."""

from __future__ import annotations

from dataclasses import dataclass

import msgspec
from flask import Blueprint, Response, render_template, request
from markupsafe import Markup

from toolbox.ops.json_query import QueryRequest, QueryResult
from toolbox.web.errors import ProblemError, keeps_input
from toolbox.web.forms import FormError, choice_field, text_field
from toolbox.web.highlight import textarea_text
from toolbox.web.render import Outcome, render_tool, run_op

json_query_bp = Blueprint("json_query", __name__, url_prefix="/json")

MAX_TEXT = 16 * 1024 * 1024  # the body limit (TOOLBOX_MAX_BODY_BYTES) is the real bound
MAX_EXPRESSION = 10_000
SHOWN = 500  # results listed on the page (the download and the API have them all)
CLIP = 2000  # characters of one result shown
LANGUAGES = ("jsonpath", "jq")

# RFC 9535's own example document (§1.5, Figure 1).
_STORE = """{ "store": {
    "book": [
      { "category": "reference",
        "author": "Nigel Rees",
        "title": "Sayings of the Century",
        "price": 8.95
      },
      { "category": "fiction",
        "author": "Evelyn Waugh",
        "title": "Sword of Honour",
        "price": 12.99
      },
      { "category": "fiction",
        "author": "Herman Melville",
        "title": "Moby Dick",
        "isbn": "0-553-21311-3",
        "price": 8.99
      },
      { "category": "fiction",
        "author": "J. R. R. Tolkien",
        "title": "The Lord of the Rings",
        "isbn": "0-395-19395-8",
        "price": 22.99
      }
    ],
    "bicycle": {
      "color": "red",
      "price": 399
    }
  }
}
"""


@dataclass(frozen=True)
class QueryForm:
    """The query form as submitted (echoed back into the page, never stored)."""

    text: str = ""
    expression: str = ""
    language: str = "jsonpath"

    def request(self) -> QueryRequest:
        """The operation's request these fields ask for."""
        return QueryRequest(text=self.text, expression=self.expression,
                            language="jq" if self.language == "jq" else "jsonpath")


SAMPLES = {"store": QueryForm(_STORE, "$.store.book[?@.price < 10].title", "jsonpath"),
           "store-jq": QueryForm(_STORE, ".store.book[] | select(.price < 10) | {title, price}", "jq")}


def read_query_form() -> QueryForm:
    """Validate the query form's fields."""
    return QueryForm(text=text_field("text", max_length=MAX_TEXT),
                     expression=text_field("expression", max_length=MAX_EXPRESSION),
                     language=choice_field("language", choices=LANGUAGES, default="jsonpath"))


def run_query(form: QueryForm) -> Outcome:
    """Run the form's query (a document and an expression are both needed)."""
    if not form.text.strip():
        return Outcome(problem="Paste a JSON document to query.", status=422)
    if not form.expression.strip():
        return Outcome(problem="Write an expression: JSONPath such as $.store.book[*].title, or jq such as "
                               ".store.book[].title.", status=422)
    return run_op("json/query", form.request())


def _shown(value: msgspec.Raw) -> str:
    """One result as the page shows it: its JSON, clipped."""
    text = bytes(value).decode("utf-8", "surrogatepass")
    return text if len(text) <= CLIP else text[:CLIP] + "…"


def results_json(result: QueryResult) -> bytes:
    """The results as one JSON array, indented, numbers as the engine gave them (exact)."""
    joined = b"[" + b",".join(bytes(value) for value in result.results) + b"]"
    formatted: bytes = msgspec.json.format(joined, indent=2)
    return formatted


@json_query_bp.route("/query", methods=["GET", "POST"])
def query_page() -> Response:
    """Query a JSON document: GET shows the form (or a sample and its results), POST the results."""
    if request.method == "GET":
        form = SAMPLES.get(request.args.get("sample", ""))
        if form is None:
            return render_tool("json/query.html", "json/_query_result.html", form=QueryForm(),
                               textarea=textarea_text)
    else:
        try:
            form = read_query_form()
        except FormError as err:
            raise ProblemError(400, str(err)) from None
    outcome = run_query(form)
    return render_tool("json/query.html", "json/_query_result.html", status=outcome.status, form=form,
                       result=outcome.result, problem=outcome.problem, syntax=outcome.syntax, shown=SHOWN,
                       clip=_shown, textarea=textarea_text)


@json_query_bp.route("/query/download", methods=["POST"])
def query_download() -> Response:
    """The results as a JSON file (the form posted here; never a GET carrying the input)."""
    try:
        form = read_query_form()
    except FormError as err:
        raise ProblemError(400, str(err)) from None
    outcome = run_query(form)
    if outcome.result is None:
        return render_tool("json/query.html", "json/_query_result.html", status=outcome.status, form=form,
                           result=None, problem=outcome.problem, syntax=outcome.syntax, shown=SHOWN,
                           clip=_shown, textarea=textarea_text)
    response = Response(results_json(outcome.result) + b"\n", mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="results.json"'
    return response


def _typed(name: str, limit: int = MAX_TEXT) -> str:
    return request.form.get(name, "")[:limit].replace("\x00", "")


@keeps_input("json_query.query_page")
@keeps_input("json_query.query_download")
def _query_with_error(box: Markup) -> str:
    """The query page as posted, with an error where the results go."""
    language = request.form.get("language", "")
    form = QueryForm(text=_typed("text"), expression=_typed("expression", MAX_EXPRESSION),
                     language=language if language in LANGUAGES else "jsonpath")
    return render_template("json/query.html", form=form, error_box=box, textarea=textarea_text)
