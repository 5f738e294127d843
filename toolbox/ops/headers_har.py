"""The header checker's HAR operation: grade a HAR's main document, tabulate the site's other responses."""

from __future__ import annotations

from typing import Annotated

import msgspec

from toolbox.core.headers.coverage import Coverage
from toolbox.core.headers.har import MAX_ENTRIES, MAX_HAR_CHARS, HarError, HarTooLarge, OtherOrigin, check_har
from toolbox.core.headers.profiles import DEFAULT_SCORING, Scoring
from toolbox.ops.contract import Context, Request, operation
from toolbox.ops.errors import ErrorKind, OpError
from toolbox.ops.headers import HeadersReport, report_of


class HarRequest(Request):
    """A HAR (HTTP Archive 1.2) as exported by a browser's devtools, and the scoring version."""

    har: Annotated[str, msgspec.Meta(max_length=MAX_HAR_CHARS, description=(
        "The HAR's JSON text (Chrome, Firefox, Safari: Network panel, Save all as HAR). Only responses' "
        f"status, headers and the main document's body are read; at most {MAX_ENTRIES:,} entries. Never "
        "logged or stored."))]
    scoring: Annotated[Scoring, msgspec.Meta(description=(
        "Observatory scoring version: v5 (the public Observatory, 1.6.3), v4 (npm 1.4.8) or v6 "
        "(upstream main, next: adds COOP and COEP)."))] = DEFAULT_SCORING


class HarReport(msgspec.Struct, kw_only=True):
    """The main document's grade, which security headers the site's responses send, other origins."""

    report: HeadersReport
    main_url: str
    coverage: Coverage
    other_origins: tuple[OtherOrigin, ...]
    entries: int


@operation("headers/har", summary="Grade a HAR's main document and list its other responses' headers",
           request=HarRequest, result=HarReport)
def check_har_op(request: HarRequest, context: Context) -> HarReport:
    """Nothing is fetched: the HAR is all there is. Its errors name a JSON path, never a value."""
    try:
        checked = check_har(request.har, request.scoring)
    except HarTooLarge as err:
        raise OpError(ErrorKind.TOO_LARGE, str(err), title="HAR too large") from None
    except HarError as err:
        raise OpError(ErrorKind.INPUT, str(err), title="Not a usable HAR") from None
    return HarReport(report=report_of(checked.result), main_url=checked.main_url, coverage=checked.coverage,
                     other_origins=checked.other_origins, entries=checked.entries)
