"""A large JSON Lines upload through real gunicorn (`toolbox serve`): streamed, validated whole, and the
worker's peak memory stays bounded (it never holds the upload)."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import Server, start_toolbox

pytestmark = pytest.mark.server

SCHEMA = json.dumps({"type": "object", "required": ["id", "sku", "qty"],
                     "properties": {"id": {"type": "integer"}, "sku": {"type": "string", "pattern": "^[A-Z]-"},
                                    "qty": {"type": "integer", "minimum": 1}}})
NOTE = "x" * 180
SIZE = 60_000_000  # bytes of JSON Lines, generated as they are sent (never stored)
BOUNDARY = "lines-boundary-7c1e"


def record(i: int) -> bytes:
    """One line of fixed length; every 10th breaks the schema (qty 0), every 1000th is not JSON."""
    qty = 0 if i % 10 == 9 else 3
    line = b'{"id": %9d, "sku": "A-%05d", "qty": %d, "note": "%s"}\n' % (i, i % 100_000, qty, NOTE.encode())
    return line[:-3] + b",}\n" if i % 1000 == 999 else line


LINE = len(record(0))
COUNT = SIZE // LINE


def body_parts() -> tuple[bytes, bytes]:
    head = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"schema\"\r\n\r\n{SCHEMA}\r\n"
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"lines\"; filename=\"big.jsonl\"\r\n"
            "Content-Type: application/x-ndjson\r\n\r\n").encode()
    return head, f"\r\n--{BOUNDARY}--\r\n".encode()


def chunks() -> Iterator[bytes]:
    head, tail = body_parts()
    yield head
    batch = 2000
    for start in range(0, COUNT, batch):
        yield b"".join(record(i) for i in range(start, min(start + batch, COUNT)))
    yield tail


def worker_status(server: Server) -> dict[str, int]:
    """VmRSS and VmHWM (kB) of the one gunicorn worker."""
    (worker,) = server.children()
    fields = {}
    for line in Path(f"/proc/{worker}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0])
    return fields


@pytest.fixture(scope="module")
def served() -> Iterator[Server]:
    server = start_toolbox(workers=1)
    try:
        yield server
    finally:
        server.stop()
        server.log_path.unlink(missing_ok=True)


def test_a_60_mb_upload_streams_through_in_bounded_memory(served: Server) -> None:
    warm = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
    warm.request("POST", "/api/v1/json/lines", body=json.dumps({"text": "1", "schema": SCHEMA}),
                 headers={"Content-Type": "application/json"})
    assert warm.getresponse().status == 200
    warm.close()
    before = worker_status(served)
    head, tail = body_parts()
    length = len(head) + COUNT * LINE + len(tail)
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
    connection.request("POST", "/api/v1/json/lines/stream", body=chunks(),
                       headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
                                "Content-Length": str(length)})
    response = connection.getresponse()
    answer = json.loads(response.read())
    connection.close()
    assert response.status == 200, answer
    assert answer["lines"] == COUNT and answer["bytes"] == COUNT * LINE
    broken = COUNT // 1000
    assert answer["invalid_lines"] == COUNT // 10 + broken - len([i for i in range(999, COUNT, 1000) if i % 10 == 9])
    assert [g["keyword"] for g in answer["summary"]] == ["minimum", "syntax"]
    assert len(answer["errors"]) == 1000 and answer["errors_truncated"] is True
    after = worker_status(served)
    grown_mb = (after["VmHWM"] - before["VmRSS"]) / 1024
    assert grown_mb < 40, f"the worker's peak grew {grown_mb:.0f} MB for a {SIZE // 1_000_000} MB upload"
