"""Duplicate keys of an already validated document, with line:column and JSON Pointer.

Runs only when the fast check (stats.py line counts against a parsed copy) says some object has a
duplicate key, so it may be slower than C, but not by much: one regex walks strings, brackets and
commas of the valid text, and Python looks only at those tokens.
"""

from __future__ import annotations

import json
import re

from toolbox.core.json.model import JsonWarning

MAX_WARNINGS = 200  # a hostile document may repeat a key a million times; say how many, list a few

# For a text already known to be valid JSON: a string (group 1; group 2 is the ':' after a key),
# an opening bracket (3), a closing one (4) or a comma (5). m.lastindex tells them apart cheaply.
_TOKENS = re.compile(r'("(?:[^"\\]++|\\.)*+")(?:[ \t\n\r]*+(:))?|([\[{])|([\]}])|(,)', re.S)


def pointer_token(key: str) -> str:
    """A key as an RFC 6901 JSON Pointer reference token."""
    return key.replace("~", "~0").replace("/", "~1")


def find_duplicates(text: str) -> tuple[tuple[JsonWarning, ...], int]:
    """A 'duplicate-key' warning per repeated key (document order) of a valid text, and its depth."""
    warnings: list[JsonWarning] = []
    extra = 0
    # One frame per open container: its keys so far (objects; None for arrays), its element index
    # (arrays: commas seen), and how it is named in its parent (a pointer token).
    keys_stack: list[dict[str, int] | None] = []
    index_stack: list[int] = []
    path: list[str] = []
    name = ""  # the pointer token of the value that comes next (last key seen)
    depth = 0
    line, counted, line_start = 1, 0, 0
    for m in _TOKENS.finditer(text):
        kind = m.lastindex
        if kind == 1:
            continue  # a string value: nothing to track
        if kind == 5:
            index_stack[-1] += 1
            continue
        if kind == 2:
            raw = m.group(1)
            key = json.loads(raw) if "\\" in raw else raw[1:-1]
            keys = keys_stack[-1]
            assert keys is not None
            first = keys.get(key)
            if first is None:
                keys[key] = m.start()
            elif len(warnings) < MAX_WARNINGS:
                start = m.start()
                line += text.count("\n", counted, start)
                newline = text.rfind("\n", counted, start)  # only the new stretch: one-line texts stay linear
                line_start = newline + 1 if newline >= 0 else line_start
                counted = start
                pointer = "".join("/" + p for p in path[1:]) + "/" + pointer_token(key)
                first_line = line - text.count("\n", first, start)
                warnings.append(JsonWarning(
                    "duplicate-key",
                    f"Duplicate key {raw[:80]} (first at line {first_line}); most parsers keep only the last "
                    "value, some the first: the data means different things to different readers",
                    line, start - line_start + 1, pointer))
            else:
                extra += 1
            name = pointer_token(key)
        elif kind == 3:
            if keys_stack and keys_stack[-1] is None:
                name = str(index_stack[-1])
            path.append(name)
            keys_stack.append({} if m.group(3) == "{" else None)
            index_stack.append(0)
            depth = max(depth, len(keys_stack))
        else:
            keys_stack.pop()
            index_stack.pop()
            path.pop()
    if extra:
        warnings.append(JsonWarning("duplicate-key", f"… and {extra} more duplicate keys not listed"))
    return tuple(warnings), depth
