"""Reading a response under a deadline and size budgets (slow or huge servers cannot hold us)."""

from __future__ import annotations

import http.client
import io
import socket
import time
from typing import cast

from toolbox.core.net.errors import FetchFailed, FetchReason


class Deadline:
    """A monotonic point in time shared by every step of one fetch (DNS, connect, each read)."""

    def __init__(self, at: float) -> None:
        self.at = at
        self.started = time.monotonic()

    def remaining(self, cap: float) -> float:
        """Seconds left, at most `cap`; FetchFailed once the deadline has passed."""
        left = self.at - time.monotonic()
        if left <= 0:
            raise FetchFailed(FetchReason.TIMEOUT)
        return min(cap, left)

    def elapsed(self) -> float:
        """Seconds since the fetch started."""
        return time.monotonic() - self.started


class _DeadlineIO(io.RawIOBase):
    """Raw reads from a socket: each recv gets only the time left, and the byte total is capped."""

    def __init__(self, sock: socket.socket, deadline: Deadline, budget: int) -> None:
        super().__init__()
        self._sock = sock
        self._deadline = deadline
        self._budget = budget

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        if self._budget <= 0:
            raise FetchFailed(FetchReason.RESPONSE_TOO_LARGE)
        self._sock.settimeout(self._deadline.remaining(3600.0))
        view = memoryview(buffer).cast("B")[: self._budget]
        try:
            count = self._sock.recv_into(view)
        except TimeoutError:
            raise FetchFailed(FetchReason.TIMEOUT) from None
        self._budget -= count
        return count


class _HeaderCappedReader(io.BufferedReader):
    """Buffered reader that counts header lines against a budget until the headers are done."""

    header_budget: int | None = None

    def readline(self, size: int | None = -1) -> bytes:
        line = super().readline(size)
        if self.header_budget is not None:
            self.header_budget -= len(line)
            if self.header_budget < 0:
                raise FetchFailed(FetchReason.HEADERS_TOO_LARGE)
        return line


class _CappedResponse(http.client.HTTPResponse):
    """HTTPResponse whose status line and headers together may not exceed the header budget."""

    fp: _HeaderCappedReader

    def begin(self) -> None:
        super().begin()
        if self.fp is not None:
            self.fp.header_budget = None


class _SocketShim:
    """What HTTPResponse needs from a socket: makefile() returning our capped reader."""

    def __init__(self, reader: _HeaderCappedReader) -> None:
        self._reader = reader

    def makefile(self, mode: str) -> _HeaderCappedReader:
        return self._reader


def response_for(
    sock: socket.socket, method: str, deadline: Deadline, max_header_bytes: int, max_body_bytes: int
) -> http.client.HTTPResponse:
    """An unstarted HTTPResponse reading `sock` under the deadline and size caps."""
    # Raw budget: headers, the capped body, and room for chunk framing of small chunks.
    budget = max_header_bytes + 8 * max_body_bytes + 64 * 1024
    reader = _HeaderCappedReader(_DeadlineIO(sock, deadline, budget))
    reader.header_budget = max_header_bytes
    return _CappedResponse(cast(socket.socket, _SocketShim(reader)), method=method)
