"""Document statistics at C speed, read off the pretty-printed text by counting byte patterns.

Why this works: in pretty-printed JSON every value starts its own line, each container closes on
its own line, and no string can hold a raw line break. So whatever stands between a line's last
'"' and its line break is structure, never string content: a line ending in '{' opens a non-empty
object, one ending in '}' closes an object or holds '{}', one ending in '"' holds a string value,
and so on. A single bytes.translate keeps only the bytes those rules look at; a few bytes.count
calls on the much shorter result give every count, without touching a Python object per token.
"""

from __future__ import annotations

import gc
import re
from array import array
from collections import Counter
from itertools import accumulate
from typing import Any

import msgspec

from toolbox.core.json import scan as s
from toolbox.core.json.model import Stats

# Keep the bytes the rules need; 'u' (true, null) becomes 'l' so every literal ends in 'l'.
_KEEP = b'"\n{}[]:l'
_MAP = bytes.maketrans(b"u", b"l")
_DROP = bytes(b for b in range(256) if b not in _KEEP and b != ord("u"))
_BACKSLASHES_QUOTE = re.compile(rb'\\+"')
_RUN = re.compile(rb"\\+")
_CONTAINERS = frozenset((dict, list))
# tree_shape() counts values through the collector's view of containers: a dict with str keys shows
# its values only, a list its items, scalars (msgspec.Raw too) nothing. Checked once; if an
# interpreter ever differs, format_json falls back to the exact (slower) duplicate finder.
TREE_SHAPE_OK = (sorted(map(repr, gc.get_referents({"a": 1, "b": [2]}, [3, "x"]))) == ["'x'", "1", "3", "[2]"]
                 and gc.get_referents(msgspec.Raw(b"1.5")) == [])


def escaped_quotes(data: bytes) -> int:
    """How many '"' inside strings are escaped (\\"), honouring escaped backslashes (\\\\")."""
    find = data.find
    pos = find(b"\\")
    seen = 0
    total = 0
    while pos >= 0:  # visit each run of backslashes (memchr-fast); typical texts have few
        seen += 1
        if seen > 4096:
            return _escaped_quotes_by_count(data)
        end = _RUN.match(data, pos).end()  # type: ignore[union-attr]  # data[pos] is a backslash
        if (end - pos) % 2 == 1 and data[end:end + 1] == b'"':
            total += 1
        pos = find(b"\\", end)
    return total


def _escaped_quotes_by_count(data: bytes) -> int:
    """escaped_quotes for backslash-heavy texts: alternating sum over runs of 1, 2, 3... backslashes."""
    total, sign, run = 0, 1, b'\\"'
    while len(run) <= 9:
        found = data.count(run)
        if not found:
            return total
        total += sign * found
        sign, run = -sign, b"\\" + run
    return sum(len(r) % 2 == 0 for r in _BACKSLASHES_QUOTE.findall(data))  # long runs: exact, slower


def text_counts(data: bytes, pretty: bytes) -> tuple[Stats, int]:
    """Stats (depth 0, bytes_out 0) and the number of values, from the input and its pretty form."""
    reduced = pretty.translate(_MAP, _DROP) + b"\n"
    lines = reduced.count(b"\n")
    open_objects = reduced.count(b"{\n")
    open_arrays = reduced.count(b"[\n")
    objects = reduced.count(b"}\n")  # closers of non-empty objects, plus lines holding {}
    arrays = reduced.count(b"]\n")
    strings = reduced.count(b'"\n')
    literals = reduced.count(b"l\n")
    values = lines - open_objects - open_arrays  # every line starts a value, except closer lines
    numbers = values - strings - literals - objects - arrays
    keys = (reduced.count(b'"') - escaped_quotes(data)) // 2 - strings
    stats = Stats(bytes_in=len(data), bytes_out=0, depth=0, objects=objects, arrays=arrays,
                  strings=strings, numbers=numbers, literals=literals, keys=keys)
    return stats, values


_STRING = re.compile(rb'"[^"]*"')  # after escaped quotes and backslashes are gone: linear
_SCALARS = bytes.maketrans(b"-0123456789tfn", b"0" * 14)
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b"[]{},:-0123456789tfn")
_NUMBER_CHARS = bytes.maketrans(b"-+.0123456789eE", b"N" * 15)
_STEPS = bytes.maketrans(b"[{}],", b"\x01\x01\xff\xff\x00")


def pretty_size(data: bytes, width: int, compact: int) -> int:
    """Bytes of the pretty form of valid JSON `data` (`compact` bytes minified), without building it.

    In the pretty form every `,`, every non-empty container's opening and closing bracket starts a
    new line, indented by the depth right after that byte; so the indentation is the sum of those
    depths. Strings are cut out first (their escaped quotes and backslashes before them), scalars
    become `0`, empty containers become scalars; a running sum (C) then gives every depth.
    """
    reduced = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    reduced = _STRING.sub(b"0", reduced).translate(_SCALARS, _NOT_STRUCTURE)
    colons = reduced.count(b":")  # each gets a space after it
    reduced = reduced.replace(b"[]", b"0").replace(b"{}", b"0").translate(_STEPS, b"0:")
    indentation = sum(accumulate(array("b", reduced)))
    return compact + colons + len(reduced) + width * indentation


def structure_stats(data: bytes) -> tuple[Stats, int]:
    """Stats (depth 0, bytes_out 0) and the number of values of valid JSON `data`, from byte counts.

    For documents whose pretty form would be too large to build (text_counts reads that form):
    strings are cut out as in pretty_size, literals become `L`, number characters `N`; then every
    count is a bytes.count (a number is an `N` right after `[`, `,`, `:` or at the start).
    """
    cleaned = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    strings_total = cleaned.count(b'"') // 2
    rest = _STRING.sub(b"", cleaned)
    literals = rest.count(b"true") + rest.count(b"false") + rest.count(b"null")
    rest = rest.replace(b"true", b"L").replace(b"false", b"L").replace(b"null", b"L")
    rest = rest.translate(_NUMBER_CHARS, b" \t\r\n")
    objects, arrays, keys = rest.count(b"{"), rest.count(b"["), rest.count(b":")
    numbers = rest.count(b"[N") + rest.count(b",N") + rest.count(b":N") + rest.startswith(b"N")
    strings = strings_total - keys
    stats = Stats(bytes_in=len(data), bytes_out=0, depth=0, objects=objects, arrays=arrays, strings=strings,
                  numbers=numbers, literals=literals, keys=keys)
    return stats, strings + numbers + literals + objects + arrays


def tree_shape(root: Any) -> tuple[int, int]:
    """(number of values, nesting depth) of a parsed document, level by level in C (no recursion)."""
    level, values, depth = [root], 1, 0
    while True:
        below = gc.get_referents(*level)
        if not below:
            break
        depth += 1
        values += len(below)
        level = below
    if any(map(_CONTAINERS.__contains__, map(type, level))):  # empty containers on the last level
        depth += 1
    return values, depth


def max_level(pretty: bytes, indent: int) -> int:
    """Deepest indentation level of a pretty text (galloping search; each probe is a C scan)."""
    def has(level: int) -> bool:
        return b"\n" + b" " * (indent * level) in pretty

    lo, hi = 0, 1
    while has(hi):
        lo, hi = hi, hi * 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if has(mid):
            lo = mid
        else:
            hi = mid
    return lo


def token_stats(text: str, max_depth: int, bytes_in: int, bytes_out: int) -> Stats:
    """The same Stats from the reference scanner (slow path; also the tests' oracle)."""
    kinds: Counter[int] = Counter()
    depth = deepest = 0
    for kind, _start, _end in s.scan(text, max_depth):
        kinds[kind] += 1
        if kind == s.OPEN_OBJECT or kind == s.OPEN_ARRAY:
            depth += 1
            deepest = max(deepest, depth)
        elif kind == s.CLOSE_OBJECT or kind == s.CLOSE_ARRAY:
            depth -= 1
    return Stats(bytes_in=bytes_in, bytes_out=bytes_out, depth=deepest, objects=kinds[s.OPEN_OBJECT],
                 arrays=kinds[s.OPEN_ARRAY], strings=kinds[s.STRING], numbers=kinds[s.NUMBER],
                 literals=kinds[s.LITERAL], keys=kinds[s.KEY])
