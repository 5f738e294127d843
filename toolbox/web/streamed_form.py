"""A multipart/form-data body read as it arrives: small fields kept (bounded), one file part fed on.

werkzeug's form parser spools a file part to a temporary file (or memory) before the view sees
it; an upload of 100 MB or more must instead be validated while it streams. python-multipart's
push parser (`MultipartParser`, its public streaming API) calls back with each piece of each part:
the small fields are collected up to their own limits, and the file part's bytes go straight to
a sink (the JSON Lines validator) and are dropped. So the form's fields must come BEFORE the file
part (browsers send them in the form's order). Hostile bodies are 400s: no or a bad boundary,
part headers over 1 KiB or more than 8 of them, a part without a name or with one not in the
form, a repeated field or file part, a field after the file part, a body that ends before its
closing boundary.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import IO

from python_multipart.exceptions import FormParserError, MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from toolbox.web.errors import ProblemError

CHUNK = 64 * 1024  # bytes read from the body at a time
MAX_HEADER_SIZE = 1024  # one part header line
MAX_HEADER_COUNT = 8  # header lines per part

Sink = Callable[[bytes], None]

# python-multipart logs each parse error with the offending client byte; the 400 says what is wrong.
logging.getLogger("python_multipart").setLevel(logging.CRITICAL)


def form_error(detail: str) -> ProblemError:
    """A malformed multipart body: 400."""
    return ProblemError(400, detail, title="Malformed form data")


class StreamedForm:
    """Read one multipart body: `fields` (name -> most bytes) are kept, `file_field` is streamed.

    `open_file(fields, filename)` is called when the file part starts, with the fields read so far
    (decoded UTF-8), and returns the sink its bytes are fed to. `fields` and `filename` then say what
    was sent (`filename` None when no file part came).
    """

    def __init__(self, content_type: str, fields: Mapping[str, int], file_field: str,
                 open_file: Callable[[dict[str, str], str], Sink]) -> None:
        kind, params = parse_options_header(content_type)
        boundary = params.get(b"boundary", b"")
        if kind != b"multipart/form-data" or not boundary:
            raise form_error("Send multipart/form-data with a boundary in Content-Type.")
        self.limits = dict(fields)
        self.file_field = file_field
        self.open_file = open_file
        self.fields: dict[str, str] = {}
        self.filename: str | None = None
        self.ended = False
        self._raw: dict[str, bytearray] = {}
        self._headers: list[tuple[bytes, bytes]] = []
        self._name = bytearray()
        self._value = bytearray()
        self._sink: Sink | None = None
        self._field: bytearray | None = None
        self._limit = 0
        self._current = ""
        callbacks = {
            "on_part_begin": self._part_begin, "on_header_field": self._header_field,
            "on_header_value": self._header_value, "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished, "on_part_data": self._part_data,
            "on_part_end": self._part_end, "on_end": self._end,
        }
        try:
            self.parser = MultipartParser(boundary, callbacks,  # type: ignore[arg-type]
                                          max_header_count=MAX_HEADER_COUNT, max_header_size=MAX_HEADER_SIZE)
        except FormParserError as err:
            raise form_error(f"Bad multipart boundary: {err}") from None

    def read(self, stream: IO[bytes]) -> None:
        """Read the whole body from `stream`, chunk by chunk; raise ProblemError on a malformed one."""
        while True:
            chunk = stream.read(CHUNK)
            if not chunk:
                break
            if self.ended:  # bytes after the closing boundary (an epilogue): ignored, not kept
                continue
            try:
                self.parser.write(chunk)
            except MultipartParseError as err:
                if "Maximum header" in str(err):
                    raise form_error(f"A part's headers are too large (at most {MAX_HEADER_COUNT} lines of "
                                     f"{MAX_HEADER_SIZE:,} bytes).") from None
                raise form_error("The form data is malformed: it does not follow multipart/form-data with "
                                 "the boundary given.") from None
        if not self.ended:
            raise form_error("The form data ends before its closing boundary (a cut-off upload?).")

    # python-multipart callbacks -------------------------------------------------------------------

    def _part_begin(self) -> None:
        self._headers = []

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._name += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def _header_end(self) -> None:
        self._headers.append((bytes(self._name).lower(), bytes(self._value)))
        self._name.clear()
        self._value.clear()

    def _headers_finished(self) -> None:
        disposition = next((value for name, value in self._headers if name == b"content-disposition"), b"")
        kind, params = parse_options_header(disposition)
        raw_name = params.get(b"name")
        if kind != b"form-data" or raw_name is None:
            raise form_error("Every part needs Content-Disposition: form-data with a name.")
        name = raw_name.decode("utf-8", "replace")
        if self.filename is not None and name == self.file_field:
            raise form_error(f"The {name!r} part is sent twice.")
        if self.filename is not None:
            raise form_error(f"The {self.file_field!r} part must come last: {name!r} came after it.")
        if name == self.file_field:
            self.filename = params.get(b"filename", b"").decode("utf-8", "replace")
            self.fields = _decoded(self._raw)
            self._raw = {}
            self._current = name
            self._sink = self.open_file(self.fields, self.filename)
            return
        if name not in self.limits:
            raise form_error(f"Unknown part {name[:40]!r}: this form takes "
                             + ", ".join(map(repr, [*self.limits, self.file_field])) + ".")
        if name in self._raw:
            raise form_error(f"The {name!r} part is sent twice.")
        self._current = name
        self._field = self._raw[name] = bytearray()
        self._limit = self.limits[name]

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._sink is not None:
            self._sink(data[start:end])
            return
        assert self._field is not None  # nosec B101 - a field part is open here (narrows the type)
        if len(self._field) + end - start > self._limit:
            raise ProblemError(413, f"The {self._current!r} part is over its limit of {self._limit:,} bytes.",
                               title="Too large")
        self._field += data[start:end]

    def _part_end(self) -> None:
        self._sink = None
        self._field = None

    def _end(self) -> None:
        self.ended = True
        if self.filename is None:  # no file part: the fields are all there is
            self.fields = _decoded(self._raw)


def _decoded(raw: Mapping[str, bytearray]) -> dict[str, str]:
    """The fields as text; one that is not UTF-8 is a 400 naming it."""
    fields = {}
    for name, value in raw.items():
        try:
            fields[name] = value.decode("utf-8")
        except UnicodeDecodeError as err:
            raise form_error(f"The {name!r} part is not UTF-8 (byte {err.start}).") from None
    return fields
