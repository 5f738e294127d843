"""Parse pasted header blocks (`curl -sI`, devtools) into the analysis input."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from toolbox.core.headers.model import Headers, Hop, ScanInput

_STATUS_LINE = re.compile(r"^HTTP/\d(?:\.\d)?\s+(\d{3})\b", re.IGNORECASE)
_HEADER_LINE = re.compile(r"^(:?[!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*:\s?(.*)$")
DEFAULT_URL = "https://unknown.invalid/"


@dataclass(frozen=True)
class RawResponse:
    """One pasted response: its status (None when no status line was pasted) and headers."""

    status: int | None
    headers: Headers


class RawHeadersError(ValueError):
    """Nothing in the pasted text looks like an HTTP header."""


def parse_raw_blocks(text: str) -> list[RawResponse]:
    """Split pasted text into responses: a status line or a blank line after headers starts a new one."""
    blocks: list[tuple[int | None, list[tuple[str, str]]]] = []
    current: tuple[int | None, list[tuple[str, str]]] | None = None
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        status = _STATUS_LINE.match(line.strip())
        if status:
            current = (int(status.group(1)), [])
            blocks.append(current)
            continue
        if not line.strip():
            if current is not None and current[1]:
                current = None  # a blank line ends the response's header section
            continue
        if line[0] in " \t" and current is not None and current[1]:
            name, value = current[1][-1]
            current[1][-1] = (name, f"{value} {line.strip()}")  # obsolete line folding
            continue
        match = _HEADER_LINE.match(line.strip())
        if not match:
            continue
        name, value = match.group(1), match.group(2).strip()
        if name.lower() == ":status" and value[:3].isascii() and value[:3].isdigit():
            current = (int(value[:3]), [])
            blocks.append(current)
            continue
        if name.startswith(":"):
            continue  # other HTTP/2 pseudo-headers copied from devtools
        if current is None:
            current = (None, [])
            blocks.append(current)
        current[1].append((name, value))
    responses = [RawResponse(s, tuple(h)) for s, h in blocks if not (s is not None and 100 <= s < 200)]
    if not any(r.headers for r in responses):
        raise RawHeadersError("No headers found in the pasted text: paste lines like \"Name: value\".")
    return [r for r in responses if r.headers or r.status is not None]


def scan_input_from_raw(text: str, url: str | None = None, body: str = "") -> ScanInput:
    """Build the analysis input from pasted blocks: the last one is final; redirection unmeasurable."""
    responses = parse_raw_blocks(text)
    current = url or DEFAULT_URL
    hops: list[Hop] = []
    for index, response in enumerate(responses):
        hops.append(Hop(current, response.status or 200, headers=response.headers))
        location = next((v for n, v in response.headers if n.lower() == "location"), None)
        if location and index + 1 < len(responses):
            current = urljoin(current, location)
    final = hops[-1]
    return ScanInput(
        url=url or DEFAULT_URL,
        headers=final.headers,
        body=body,
        status=final.status,
        https_chain=tuple(hops),
        http_chain=None,
    )
