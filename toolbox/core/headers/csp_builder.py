"""A strict Content-Security-Policy for one page: nonces or hashes with 'strict-dynamic' (Google's shape).

    script-src 'nonce-{NONCE}' 'strict-dynamic' https: 'unsafe-inline'; object-src 'none'; base-uri 'none'

A CSP3 browser ignores `https:` and 'unsafe-inline' once a nonce or hash and 'strict-dynamic' are
present; they only keep the page working in browsers that predate them. The page's HTML is read by
the same linear-time WHATWG tokenizer the checker uses (`html_scan.visit_tags`), so each inline
script's hash is taken over exactly the text a browser hashes: the element's content after the
input stream's newline normalisation (CR LF and lone CR become LF, NUL becomes U+FFFD), with
character references left alone, UTF-8 encoded.

Decisions: the mode is "auto" unless asked: nonces (Google's default, for pages rendered per
response) unless the response looks like a static file (a Last-Modified header, an .html path) and
the scripts carry no nonce yet, which gets hashes; a hash policy loads external scripts from an
inline loader ('strict-dynamic' trusts what an allowed script inserts). No style-src is
proposed: the current policy's own is kept. Directives that do not govern scripts are carried over
from the current policy; script-src, script-src-elem, script-src-attr, object-src and base-uri are
replaced (an -elem/-attr directive would override the new script-src).
"""

from __future__ import annotations

import base64
import codecs
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

from toolbox.core.findings import Finding
from toolbox.core.headers.csp import PASSING, csp_test, split_policies
from toolbox.core.headers.findings_base import MDN_HEADERS, shown
from toolbox.core.headers.fixes_plan import HeaderAction, is_safe_value
from toolbox.core.headers.fixes_render import (
    render_apache,
    render_caddy,
    render_express,
    render_flask,
    render_nginx,
)
from toolbox.core.headers.grading import score_modifier
from toolbox.core.headers.headermap import HeaderMap
from toolbox.core.headers.html_scan import Tag, visit_tags
from toolbox.core.headers.profiles import DEFAULT_SCORING, profile

Mode = Literal["auto", "nonce", "hashes"]
Chosen = Literal["nonce", "hashes"]
NONCE = "{NONCE}"
MAX_HASHES = 256  # distinct inline scripts a hash policy may list (each hash is ~54 bytes of header)
MAX_EXTERNAL = 256  # external scripts a loader may load
MANY_HASHES = 32
MAX_EXAMPLES = 5
# A placeholder the user replaces. report-uri, not report-to: report-to needs a Reporting-Endpoints
# header too, and Chromium ignores report-uri once report-to names a group it does not know.
REPORT_ENDPOINT = "https://csp-reports.example/report"
CSP_MDN = MDN_HEADERS + "Content-Security-Policy"
# Directives the strict policy sets itself, or drops because they would override its script-src.
REPLACED = ("script-src", "script-src-elem", "script-src-attr", "object-src", "base-uri")
REPORTING = ("report-uri", "report-to")
_JS_TYPES = frozenset(
    ["application/ecmascript", "application/javascript", "application/x-ecmascript",
     "application/x-javascript", "text/ecmascript", "text/javascript", "text/jscript", "text/livescript",
     "text/x-ecmascript", "text/x-javascript"] + [f"text/javascript1.{minor}" for minor in range(6)]
)
_OTHER_KINDS = frozenset({"module", "importmap", "speculationrules"})
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data"})
_HANDLER = re.compile(r"on[a-z]+")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_TAB_NEWLINE = re.compile(r"[\t\n\r]")
_EVAL = re.compile(r"\beval\s*\(|\bnew\s+Function\s*\(|\bset(?:Timeout|Interval)\s*\(\s*[\"'`]")
_KEPT_LOADER_ATTRIBUTES = ("type", "integrity", "crossorigin", "referrerpolicy")


class BuildError(ValueError):
    """The page cannot get the policy asked for (e.g. too many inline scripts to hash)."""


class PolicyError(ValueError):
    """The current policy is not one a header can carry."""


@dataclass(frozen=True)
class InlineScript:
    """One inline script to allow: its hash source, what kind it is, its size and first line."""

    hash: str  # 'sha256-…' (quoted, as in the policy)
    kind: str  # classic, module, importmap or speculationrules
    length: int  # characters
    preview: str
    in_template: bool = False


@dataclass(frozen=True)
class ExternalScript:
    """A `<script src>`: with nonces it needs the nonce attribute; with hashes, the loader loads it."""

    src: str
    kind: str
    has_nonce: bool


@dataclass(frozen=True)
class ObservatoryGain:
    """What the Observatory's CSP test gives the current and the proposed policy (default scoring)."""

    scoring: str
    current_result: str
    current_modifier: int
    current_passes: bool
    proposed_result: str
    proposed_modifier: int
    proposed_passes: bool
    delta: int


@dataclass(frozen=True)
class CspProposal:
    """The strict policy for a page, its report-only rollout variant, and what blocks it."""

    mode: Chosen
    mode_reason: str
    policy: str
    report_only: str
    kept: tuple[str, ...]  # directives carried over from the current policy
    dropped: tuple[str, ...]  # directives of the current policy the strict one replaces
    current_policy: str
    inline_scripts: tuple[InlineScript, ...]
    external_scripts: tuple[ExternalScript, ...]
    external_count: int
    loader: str  # hashes mode with external scripts: the inline <script> that loads them
    findings: tuple[Finding, ...]
    steps: tuple[str, ...]
    observatory: ObservatoryGain
    snippets: dict[str, str] = field(default_factory=dict)  # server -> enforcing config
    report_only_snippets: dict[str, str] = field(default_factory=dict)  # server -> step-1 config
    html_seen: bool = False
    url: str = ""  # the page's address (after redirects when fetched)


def script_hash(text: str) -> str:
    """The 'sha256-…' source a browser matches an inline script's (already normalised) text against."""
    digest = hashlib.sha256(_SURROGATE.sub("\ufffd", text).encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def decode_page(body: bytes, content_type: str | None) -> str:
    """A fetched page as text: a BOM, else the Content-Type charset, else UTF-8; bad bytes as U+FFFD."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if body.startswith(bom):
            return body[len(bom):].decode(encoding, "replace")
    match = re.search(r"charset\s*=\s*\"?([A-Za-z0-9._:-]{1,40})", content_type or "")
    encoding = "utf-8"
    if match:
        try:
            encoding = codecs.lookup(match.group(1)).name
        except LookupError:
            encoding = "utf-8"
    return body.decode(encoding, "replace")


def _script_kind(attrs: dict[str, str]) -> str | None:
    """classic, module, importmap or speculationrules; None for a data block (never run, never checked)."""
    type_ = attrs.get("type")
    if type_ is None:
        language = attrs.get("language", "")
        if not language:
            return "classic"
        type_ = "text/" + language
    essence = type_.strip(" \t\n\f\r").lower()
    if not essence:
        return "classic"
    if essence in _OTHER_KINDS:
        return essence
    return "classic" if essence.split(";", 1)[0].strip(" \t\n\f\r") in _JS_TYPES else None


def _is_javascript_url(value: str) -> bool:
    # The URL parser strips leading/trailing C0 controls and spaces and drops tabs and newlines.
    cleaned = _TAB_NEWLINE.sub("", value.strip("".join(chr(c) for c in range(0x21))))
    return cleaned[:11].lower() == "javascript:"


def _preview(text: str) -> str:
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return shown(first[:80])


@dataclass
class _Page:
    """What the builder reads from a page, gathered in one pass."""

    inline: dict[str, InlineScript] = field(default_factory=dict)  # hash -> first script with it
    inline_count: int = 0
    external: list[ExternalScript] = field(default_factory=list)
    loader_attrs: list[dict[str, str]] = field(default_factory=list)  # what the loader sets on each
    external_count: int = 0
    nonced: int = 0
    scripts: int = 0
    handlers: list[str] = field(default_factory=list)
    handler_count: int = 0
    js_urls: list[str] = field(default_factory=list)
    js_url_count: int = 0
    base_hrefs: list[str] = field(default_factory=list)
    foreign_scripts: int = 0
    unclosed: int = 0
    template_scripts: int = 0
    eval_like: list[str] = field(default_factory=list)
    meta_csp: list[str] = field(default_factory=list)

    def visit(self, tag: Tag) -> None:
        """Take one start tag."""
        attrs = tag.attrs
        for name, value in attrs.items():
            if _HANDLER.fullmatch(name):
                self.handler_count += 1
                if len(self.handlers) < MAX_EXAMPLES:
                    self.handlers.append(f"<{shown(tag.name)} {name}=\"{shown(value)[:60]}\">")
            elif name in _URL_ATTRIBUTES and _is_javascript_url(value):
                self.js_url_count += 1
                if len(self.js_urls) < MAX_EXAMPLES:
                    self.js_urls.append(f"<{shown(tag.name)} {name}=\"{shown(value)[:60]}\">")
        if tag.name == "base" and "href" in attrs and not tag.foreign and not tag.in_template:
            self.base_hrefs.append(attrs["href"])
        elif tag.name == "meta" and not tag.foreign and not tag.in_template:
            equiv = attrs.get("http-equiv", "").strip(" \t\n\f\r").lower()
            if equiv == "content-security-policy" and attrs.get("content"):
                self.meta_csp.append(attrs["content"])
        elif tag.name == "script":
            self._script(tag)

    def _script(self, tag: Tag) -> None:
        attrs = tag.attrs
        if tag.foreign:
            self.foreign_scripts += 1
            return
        kind = _script_kind(attrs)
        if kind is None:
            return  # a data block (application/ld+json, text/template): never run, never checked
        self.scripts += 1
        if attrs.get("nonce"):
            self.nonced += 1
        if tag.in_template:
            self.template_scripts += 1
        if "src" in attrs:
            self.external_count += 1
            if len(self.external) < MAX_EXTERNAL:
                self.external.append(ExternalScript(attrs["src"], kind, bool(attrs.get("nonce"))))
                kept = {name: attrs[name] for name in _KEPT_LOADER_ATTRIBUTES[1:] if name in attrs}
                self.loader_attrs.append({"type": "module", **kept} if kind == "module" else kept)
            return
        if not tag.closed:
            self.unclosed += 1  # the parser drops a script cut off by the end of input: it never runs
            return
        if not tag.text:
            return  # an empty inline script is never run, so never checked
        self.inline_count += 1
        source = script_hash(tag.text)
        if source not in self.inline:
            if len(self.inline) >= MAX_HASHES * 4:
                return  # far past what a hash policy may hold; counted, not kept
            self.inline[source] = InlineScript(source, kind, len(tag.text), _preview(tag.text),
                                               tag.in_template)
        if len(self.eval_like) < MAX_EXAMPLES and kind == "classic":
            found = _EVAL.search(tag.text)
            if found:
                self.eval_like.append(shown(found.group()))


def read_page(html: str) -> _Page:
    """Every script, event handler, javascript: URL, <base> and meta CSP of the page (linear time)."""
    page = _Page()
    visit_tags(_SURROGATE.sub("\ufffd", html), page.visit)
    return page


def clean_policy(text: str) -> str:
    """A pasted policy without a `Content-Security-Policy:` prefix; PolicyError for characters a header
    cannot carry."""
    policy = text.strip()
    name, colon, rest = policy.partition(":")
    if colon and name.strip().lower() in ("content-security-policy", "content-security-policy-report-only"):
        policy = rest.strip()
    for index, char in enumerate(policy):
        if not (" " <= char <= "~" or char == "\t"):
            raise PolicyError(f"character {index + 1} ({char!r}) is not allowed in a header value; "
                              "a policy is printable ASCII")
    return policy


def _directives(policy: str) -> list[tuple[str, str]]:
    """(lowercased name, the directive as written) of the first policy, first occurrence of each."""
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for part in policy.split(";"):
        tokens = part.split()
        if not tokens or tokens[0].lower() in seen:
            continue
        seen.add(tokens[0].lower())
        out.append((tokens[0].lower(), " ".join(tokens)))
    return out


def _choose(mode: Mode, page: _Page, url: str, headers: HeaderMap) -> tuple[Chosen, str]:
    if mode != "auto":
        return mode, f"{'Nonces' if mode == 'nonce' else 'Hashes'}, as asked."
    if page.nonced:
        return "nonce", "Nonces: the page's scripts already carry nonce attributes."
    if len(page.inline) > MAX_HASHES:
        return "nonce", f"Nonces: {len(page.inline)} distinct inline scripts are too many to hash."
    path = urlsplit(url).path.lower() if url else ""
    if headers.first("last-modified") is not None:
        return "hashes", ("Hashes: the response carries Last-Modified, as a static file does; a static page "
                          "cannot put a new nonce in every response.")
    if path.endswith((".html", ".htm")):
        return "hashes", ("Hashes: the URL names an .html file; a static page cannot change its nonce per "
                          "response.")
    return "nonce", ("Nonces (Google's default for pages rendered per response): the server puts a fresh "
                     "nonce in the header and on every <script>. Choose hashes for a static page.")


def _loader(external: list[ExternalScript], attrs_of: list[dict[str, str]]) -> str:
    """An inline script that inserts the external scripts in order ('strict-dynamic' trusts them)."""
    def literal(value: object) -> str:
        # ensure_ascii escapes U+2028/9; "<" escaped so no "</script" can end the element early.
        return json.dumps(value, ensure_ascii=True).replace("<", "\\u003c")

    lines = ["(function () {", "  function load(src, attrs) {",
             '    var s = document.createElement("script");', "    s.src = src;", "    s.async = false;",
             "    for (var name in attrs) s.setAttribute(name, attrs[name]);",
             "    document.head.appendChild(s);", "  }"]
    for script, attrs in zip(external, attrs_of, strict=True):
        lines.append(f"  load({literal(script.src)}, {literal(attrs)});")
    lines.append("})();")
    return "\n".join(lines)


def _grade(policy: str, meta: list[str], https: bool) -> tuple[str, int, bool]:
    scoring = profile(DEFAULT_SCORING)
    headers = HeaderMap([("Content-Security-Policy", policy)] if policy else [])
    outcome = csp_test(headers, meta, https, scoring.csp_policies_apart)
    return outcome.result, score_modifier(outcome.result, scoring), outcome.result in PASSING


def _examples(items: list[str], count: int) -> str:
    more = f" and {count - len(items)} more" if count > len(items) else ""
    return ", ".join(items) + more


def _findings(page: _Page, mode: Chosen, truncated: bool, dropped: list[str]) -> list[Finding]:
    found: list[Finding] = []
    if page.handler_count:
        found.append(Finding(
            "csp-inline-event-handler", "high", f"{page.handler_count} inline event handler(s)",
            f"A strict policy blocks every on…= attribute: {_examples(page.handlers, page.handler_count)}.",
            "Move each handler into a script: element.addEventListener(\"click\", …).", CSP_MDN))
    if page.js_url_count:
        found.append(Finding(
            "csp-javascript-url", "high", f"{page.js_url_count} javascript: URL(s)",
            f"A strict policy blocks javascript: URLs: {_examples(page.js_urls, page.js_url_count)}.",
            "Use a button with an event listener added from a script instead.", CSP_MDN))
    if page.eval_like:
        found.append(Finding(
            "csp-eval", "medium", "Code built from strings",
            f"An inline script calls {', '.join(page.eval_like)}: without 'unsafe-eval' the browser "
            "refuses it.",
            "Replace eval, new Function and string timers with plain functions (or, last resort, add "
            "'unsafe-eval', which the Observatory penalises).", CSP_MDN))
    if page.base_hrefs:
        found.append(Finding(
            "csp-base-element", "medium", "The page sets <base href>",
            f"base-uri 'none' would make the browser ignore <base href=\"{shown(page.base_hrefs[0])[:60]}\">:"
            " the proposal says base-uri 'self' instead.",
            "Keep the base URL on the page's own origin (or remove <base> and use base-uri 'none').",
            CSP_MDN))
    if page.external_count and mode == "nonce":
        found.append(Finding(
            "csp-external-script-nonce", "medium", f"{page.external_count} external script(s) need the nonce",
            "With 'strict-dynamic' a <script src> runs only with the nonce (scripts it loads are trusted in "
            "turn); host allow-lists are ignored.",
            "Add nonce=\"{NONCE}\" to every <script src> tag, with the response's nonce.", CSP_MDN))
    if page.external_count and mode == "hashes":
        found.append(Finding(
            "csp-external-script-loader", "medium",
            f"{page.external_count} external script(s) need the loader",
            "With hashes, a parser-inserted <script src> is blocked; 'strict-dynamic' trusts the scripts an "
            "allowed inline script inserts.",
            "Replace the <script src> tags with the loader below (its hash is in the policy); scripts that "
            "inline code relies on run later than before, after the loader.", CSP_MDN))
    if page.foreign_scripts:
        found.append(Finding(
            "csp-svg-script", "medium", f"{page.foreign_scripts} <script> inside SVG or MathML",
            "Its text is parsed as SVG (character references decoded), so its hash is not computed here.",
            "Move it out of the <svg>, or use nonces (nonce=\"{NONCE}\" works on an SVG <script>).", CSP_MDN))
    if page.meta_csp:
        found.append(Finding(
            "csp-meta-policy", "medium", "The page also sets a policy in <meta http-equiv>",
            f"Both policies apply, so its script-src still restricts the page: "
            f"\"{shown(page.meta_csp[0])}\".",
            "Remove the <meta> policy, or make it the same as the header.", CSP_MDN))
    if mode == "hashes" and len(page.inline) > MANY_HASHES:
        found.append(Finding(
            "csp-many-hashes", "low", f"{len(page.inline)} hashes make a long header",
            "Every distinct inline script adds about 54 bytes; proxies and servers cap header sizes "
            "(nginx 4-8 KB per buffer).", "Merge inline scripts into fewer, or use nonces."))
    if page.unclosed:
        found.append(Finding(
            "csp-unclosed-script", "low", "A <script> without its end tag",
            "The page ends inside a <script>: a browser never runs it, so it is not hashed.",
            "Close the <script> element."))
    if page.template_scripts:
        found.append(Finding(
            "csp-template-script", "info", f"{page.template_scripts} script(s) inside <template>",
            "They run only when a script clones the template; they are in the proposal like the others.",
            None))
    if dropped:
        found.append(Finding(
            "csp-replaced-directives", "info", "Directives the strict policy replaces",
            f"From the current policy: {', '.join(dropped)}.",
            "The new script-src takes their place (a script-src-elem or -attr would override it)."))
    if truncated:
        found.append(Finding(
            "csp-page-truncated", "medium", "Only the first 256 KiB of the page were read",
            "Scripts further down are not in the proposal.", "Paste the whole page into HTML instead."))
    return found


def _snippets(policy: str, report_only: str, mode: Chosen,
              sent: bool) -> tuple[dict[str, str], dict[str, str]]:
    """Config for the enforcing header and for the report-only rollout (servers for hashes, apps for
    nonces: only the application can put a new nonce in every response)."""
    if mode == "nonce":
        return ({"flask": _flask_nonce(policy, "Content-Security-Policy"),
                 "express": _express_nonce(policy, "Content-Security-Policy")},
                {"flask": _flask_nonce(report_only, "Content-Security-Policy-Report-Only"),
                 "express": _express_nonce(report_only, "Content-Security-Policy-Report-Only")})
    if not (is_safe_value(policy) and is_safe_value(report_only)):
        return {}, {}
    renderers = {"nginx": render_nginx, "caddy": render_caddy, "apache": render_apache, "flask": render_flask,
                 "express": render_express}
    enforce = [HeaderAction("set", "Content-Security-Policy", policy, "strict CSP: scripts only by hash",
                            sent=sent)]
    rollout = [HeaderAction("set", "Content-Security-Policy-Report-Only", report_only,
                            "report what the strict CSP would block, block nothing yet")]
    return ({name: render(enforce) for name, render in renderers.items()},
            {name: render(rollout) for name, render in renderers.items()})


def _flask_nonce(policy: str, header: str) -> str:
    lines = ["import secrets", "from flask import g", "", f"CSP = {policy!r}", "",
             "@app.before_request", "def make_csp_nonce():",
             "    g.csp_nonce = secrets.token_urlsafe(18)  # new for every response", "",
             "@app.after_request", "def set_csp(response):",
             f"    response.headers[{header!r}] = CSP.replace({NONCE!r}, g.csp_nonce)"]
    lines += ["    return response", "",
              "# In templates: <script nonce=\"{{ g.csp_nonce }}\"> on every script tag."]
    return "\n".join(lines) + "\n"


def _express_nonce(policy: str, header: str) -> str:
    lines = ['const crypto = require("crypto");', f"const CSP = {json.dumps(policy)};", "",
             "app.use((req, res, next) => {",
             '  res.locals.cspNonce = crypto.randomBytes(18).toString("base64");  // new for every response',
             f"  res.setHeader({json.dumps(header)}, CSP.replace({json.dumps(NONCE)}, res.locals.cspNonce));"]
    lines += ["  next();", "});", "",
              "// In templates: <script nonce=\"<%= cspNonce %>\"> on every script tag."]
    return "\n".join(lines) + "\n"


def build_strict_csp(*, html: str = "", policy: str = "", url: str = "", mode: Mode = "auto",
                     response_headers: tuple[tuple[str, str], ...] = (),
                     truncated: bool = False) -> CspProposal:
    """The strict policy for the page `html` (optional), keeping what `policy` (the current one, optional)
    says beyond scripts. PolicyError for a policy a header cannot carry; BuildError when hashes are asked
    for a page with too many inline or external scripts."""
    current = clean_policy(policy)
    page = read_page(html)
    headers = HeaderMap(response_headers)
    chosen, reason = _choose(mode, page, url, headers)
    if chosen == "hashes" and len(page.inline) > MAX_HASHES:
        raise BuildError(f"{len(page.inline)} distinct inline scripts: a hash policy holds at most "
                         f"{MAX_HASHES}. Use nonces.")
    if chosen == "hashes" and page.external_count > MAX_EXTERNAL:
        raise BuildError(f"{page.external_count} external scripts: the loader takes at most {MAX_EXTERNAL}. "
                         "Use nonces.")
    pieces = split_policies([current]) if current else []
    first = pieces[0] if pieces else ""
    carried = _directives(first)
    kept = [(name, text) for name, text in carried if name not in REPLACED]
    dropped = [name for name, _ in carried if name in REPLACED and name not in ("object-src", "base-uri")]

    loader = ""
    if chosen == "nonce":
        sources = [f"'nonce-{NONCE}'"]
    else:
        sources = [s.hash for s in page.inline.values()]
        if page.external:
            loader = _loader(page.external, page.loader_attrs)
            sources.append(script_hash(loader))
    base = "'self'" if page.base_hrefs else "'none'"
    strict = [f"script-src {' '.join(sources)} 'strict-dynamic' https: 'unsafe-inline'", "object-src 'none'",
              f"base-uri {base}"]
    proposed = "; ".join(strict + [text for _, text in kept])
    reporting = [text for name, text in kept if name in REPORTING]
    report_only = proposed if reporting else f"{proposed}; report-uri {REPORT_ENDPOINT}"

    https = not url or urlsplit(url).scheme != "http"
    now = _grade(current, page.meta_csp, https)
    then = _grade(proposed, [], https)
    gain = ObservatoryGain(profile(DEFAULT_SCORING).title, now[0], now[1], now[2], then[0], then[1], then[2],
                           then[1] - now[1])
    findings = _findings(page, chosen, truncated, dropped)
    snippets, rollout = _snippets(proposed, report_only, chosen, sent=bool(current))
    return CspProposal(
        mode=chosen, mode_reason=reason, policy=proposed, report_only=report_only,
        kept=tuple(name for name, _ in kept), dropped=tuple(dropped),
        current_policy=current, inline_scripts=tuple(page.inline.values()),
        external_scripts=tuple(page.external), external_count=page.external_count,
        loader=f"<script>{loader}</script>" if loader else "", findings=tuple(findings),
        steps=_steps(page, chosen, bool(loader), not reporting, bool(html.strip())),
        observatory=gain, snippets=snippets, report_only_snippets=rollout, html_seen=bool(html.strip()),
        url=url)


def _steps(page: _Page, mode: Chosen, loader: bool, placeholder: bool, html_seen: bool) -> tuple[str, ...]:
    steps: list[str] = []
    if not html_seen:
        steps.append("No page was read: paste its HTML (or give its URL) to get its hashes and what "
                     "blocks the policy.")
    if mode == "nonce":
        steps.append("Make a new random nonce for every response (at least 128 bits, base64) and put it in "
                     "the header in place of {NONCE}: never a fixed value, never from a cache.")
        if page.scripts:
            steps.append(f"Add nonce=\"{{NONCE}}\" (the same value) to each of the page's {page.scripts} "
                         "<script> tags.")
    else:
        steps.append("Serve the inline scripts byte for byte as read here: any edit changes a hash (build "
                     "the policy again after each change).")
        if loader:
            steps.append("Replace the <script src> tags with the loader script shown below.")
    if page.handler_count or page.js_url_count:
        steps.append("Move inline event handlers and javascript: URLs into scripts (see the findings).")
    steps.append("Send the report-only header first" + (" (replace the placeholder report-uri with your own "
                 "endpoint)" if placeholder else "") + "; watch the reports for a while.")
    steps.append("Once no report shows a script you need, send the enforcing Content-Security-Policy header.")
    return tuple(steps)
