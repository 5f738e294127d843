"""Duplicate keys of an already validated document: where each repeat is, its JSON Pointer, and
whether the object holding it survives parsing. The one finder, for the formatter's warnings and
the JWT audit.

The formatter runs it only when the fast check (stats.py line counts against a parsed copy) says
some object has a duplicate key, so it may be slower than C, but not by much: one regex walks
strings, brackets and commas of the valid text, and Python looks only at those tokens.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from toolbox.core.json.locate import line_cols, pointer_token
from toolbox.core.json.model import JsonWarning

MAX_WARNINGS = 200  # a hostile document may repeat a key a million times; say how many, list a few

# For a text already known to be valid JSON: a string (group 1; group 2 is the ':' after a key),
# an opening bracket (3), a closing one (4) or a comma (5). m.lastindex tells them apart cheaply.
_TOKENS = re.compile(r'("(?:[^"\\]++|\\.)*+")(?:[ \t\n\r]*+(:))?|([\[{])|([\]}])|(,)', re.S)


@dataclass(frozen=True)
class Duplicate:
    """One repeat of a key within one object."""

    key: str  # decoded
    raw: str  # as written, quotes included
    index: int  # character offset of the repeat
    first: int  # character offset of the key's first occurrence in the same object
    parent: str  # JSON Pointer of the object ("" for the top level)
    first_repeat: bool  # the key's second occurrence in that object (a third one repeats it again)
    replaced: bool  # the object is not in the parsed value: a later repeat of a key on its path replaced it

    @property
    def pointer(self) -> str:
        """JSON Pointer of the repeated member."""
        return f"{self.parent}/{pointer_token(self.key)}"


# A member as its object holds it: (the object's keys -> [first, last, count], the key, its offset).
_Member = tuple[dict[str, list[int]], str, int]


def duplicates(text: str, limit: int = MAX_WARNINGS) -> tuple[list[Duplicate], int, int]:
    """The first `limit` repeated keys of a valid text (document order), how many more, and its depth."""
    found: list[tuple[str, str, int, int, str, bool, tuple[_Member, ...]]] = []
    extra = 0
    # One frame per open container: its keys so far (objects; None for arrays), its element index
    # (arrays: commas seen), how it is named in its parent (a pointer token) and held (objects' members).
    keys_stack: list[dict[str, list[int]] | None] = []
    index_stack: list[int] = []
    path: list[str] = []
    held: list[_Member | None] = []
    name = ""  # the pointer token of the value that comes next (last key seen)
    member: _Member | None = None  # and how its object holds it
    depth = 0
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
            assert keys is not None  # nosec B101  # a key is only ever inside an object: narrows the type
            start = m.start()
            seen = keys.get(key)
            if seen is None:
                keys[key] = [start, start, 1]
            else:
                seen[1] = start
                seen[2] += 1
                if len(found) < limit:
                    chain = tuple(h for h in held if h is not None)
                    found.append((key, raw, start, seen[0], "".join("/" + p for p in path[1:]), seen[2] == 2,
                                  chain))
                else:
                    extra += 1
            name = pointer_token(key)
            member = (keys, key, start)
        elif kind == 3:
            if keys_stack and keys_stack[-1] is None:
                name = str(index_stack[-1])
                member = None
            path.append(name)
            held.append(member)
            keys_stack.append({} if m.group(3) == "{" else None)
            index_stack.append(0)
            depth = max(depth, len(keys_stack))
        else:
            keys_stack.pop()
            index_stack.pop()
            path.pop()
            held.pop()
    # Only now are all repeats known: an object is replaced if a key on its path was repeated later.
    result = [Duplicate(key, raw, start, first, parent, first_repeat,
                        any(keys[k][1] != at for keys, k, at in chain))
              for key, raw, start, first, parent, first_repeat, chain in found]
    return result, extra, depth


def find_duplicates(text: str) -> tuple[tuple[JsonWarning, ...], int]:
    """A 'duplicate-key' warning per repeated key (document order) of a valid text, and its depth."""
    found, extra, depth = duplicates(text)
    places = line_cols(text, [i for d in found for i in (d.index, d.first)])
    warnings = [JsonWarning(
        "duplicate-key",
        f"Duplicate key {d.raw[:80]} (first at line {places[d.first][0]}); most parsers keep only the last "
        "value, some the first: the data means different things to different readers",
        *places[d.index], d.pointer) for d in found]
    if extra:
        warnings.append(JsonWarning("duplicate-key", f"… and {extra} more duplicate keys not listed"))
    return tuple(warnings), depth
