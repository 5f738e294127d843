"""gunicorn's gthread worker, hardened: slow or silent clients never hold a thread or the poller.

gunicorn 27.0.1 (the newest release) has no setting for any of this, so `toolbox serve` runs
this subclass (`worker_class` in `toolbox.serve.gunicorn_options`). Each override says why.

- A request is read on the poller, without a thread, until its head and its body (when it
  declares a Content-Length of at most READ_AHEAD_MAX) have arrived; only then does a thread
  take it. Stock gthread reads in a thread from a blocking socket with no timeout, so a client
  that sends half a body holds the thread forever.
- Every request has one deadline, REQUEST_READ_DEADLINE seconds from its first byte to its
  last: on the poller (answered 408 there) and in the thread for what the poller does not wait
  for (larger, chunked or `Expect: 100-continue` bodies; TLS, where gunicorn's handshake in
  the thread stays unbounded, but `toolbox serve` never terminates TLS). Each recv gets the
  time left, so dripping a byte every few seconds does not extend it. A body read in the
  thread may run past the deadline while it keeps arriving at BODY_MIN_RATE on average since
  the request's first byte (Apache's mod_reqtimeout MinRate): a 100 MB JSON Lines upload
  needs ~7 s on a fast link and 400 s at the floor, but a slow drip still ends at the deadline.
- New connections wait for their first byte on the poller (at most `keepalive` seconds),
  not in a pool thread (stock: 5 s per silent connection).
- Closing after a `Connection: close` response lingers on the poller instead of blocking it
  (stock: `util.close_graceful` runs on the poller thread and reads for up to 2 s).
- gunicorn's "Invalid request" log lines quote the client's bytes (a request line can carry a
  token); ours name the error type only (`handle_error` and `ClientBytesFilter`).
"""

from __future__ import annotations

import contextlib
import errno
import logging
import re
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass
from functools import partial
from selectors import EVENT_READ
from typing import Any

from gunicorn import util  # type: ignore[import-untyped]
from gunicorn.http.errors import ParseException  # type: ignore[import-untyped]
from gunicorn.http.unreader import SocketUnreader  # type: ignore[import-untyped]
from gunicorn.http2 import negotiation  # type: ignore[import-untyped]
from gunicorn.workers.gthread import TConn, ThreadWorker  # type: ignore[import-untyped]
from werkzeug.exceptions import RequestTimeout

#: Seconds from the first byte of a request to the last byte of its body...
REQUEST_READ_DEADLINE = 10.0
#: ...unless the body keeps arriving (read in the thread) at this many bytes a second on average
#: since the first byte: a large upload on a slow link, or read as fast as the app validates it.
#: Holding a thread past the deadline costs a client this rate, up to the route's body limit.
BODY_MIN_RATE = 256 * 1024
#: Bytes of one request buffered on the poller before a thread takes over (bounds memory:
#: worker_connections x this).
READ_AHEAD_MAX = 64 * 1024
#: How long and how much a closing connection is drained so that unread request bytes do not
#: make the kernel answer with a reset that truncates our response (gunicorn's values).
LINGER_SECONDS = 2.0
LINGER_MAX_BYTES = 64 * 1024
#: Lingering sockets are not counted in worker_connections; past this many the oldest closes.
LINGER_MAX_SOCKETS = 256

_TIMEOUT_RESPONSE = (b"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n"
                     b"Content-Type: text/plain\r\nContent-Length: 0\r\n\r\n")
# The end of a request head; bare LFs count too so that gunicorn, not the deadline, refuses them.
_HEAD_END = re.compile(rb"\r?\n\r?\n")

# gunicorn's own handle_error log lines quote client bytes; while it runs they are dropped.
_in_handle_error = threading.local()

#: What an invalid request was, in words that never come from the client.
_REASONS = {
    "LimitRequestLine": "Request Line is too large",
    "LimitRequestHeaders": "Request header fields are too large or too many",
    "InvalidRequestLine": "Invalid request line",
    "InvalidRequestMethod": "Invalid method",
    "InvalidHTTPVersion": "Invalid HTTP version",
    "InvalidHeader": "Invalid header",
    "InvalidHeaderName": "Invalid header name",
    "ObsoleteFolding": "Obsolete header line folding",
    "UnsupportedTransferCoding": "Unsupported transfer coding",
    "InvalidChunkSize": "Invalid chunked body",
    "ChunkMissingTerminator": "Invalid chunked body",
    "InvalidChunkExtension": "Invalid chunked body",
}


class RequestReadTimeout(RequestTimeout):
    """The request was not received within REQUEST_READ_DEADLINE.

    A werkzeug HTTPException (and not an OSError, which werkzeug's LimitedStream would turn
    into a 400) so that a body read in a view ends as a 408 page, not a 500.
    """

    description = "The request was not received in time."


class _DeadlineUnreader(SocketUnreader):  # type: ignore[misc]
    """Socket reads that give up at the connection's read deadline."""

    def __init__(self, conn: Conn) -> None:
        super().__init__(conn.sock)
        self.conn = conn

    def chunk(self, size_hint: int | None = None) -> bytes:
        conn = self.conn
        deadline = max(conn.read_deadline, conn.read_started + conn.body_read / BODY_MIN_RATE)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise RequestReadTimeout()
        prior = self.sock.gettimeout()  # None in the thread; finish_body() sets its own
        self.sock.settimeout(remaining if prior is None else min(prior, remaining))
        try:
            data: bytes = super().chunk(size_hint)
            conn.body_read += len(data)
            return data
        except TimeoutError:
            if time.monotonic() >= deadline:
                raise RequestReadTimeout() from None
            raise  # finish_body's own, shorter timeout: it handles that
        finally:
            with contextlib.suppress(OSError):  # writing the response keeps the prior mode
                self.sock.settimeout(prior)


class Conn(TConn):  # type: ignore[misc]
    """A client connection with a read deadline and bytes read ahead on the poller."""

    def __init__(self, cfg: Any, sock: socket.socket, client: Any, server: Any,
                 worker: ToolboxWorker) -> None:
        super().__init__(cfg, sock, client, server)
        self.worker = worker
        self.read_deadline = float("inf")
        self.read_started = 0.0  # when the current request's first byte was awaited (monotonic)
        self.body_read = 0  # bytes of it read in the thread (the minimum rate's credit)
        self.ahead = bytearray()  # bytes read on the poller, not yet given to the parser
        self.scan_from = 0  # where to resume looking for the end of the head
        self.body_end: int | None = None  # offset in `ahead` where the request ends

    def init(self) -> None:
        """Give the parser deadline-bound reads and the bytes read ahead (runs in the thread)."""
        fresh = not self.initialized
        super().init()
        if self.parser is None or self.is_http2:
            return
        if fresh and type(self.parser.unreader) is SocketUnreader:
            unreader = _DeadlineUnreader(self)
            unreader.unread(self.parser.unreader.take_buffered())
            self.parser.unreader = unreader
        if self.ahead:
            self.parser.unreader.unread(bytes(self.ahead))
            self.ahead = bytearray()

    def close(self, graceful: bool = False) -> None:
        """Close; a graceful close lingers on the poller instead of blocking it for 2 s."""
        if not graceful:
            super().close()
        elif threading.current_thread() is threading.main_thread():
            self.worker.linger(self.sock)
        else:
            self.worker.method_queue.defer(self.worker.linger, self.sock)


@dataclass
class _Linger:
    sock: socket.socket
    deadline: float
    drained: int = 0


class ToolboxWorker(ThreadWorker):  # type: ignore[misc]
    """gthread with request reads on the poller, a read deadline and a non-blocking close."""

    def init_process(self) -> None:
        self.reading: deque[Conn] = deque()  # ordered by read_deadline
        self.lingering: deque[_Linger] = deque()  # ordered by deadline
        super().init_process()

    def accept(self, listener: socket.socket) -> None:
        """Accept, then wait for the first byte on the poller (stock: in a thread, 5 s)."""
        try:
            client_sock, client_addr = listener.accept()
        except OSError as e:
            if e.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        conn = Conn(self.cfg, client_sock, client_addr, listener.getsockname(), self)
        # The same waiting room gunicorn uses for connections it defers (see finish_request):
        # murder_pending closes it after `keepalive` seconds of silence.
        conn.timeout = time.monotonic() + self.cfg.keepalive
        self.pending_conns.append(conn)
        self.poller.register(conn.sock, EVENT_READ, partial(self.on_pending_socket_readable, conn))

    def enqueue_req(self, conn: Conn) -> None:
        """A request starts: its deadline runs from now, and it is read ahead on the poller.

        Every path to a thread comes through here: a new or kept-alive connection turning
        readable, and a pipelined request already buffered.
        """
        conn.read_started = time.monotonic()
        conn.read_deadline = conn.read_started + REQUEST_READ_DEADLINE
        conn.body_read = 0
        if not self._reads_ahead(conn):
            super().enqueue_req(conn)
            return
        conn.body_end = None
        conn.scan_from = 0
        if conn.parser is not None:
            conn.ahead = bytearray(conn.parser.unreader.take_buffered())
        if conn.sock.gettimeout() != 0:
            conn.sock.setblocking(False)
        complete = self._read_ahead(conn)  # usually all there already: no poller round trip
        if complete is None:
            self.reading.append(conn)
            self.poller.register(conn.sock, EVENT_READ, partial(self._on_reading_readable, conn))
        else:
            self._end_read_ahead(conn, complete)

    def _reads_ahead(self, conn: Conn) -> bool:
        # TLS is read in the thread (the handshake is there); an HTTP/2 prior-knowledge peer's
        # preface is read by gunicorn from the socket, so nothing may be taken from it first.
        return (isinstance(conn, Conn) and not self.cfg.is_ssl and not conn.is_http2
                and getattr(self.cfg, "protocol", "http") == "http"
                and not negotiation.prior_knowledge_allowed(self.cfg, conn.client))

    def _on_reading_readable(self, conn: Conn, _fileobj: object) -> None:
        complete = self._read_ahead(conn)
        if complete is not None:
            self._stop_reading(conn)
            self._end_read_ahead(conn, complete)

    def _read_ahead(self, conn: Conn) -> bool | None:
        """Read what has arrived: True once the request is complete, False if the client left."""
        if self._request_complete(conn):  # a pipelined request may be buffered whole
            return True
        try:
            data = conn.sock.recv(READ_AHEAD_MAX - len(conn.ahead))
        except (BlockingIOError, InterruptedError):
            return None
        except OSError:
            return False
        if not data:
            return False
        conn.ahead += data
        return True if self._request_complete(conn) else None

    def _end_read_ahead(self, conn: Conn, complete: bool) -> None:
        if complete:
            self._dispatch(conn)
        else:  # the client went away before its request was complete
            self.nr_conns -= 1
            conn.close()

    @staticmethod
    def _request_complete(conn: Conn) -> bool:
        """Whether a thread should take the request now (never reads; resumes its scan)."""
        if conn.body_end is None:
            head_end = _HEAD_END.search(conn.ahead, conn.scan_from)
            if head_end is None:
                conn.scan_from = max(0, len(conn.ahead) - 3)
                return len(conn.ahead) >= READ_AHEAD_MAX
            length = _body_length(bytes(conn.ahead[:head_end.start()]))
            if length is None or length > READ_AHEAD_MAX:
                return True  # the app may refuse a large body (413) before reading it
            conn.body_end = head_end.end() + length
        return len(conn.ahead) >= min(conn.body_end, READ_AHEAD_MAX)

    def _stop_reading(self, conn: Conn) -> None:
        self.poller.unregister(conn.sock)
        self.reading.remove(conn)

    def _dispatch(self, conn: Conn) -> None:
        conn.data_ready = True  # handle() must not wait for data again
        if conn.parser is not None:  # kept alive: Conn.init() will not run again
            conn.parser.unreader.unread(bytes(conn.ahead))
            conn.ahead = bytearray()
        super().enqueue_req(conn)

    def murder_pending(self) -> None:
        """Also end reads past their deadline and lingers past theirs (run once per loop)."""
        super().murder_pending()
        now = time.monotonic()
        while self.reading and self.reading[0].read_deadline <= now:
            conn = self.reading[0]
            self._stop_reading(conn)
            self.nr_conns -= 1
            with contextlib.suppress(OSError):
                conn.sock.send(_TIMEOUT_RESPONSE)
            self.log.info("request read deadline passed", extra={"fields": {
                "event": "request-timeout", "client": _client_ip(conn.client)}})
            conn.close(graceful=True)
        while self.lingering and self.lingering[0].deadline <= now:
            self._end_linger(self.lingering[0])

    def linger(self, sock: socket.socket) -> None:
        """Close after sending FIN, draining what the client still sends, on the poller."""
        try:
            sock.shutdown(socket.SHUT_WR)
            sock.setblocking(False)
        except OSError:
            util.close(sock)
            return
        while len(self.lingering) >= LINGER_MAX_SOCKETS:
            self._end_linger(self.lingering[0])
        entry = _Linger(sock, time.monotonic() + LINGER_SECONDS)
        self.lingering.append(entry)
        self.poller.register(sock, EVENT_READ, partial(self._on_linger_readable, entry))

    def _on_linger_readable(self, entry: _Linger, _fileobj: object) -> None:
        try:
            data = entry.sock.recv(16384)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        entry.drained += len(data)
        if not data or entry.drained >= LINGER_MAX_BYTES:
            self._end_linger(entry)

    def _end_linger(self, entry: _Linger) -> None:
        self.lingering.remove(entry)
        with contextlib.suppress(KeyError, ValueError, OSError):
            self.poller.unregister(entry.sock)
        util.close(entry.sock)

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        """Answer as gunicorn does, but log the error type instead of the client's bytes."""
        if isinstance(exc, RequestReadTimeout):
            if req is None:  # still reading the head (TLS): say why before closing
                with contextlib.suppress(OSError):
                    util.write_error(client, 408, "Request Timeout", "")
            # Otherwise a response went out already (a 408 from the app, or the app's answer
            # before it read the body); handle() returns False and the connection closes.
            self.log.info("request read deadline passed", extra={"fields": {
                "event": "request-timeout", "client": _client_ip(addr)}})
            return
        _in_handle_error.active = True
        try:
            super().handle_error(req, client, addr, exc)
        finally:
            _in_handle_error.active = False
        name = type(exc).__name__
        fields = {"event": "invalid-request", "error": name, "client": _client_ip(addr)}
        if isinstance(exc, ParseException | OSError):
            fields["reason"] = _REASONS.get(name, name)
            self.log.warning("invalid request", extra={"fields": fields})
        else:  # gunicorn answered 500; the formatter logs the type and code locations only
            fields["event"] = "error"
            self.log.error("error handling request", exc_info=exc, extra={"fields": fields})


def _body_length(head: bytes) -> int | None:
    """The Content-Length to wait for on the poller, or None to hand the request over now.

    Only the plain case is judged here; anything unusual (chunked, Expect: 100-continue,
    a repeated or malformed length) goes to gunicorn's parser at once.
    """
    length: int | None = None
    for line in head.split(b"\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name in (b"transfer-encoding", b"expect"):
            return None
        if name == b"content-length":
            value = value.strip()
            if length is not None or not (value.isascii() and value.isdigit()) or len(value) > 18:
                return None
            length = int(value)
    return length or 0


def _client_ip(addr: Any) -> str:
    return str(addr[0]) if isinstance(addr, tuple | list) and addr else ""


class ClientBytesFilter(logging.Filter):
    """Keep client bytes out of gunicorn's error log.

    Drops what gunicorn logs inside handle_error (ToolboxWorker logs the type instead) and
    replaces exception arguments (e.g. "premature client disconnection. %s", whose exception
    carries the bytes read) by their type name.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(_in_handle_error, "active", False):
            return False
        if isinstance(record.msg, BaseException):
            record.msg = type(record.msg).__name__
        if isinstance(record.args, tuple):
            record.args = tuple(type(arg).__name__ if isinstance(arg, BaseException) else arg
                                for arg in record.args)
        return True
