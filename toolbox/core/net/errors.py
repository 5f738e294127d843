"""Why a fetch did not happen: refused by policy, or failed on the network."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from toolbox.core.net.model import Hop


class FetchError(Exception):
    """Base of fetch errors; `reason` is a stable sentence that never names an internal address."""

    def __init__(self, reason: str, hops: tuple[Hop, ...] = ()) -> None:
        super().__init__(reason)
        self.reason = reason
        self.hops = hops  # responses received before the error (a refused redirect keeps its chain)


class FetchRefused(FetchError):
    """The URL (or a redirect target) breaks the fetch policy; log it as a security event."""


class FetchFailed(FetchError):
    """The fetch was allowed but the network or the server failed (timeout, TLS, bad HTTP)."""
