"""Grade a HAR (HTTP Archive 1.2, exported from a browser's devtools): its main document like a pasted
redirect chain, and every other response of the site by class (coverage.py).

The HAR is read by the one strict JSON reader, bounded (size, entries, headers, nesting), and checked
field by field: a wrong type is an error naming its JSON path ("log.entries[3].response.headers[0].name
is not a string"). Only what the grade needs is read: request method and URL, response status,
headers, content type and the main document's body. Request headers, cookies and post data are never
read; nothing of the HAR is logged.

The main document: the first page's navigation. Chrome marks it (`_resourceType: "document"`, with the
page's `pageref`); otherwise it is the first response of the first page that is HTML (by its
Content-Type, else `content.mimeType`), or a redirect chain leading to one. `pages[].title` is not
used: Chrome puts the URL there, Firefox the page's <title>. The redirects that led to the document
(3xx entries whose Location leads on) are its chain. When that chain starts at http://, the
redirection test is measurable and judged on it; otherwise it is not measurable, as for pasted headers.

Coverage: the responses of the site (the hosts of the main document's chain), the main document
included, go to coverage(); responses from other hosts (CDNs, analytics) are counted apart by origin and
never in the site's findings: they are not the site's headers. Responses that carry no full header set
(status 0 for blocked or failed requests, 1xx, 304 revalidations) and non-http(s) URLs are left out.
URLs lose their query string and fragment everywhere in the result: they may carry tokens.
"""

from __future__ import annotations

import binascii
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from toolbox.core.headers.check import CheckResult, explain, graded
from toolbox.core.headers.coverage import Coverage, Response, ResponseClass, class_of, coverage, media_type
from toolbox.core.headers.model import Headers, Hop, ScanInput
from toolbox.core.headers.profiles import DEFAULT_SCORING, Scoring
from toolbox.core.json.model import JsonSyntaxError, JsonTooDeep
from toolbox.core.json.parse import Numbers, read

MAX_HAR_CHARS = 8 * 1024 * 1024  # TOOLBOX_MAX_BODY_BYTES' default: the web's body limit comes first
MAX_ENTRIES = 5000
MAX_PAGES = 1000
MAX_HEADERS = 500  # per response
MAX_HEADER_NAME = 256
MAX_HEADER_VALUE = 64 * 1024
MAX_HEADER_BYTES = 256 * 1024  # per response, names and values
MAX_URL = 64 * 1024
MAX_DEPTH = 128  # Chrome's _initiator stacks nest a level per async parent
MAX_BODY_BYTES = 256 * 1024  # the fetcher's cap (FetchPolicy.max_body_bytes)
MAX_CHAIN = 20
MAX_LABEL = 80
_NUMBERS = Numbers(float, Decimal)  # timings are floats; no number the grade reads is a float
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_WEB = frozenset({"http", "https"})


class HarError(ValueError):
    """The text is not a HAR this checker can read; the message says why (with a JSON path)."""


class HarTooLarge(HarError):
    """The HAR is over a size bound (input size, header block)."""


@dataclass(frozen=True)
class HarEntry:
    """One entry as far as the grade needs it (the response's side, plus the request's method and URL)."""

    index: int
    method: str
    url: str
    status: int
    reason: str
    headers: Headers  # the response's, in order, HTTP/2 pseudo-headers left out
    mime: str  # content.mimeType ("" when absent)
    resource_type: str  # Chrome's _resourceType ("" when absent)
    pageref: str
    body: str | None  # content.text, decoded and capped; None when the HAR holds none
    body_truncated: bool = False


@dataclass(frozen=True)
class Har:
    """The HAR's pages (ids, in order) and entries (at most MAX_ENTRIES), and how many there were."""

    pages: tuple[str, ...]
    entries: tuple[HarEntry, ...]
    total_entries: int


@dataclass(frozen=True)
class OtherOrigin:
    """Responses from another origin (a CDN, analytics): how many, of which classes; not the site's."""

    origin: str
    responses: int
    classes: tuple[tuple[ResponseClass, int], ...]  # (class, how many), most first


@dataclass(frozen=True)
class HarCheck:
    """The main document graded like a pasted chain, the site's coverage, and the other origins."""

    result: CheckResult
    main_url: str
    coverage: Coverage
    other_origins: tuple[OtherOrigin, ...]
    entries: int  # entries in the HAR
    notes: tuple[str, ...]


# --- reading -------------------------------------------------------------------------------------


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float | Decimal):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"


def _expect(value: Any, kind: type, path: str, what: str) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise HarError(f"{path} is not {what} (it is {_kind(value)}).")
    return value


def _field(obj: dict[str, Any], key: str, kind: type, path: str, what: str, default: Any = ...) -> Any:
    """obj[key] of type `kind`; missing (or null) gives `default`, or an error when there is none."""
    where = f"{path}.{key}" if path else key
    value = obj.get(key)
    if value is None:
        if default is ...:
            raise HarError(f"{where} is missing.")
        return default
    return _expect(value, kind, where, what)


def _headers(value: Any, path: str) -> Headers:
    items = _expect(value, list, path, "an array")
    if len(items) > MAX_HEADERS:
        raise HarTooLarge(f"{path} has {len(items):,} headers: at most {MAX_HEADERS:,} per response.")
    headers: list[tuple[str, str]] = []
    size = 0
    for number, item in enumerate(items):
        where = f"{path}[{number}]"
        header = _expect(item, dict, where, "an object")
        name = _field(header, "name", str, where, "a string")
        value_ = _field(header, "value", str, where, "a string", "")
        if len(name) > MAX_HEADER_NAME or len(value_) > MAX_HEADER_VALUE:
            raise HarTooLarge(f"{where} is too long: names up to {MAX_HEADER_NAME} characters, values "
                              f"up to {MAX_HEADER_VALUE // 1024} KiB.")
        size += len(name) + len(value_)
        if size > MAX_HEADER_BYTES:
            raise HarTooLarge(f"{path} holds more than {MAX_HEADER_BYTES // 1024} KiB of headers.")
        if name.startswith(":"):
            continue  # HTTP/2 and HTTP/3 pseudo-headers (:status), as devtools lists them
        headers.append((name, value_))
    return tuple(headers)


def _body(content: dict[str, Any], path: str) -> tuple[str | None, bool]:
    """content.text decoded (base64 when `encoding` says so) and capped at MAX_BODY_BYTES."""
    text = _field(content, "text", str, path, "a string", None)
    encoding = _field(content, "encoding", str, path, "a string", "")
    if text is None:
        return None, False
    if encoding.strip().lower() == "base64":
        limit = (MAX_BODY_BYTES // 3 + 1) * 4  # base64 characters for a little over the cap
        raw = text[: limit * 2]
        compact = re.sub(r"\s+", "", raw)
        head = compact[:limit]
        try:
            data = binascii.a2b_base64(head + "=" * (-len(head) % 4), strict_mode=False)
        except ValueError:  # binascii.Error, or a character outside ASCII
            raise HarError(f"{path}.text is not base64, as {path}.encoding says.") from None
        truncated = len(data) > MAX_BODY_BYTES or len(compact) > limit or len(text) > len(raw)
        return data[:MAX_BODY_BYTES].decode("utf-8", "replace"), truncated
    data = text.encode("utf-8", "surrogatepass")
    if len(data) <= MAX_BODY_BYTES:
        return text, False
    return data[:MAX_BODY_BYTES].decode("utf-8", "ignore"), True


def _entry(index: int, value: Any) -> HarEntry:
    path = f"log.entries[{index}]"
    entry = _expect(value, dict, path, "an object")
    request = _field(entry, "request", dict, path, "an object")
    url = _field(request, "url", str, f"{path}.request", "a string")
    if len(url) > MAX_URL:
        raise HarTooLarge(f"{path}.request.url is longer than {MAX_URL // 1024} KiB.")
    method = _field(request, "method", str, f"{path}.request", "a string", "GET")
    response = _field(entry, "response", dict, path, "an object")
    status = _field(response, "status", int, f"{path}.response", "a whole number")
    if not 0 <= status <= 999:
        raise HarError(f"{path}.response.status is {status}: not an HTTP status.")
    reason = _field(response, "statusText", str, f"{path}.response", "a string", "")
    headers = _headers(response.get("headers", []), f"{path}.response.headers")
    content = _field(response, "content", dict, f"{path}.response", "an object", {})
    mime = _field(content, "mimeType", str, f"{path}.response.content", "a string", "")
    resource_type = _field(entry, "_resourceType", str, path, "a string", "")
    pageref = _field(entry, "pageref", str, path, "a string", "")
    body, truncated = _body(content, f"{path}.response.content")
    return HarEntry(index, method[:16], url, status, reason[:200], headers, mime[:200], resource_type[:40],
                    pageref, body, truncated)


def parse_har(text: str) -> Har:
    """Read a HAR's pages and entries; HarError (HarTooLarge) names what is wrong and where."""
    if len(text) > MAX_HAR_CHARS:
        raise HarTooLarge(f"The HAR has {len(text):,} characters: at most "
                          f"{MAX_HAR_CHARS // (1024 * 1024)} MiB. Export only the page's requests (filter "
                          "devtools' Network panel), or without "
                          "content.")
    if not text.strip():
        raise HarError("The HAR is empty: export it from the Network panel (Save all as HAR).")
    try:
        root = read(text.lstrip("\ufeff"), MAX_DEPTH, _NUMBERS)
    except JsonSyntaxError as err:
        raise HarError(f"The HAR is not valid JSON: {err.message} at line {err.line:,}, column "
                       f"{err.column:,}.") from None
    except JsonTooDeep:
        raise HarError(f"The HAR nests more than {MAX_DEPTH} levels deep: not a browser's HAR.") from None
    root = _expect(root, dict, "The HAR", "a JSON object with a \"log\"")
    if "log" not in root:
        raise HarError("The HAR has no \"log\" object: is it a HAR (HTTP Archive) file?")
    log = _field(root, "log", dict, "", "an object")
    pages_value = _field(log, "pages", list, "log", "an array", [])
    pages = []
    for number, page in enumerate(pages_value[:MAX_PAGES]):
        page = _expect(page, dict, f"log.pages[{number}]", "an object")
        pages.append(_field(page, "id", str, f"log.pages[{number}]", "a string", ""))
    entries_value = _field(log, "entries", list, "log", "an array")
    entries = tuple(_entry(i, e) for i, e in enumerate(entries_value[:MAX_ENTRIES]))
    return Har(tuple(pages), entries, len(entries_value))


# --- the main document -----------------------------------------------------------------------------


def _is_html(entry: HarEntry) -> bool:
    mime = media_type(entry.headers) or media_type((("content-type", entry.mime),))
    return mime in _HTML_TYPES


def _web(url: str) -> bool:
    try:
        return urlsplit(url).scheme.lower() in _WEB
    except ValueError:
        return False


def _location(entry: HarEntry) -> str | None:
    if not 300 <= entry.status < 400:
        return None
    found = next((v.strip() for n, v in entry.headers if n.strip().lower() == "location"), "")
    if not found:
        return None
    try:
        return urljoin(entry.url, found)
    except ValueError:
        return None


def _without_fragment(url: str) -> str:
    return url.split("#", 1)[0]


def _chain_from(start: HarEntry, entries: Sequence[HarEntry]) -> list[HarEntry]:
    """The redirects from `start` on, each to the next entry (after it) requesting its Location."""
    chain = [start]
    seen = {start.index}
    while len(chain) < MAX_CHAIN:
        target = _location(chain[-1])
        if target is None:
            break
        wanted = _without_fragment(target)
        following = next((e for e in entries if e.index > chain[-1].index
                          and _without_fragment(e.url) == wanted and e.index not in seen), None)
        if following is None:
            break
        chain.append(following)
        seen.add(following.index)
    return chain


def main_chain(har: Har) -> list[HarEntry]:
    """The first page's navigation: its redirects, the document last. HarError when there is none."""
    web = [e for e in har.entries if _web(e.url) and e.status > 0]
    first_page = har.pages[0] if har.pages else ""
    on_page = [e for e in web if e.pageref == first_page] if first_page else []
    candidates = on_page or web
    typed = any(e.resource_type for e in candidates)
    led_to: set[int] = set()
    for start in candidates:
        if start.index in led_to:
            continue
        if typed and start.resource_type.lower() != "document":
            continue
        chain = _chain_from(start, candidates)
        led_to.update(e.index for e in chain[1:])
        final = chain[-1]
        if (typed or _is_html(final)) and _location(final) is None:
            return chain
    raise HarError("The HAR has no main document: no HTML response (nor Chrome's \"document\" entry) "
                   "among its entries. Export the HAR with the page's own request: reload the page "
                   "with the Network panel open.")


# --- grading -------------------------------------------------------------------------------------


def shorn(url: str) -> str:
    """The URL without query string and fragment (they may carry tokens)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url.split("?", 1)[0].split("#", 1)[0]
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", "", ""))


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _origin(url: str) -> str:
    try:
        parts = urlsplit(url)
        return f"{parts.scheme.lower()}://{parts.netloc.lower().rsplit('@', 1)[-1]}"
    except ValueError:
        return url[:MAX_LABEL]


def _label(url: str, main: str) -> str:
    """The path; host and path on another host; the whole URL over another scheme (the http:// visit)."""
    shown = shorn(url)
    try:
        parts, home = urlsplit(shown), urlsplit(main)
        label = parts.path or "/"
        if parts.scheme.lower() != home.scheme.lower():
            label = shown
        elif (parts.hostname or "").lower() != (home.hostname or "").lower():
            label = (parts.hostname or "") + label
    except ValueError:
        label = shown
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def _hop(entry: HarEntry) -> Hop:
    return Hop(shorn(entry.url), entry.status, entry.reason, entry.headers)


def grade_chain(chain: Sequence[Hop], body: str, scoring: Scoring = DEFAULT_SCORING) -> CheckResult:
    """Grade a navigation's hops (the document last) as check_raw grades a pasted chain; when the
    chain starts at http://, the redirection test is judged on it (the browser's own visit)."""
    first_https = next((i for i, hop in enumerate(chain) if urlsplit(hop.url).scheme == "https"), None)
    starts_http = urlsplit(chain[0].url).scheme == "http"
    https_chain = tuple(chain[first_https:]) if first_https is not None else tuple(chain)
    http_chain = tuple(chain) if starts_http else None
    final = chain[-1]
    scan = ScanInput(url=https_chain[0].url, headers=final.headers, body=body, status=final.status,
                     https_chain=https_chain, http_chain=http_chain)
    findings, fixes = explain(final.headers, final.url, None, https_chain)
    report, next_report = graded(scan, scoring)
    return CheckResult(report=report, url=scan.url, final_url=final.url, chain=https_chain,
                       http_chain=http_chain, headers=final.headers, findings=findings, fixes=fixes,
                       next_report=next_report)


def check_har(text: str, scoring: Scoring = DEFAULT_SCORING) -> HarCheck:
    """Grade a HAR's main document and tabulate the site's other responses (see the module's doc)."""
    har = parse_har(text)
    chain = main_chain(har)
    document = chain[-1]
    notes: list[str] = []
    if har.total_entries > len(har.entries):
        notes.append(f"Only the first {len(har.entries):,} of {har.total_entries:,} entries were read.")
    if document.status >= 400:
        notes.append(f"The main document answered {document.status}: the grade is that error page's.")
    if document.body is None:
        notes.append("The HAR holds no body for the main document (exported without content): the "
                     "subresource-integrity test sees no scripts.")
    elif document.body_truncated:
        notes.append(f"Only the main document's first {MAX_BODY_BYTES // 1024} KiB were read, as when "
                     "fetched.")
    result = grade_chain([_hop(e) for e in chain], document.body or "", scoring)
    hosts = {_host(e.url) for e in chain}
    site: list[Response] = []
    others: dict[str, list[ResponseClass]] = {}
    for entry in har.entries:
        if not _web(entry.url) or entry.status < 200 or entry.status == 304:
            continue
        if _host(entry.url) in hosts:
            label = _label(entry.url, document.url)
            site.append(Response(label, shorn(entry.url), entry.status, entry.headers))
        else:
            others.setdefault(_origin(entry.url), []).append(class_of(entry.status, entry.headers))
    other_origins = tuple(
        OtherOrigin(origin, len(kinds), tuple(sorted(((k, kinds.count(k)) for k in set(kinds)),
                                                     key=lambda item: (-item[1], item[0]))))
        for origin, kinds in sorted(others.items(), key=lambda item: (-len(item[1]), item[0]))
    )
    result = replace(result, notes=tuple(notes))
    return HarCheck(result, shorn(document.url), coverage(site), other_origins, har.total_entries,
                    tuple(notes))
