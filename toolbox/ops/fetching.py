"""How an operation that fetches a URL on the user's behalf reports a refused or failed fetch.

    with fetch_problems(cannot="This URL cannot be checked", failed="The site could not be fetched"):
        result = check_url(...)

turns FetchRefused into OpError(REFUSED) and any other FetchError into OpError(FAILED), each with
the fetcher's reason (which never names an internal address), its stable code, and, when the
certificate was rejected, the certificate described in words (`certificate`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from toolbox.ops.errors import ErrorKind, OpError


@contextmanager
def fetch_problems(*, cannot: str = "This URL cannot be fetched",
                   failed: str = "The page could not be fetched", which: str = "") -> Iterator[None]:
    """Raise the OpError of a FetchError raised inside; `which` ("a", "b") names a comparison's side."""
    from toolbox.core.headers.tls import tls_failure_message
    from toolbox.core.net import FetchError, FetchRefused

    side = {"which": which} if which else {}
    prefix = f"{which.upper()}: " if which else ""
    try:
        yield
    except FetchRefused as err:
        raise OpError(ErrorKind.REFUSED, f"{prefix}{cannot}: {err.reason}.", title="URL refused",
                      reason=err.reason, reason_code=err.why.code, **side) from None
    except FetchError as err:
        # A rejected certificate is described ("expired 3 days ago"): the reason alone is not enough.
        now = datetime.now(UTC)
        certificate = {} if err.tls is None else {"certificate": tls_failure_message(err.tls, now)}
        why = f" {certificate['certificate']}" if certificate else ""
        raise OpError(ErrorKind.FAILED, f"{prefix}{failed}: {err.reason}.{why}", title="Fetch failed",
                      reason=err.reason, reason_code=err.why.code, **certificate, **side) from None
