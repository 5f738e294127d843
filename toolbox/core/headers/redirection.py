"""The Observatory's redirection test and its HSTS preload lookup."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

from toolbox.core.headers.model import Hop, Verdict

_PASSING = ("redirection-not-needed-no-http", "redirection-all-redirects-preloaded", "redirection-to-https")


def is_preloaded(host: str, preload: Mapping[str, bool]) -> bool:
    """Whether `host` is on the preload list itself or under an entry with includeSubDomains."""
    host = host.lower()
    if host in preload:
        return True
    labels = host.split(".")
    return any(preload.get(".".join(labels[i:])) is True for i in range(1, len(labels)))


def redirection_test(
    chain: tuple[Hop, ...] | None, verified: bool, preload: Mapping[str, bool]
) -> Verdict:
    """Judge the http:// probe's chain; None/None when it could not be measured."""
    if chain is None:
        return Verdict(None, None)
    if not chain:
        result = "redirection-not-needed-no-http"
    elif not verified:
        result = "redirection-invalid-cert"
    else:
        parts = [urlsplit(hop.url) for hop in chain]
        if all(is_preloaded(p.hostname or "", preload) for p in parts):
            result = "redirection-all-redirects-preloaded"
        elif len(parts) == 1:
            result = "redirection-missing"
        elif parts[-1].scheme != "https":
            result = "redirection-not-to-https"
        elif parts[1].scheme == "http":
            result = "redirection-not-to-https-on-initial-redirection"
        elif parts[0].scheme == "http" and parts[0].hostname != parts[1].hostname:
            result = "redirection-off-host-from-http"
        else:
            result = "redirection-to-https"
    return Verdict(result, result in _PASSING)
