"""The strict CSP builder's page: a strict policy for a fetched or pasted page, with its rollout."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from markupsafe import Markup

from toolbox.core.headers.csp_builder import Mode
from toolbox.ops import choices
from toolbox.ops.headers import MAX_URL
from toolbox.ops.headers_csp import MAX_HTML, MAX_POLICY, CspBuildRequest
from toolbox.web.errors import keeps_input
from toolbox.web.forms import FormError, choice_field, text_field
from toolbox.web.render import render_tool, run_op

headers_csp_bp = Blueprint("headers_csp", __name__, url_prefix="/headers")

PAGE, PARTIAL = "headers/csp.html", "headers/_csp_result.html"
FIELDS = (("url", MAX_URL), ("html", MAX_HTML), ("policy", MAX_POLICY))
LABELS = {"url": "URL", "html": "Page HTML", "policy": "Current policy", "mode": "Mode"}
MODES: tuple[Mode, ...] = choices(Mode)
MODE_CHOICES: tuple[tuple[Mode, str], ...] = (
    ("auto", "Automatic"),
    ("nonce", "Nonces (server-rendered)"),
    ("hashes", "Hashes (static page)"),
)

# "Try a sample": a shop's product page as pasted (nothing fetched), with the shop's weak policy. It has
# inline scripts (one with CRLF line ends), an inline handler, a javascript: link and a CDN script.
SAMPLE = {
    "url": "https://shop.example.com/product/42",
    "html": (
        "<!doctype html>\r\n<html lang=\"en\">\r\n<head>\r\n  <meta charset=\"utf-8\">\r\n"
        "  <title>Blue mug · Example Shop</title>\r\n"
        "  <script src=\"https://cdn.example.net/jquery-3.7.1.min.js\"></script>\r\n"
        "  <script>\r\n    window.dataLayer = window.dataLayer || [];\r\n"
        "    dataLayer.push({event: \"view_item\", item: \"mug-42\"});\r\n  </script>\r\n"
        "  <script type=\"application/ld+json\">{\"@type\": \"Product\", \"name\": \"Blue mug\"}</script>\r\n"
        "</head>\r\n<body>\r\n  <h1>Blue mug</h1>\r\n"
        "  <button onclick=\"addToCart(42)\">Add to cart</button>\r\n"
        "  <a href=\"javascript:history.back()\">Back</a>\r\n"
        "  <script>\r\n    function addToCart(id) {\r\n"
        "      fetch(\"/cart\", {method: \"POST\", body: String(id)});\r\n    }\r\n"
        "  </script>\r\n</body>\r\n</html>\r\n"
    ),
    "policy": ("default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.example.net; "
               "img-src * data:"),
    "mode": "auto",
}
DEFAULT_SAMPLE = "shop"


def _form() -> dict[str, str]:
    """The form as posted (clipped, NUL removed), to show again with an error."""
    form = {name: request.form.get(name, "")[:limit].replace("\x00", "") for name, limit in FIELDS}
    mode = request.form.get("mode", "")
    form["mode"] = mode if mode in MODES else "auto"
    return form


def _page(form: dict[str, str], *, status: int = 200, **context: object) -> Response:
    return render_tool(PAGE, PARTIAL, status=status, form=form, mode_choices=MODE_CHOICES,
                       sample_name=DEFAULT_SAMPLE, **context)


def _built(form: dict[str, str]) -> Response:
    body = CspBuildRequest(url=form["url"], html=form["html"], policy=form["policy"],
                           mode=form["mode"])  # type: ignore[arg-type]  # checked by the caller
    outcome = run_op("headers/csp", body)
    if outcome.problem is not None:
        return _page(form, status=outcome.status, error=outcome.problem)
    return _page(form, result=outcome.result)


@headers_csp_bp.route("/csp", methods=["GET", "POST"])
def index() -> Response:
    """The builder: GET shows the form (built when it names the sample), POST shows the proposal."""
    if request.method == "GET":
        if request.args.get("sample") == DEFAULT_SAMPLE:
            return _built(SAMPLE)
        return _page({name: "" for name, _ in FIELDS} | {"mode": "auto"})
    try:
        form = {name: text_field(name, max_length=limit) for name, limit in FIELDS}
        form["mode"] = choice_field("mode", choices=MODES, default="auto")
    except FormError as err:
        text = str(err)
        message = LABELS.get(err.field, err.field) + text[text.index(":"):] if ":" in text else text
        return _page(_form(), status=400, error=message)
    return _built(form)


@keeps_input("headers_csp.index")
def _index_with_error(box: Markup) -> str:
    """The builder as posted, with an error (a spent rate limit, ...) where the result goes."""
    return render_template(PAGE, form=_form(), mode_choices=MODE_CHOICES, sample_name=DEFAULT_SAMPLE,
                           error_box=box)
