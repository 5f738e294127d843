"""Data for a collapsible tree view (rendered server-side with <details>): keys, kinds, previews.

Built lazily with msgspec: each container we show is read as a list/dict of msgspec.Raw slices, so
what lies below the node budget is skipped in C and never becomes Python objects, and scalars are
shown as their exact literal text (numbers are never rounded). An object that repeats a key shows
the last value, the way most parsers read it; format_json's warnings list the repeats.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

import msgspec

from toolbox.core.json import parse
from toolbox.core.json.locate import pointer_token
from toolbox.core.json.model import DEFAULT_MAX_DEPTH

Kind = Literal["object", "array", "string", "number", "boolean", "null"]
PREVIEW_CHARS = 80
DEFAULT_MAX_NODES = 1000
DEFAULT_TREE_DEPTH = 64  # deeper containers are shown closed, with their count: pages stay usable

_OBJECT = msgspec.json.Decoder(dict[str, msgspec.Raw])
_ARRAY = msgspec.json.Decoder(list[msgspec.Raw])


@dataclass(frozen=True)
class TreeNode:
    """One value of the document as the tree view shows it."""

    key: str | int | None  # member name, array index, or None for the root
    kind: Kind
    preview: str  # scalars: JSON text, clipped; containers: "{3 keys}" / "[5 items]"
    pointer: str  # RFC 6901 JSON Pointer ("" is the root)
    depth: int  # 0 for the root
    count: int = 0  # containers: how many members/items it has (all of them)
    children: tuple[TreeNode, ...] = ()  # those shown; fewer than count when cut
    cut: bool = False  # children were left out (node budget or depth budget)


@dataclass(frozen=True)
class JsonTree:
    """A tree view of a document: the root, how many nodes are shown, and whether it was cut."""

    root: TreeNode
    nodes: int
    truncated: bool  # some container shows fewer children than it has
    max_nodes: int


@dataclass(frozen=True)
class TreeRow:
    """A flat rendering step, so templates need no recursion: open/close a container or a leaf."""

    event: Literal["open", "close", "leaf"]
    node: TreeNode


def tree_nodes(text: str, max_nodes: int = DEFAULT_MAX_NODES, max_depth: int = DEFAULT_MAX_DEPTH,
               tree_depth: int = DEFAULT_TREE_DEPTH) -> JsonTree:
    """The document as a tree of at most max_nodes nodes (document order); raises like format_json."""
    data = parse.check(text, max_depth)  # the one strict reader's errors and depth check
    budget = [max(1, max_nodes) - 1]
    truncated = [False]
    root = _node(None, data, "", 0, budget, truncated, tree_depth)
    return JsonTree(root, max(1, max_nodes) - budget[0], truncated[0], max_nodes)


def _preview_scalar(raw: bytes) -> tuple[Kind, str]:
    c = raw[:1]
    if c == b'"':
        value = json.loads(raw)
        shown = json.dumps(value[:PREVIEW_CHARS], ensure_ascii=False)
        return "string", shown if len(value) <= PREVIEW_CHARS else shown[:-1] + '…"'
    if c in (b"t", b"f"):
        return "boolean", raw.decode()
    if c == b"n":
        return "null", "null"
    literal = raw.decode()
    return "number", literal if len(literal) <= PREVIEW_CHARS else literal[:PREVIEW_CHARS] + "…"


@dataclass
class _Building:
    """A container whose children are being built (mutable while the walk is inside it)."""

    key: str | int | None
    kind: Kind
    preview: str
    pointer: str
    depth: int
    count: int
    pending: Iterator[tuple[str | int, bytes]]
    built: list[TreeNode] = field(default_factory=list)
    cut: bool = False

    def done(self) -> TreeNode:
        cut = self.cut or len(self.built) < self.count
        return TreeNode(self.key, self.kind, self.preview, self.pointer, self.depth, self.count,
                        tuple(self.built), cut)


def _node(key: str | int | None, raw: bytes, pointer: str, depth: int, budget: list[int],
          truncated: list[bool], tree_depth: int) -> TreeNode:
    """Build a node and, budget allowing, its descendants in document order (no recursion)."""
    stack: list[_Building] = []
    current: tuple[str | int | None, bytes, str, int] | None = (key, raw, pointer, depth)
    while True:
        if current is not None:
            opened = _open(*current)
            current = None
            if isinstance(opened, TreeNode):
                if not stack:
                    return opened
                stack[-1].built.append(opened)
            else:
                if opened.depth >= tree_depth and opened.count:
                    opened.cut = True
                    opened.pending = iter(())
                stack.append(opened)
        top = stack[-1]
        nxt = next(top.pending, None) if budget[0] > 0 else None
        if nxt is None:
            stack.pop()
            node = top.done()
            truncated[0] = truncated[0] or node.cut
            if not stack:
                return node
            stack[-1].built.append(node)
            continue
        budget[0] -= 1
        child_key, child_raw = nxt
        token = pointer_token(child_key) if isinstance(child_key, str) else str(child_key)
        current = (child_key, child_raw, f"{top.pointer}/{token}", top.depth + 1)


def _open(key: str | int | None, raw: bytes, pointer: str, depth: int) -> TreeNode | _Building:
    """A scalar's finished node, or a container ready to build (its children read by msgspec)."""
    raw = raw.strip(b" \t\r\n")
    c = raw[:1]
    if c != b"{" and c != b"[":
        scalar_kind, scalar = _preview_scalar(raw)
        return TreeNode(key, scalar_kind, scalar, pointer, depth)
    kind: Kind = "object" if c == b"{" else "array"
    try:
        if kind == "object":
            members = _OBJECT.decode(raw)
            count = len(members)
            pending: Iterator[tuple[str | int, bytes]] = ((k, bytes(v)) for k, v in members.items())
            preview = f"{{{count:,} key{'s' if count != 1 else ''}}}"
        else:
            items = _ARRAY.decode(raw)
            count = len(items)
            pending = ((i, bytes(v)) for i, v in enumerate(items))
            preview = f"[{count:,} item{'s' if count != 1 else ''}]"
    except RecursionError:  # nested deeper than the C reader goes: shown closed, count unknown
        closed = "{…}" if kind == "object" else "[…]"
        return _Building(key, kind, closed, pointer, depth, 0, iter(()), cut=True)
    return _Building(key, kind, preview, pointer, depth, count, pending)


def rows(tree: JsonTree) -> Iterator[TreeRow]:
    """The tree as open/leaf/close steps in document order (render <details> without recursion)."""
    stack: list[tuple[TreeNode, Iterator[TreeNode]]] = []
    node: TreeNode | None = tree.root
    while True:
        if node is not None:
            if node.kind in ("object", "array"):
                yield TreeRow("open", node)
                stack.append((node, iter(node.children)))
            else:
                yield TreeRow("leaf", node)
        if not stack:
            return
        parent, children = stack[-1]
        node = next(children, None)
        if node is None:
            stack.pop()
            yield TreeRow("close", parent)
