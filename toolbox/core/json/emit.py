"""The slow path formatter: pretty-print, minify and sort keys from the reference scanner's tokens.

Used when the C engines cannot help: nesting deeper than their recursion guard (up to the
configured max_depth, which may be large), and sorting an object that has duplicate keys (a dict
would drop them). Numbers and strings are copied exactly as written; nothing here recurses.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from toolbox.core.json import scan as s


class _Object:
    __slots__ = ("members",)

    def __init__(self) -> None:
        self.members: list[tuple[str, str, Node]] = []  # (decoded key, key as written, value)


class _Array:
    __slots__ = ("items",)

    def __init__(self) -> None:
        self.items: list[Node] = []


Node = _Object | _Array | str  # a str is a scalar exactly as written


def build(text: str, max_depth: int) -> Node:
    """The document as a tree of _Object/_Array/literal text, without recursion."""
    stack: list[_Object | _Array] = []
    key: tuple[str, str] = ("", "")
    root: Node = ""
    for kind, start, end in s.scan(text, max_depth):
        node: Node
        if kind == s.KEY:
            raw = text[start:end]
            key = (json.loads(raw), raw)
            continue
        if kind == s.CLOSE_OBJECT or kind == s.CLOSE_ARRAY:
            stack.pop()
            continue
        if kind == s.OPEN_OBJECT:
            node = _Object()
        elif kind == s.OPEN_ARRAY:
            node = _Array()
        else:
            node = text[start:end]
        if not stack:
            root = node
        else:
            parent = stack[-1]
            if isinstance(parent, _Object):
                parent.members.append((key[0], key[1], node))
            else:
                parent.items.append(node)
        if not isinstance(node, str):
            stack.append(node)
    return root


def _children(node: _Object | _Array, sort_keys: bool) -> Iterator[tuple[str | None, Node]]:
    if isinstance(node, _Array):
        return ((None, item) for item in node.items)
    members = sorted(node.members, key=lambda m: m[0]) if sort_keys else node.members  # stable
    return ((raw, value) for _key, raw, value in members)


def emit(root: Node, indent: str | None, sort_keys: bool) -> str:
    """Text of the tree: `indent` per level ("  ", "\\t", ...) or None for minified output."""
    if isinstance(root, str):
        return root
    out: list[str] = []
    colon = ": " if indent is not None else ":"
    newline = "\n" if indent is not None else ""
    pads = [""]

    def pad(depth: int) -> str:
        while len(pads) <= depth:
            pads.append(pads[-1] + (indent or ""))
        return newline + pads[depth]

    stack: list[tuple[Iterator[tuple[str | None, Node]], str, bool]] = []
    current: Node = root
    while True:
        if not isinstance(current, str):
            closer = "}" if isinstance(current, _Object) else "]"
            if not (current.members if isinstance(current, _Object) else current.items):
                out.append("{}" if closer == "}" else "[]")
            else:
                out.append("{" if closer == "}" else "[")
                stack.append((_children(current, sort_keys), closer, True))
        while stack:
            children, closer, first = stack[-1]
            nxt = next(children, None)
            if nxt is None:
                stack.pop()
                out.append(pad(len(stack)) + closer)
                continue
            if not first:
                out.append(",")
            else:
                stack[-1] = (children, closer, False)
            out.append(pad(len(stack)))
            raw_key, value = nxt
            if raw_key is not None:
                out.append(raw_key + colon)
            if isinstance(value, str):
                out.append(value)
                continue
            current = value
            break
        else:
            return "".join(out)
