"""json/query: a JSONPath (RFC 9535) or jq expression over a JSON document, in a limited child process.

Every query runs in a fresh `python -I toolbox/query_child.py` (no preexec_fn: gunicorn workers are
threaded), which lowers its own CPU, address-space, file and process limits before it reads the
untrusted expression and document from stdin. This process gives it an empty environment, kills
it at a wall-clock deadline, and reads back a bounded number of bytes. Each limit hit is a 422
naming the limit (TOOLBOX_QUERY_TIMEOUT, TOOLBOX_QUERY_MEMORY, TOOLBOX_QUERY_MAX_OUTPUT, and
TOOLBOX_QUERY_CONCURRENCY children per worker at once); TOOLBOX_QUERY_MAX_RESULTS truncates.
Nothing of the query outlives the request.
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess  # nosec B404 - runs only our own child (toolbox/query_child.py), no shell
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec

from toolbox.core.json.model import JsonSyntaxError
from toolbox.ops.contract import Context, Request, operation
from toolbox.ops.errors import ErrorKind, OpError
from toolbox.ops.json import JsonText, syntax_error

CHILD = Path(__file__).resolve().parent.parent / "query_child.py"
EXIT_MEMORY = 3  # toolbox.query_child's exit status when a MemoryError left it no room to answer
WALL_SLACK = 1.0  # seconds of wall clock beyond the CPU limit (start-up, reading, writing)
ENVELOPE = 1 << 20  # bytes of answer beyond the results' own bound (paths, notes, JSON framing)
CHUNK = 1 << 16


class QueryRequest(Request):
    """Run a JSONPath or jq expression over a JSON text."""

    text: JsonText
    expression: Annotated[str, msgspec.Meta(min_length=1, max_length=10_000, description=(
        "A JSONPath query (RFC 9535, e.g. `$.store.book[?@.price < 10].title`) or a jq program "
        "(e.g. `.store.book[] | select(.price < 10) | .title`)."))]
    language: Annotated[Literal["jsonpath", "jq"], msgspec.Meta(
        description="`jsonpath` (RFC 9535) or `jq` (jq 1.8).")] = "jsonpath"


class QueryResult(msgspec.Struct, kw_only=True):
    """The results in order (each a JSON value, numbers exact), and what was cut or noted."""

    results: list[Any]  # raw JSON values
    paths: Annotated[list[str] | None, msgspec.Meta(
        description="JSONPath: each result's normalized path (RFC 9535 §2.7); null for jq.")]
    count: int
    truncated: Annotated[bool, msgspec.Meta(description="More results exist than the result limit.")]
    notes: list[str]


@dataclass(frozen=True)
class Limits:
    """What one query may use."""

    seconds: int
    memory: int  # bytes of address space
    max_results: int
    max_output: int  # bytes of results' JSON
    max_depth: int


class _Answer(msgspec.Struct):
    ok: bool
    kind: str = ""
    message: str = ""
    sizes: list[int] = []
    results: list[msgspec.Raw] = []
    paths: list[str] | None = None
    truncated: bool = False
    notes: list[str] = []
    count: int = 0
    line: int = 0
    column: int = 0
    offset: int = 0
    snippet: str = ""
    caret: str = ""


@operation("json/query", summary="Query a JSON document with JSONPath (RFC 9535) or jq, in a sandbox",
           request=QueryRequest, result=QueryResult)
def query_json(request: QueryRequest, context: Context) -> QueryResult:
    """Run the query in a limited child process; a limit hit or a bad expression is a 422."""
    settings = context.settings
    limits = Limits(settings.query_timeout, settings.query_memory * 1024 * 1024, settings.query_max_results,
                    settings.query_max_output, settings.json_max_depth)
    slots = query_slots(settings.query_concurrency)
    if not slots.acquire(timeout=limits.seconds):
        raise limit_error("busy", f"This server runs at most {settings.query_concurrency} queries at once "
                                  "per worker (TOOLBOX_QUERY_CONCURRENCY) and none became free: try again")
    try:
        answer = run_child(request.text, request.expression, request.language, limits)
    finally:
        slots.release()
    return result_of(answer, request.language, limits)


_SLOTS: dict[int, threading.BoundedSemaphore] = {}
_SLOTS_LOCK = threading.Lock()


def query_slots(size: int) -> threading.BoundedSemaphore:
    """This process's query slots (one set per configured size): bounds the children alive at once,
    and so the memory they may take, TOOLBOX_QUERY_CONCURRENCY × TOOLBOX_QUERY_MEMORY per worker."""
    with _SLOTS_LOCK:
        return _SLOTS.setdefault(size, threading.BoundedSemaphore(size))


def result_of(answer: _Answer, language: str, limits: Limits) -> QueryResult:
    """The answer as the result, or the OpError it stands for (a limit, a located syntax error, …)."""
    name = "jq" if language == "jq" else "JSONPath"
    if answer.ok:
        return QueryResult(results=list(answer.results), paths=answer.paths, count=len(answer.results),
                           truncated=answer.truncated, notes=answer.notes)
    if answer.kind == "syntax":
        raise syntax_error(JsonSyntaxError(answer.message, answer.line, answer.column, answer.offset,
                                           answer.snippet, answer.caret))
    if answer.kind == "too_deep":
        raise OpError(ErrorKind.UNUSABLE, answer.message, title="Nested too deeply")
    if answer.kind == "invalid":
        raise OpError(ErrorKind.INPUT, f"Not a valid {name} expression: {answer.message}",
                      title=f"Invalid {name} expression", reason=answer.message)
    if answer.kind == "failed":
        raise OpError(ErrorKind.UNUSABLE, answer.message, title=f"The {name} query failed",
                      reason=answer.message, results_before=answer.count)
    if answer.kind == "output":
        raise limit_error("output", f"{answer.message} (TOOLBOX_QUERY_MAX_OUTPUT): narrow the query, or "
                                    "ask for fewer or smaller results")
    if answer.kind == "memory":
        raise _memory_error(limits)
    raise OpError(ErrorKind.FAILED, "The query process failed unexpectedly", title="Query failed")


def limit_error(limit: str, message: str) -> OpError:
    """A limit hit: 422 with `limit` naming it (time, cpu, memory, output, busy)."""
    titles = {"time": "Query time limit", "cpu": "Query CPU time limit", "memory": "Query memory limit",
              "output": "Query output limit", "busy": "Too many queries at once"}
    return OpError(ErrorKind.UNUSABLE, message, title=titles[limit], limit=limit)


def _memory_error(limits: Limits) -> OpError:
    mebibytes = limits.memory >> 20
    return limit_error("memory", f"The query needed more than its memory limit of {mebibytes:,} MiB "
                                 "(TOOLBOX_QUERY_MEMORY): it was stopped")


def _cpu_error(limits: Limits) -> OpError:
    return limit_error("cpu", f"The query used more than its CPU time limit of {limits.seconds} s "
                              "(TOOLBOX_QUERY_TIMEOUT): it was stopped")


def child_command(limits: Limits, language: str) -> list[str]:
    """The child's command line: isolated Python (no PYTHON* variables, no user site, no cwd on the
    path) running toolbox/query_child.py of this very toolbox."""
    return [sys.executable, "-I", "-X", "utf8", str(CHILD), str(limits.seconds), str(limits.memory), language]


def run_child(text: str, expression: str, language: str, limits: Limits) -> _Answer:
    """Start the child, feed it, read its answer within the deadline and the byte bound."""
    header = msgspec.json.encode({"expression": expression, "max_depth": limits.max_depth,
                                  "max_results": limits.max_results, "max_output": limits.max_output})
    payload = memoryview(header + b"\n" + text.encode("utf-8", "surrogatepass"))
    bound = limits.max_output + ENVELOPE
    deadline = time.monotonic() + limits.seconds + WALL_SLACK
    try:
        process = subprocess.Popen(child_command(limits, language), stdin=subprocess.PIPE,  # noqa: S603  # nosec B603 - fixed argv
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env={}, cwd="/",
                                   close_fds=True)
    except OSError as err:
        raise OpError(ErrorKind.FAILED, f"The query process could not start ({err.strerror})",
                      title="Query failed") from None
    assert process.stdin is not None and process.stdout is not None  # noqa: S101  # nosec B101 - both are pipes
    chunks: list[bytes] = []
    received = 0
    timed_out = overflow = False
    try:
        with selectors.DefaultSelector() as selector:
            os.set_blocking(process.stdin.fileno(), False)
            selector.register(process.stdin, selectors.EVENT_WRITE)
            selector.register(process.stdout, selectors.EVENT_READ)
            sent = 0
            while selector.get_map():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    timed_out = True
                    break
                for key, _ in selector.select(remaining):
                    if key.fileobj is process.stdin:
                        try:
                            sent += os.write(process.stdin.fileno(), payload[sent:sent + CHUNK])
                        except BrokenPipeError:  # the child died or stopped reading: its exit says why
                            sent = len(payload)
                        if sent >= len(payload):
                            selector.unregister(process.stdin)
                            process.stdin.close()
                        continue
                    data = os.read(process.stdout.fileno(), CHUNK)
                    if not data:
                        selector.unregister(process.stdout)
                        continue
                    received += len(data)
                    if received > bound:
                        overflow = True
                        selector.unregister(process.stdout)
                        break
                    chunks.append(data)
                if overflow:
                    break
    finally:
        if timed_out or overflow:
            process.kill()
        try:
            process.wait(max(0.1, deadline - time.monotonic()) + 1)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for stream in (process.stdin, process.stdout):
            if not stream.closed:
                stream.close()
    if timed_out:
        raise limit_error("time", f"The query ran longer than its time limit of {limits.seconds} s "
                                  "(TOOLBOX_QUERY_TIMEOUT): it was stopped")
    if overflow:
        raise limit_error("output", f"The results exceed the output limit of {limits.max_output:,} bytes "
                                    "(TOOLBOX_QUERY_MAX_OUTPUT)")
    status = process.returncode
    if status in (-signal.SIGXCPU, -signal.SIGKILL):
        raise _cpu_error(limits)
    if status in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS, EXIT_MEMORY):
        raise _memory_error(limits)  # libjq aborts when an allocation fails; Python may not get to answer
    if status:
        raise OpError(ErrorKind.FAILED, f"The query process failed (exit status {status})",
                      title="Query failed")
    return _answer(b"".join(chunks))


def _answer(data: bytes) -> _Answer:
    """The child's answer: a JSON line, then the results' JSON back to back (never parsed here)."""
    head, _, rest = data.partition(b"\n")
    try:
        answer = msgspec.json.decode(head, type=_Answer)
    except msgspec.DecodeError:
        raise OpError(ErrorKind.FAILED, "The query process gave no usable answer",
                      title="Query failed") from None
    if sum(answer.sizes) != len(rest):
        raise OpError(ErrorKind.FAILED, "The query process gave an incomplete answer", title="Query failed")
    start = 0
    for size in answer.sizes:
        answer.results.append(msgspec.Raw(rest[start:start + size]))
        start += size
    return answer
