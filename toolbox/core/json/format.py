"""format_json: strict, exact and fast pretty-printing, minifying and key sorting.

The fast path never turns a number into a float: msgspec.json.format (C) validates the text as
strictly as RFC 8259 asks and re-indents it, copying every string and number token verbatim.
What C does not hand us is counted in its output (stats.py). Duplicate keys: the text is also
parsed into dicts (C), which keep one member per key; the copy holds fewer values than the text
exactly when some object repeats a key, and only then does the slower finder (dups.py) say where.
Sorting re-encodes that copy in C with its float literals kept as written (msgspec.Raw).
Whatever the C engines cannot do exactly (nesting beyond their recursion guard, sorting objects
that repeat a key, an integer written -0) takes the reference path: scanner, tree, emitter.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable

import msgspec

from toolbox.core.json import emit, parse, stats
from toolbox.core.json import scan as s
from toolbox.core.json.dups import find_duplicates
from toolbox.core.json.model import (
    OUTPUT_FACTOR,
    FormatOptions,
    FormatResult,
    JsonWarning,
    OutputTooLarge,
    Stats,
)

_COPY = msgspec.json.Decoder(float_hook=msgspec.Raw)  # float literals kept as written, never rounded
# An integer written -0 (the copy holds int 0, which would print as 0); in a string it only costs speed.
_NEGATIVE_ZERO_INT = re.compile(rb"(?:^|[\[,:\s])-0(?![.eE0-9])")
_NON_ASCII = re.compile("[^\x00-\x7f]+")


def format_json(text: str, options: FormatOptions) -> FormatResult:
    """Format JSON text exactly; raises JsonSyntaxError (located, in words) or JsonTooDeep."""
    if options.lenient:
        from toolbox.core.json.lenient import format_lenient

        return format_lenient(text, options)
    return format_strict(text, options)


def format_strict(text: str, options: FormatOptions, bytes_in: int | None = None) -> FormatResult:
    """format_json for strict input (lenient mode calls it with the repaired text)."""
    data = s.encode_utf8(text)
    # Stats are read off a pretty form in every mode; tabs start from one space per level.
    width = 1 if options.mode == "minify" or options.indent == "tab" else (4 if options.indent == 4 else 2)
    shape, sorted_compact = _parsed_copy(data, options.sort_keys)
    depth_bound = shape[1] if shape is not None else options.max_depth
    if shape is None and parse.fast_format(text, data, -1, options.max_depth) is None:  # syntax first
        return _slow(text, data, options, bytes_in)
    try:
        check_output_budget(data, width, depth_bound, options, None)
    except OutputTooLarge:
        if options.mode != "minify" or shape is None:
            raise
        return _minify_deep(text, data, shape, options, bytes_in)  # the pretty form was only for stats
    pretty = parse.fast_format(text, data, width, options.max_depth)
    if pretty is None:
        return _slow(text, data, options, bytes_in)
    counted, values = stats.text_counts(data, pretty)
    if shape is not None and shape[0] == values:
        warnings: tuple[JsonWarning, ...] = ()
        depth = shape[1]
    else:  # some object repeats a key (the copy lost values), or C could not make a copy
        warnings, depth = find_duplicates(text)
    if depth > options.max_depth:
        raise parse.too_deep_error(text, options.max_depth)
    doc_stats = dataclasses.replace(counted, depth=depth)
    if options.sort_keys:
        if warnings or sorted_compact is None:
            return _slow(text, data, options, bytes_in)
        if options.mode == "minify":
            out = sorted_compact
        else:
            pretty = msgspec.json.format(sorted_compact, indent=width)
    elif options.mode == "minify":
        out = msgspec.json.format(data, indent=-1)
    if options.mode != "minify":
        out = to_tabs(pretty, width, depth) if options.indent == "tab" else pretty
    return _finish(out.decode("utf-8"), len(out), doc_stats, warnings, options, bytes_in)


def _minify_deep(text: str, data: bytes, shape: tuple[int, int], options: FormatOptions,
                 bytes_in: int | None) -> FormatResult:
    """Minify a document whose pretty form would break the budget: stats from byte counts instead."""
    copied, depth = shape
    if depth > options.max_depth:
        raise parse.too_deep_error(text, options.max_depth)
    counted, values = stats.structure_stats(data)
    warnings = find_duplicates(text)[0] if values != copied else ()
    out = msgspec.json.format(data, indent=-1)
    doc_stats = dataclasses.replace(counted, depth=depth)
    return _finish(out.decode("utf-8"), len(out), doc_stats, warnings, options, bytes_in)


def check_output_budget(data: bytes, width: int, depth: int, options: FormatOptions,
                        compact: Callable[[], int] | None) -> None:
    """Raise OutputTooLarge when the pretty form (read for stats in every mode) would break the budget.

    A bound from byte counts (lines ≤ commas + brackets, each indented ≤ depth levels) settles
    ordinary documents in microseconds; only when it does not is the exact size computed (linear).
    `data` must be valid JSON; `compact` gives its minified size (default: msgspec).
    """
    budget = max(options.max_output, OUTPUT_FACTOR * len(data))
    lines = data.count(b",") + data.count(b"[") + data.count(b"{") + 1
    if len(data) + data.count(b":") + lines * (1 + width * depth) <= budget:
        return
    minified = compact() if compact is not None else len(msgspec.json.format(data, indent=-1))
    size = stats.pretty_size(data, width, minified)
    if size > budget:
        raise OutputTooLarge(
            f"The formatted text would be {_mb(size)} (limit {_mb(budget)}): this document nests so deeply "
            "for its size that indentation multiplies it. Minifying keeps it small; for a look inside, "
            "format a part of it.", size, budget)


def _mb(size: int) -> str:
    return f"{size / (1 << 20):,.1f} MB"


def _parsed_copy(data: bytes, sort_keys: bool) -> tuple[tuple[int, int] | None, bytes | None]:
    """(values, depth) of a parsed copy (None: unknown), and the copy re-encoded with sorted keys."""
    with parse.collector_paused():
        try:
            copy = _COPY.decode(data)
        except (msgspec.ValidationError, RecursionError, ValueError):  # integers past Python's limit
            return None, None
        shape = stats.tree_shape(copy) if stats.TREE_SHAPE_OK else None
        compact = None
        if sort_keys and not (b"-0" in data and _NEGATIVE_ZERO_INT.search(data)):
            try:
                compact = msgspec.json.encode(copy, order="sorted")
            except (RecursionError, ValueError, TypeError):
                compact = None
        del copy
    return shape, compact


def _slow(text: str, data: bytes, options: FormatOptions, bytes_in: int | None) -> FormatResult:
    """The reference path: scanner tokens, a tree, and an iterative emitter (deep documents)."""
    tree = emit.build(text, options.max_depth)  # raises the located syntax error or JsonTooDeep
    indent = None if options.mode == "minify" else ("\t" if options.indent == "tab" else " " * options.indent)
    if indent is not None:
        check_output_budget(data, len(indent), options.max_depth, options,
                            lambda: len(emit.emit(tree, None, False).encode("utf-8")))
    warnings, _depth = find_duplicates(text)
    out = emit.emit(tree, indent, options.sort_keys)
    doc_stats = stats.token_stats(text, options.max_depth, len(data), 0)
    return _finish(out, len(out.encode("utf-8")), doc_stats, warnings, options, bytes_in)


def _finish(out: str, bytes_out: int, doc_stats: Stats, warnings: tuple[JsonWarning, ...],
            options: FormatOptions, bytes_in: int | None) -> FormatResult:
    notes = list(warnings)
    if options.sort_keys and any(w.id == "duplicate-key" for w in warnings):
        notes.append(JsonWarning(
            "sort-changes-duplicates",
            "Sorting moved members of objects that repeat a key: the repeats keep their order among "
            "themselves (stable sort), but they now stand next to different members; a reader that keeps "
            "the first or the last of them still gets the same one. The unsorted text is the faithful one."))
    if options.ascii:
        escaped = ascii_escape(out)
        if escaped is not out:
            notes.append(JsonWarning(
                "ascii-escaped", "Non-ASCII characters are written as \\uXXXX escapes: the text changed, "
                                 "the data did not (a JSON parser reads the same strings)"))
            out, bytes_out = escaped, len(escaped)
    final = dataclasses.replace(doc_stats, bytes_out=bytes_out,
                                bytes_in=doc_stats.bytes_in if bytes_in is None else bytes_in)
    return FormatResult(out, final, tuple(notes))


def ascii_escape(text: str) -> str:
    """Non-ASCII characters as JSON \\uXXXX escapes (pairs above U+FFFF); the same object if none."""
    if text.isascii():
        return text
    return _NON_ASCII.sub(lambda m: json.dumps(m.group())[1:-1], text)


def to_tabs(pretty: bytes, width: int, depth: int) -> bytes:
    """Replace each line's leading `width`-space levels by tabs, in O(log depth) C passes.

    Sound because tabs cannot occur raw inside JSON strings and a space right after a line break
    or a tab is always indentation: first every indented line gets one tab, then each pass grows
    every line's run of tabs by a power of two while spaces remain (binary decomposition).
    """
    unit = b" " * width
    out = pretty.replace(b"\n" + unit, b"\n\t")
    step = 1
    while step * 2 <= max(depth - 1, 1):
        step *= 2
    while step >= 1:
        out = out.replace(b"\t" + unit * step, b"\t" * (step + 1))
        step //= 2
    return out
