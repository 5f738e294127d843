"""The child process one JSONPath or jq query runs in: `python -I toolbox/query_child.py CPU MEMORY LANG`.

Started by toolbox.ops.json_query for every query (never by hand). Before it reads anything
untrusted it lowers its own limits: CPU seconds (SIGXCPU, then SIGKILL a second later), address
space (MEMORY bytes: an allocation beyond it fails, in Python a MemoryError, in libjq an abort),
no core dumps, no files written, no processes or threads started, and, once the engine is loaded
and warmed up, no file descriptor beyond stdin, stdout and stderr (so nothing can be opened:
no module, no file). The parent adds a wall-clock deadline, an empty environment and a bound on
what it reads back.

stdin: one line of JSON ({expression, max_depth, max_results, max_output}), then the document.
stdout: one line of JSON, {"ok": true, sizes, paths, truncated, notes} or {"ok": false, kind, ...},
then the results' JSON texts back to back (`sizes` gives their lengths in bytes).
"""

from __future__ import annotations

import resource
import sys
from pathlib import Path
from typing import Any

MAX_RECURSION = 50_000  # deeper than this a RecursionError ends the query (a 422), not the C stack
EXIT_MEMORY = 3  # the address-space limit stopped it before it could answer
WARM_UP = {  # touches every lazily imported part of the engine before files can no longer be opened
    "jsonpath": '$[?@.a == 1.5 && match(@.b, "x.") && search(@.b, "[x]") && length(@.b) > 0 '
                "&& count(@.*) > 0 && value(@..a) == 1.5]",
    "jq": '[.[] | .b | test("x."), ascii_downcase, @base64, tojson, (.|fromjson?), ltrimstr("x")]',
}


def limit_self(cpu_seconds: int, memory_bytes: int) -> None:
    """Lower this process's own limits (soft and hard: they cannot be raised again)."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))


def main(argv: list[str]) -> int:
    """Limit, warm up, read the query and the document from stdin, answer on stdout."""
    cpu_seconds, memory_bytes, language = int(argv[0]), int(argv[1]), argv[2]
    limit_self(cpu_seconds, memory_bytes)
    import msgspec

    from toolbox.core.json.query import run_query

    run_query('[{"a": 1.5, "b": "xy"}]', WARM_UP[language], language,  # type: ignore[arg-type]
              max_depth=10, max_results=10, max_output=10_000)
    resource.setrlimit(resource.RLIMIT_NOFILE, (3, 3))  # stdin, stdout, stderr: nothing more opens
    try:
        answer = evaluate(sys.stdin.buffer.read(), language)
        results: list[bytes] = answer.pop("results", [])
        answer["sizes"] = [len(result) for result in results]
        head = msgspec.json.encode(answer)
    except MemoryError:
        return EXIT_MEMORY
    out = sys.stdout.buffer
    out.write(head + b"\n")
    for result in results:  # the results' JSON as is: the parent never parses it (it may be deep)
        out.write(result)
    out.flush()
    return 0


def evaluate(data: bytes, language: str) -> dict[str, Any]:
    """The answer for one query (header line, then the document), never raising."""
    import msgspec

    from toolbox.core.json.model import JsonSyntaxError, JsonTooDeep
    from toolbox.core.json.query import OutputTooLarge, QueryFailed, QueryInvalid, run_query

    header, _, body = data.partition(b"\n")
    try:
        query = msgspec.json.decode(header)
        # The engines recurse once or a few times per level: room for the document's depth limit.
        sys.setrecursionlimit(min(MAX_RECURSION, max(sys.getrecursionlimit(), 4 * query["max_depth"] + 1000)))
        text = body.decode("utf-8")
        outcome = run_query(text, query["expression"], language,  # type: ignore[arg-type]
                            max_depth=query["max_depth"], max_results=query["max_results"],
                            max_output=query["max_output"])
    except JsonSyntaxError as err:
        return {"ok": False, "kind": "syntax", "message": err.message, "line": err.line, "column": err.column,
                "offset": err.offset, "snippet": err.snippet, "caret": err.caret}
    except JsonTooDeep as err:
        return {"ok": False, "kind": "too_deep", "message": str(err)}
    except QueryInvalid as err:
        return {"ok": False, "kind": "invalid", "message": str(err)}
    except QueryFailed as err:
        return {"ok": False, "kind": "failed", "message": str(err), "count": len(err.results)}
    except OutputTooLarge as err:
        return {"ok": False, "kind": "output", "message": str(err)}
    except MemoryError:
        return {"ok": False, "kind": "memory", "message": "out of memory"}
    except RecursionError:
        return {"ok": False, "kind": "failed", "message": "The document is nested too deeply for this query"}
    return {"ok": True, "results": outcome.results, "paths": outcome.paths,
            "truncated": outcome.truncated, "notes": outcome.notes}


if __name__ == "__main__":
    # Run as a file (python -I adds no directory to sys.path): import the toolbox this file belongs
    # to, the parent's own, whatever else the environment would find first.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main(sys.argv[1:]))
