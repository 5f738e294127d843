"""Places in a JSON text: line, column and byte offset of an index; JSON Pointers; and where
pointers start, found in one pass that skips unrelated subtrees in C. Every reader locates with these."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

Path = tuple[str | int, ...]

_WS = re.compile(r"[ \t\n\r]*")
# The stdlib's C scanner: parses (and so skips) one value at an index, at C speed.
_SCAN: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
_scanstring = json.decoder.scanstring  # type: ignore[attr-defined]


def pointer_token(key: str) -> str:
    """A key as an RFC 6901 JSON Pointer reference token ('~' -> '~0', '/' -> '~1')."""
    return key.replace("~", "~0").replace("/", "~1")


def pointer(path: Iterable[str | int]) -> str:
    """The RFC 6901 JSON Pointer for a sequence of keys and indexes ("" for the root)."""
    return "".join("/" + pointer_token(str(part)) for part in path)


def parse_pointer(text: str) -> tuple[str, ...]:
    """The reference tokens of an RFC 6901 JSON Pointer ("" -> ())."""
    if not text:
        return ()
    return tuple(part.replace("~1", "/").replace("~0", "~") for part in text[1:].split("/"))


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a character offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def byte_offset(text: str, offset: int) -> int:
    """The UTF-8 byte offset of a character offset."""
    return len(text[:offset].encode("utf-8", "surrogatepass"))


def line_cols(text: str, offsets: Iterable[int]) -> dict[int, tuple[int, int]]:
    """1-based line and column for many character offsets, scanning the text once in all."""
    result: dict[int, tuple[int, int]] = {}
    line, pos, line_start = 1, 0, 0
    for off in sorted(set(offsets)):
        newlines = text.count("\n", pos, off)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", pos, off) + 1
        pos = off
        result[off] = (line, off - line_start + 1)
    return result


class _Node:
    """A trie of wanted paths: children by key or index; `wanted` if a path ends here."""

    __slots__ = ("children", "indices", "wanted")

    def __init__(self) -> None:
        self.children: dict[str | int, _Node] = {}
        self.indices: list[int] = []  # the int children, sorted (filled before the walk)
        self.wanted = False


# Runs of N array elements that are scalars or flat containers (no container inside), each
# followed by a comma, are skipped in one C-speed regex match: a flat array of a million numbers
# or small objects costs no Python loop per element. (The text is valid JSON already.)
_STRING = r'"(?:[^"\\]|\\.)*"'
_FLAT = (rf'(?:{_STRING}|-?[0-9][0-9.eE+-]*|true|false|null'
         rf'|\{{(?:[^{{}}\[\]"]|{_STRING})*\}}|\[(?:[^{{}}\[\]"]|{_STRING})*\])')
_RUNS = [(n, re.compile(f"(?:{_FLAT}[ \t\n\r]*,[ \t\n\r]*){{{n}}}")) for n in (256, 16)]


def locate_paths(text: str, paths: Iterable[Sequence[str | int]]) -> dict[Path, int]:
    """Character offsets where each path's value starts (for object members: the key's quote).

    `text` must be valid JSON (it was parsed already). Only containers on a wanted path are
    walked in Python; every other value is skipped by the C scanner (or a regex, for runs of
    scalars). As in the parsed data, a duplicated key resolves to its last occurrence.
    Paths that do not exist are left out.
    """
    root = _Node()
    nodes = [root]
    for path in paths:
        node = root
        for part in path:
            child = node.children.get(part)
            if child is None:
                child = node.children[part] = _Node()
                nodes.append(child)
            node = child
        node.wanted = True
    for node in nodes:
        node.indices = sorted(k for k in node.children if isinstance(k, int))
    found: dict[Path, int] = {}
    start = _WS.match(text, 0).end()  # type: ignore[union-attr]
    if root.wanted:
        found[()] = start
    if root.children and start < len(text) and text[start] in "{[":
        _walk(text, start, root, found)
    return found


class _Frame:
    __slots__ = ("array", "pos", "node", "path", "index", "next")

    def __init__(self, array: bool, pos: int, node: _Node, path: Path) -> None:
        self.array, self.pos, self.node, self.path = array, pos, node, path
        self.index = 0  # arrays: index of the next element
        self.next = 0  # arrays: position in node.indices of the next wanted index


def _walk(text: str, pos: int, root: _Node, found: dict[Path, int]) -> None:
    """Walk the container at `pos` along the trie (iteratively: any depth is fine)."""
    ws = _WS.match
    scan = _SCAN
    stack = [_Frame(text[pos] == "[", pos + 1, root, ())]
    while stack:
        frame = stack[-1]
        node = frame.node
        pos = ws(text, frame.pos).end()  # type: ignore[union-attr]
        char = text[pos]
        if char in "]}":
            stack.pop()
            if stack:
                stack[-1].pos = pos + 1
            continue
        if char == ",":
            pos = ws(text, pos + 1).end()  # type: ignore[union-attr]
        if frame.array:
            wanted = node.indices
            while frame.next < len(wanted) and wanted[frame.next] < frame.index:
                frame.next += 1
            if frame.next == len(wanted) and len(stack) == 1:
                return  # the root array: nothing more to find, and no parent needs its end
            gap = (wanted[frame.next] if frame.next < len(wanted) else len(text)) - frame.index
            for size, run in _RUNS:
                while gap > size:
                    match = run.match(text, pos)
                    if match is None:
                        break
                    pos, frame.index, gap = match.end(), frame.index + size, gap - size
            part: str | int = frame.index
            frame.index += 1
            value_at = mark = pos
        else:
            key, after = _scanstring(text, pos + 1)
            value_at = ws(text, ws(text, after).end() + 1).end()  # type: ignore[union-attr]
            mark, part = pos, key
        child = node.children.get(part)
        if child is None or not child.children:
            if child is not None and child.wanted:
                found[(*frame.path, part)] = mark
            frame.pos = scan(text, value_at)[1]
            continue
        child_path = (*frame.path, part)
        if child.wanted:
            found[child_path] = mark
        if text[value_at] in "{[":
            frame.pos = value_at  # the child frame writes its end back here
            stack.append(_Frame(text[value_at] == "[", value_at + 1, child, child_path))
        else:
            frame.pos = scan(text, value_at)[1]
