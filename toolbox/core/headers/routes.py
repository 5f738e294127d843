"""Route sampling: beside the checked URL, fetch `/`, a path that should 404, and up to five paths the
user names, all on the site's final origin, and tabulate which security headers each answer sends
(coverage.py). Each sampled route is one fetch through the SSRF-safe fetcher, without following
redirects: a route that redirects is shown as a redirect, not as wherever it leads.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from toolbox.core.headers.coverage import Coverage, Response, coverage
from toolbox.core.headers.model import Headers
from toolbox.core.net import FetchError, FetchPolicy, FetchResult

MAX_PATHS = 5
MAX_PATH_LENGTH = 512
PROBE_PREFIX = "/toolbox-404-probe-"
# A path on the site: one leading slash (two would name another host), then printable ASCII without
# spaces, backslashes or a fragment. Non-ASCII must be percent-encoded, as on the wire.
_PATH = re.compile(r"/(?![/\\])[\x21-\x7e]*")

Fetcher = Callable[..., FetchResult]


class RoutePathError(ValueError):
    """A path to sample is not a path on the checked site; the message names it by position only."""


@dataclass(frozen=True)
class Route:
    """One route to sample: what the table calls it, and its path (with any query)."""

    label: str
    path: str


def checked_paths(paths: Sequence[str]) -> tuple[str, ...]:
    """The user's paths, checked and de-duplicated in order; RoutePathError for the first bad one."""
    if len(paths) > MAX_PATHS:
        raise RoutePathError(f"at most {MAX_PATHS} paths can be sampled")
    kept: list[str] = []
    for number, path in enumerate(paths, start=1):
        path = path.strip(" \t")
        if len(path) > MAX_PATH_LENGTH:
            raise RoutePathError(f"path {number} is longer than {MAX_PATH_LENGTH} characters")
        if "#" in path or not _PATH.fullmatch(path):
            raise RoutePathError(
                f"path {number} is not a path on the site: start it with one \"/\", use printable ASCII "
                "without spaces, backslashes or a #fragment (percent-encode anything else)")
        if path not in kept:
            kept.append(path)
    return tuple(kept)


def routes_to_sample(checked_url: str, paths: Sequence[str], probe: str | None = None) -> tuple[Route, ...]:
    """`/` (unless it is the checked URL's own path), a path that should 404, then `paths`.

    `probe` is the 404 path (random by default, so no cache can have answered it before).
    """
    own = urlsplit(checked_url).path or "/"
    probe = probe or PROBE_PREFIX + secrets.token_hex(6)
    routes = [] if own == "/" else [Route("/", "/")]
    routes.append(Route("A path that should 404", probe))
    routes += [Route(path, path) for path in checked_paths(paths) if path not in {own, "/"}]
    return tuple(routes)


def _on_origin(url: str, path: str) -> str:
    parts = urlsplit(url)
    target, _, query = path.partition("?")
    return urlunsplit((parts.scheme, parts.netloc, target, query, ""))


def sample_routes(final_url: str, routes: Sequence[Route], policy: FetchPolicy, *, fetcher: Fetcher,
                  request_headers: Headers = ()) -> tuple[tuple[Response, ...], tuple[str, ...]]:
    """Fetch each route on `final_url`'s origin (side by side) without following redirects.

    Returns the responses in the routes' order and a note per route that could not be fetched.
    `request_headers` go with every route (the fetcher keeps them to https and to this origin).
    """

    def one(route: Route) -> Response | str:
        url = _on_origin(final_url, route.path)
        try:
            result = fetcher(url, policy=policy, method="GET", follow_redirects=False,
                             private_headers=request_headers)
        except FetchError as err:
            return f"The route {route.label} could not be fetched: {err.reason}."
        return Response(route.label, result.final_url, result.final.status, tuple(result.final.headers))

    if not routes:
        return (), ()
    # All at once (at most 7): the sampling takes one fetch deadline, not one per route.
    with ThreadPoolExecutor(max_workers=len(routes)) as pool:
        outcomes = list(pool.map(one, routes))
    responses = tuple(o for o in outcomes if isinstance(o, Response))
    notes = tuple(o for o in outcomes if isinstance(o, str))
    return responses, notes


def route_coverage(checked: Response, sampled: Sequence[Response]) -> Coverage:
    """The coverage table of the checked response (first) and the sampled routes."""
    return coverage([checked, *sampled])
