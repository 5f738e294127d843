"""Semantic JSON diff: every difference by JSON Pointer, and an RFC 6902 patch from `a` to `b`.

Values are what read() gives (the strict reader, numbers exact: int or Decimal), so numbers compare by
value: 1, 1.0 and 1E0 are equal and not reported; true is never 1. Key order is ignored. Equality
is decided once per node by interning (an explicit stack, never recursion), so documents nested
to the parser's depth limit diff without RecursionError, in time linear in their size plus the
array alignment (difflib on interned ids).

Paths: `removed` names the place in `a`, `added` and `changed` the place in `b`, `moved` both
(`from` in `a`, `path` in `b`). The patch applies in order: within an array, removals (highest
index first), then moves, then additions, then the changes inside elements, each at the index the
array has at that moment. Ignored paths are neither reported nor patched (the patch keeps `a`'s
value there).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any, Literal

from toolbox.core.json.locate import line_cols, locate_paths, parse_pointer, pointer_token
from toolbox.core.json.model import DEFAULT_MAX_DEPTH
from toolbox.core.json.parse import EXACT
from toolbox.core.json.parse import read as read_json

DiffOp = Literal["added", "removed", "changed", "moved"]
MAX_MOVES = 1_000  # per array: beyond this, the rest are removed + added (each move costs O(length))
MOVE_BUDGET = 20_000_000  # moves × array length, per array: a shuffled huge array stays fast
MAX_IGNORE = 100
_INDEX = re.compile(r"0|[1-9][0-9]*")  # an array index token (ASCII digits only)


def read(text: str, max_depth: int = DEFAULT_MAX_DEPTH) -> Any:
    """A strict JSON text as the diff compares it: numbers exact (JsonSyntaxError / JsonTooDeep)."""
    return read_json(text, max_depth, EXACT)


@dataclass(frozen=True)
class Difference:
    """One difference: `path` in `b` (in `a` for removed), `from_` for moved (in `a`)."""

    op: DiffOp
    path: str
    from_: str | None = None
    before: Any = None  # the value in a (removed, changed)
    after: Any = None  # the value in b (added, changed)
    a_path: str | None = None  # changed: where the value is in a (array indexes may differ from b's)


@dataclass(frozen=True)
class DiffResult:
    """The differences in document order and the RFC 6902 patch (a list of operation objects)."""

    equal: bool
    differences: tuple[Difference, ...]
    patch: tuple[dict[str, Any], ...]


_TRUE, _FALSE, _NULL = ("true",), ("false",), ("null",)  # never equal to a number (True == 1 in Python)


class _Interner:
    """Equal JSON values get equal keys (numbers by value, key order ignored).

    A scalar's key is itself (str, int, Decimal: int and Decimal compare and hash by value), or a
    1-tuple for true, false and null; a container's key is a 1-tuple of an int, interned once.
    """

    def __init__(self) -> None:
        self.table: dict[Any, tuple[int]] = {}
        self.memo: dict[int, tuple[int]] = {}  # id(container) -> its key; containers outlive the diff

    def of(self, root: Any) -> Any:
        """The key of `root`; containers are interned children first, with an explicit stack."""
        kind = type(root)
        if kind is not dict and kind is not list:
            return _TRUE if root is True else _FALSE if root is False else _NULL if root is None else root
        memo = self.memo
        found = memo.get(id(root))
        if found is not None:
            return found
        order: list[Any] = []
        stack = [root]
        while stack:  # pre-order: every container before its children
            node = stack.pop()
            order.append(node)
            for child in (node.values() if type(node) is dict else node):
                if (type(child) is dict or type(child) is list) and id(child) not in memo:
                    stack.append(child)
        table = self.table
        for node in reversed(order):  # so children before their container
            ids = [memo[id(c)] if type(c) is dict or type(c) is list else
                   _TRUE if c is True else _FALSE if c is False else _NULL if c is None else c
                   for c in (node.values() if type(node) is dict else node)]
            key: Any = (frozenset(zip(node.keys(), ids, strict=True)) if type(node) is dict
                        else ("a", tuple(ids)))
            interned = table.get(key)
            if interned is None:
                interned = table[key] = (len(table),)
            memo[id(node)] = interned
        return memo[id(root)]


def _join(prefix: str, token: str | int) -> str:
    return f"{prefix}/{pointer_token(token) if isinstance(token, str) else token}"


class _Ignore:
    """Ignored JSON Pointers; a token `*` matches any one member name or array index."""

    def __init__(self, pointers: tuple[str, ...]) -> None:
        self.patterns = [parse_pointer(p) for p in pointers]

    def __call__(self, path: str) -> bool:
        if not self.patterns:
            return False
        tokens = parse_pointer(path)
        return any(len(p) == len(tokens) and all(x in ("*", t) for x, t in zip(p, tokens, strict=True))
                   for p in self.patterns)


def _lis(seq: list[int]) -> set[int]:
    """Positions of one longest increasing subsequence of `seq` (patience sorting, O(n log n))."""
    import bisect

    tails: list[int] = []
    tail_pos: list[int] = []
    back = [-1] * len(seq)
    for i, x in enumerate(seq):
        k = bisect.bisect_left(tails, x)
        if k == len(tails):
            tails.append(x)
            tail_pos.append(i)
        else:
            tails[k] = x
            tail_pos[k] = i
        back[i] = tail_pos[k - 1] if k else -1
    keep: set[int] = set()
    i = tail_pos[-1] if tail_pos else -1
    while i >= 0:
        keep.add(i)
        i = back[i]
    return keep


def _key_pairs(a: list[Any], b: list[Any], key: str) -> list[tuple[int, int]] | None:
    """Pairs (i, j) of elements with the same `key` member, or None if the arrays cannot be keyed."""
    def index(items: list[Any]) -> dict[Any, int] | None:
        found: dict[Any, int] = {}
        for i, item in enumerate(items):
            if not isinstance(item, dict) or key not in item or isinstance(item[key], dict | list):
                return None
            value = item[key]
            token = ("l", value) if value is None or isinstance(value, bool) else (type(value) is str, value)
            if token in found:
                return None  # the key is not unique: align by value instead
            found[token] = i
        return found

    ia, ib = index(a), index(b)
    if ia is None or ib is None or not (a and b):
        return None
    return [(ia[k], j) for k, j in ib.items() if k in ia]


Pairs = list[tuple[int, int]]


def _value_pairs(a_ids: list[Any], b_ids: list[Any], max_moves: int) -> tuple[Pairs, Pairs]:
    """Aligned pairs (equal or changed in place) and moved pairs (equal values elsewhere)."""
    pairs: list[tuple[int, int]] = []
    dels: list[int] = []
    ins: list[int] = []
    blocks: list[tuple[list[int], list[int]]] = []
    # The common head and tail first (cheap); difflib aligns the middle (autojunk bounds its time on
    # long arrays of repeated values: those pair up in place instead).
    head = 0
    while head < min(len(a_ids), len(b_ids)) and a_ids[head] == b_ids[head]:
        head += 1
    tail = 0
    while tail < min(len(a_ids), len(b_ids)) - head and a_ids[-1 - tail] == b_ids[-1 - tail]:
        tail += 1
    pairs.extend((k, k) for k in range(head))
    pairs.extend((len(a_ids) - 1 - k, len(b_ids) - 1 - k) for k in range(tail))
    matcher = difflib.SequenceMatcher(None, a_ids[head:len(a_ids) - tail], b_ids[head:len(b_ids) - tail])
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        i1, i2, j1, j2 = i1 + head, i2 + head, j1 + head, j2 + head
        if tag == "equal":
            pairs.extend(zip(range(i1, i2), range(j1, j2), strict=True))
        else:
            blocks.append((list(range(i1, i2)), list(range(j1, j2))))
            dels.extend(range(i1, i2))
            ins.extend(range(j1, j2))
    # Moves: a removed element equal to an added one.
    waiting: dict[Any, list[int]] = {}
    for i in reversed(dels):
        waiting.setdefault(a_ids[i], []).append(i)
    moved: list[tuple[int, int]] = []
    used_a: set[int] = set()
    used_b: set[int] = set()
    for j in ins:
        stack = waiting.get(b_ids[j])
        if stack and len(moved) < max_moves:
            i = stack.pop()
            moved.append((i, j))
            used_a.add(i)
            used_b.add(j)
    for block_a, block_b in blocks:  # what is left in a block: changed in place, pairwise
        left_a = [i for i in block_a if i not in used_a]
        left_b = [j for j in block_b if j not in used_b]
        pairs.extend(zip(left_a, left_b, strict=False))
    return pairs, moved


class _Differ:
    def __init__(self, array_key: str | None, ignore: tuple[str, ...]) -> None:
        self.ids = _Interner()
        self.key = array_key
        self.ignored = _Ignore(ignore)
        self.differences: list[Difference] = []
        self.patch: list[dict[str, Any]] = []

    def run(self, a: Any, b: Any) -> None:
        # Frames: (a value, b value, its path in a, in b (= where the patch finds it now)).
        stack: list[tuple[Any, Any, str, str]] = [(a, b, "", "")]
        while stack:
            x, y, pa, pb = stack.pop()
            if self.ignored(pb) or self.ignored(pa) or self.ids.of(x) == self.ids.of(y):
                continue
            children: list[tuple[Any, Any, str, str]] = []
            if isinstance(x, dict) and isinstance(y, dict):
                self._object(x, y, pa, pb, children)
            elif isinstance(x, list) and isinstance(y, list):
                self._array(x, y, pa, pb, children)
            else:
                self.differences.append(Difference("changed", pb, before=x, after=y, a_path=pa))
                self.patch.append({"op": "replace", "path": pb, "value": y})
            stack.extend(reversed(children))

    def _object(self, x: dict[str, Any], y: dict[str, Any], pa: str, pb: str,
                children: list[tuple[Any, Any, str, str]]) -> None:
        for k, v in x.items():
            if k in y:
                children.append((v, y[k], _join(pa, k), _join(pb, k)))
            elif not self.ignored(_join(pa, k)):
                self.differences.append(Difference("removed", _join(pa, k), before=v))
                self.patch.append({"op": "remove", "path": _join(pb, k)})
        for k, v in y.items():
            if k not in x and not self.ignored(_join(pb, k)):
                self.differences.append(Difference("added", _join(pb, k), after=v))
                self.patch.append({"op": "add", "path": _join(pb, k), "value": v})

    def _array(self, x: list[Any], y: list[Any], pa: str, pb: str,
               children: list[tuple[Any, Any, str, str]]) -> None:
        max_moves = min(MAX_MOVES, MOVE_BUDGET // (len(x) + len(y)))
        keyed = _key_pairs(x, y, self.key) if self.key is not None else None
        if keyed is not None and len(keyed) - len(_lis([i for i, _ in keyed])) <= max_moves:
            matched = keyed
        else:
            a_ids, b_ids = [self.ids.of(v) for v in x], [self.ids.of(v) for v in y]
            aligned, moved = _value_pairs(a_ids, b_ids, max_moves)
            matched = aligned + moved
        matched.sort(key=lambda p: p[1])
        skeleton = _lis([i for i, _ in matched])
        stays = {matched[k][0] for k in skeleton}
        a_used = {i for i, _ in matched}
        b_used = {j for _, j in matched}
        # 1. Removals, highest index first: the index of each is still its index in a. (An ignored
        # pointer never hides an element's removal or addition: the indexes after it depend on it.)
        for i in range(len(x) - 1, -1, -1):
            if i not in a_used:
                self.differences.append(Difference("removed", _join(pa, i), before=x[i]))
                self.patch.append({"op": "remove", "path": _join(pb, i)})
        cur = [i for i in range(len(x)) if i in a_used]
        # 2. Moves: each moved element goes right after its predecessor in b's order.
        placed_after: int | None = None
        for i, j in matched:
            if i not in stays:
                k = cur.index(i)
                p = cur.index(placed_after) if placed_after is not None else -1
                dest = p + 1 if k > p else p
                if dest != k:
                    self.differences.append(Difference("moved", _join(pb, j), from_=_join(pa, i)))
                    self.patch.append({"op": "move", "from": _join(pb, k), "path": _join(pb, dest)})
                    cur.insert(dest, cur.pop(k))
            placed_after = i
        # 3. Additions at their index in b, lowest first.
        for j, value in enumerate(y):
            if j not in b_used:
                self.differences.append(Difference("added", _join(pb, j), after=value))
                self.patch.append({"op": "add", "path": _join(pb, j), "value": value})
        for i, j in matched:
            children.append((x[i], y[j], _join(pa, i), _join(pb, j)))


def diff(a: Any, b: Any, *, array_key: str | None = None, ignore: tuple[str, ...] = ()) -> DiffResult:
    """Every difference from `a` to `b` (parsed JSON, numbers exact) and an RFC 6902 patch."""
    differ = _Differ(array_key, ignore)
    differ.run(a, b)
    return DiffResult(not differ.differences, tuple(differ.differences), tuple(differ.patch))


def pointer_lines(text: str, value: Any, pointers: list[str]) -> dict[str, int]:
    """The line where each pointer's value starts in `text` (parsed as `value`); missing ones are left out."""
    paths: dict[str, tuple[str | int, ...]] = {}
    for pointer in pointers:
        node = value
        parts: list[str | int] = []
        for token in parse_pointer(pointer):
            if isinstance(node, list) and _INDEX.fullmatch(token) and int(token) < len(node):
                parts.append(int(token))
                node = node[int(token)]
            elif isinstance(node, dict) and token in node:
                parts.append(token)
                node = node[token]
            else:
                break
        else:
            paths[pointer] = tuple(parts)
    found = locate_paths(text, paths.values())
    offsets = {p: found.get(path, 0) if path else 0 for p, path in paths.items()}
    places = line_cols(text, offsets.values())
    return {p: places[offset][0] for p, offset in offsets.items()}


Marks = dict[int, list[str]]


def marked_lines(a_text: str, b_text: str, *, array_key: str | None = None, ignore: tuple[str, ...] = (),
                 max_depth: int = DEFAULT_MAX_DEPTH, limit: int = 500) -> tuple[Marks, Marks]:
    """For a side-by-side view of two (small, valid) texts: per line of each, what differs there.

    The first `limit` differences are marked, each at the line where its value starts.
    """
    a, b = read(a_text, max_depth), read(b_text, max_depth)
    result = diff(a, b, array_key=array_key, ignore=ignore)
    a_side: list[tuple[str, str]] = []
    b_side: list[tuple[str, str]] = []
    for d in result.differences[:limit]:
        if d.op == "removed":
            a_side.append((d.path, "removed"))
        elif d.op == "added":
            b_side.append((d.path, "added"))
        elif d.op == "changed":
            a_side.append((d.a_path if d.a_path is not None else d.path, "changed"))
            b_side.append((d.path, "changed"))
        else:
            a_side.append((d.from_ or "", f"moved to {d.path or '/'}"))
            b_side.append((d.path, f"moved from {d.from_ or '/'}"))
    marks: list[Marks] = []
    for text, value, side in ((a_text, a, a_side), (b_text, b, b_side)):
        lines = pointer_lines(text, value, [p for p, _ in side])
        found: Marks = {}
        for pointer, label in side:
            if pointer in lines:
                found.setdefault(lines[pointer], []).append(
                    label if label.startswith("moved") else f"{label} {pointer or '/'}")
        marks.append(found)
    return marks[0], marks[1]
