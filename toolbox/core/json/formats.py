"""YAML 1.2 and TOML as input of the JSON tool: one reader for convert, format, validate and diff.

Everything becomes the exact model of parse.py (dicts, lists, str, int, Decimal, bool, None), so
numbers stay as written in value: YAML `1.10`, `1e400` and 30-digit integers, TOML floats
(`parse_float=Decimal`).

YAML is read from ruamel.yaml's event stream (its pure-Python parser: no Python object is ever
constructed from a tag), and the model is built here, without recursion, by YAML 1.2's core
schema (spec §10.3.2): plain `null`/`~`/empty, `true`/`false`, decimal, `0o` and `0x` integers and
floats resolve; everything else is a string (timestamps, `yes`/`no`, `010` read as 10, …). Tags
outside the core schema (`!!binary`, `!!set`, `!!python/object`, `!custom`) are located 422s.
Aliases share the anchored value; the size the document would have with every alias expanded
(nodes, depth, and bytes of JSON) is counted as events arrive, so "billion laughs" stops at the
formatter's output budget after a few hundred events, and an alias inside its own anchor
(`&a [*a]`) is an error. Repeated keys are errors (YAML 1.2 forbids them), with both lines.
Scalar keys that are not strings become strings, with a note; collections as keys are errors.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from toolbox.core.json.errors import encode_utf8, location, syntax_error
from toolbox.core.json.locate import line_col, pointer
from toolbox.core.json.model import (
    DEFAULT_MAX_DEPTH,
    OUTPUT_FACTOR,
    OUTPUT_FLOOR,
    JsonSyntaxError,
    JsonTooDeep,
    OutputTooLarge,
    SchemaError,
    ValidationResult,
)

Format = Literal["json", "yaml", "toml"]
FORMAT_NAMES: dict[str, str] = {"json": "JSON", "yaml": "YAML", "toml": "TOML"}
MAX_NOTED = 5  # places listed per note; the rest are counted
# The pure-Python YAML parser takes ~20-30 µs per node (the 5 MB benchmark document has 639,000), and
# its scanner slows down with every level of flow collections ([…] and {…}) open: bounds on both.
MAX_YAML_NODES = 1_000_000
MAX_FLOW_DEPTH = 64

_CORE = "tag:yaml.org,2002:"
_NULL = re.compile(r"(?:null|Null|NULL|~|)\Z")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_INF_NAN = re.compile(r"[-+]?\.(?:inf|Inf|INF)\Z|\.(?:nan|NaN|NAN)\Z")
_LEADING_ZERO = re.compile(r"[-+]?0[0-9]")
_COMMENT = re.compile(r"(?m)(?:^|[ \t])#")
COMMENTS_DROPPED = "Comments are not carried over (they are not data)."


class FormatSyntaxError(JsonSyntaxError):
    """A located error in a YAML or TOML text (`fmt` names the format for titles: "YAML", "TOML")."""

    def __init__(self, err: JsonSyntaxError, fmt: str) -> None:
        super().__init__(err.message, err.line, err.column, err.offset, err.snippet, err.caret)
        self.fmt = fmt


class ExpansionTooLarge(OutputTooLarge):
    """Aliases would expand the document beyond the output budget (a "billion laughs")."""


class YamlTooLarge(OutputTooLarge):
    """More YAML nodes than the reader handles in reasonable time (MAX_YAML_NODES)."""


class UnlocatedError(ValueError):
    """A value with no JSON form that the reader cannot place by line (TOML gives no positions)."""

    def __init__(self, message: str, pointer: str) -> None:
        super().__init__(message)
        self.message = message
        self.pointer = pointer


@dataclass
class Marks:
    """Where each value of a loaded YAML document starts (character offsets), to locate by JSON Pointer.

    Members point at their key, elements at their value; an alias's target keeps the marks of
    the place it was written (anchored), since that is the text a person edits.
    """

    text: str
    root: int = 0
    children: dict[int, dict[str, int] | list[int]] = field(default_factory=dict)

    def offset(self, value: Any, path: str) -> int | None:
        """The character offset of the value at JSON Pointer `path` under `value` (the root), if known."""
        from toolbox.core.json.locate import parse_pointer

        at = self.root
        for token in parse_pointer(path):
            held = self.children.get(id(value))
            try:
                if isinstance(value, dict) and isinstance(held, dict):
                    at, value = held[token], value[token]
                elif isinstance(value, list) and isinstance(held, list):
                    index = int(token) if re.fullmatch(r"0|[1-9][0-9]*", token) else -1
                    at, value = held[index], value[index]
                else:
                    return None
            except (KeyError, IndexError, ValueError):
                return None
        return at

    def line_col(self, value: Any, path: str) -> tuple[int, int] | None:
        """1-based line and column of the value at `path`, if known."""
        at = self.offset(value, path)
        return None if at is None else line_col(self.text, at)


@dataclass(frozen=True)
class Loaded:
    """A document read into the exact model, what changed on the way (notes), and where values are."""

    value: Any
    notes: tuple[str, ...] = ()
    marks: Marks | None = None  # YAML with locate=True only


def budget(text: str, max_output: int = OUTPUT_FLOOR) -> int:
    """The output budget for a text: the formatter's (bytes)."""
    return max(max_output, OUTPUT_FACTOR * len(text.encode("utf-8", "surrogatepass")))


Documents = Literal["one", "all"]


def load(text: str, fmt: Format, *, max_depth: int = DEFAULT_MAX_DEPTH, documents: Documents = "one",
         locate: bool = False, max_output: int = OUTPUT_FLOOR) -> Loaded:
    """Read `text` as `fmt` into the exact model.

    `documents="all"` reads every document of a YAML stream (more than one: a JSON array, with a
    note); "one" makes a second document an error. Raises JsonSyntaxError (located;
    FormatSyntaxError for YAML and TOML), JsonTooDeep, ExpansionTooLarge, UnlocatedError.
    """
    if fmt == "yaml":
        return _YamlReader(text, max_depth, budget(text, max_output), documents, locate).read()
    if fmt == "toml":
        return load_toml(text, max_depth)
    return load_json(text, max_depth)


def load_json(text: str, max_depth: int = DEFAULT_MAX_DEPTH) -> Loaded:
    """Strict JSON (numbers exact); repeated keys keep their last value, noted as lossy."""
    from toolbox.core.json.dups import find_duplicates
    from toolbox.core.json.parse import parse_strict

    value = parse_strict(text, max_depth)
    notes: list[str] = []
    if '"' in text and _may_repeat_keys(text, value):
        warnings, _depth = find_duplicates(text)
        dups = [w for w in warnings if w.line is not None]
        if dups:
            places = ", ".join(f"{_clip(w.pointer or '')} (line {w.line})" for w in dups[:MAX_NOTED])
            more = f" and {len(warnings) - MAX_NOTED:,} more" if len(warnings) > MAX_NOTED else ""
            notes.append(f"Repeated keys kept their last value only: {places}{more}")
    return Loaded(value, tuple(notes))


def _clip(text: str, width: int = 80) -> str:
    return text if len(text) <= width else text[:width] + "…"


def _may_repeat_keys(text: str, value: Any) -> bool:
    """Whether some object of a valid text repeats a key: its parsed copy holds fewer values (C speed;
    the formatter's check, format.py). True when unsure."""
    import msgspec

    from toolbox.core.json import stats

    if not stats.TREE_SHAPE_OK:
        return True
    data = text.encode("utf-8")
    try:
        pretty = msgspec.json.format(data, indent=1)
    except (RecursionError, msgspec.DecodeError):
        return True
    return stats.text_counts(data, pretty)[1] != stats.tree_shape(value)[0]


# ---------------------------------------------------------------------------------------------- YAML


class _Frame:
    __slots__ = ("anchor", "container", "flow", "height", "key", "key_at", "keys", "marks", "start",
                 "total_at")

    def __init__(self, container: dict[str, Any] | list[Any], start: int, anchor: str | None, total_at: int,
                 marks: dict[str, int] | list[int] | None) -> None:
        self.container = container
        self.start = start  # character offset of the node
        self.anchor = anchor
        self.total_at = total_at  # expanded bytes counted before this node (its size is the difference)
        self.height = 1  # levels of nesting inside it, itself included, aliases expanded
        self.key: str | None = None  # mappings: the key waiting for its value
        self.key_at = 0
        self.keys: dict[str, tuple[int, str]] = {}  # mappings: key -> (offset, as written)
        self.marks = marks
        self.flow = False  # written in flow style ([…], {…})


@dataclass
class _Anchor:
    value: Any
    size: int  # bytes of JSON the value is, aliases expanded
    height: int  # 0 for a scalar
    done: bool  # False while its own node is still open (an alias to it would be recursive)
    is_scalar: bool
    written: str  # how a scalar is written (for keys)


class _YamlReader:
    """Builds the model from ruamel.yaml's events (see the module docstring); one instance per text."""

    def __init__(self, text: str, max_depth: int, budget: int, documents: str, locate: bool) -> None:
        self.text = text
        self.max_depth = max_depth
        self.budget = budget
        self.documents = documents
        self.marks = Marks(text) if locate else None
        self.total = 0  # expanded size so far, in bytes of minified JSON (an estimate from above)
        self.notes: dict[str, list[str]] = {}
        self.counts: dict[str, int] = {}
        self.anchors: dict[str, _Anchor] = {}

    def fail(self, index: int, message: str) -> FormatSyntaxError:
        return FormatSyntaxError(syntax_error(self.text, index, message), "YAML")

    def note(self, kind: str, place: str) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        places = self.notes.setdefault(kind, [])
        if len(places) < MAX_NOTED:
            places.append(place)

    def line(self, index: int) -> int:
        return line_col(self.text, index)[0]

    def events(self) -> Iterator[Any]:
        from ruamel.yaml import YAML
        from ruamel.yaml.error import MarkedYAMLError, YAMLError
        from ruamel.yaml.reader import ReaderError

        encode_utf8(self.text)  # a lone surrogate is a located error first
        parser = YAML(typ="safe", pure=True)
        try:
            yield from parser.parse(self.text)
        except ReaderError as err:
            name = f"U+{err.character:04X}" if isinstance(err.character, int) else repr(err.character)
            raise self.fail(err.position, f"The character {name} is not allowed in YAML") from None
        except MarkedYAMLError as err:
            mark = err.problem_mark or err.context_mark
            words = str(err.problem or err.context or "Invalid YAML")
            if err.context and err.problem:
                where = f" (line {err.context_mark.line + 1})" if err.context_mark is not None else ""
                words = f"{words}, {err.context}{where}"
            at = mark.index if mark is not None else len(self.text)
            raise self.fail(at, words[:1].upper() + words[1:]) from None
        except YAMLError as err:  # not expected from the parser: still a 4xx with its words
            raise self.fail(len(self.text), f"Invalid YAML: {str(err)[:200]}") from None
        except RecursionError:  # not expected (the parser is a state machine): never a 500
            raise JsonTooDeep("Nested too deeply for the YAML reader", self.max_depth) from None

    def read(self) -> Loaded:
        """The model of the text (see load)."""
        docs: list[Any] = []
        stack: list[_Frame] = []
        root: list[Any] = []
        flow_depth = 0
        for count, event in enumerate(self.events()):
            kind = type(event).__name__
            index = event.start_mark.index
            if count > MAX_YAML_NODES:
                raise YamlTooLarge(f"More than {MAX_YAML_NODES:,} YAML nodes (at line {self.line(index)}): "
                                   "the YAML reader is slow (pure Python); JSON input reads any size up to "
                                   "the body limit", count, MAX_YAML_NODES)
            if kind == "DocumentStartEvent":
                if event.version is not None and tuple(event.version) != (1, 2):
                    declared = ".".join(map(str, event.version))
                    self.note("version", f"%YAML {declared} (line {self.line(index)})")
                if (docs or root) and self.documents == "one":
                    raise self.fail(index, "A second YAML document starts here: format, validate and diff "
                                           "read one document (convert reads a stream as an array)")
                continue
            if kind == "DocumentEndEvent":
                docs.extend(root)
                root.clear()
                self.anchors.clear()  # anchors do not cross documents
                continue
            if kind in ("StreamStartEvent", "StreamEndEvent"):
                continue
            if kind == "MappingEndEvent" or kind == "SequenceEndEvent":
                frame = stack.pop()
                flow_depth -= frame.flow
                self._close(frame, stack, root)
                continue
            if kind == "AliasEvent":
                self._alias(event, index, stack, root)
                continue
            top = stack[-1] if stack else None
            if top is not None and isinstance(top.container, dict) and top.key is None:
                self._key(event, kind, index, top)
                continue
            if kind == "ScalarEvent":
                value, size = self._scalar(event, index)
                if event.anchor:
                    self.anchors[event.anchor] = _Anchor(value, size, 0, True, True, event.value)
                self._grow(size, index)
                self._add(value, index, stack, root)
                continue
            # MappingStartEvent, SequenceStartEvent
            mapping = kind == "MappingStartEvent"
            self._check_tag(event.tag, index, "map" if mapping else "seq")
            depth = len(stack) + 1
            if depth > self.max_depth:
                raise JsonTooDeep(f"Mappings and sequences nested deeper than {self.max_depth} levels at "
                                  f"line {self.line(index)}", self.max_depth, *location(self.text, index))
            container: dict[str, Any] | list[Any] = {} if mapping else []
            marks: dict[str, int] | list[int] | None = None
            if self.marks is not None:
                marks = {} if mapping else []
                self.marks.children[id(container)] = marks
            self._add(container, index, stack, root)
            frame = _Frame(container, index, event.anchor, self.total, marks)
            if event.flow_style:
                frame.flow = True
                flow_depth += 1
                if flow_depth > MAX_FLOW_DEPTH:
                    raise self.fail(index, f"Flow collections ([…], {{…}}) nested deeper than "
                                           f"{MAX_FLOW_DEPTH} levels: the YAML reader slows down with each "
                                           "(block style reads deeper, JSON input up to the depth limit)")
            if event.anchor:
                self.anchors[event.anchor] = _Anchor(container, 0, 0, False, False, "")
            self._grow(2, index)
            stack.append(frame)
        if not docs:
            raise self.fail(0, "No YAML document: the text is empty or holds only comments")
        notes = self._notes(len(docs))
        if len(docs) > 1:
            return Loaded(docs, notes, self.marks)
        return Loaded(docs[0], notes, self.marks)

    def _grow(self, size: int, index: int) -> None:
        self.total += size
        if self.total > self.budget:
            if self.anchors:
                limit = f"{self.budget / (1 << 20):,.1f} MB"
                raise self.fail(index, f"Alias expansion would exceed the output limit of {limit}: the "
                                       "aliases repeat their anchors' values too many times")
            raise ExpansionTooLarge(
                f"The document would exceed the output limit of {self.budget / (1 << 20):,.1f} MB as JSON",
                self.total, self.budget)

    def _add(self, value: Any, index: int, stack: list[_Frame], root: list[Any]) -> None:
        """Place a value: the root, the next element, or the value of the waiting key."""
        if not stack:
            root.append(value)
            if self.marks is not None:
                self.marks.root = index
            return
        top = stack[-1]
        container = top.container
        if isinstance(container, list):
            if top.marks is not None:
                top.marks.append(index)  # type: ignore[union-attr]
            container.append(value)
            self._grow(1, index)  # the comma
            return
        key = top.key
        assert key is not None  # nosec B101  # a value follows its key: narrows the type
        container[key] = value
        if top.marks is not None:
            top.marks[key] = top.key_at  # type: ignore[call-overload]
        top.key = None
        self._grow(len(key) + 4, index)  # "key": and the comma (escapes aside: an estimate)

    def _close(self, frame: _Frame, stack: list[_Frame], root: list[Any]) -> None:
        if stack:
            stack[-1].height = max(stack[-1].height, frame.height + 1)
        if frame.anchor:
            anchor = self.anchors.get(frame.anchor)
            if anchor is not None and anchor.value is frame.container:
                anchor.size = self.total - frame.total_at
                anchor.height = frame.height
                anchor.done = True

    def _alias(self, event: Any, index: int, stack: list[_Frame], root: list[Any]) -> None:
        anchor = self.anchors.get(event.anchor)
        if anchor is None:
            raise self.fail(index, f"The alias *{event.anchor} names no anchor defined before it")
        if not anchor.done:
            raise self.fail(index, f"The alias *{event.anchor} is inside its own anchor &{event.anchor}: "
                                   "a recursive structure has no JSON form")
        top = stack[-1] if stack else None
        if top is not None and isinstance(top.container, dict) and top.key is None:
            if not anchor.is_scalar:
                raise self.fail(index, f"The alias *{event.anchor} used as a key names a mapping or "
                                       "sequence: JSON keys are strings")
            self._set_key(top, _key_text(anchor.value), index, f"*{event.anchor}")
            return
        depth = len(stack) + anchor.height
        if depth > self.max_depth:
            raise JsonTooDeep(f"The alias *{event.anchor} at line {self.line(index)} nests its value deeper "
                              f"than {self.max_depth} levels", self.max_depth, *location(self.text, index))
        if top is not None:
            top.height = max(top.height, anchor.height + 1)
        self.note("alias", f"*{event.anchor} (line {self.line(index)})")
        self._grow(anchor.size, index)
        self._add(anchor.value, index, stack, root)

    def _key(self, event: Any, kind: str, index: int, top: _Frame) -> None:
        if kind != "ScalarEvent":
            raise self.fail(index, "A mapping or sequence used as a key: JSON keys are strings")
        value, _size = self._scalar(event, index)
        if event.anchor:
            self.anchors[event.anchor] = _Anchor(value, _size, 0, True, True, event.value)
        written: str = event.value
        if not isinstance(value, str):
            self.note("key", f"{written or 'null'} (line {self.line(index)})")
        elif value == "<<" and event.style is None and event.tag is None:
            self.note("merge", f"line {self.line(index)}")
        self._set_key(top, _key_text(value), index, written)

    def _set_key(self, top: _Frame, key: str, index: int, written: str) -> None:
        seen = top.keys.get(key)
        if seen is not None:
            first_at, first_written = seen
            same = first_written == written
            what = f"The key {_quote(written)}" + ("" if same else f" (as JSON, \"{key[:80]}\", like "
                                                                  f"{_quote(first_written)})")
            raise self.fail(index, f"{what} is repeated in this mapping (first at line "
                                   f"{self.line(first_at)}): YAML 1.2 forbids repeated keys")
        top.keys[key] = (index, written)
        top.key = key
        top.key_at = index

    def _check_tag(self, tag: str | None, index: int, kind: str) -> None:
        if tag is None or tag == "!" or tag == _CORE + kind:
            return
        raise self.fail(index, _tag_problem(tag, kind))

    def _scalar(self, event: Any, index: int) -> tuple[Any, int]:
        """A scalar's value by the core schema, and its size in bytes of JSON."""
        text: str = event.value
        tag = event.tag
        if tag is None and event.style is None:
            value = self._resolve(text, index, None)
        elif tag is None or tag == "!" or tag == _CORE + "str":
            value = text
        elif tag.startswith(_CORE) and tag[len(_CORE):] in ("null", "bool", "int", "float"):
            value = self._resolve(text, index, tag[len(_CORE):])
        else:
            raise self.fail(index, _tag_problem(tag, "scalar"))
        if isinstance(value, str):
            return value, len(value) + 2
        return value, len(text) + 4

    def _resolve(self, text: str, index: int, want: str | None) -> Any:
        """A plain scalar (or one tagged !!null, !!bool, !!int, !!float) by YAML 1.2's core schema."""
        if want in (None, "null") and _NULL.match(text):
            return None
        if want in (None, "bool") and text in _BOOL:
            return _BOOL[text]
        if want in (None, "int"):
            if _INT.match(text):
                if _LEADING_ZERO.match(text):
                    self.note("octal", f"{text[:40]} (line {self.line(index)})")
                try:
                    return int(text)
                except ValueError:  # more digits than int() converts: exact all the same
                    return _decimal(text, lambda m: self.fail(index, m))
            if _OCT.match(text):
                return int(text[2:], 8)
            if _HEX.match(text):
                return int(text[2:], 16)
        if want in (None, "float"):
            if _FLOAT.match(text):
                return _decimal(text, lambda m: self.fail(index, m))
            if _INF_NAN.match(text):
                raise self.fail(index, f"{text} has no JSON form (JSON numbers are finite): write it as a "
                                       "string or a large number")
        if want is None:
            return text
        raise self.fail(index, f"The value {text[:40]!r} is not a !!{want} of the YAML 1.2 core schema")

    def _notes(self, documents: int) -> tuple[str, ...]:
        out: list[str] = []
        if documents > 1:
            out.append(f"The YAML stream holds {documents:,} documents: converted to a JSON array of them, "
                       "in order")
        words = {
            "alias": ("Aliases expanded", "Each became a copy of its anchor's value."),
            "key": ("Keys that are not strings became strings", "JSON keys are strings."),
            "merge": ("Merge keys '<<' kept as ordinary keys", "YAML 1.2 has no merge key (YAML 1.1 tools "
                      "would merge the mapping it names into this one)."),
            "version": ("Documents declaring another YAML version read as YAML 1.2", "By its core schema: "
                        "yes, no, on and off are strings, 010 is 10, no timestamps."),
            "octal": ("Integers with a leading zero read as decimal", "YAML 1.2 says so (YAML 1.1 read them "
                      "as octal)."),
        }
        for kind, (label, why) in words.items():
            count = self.counts.get(kind, 0)
            if count:
                places = ", ".join(self.notes[kind])
                more = f" and {count - MAX_NOTED:,} more" if count > MAX_NOTED else ""
                out.append(f"{label}: {places}{more}. {why}")
        if _COMMENT.search(self.text):
            out.append(COMMENTS_DROPPED)
        return tuple(out)


def _decimal(text: str, fail: Any) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:  # an exponent beyond about ±10^18
        raise fail(f"The number {text[:40]} has an exponent too large to hold exactly") from None


def _key_text(value: Any) -> str:
    """A scalar key as a JSON key: strings as they are, others by their canonical JSON text."""
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    return str(value)


def _quote(written: str) -> str:
    return f'"{written[:80]}"'


def _tag_problem(tag: str, kind: str) -> str:
    name = "!!" + tag[len(_CORE):] if tag.startswith(_CORE) else tag
    if tag.startswith(_CORE) and tag[len(_CORE):] in ("str", "null", "bool", "int", "float", "map", "seq"):
        noun = {"map": "mapping", "seq": "sequence"}.get(kind, "scalar")
        return f"The tag {name} does not fit this {noun}"
    return (f"The tag {name[:80]} is not one of the YAML 1.2 core schema's (!!str, !!int, !!float, !!bool, "
            "!!null, !!map, !!seq): it has no JSON form, and no object is ever made from a tag")


# ---------------------------------------------------------------------------------------------- TOML

_TOML_AT = re.compile(r"\(at line (\d+), column (\d+)\)\Z")


def load_toml(text: str, max_depth: int = DEFAULT_MAX_DEPTH) -> Loaded:
    """TOML 1.0 by tomllib (floats as Decimal); dates and times become RFC 3339 strings, with a note."""
    import tomllib

    encode_utf8(text)
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as err:
        message = str(err)
        m = _TOML_AT.search(message)
        index = len(text)
        if m:
            line, column = int(m.group(1)), int(m.group(2))
            index = 0
            for _ in range(line - 1):
                index = text.find("\n", index) + 1 or len(text)
            index += column - 1
        words = _TOML_AT.sub("", message).replace("(at end of document)", "").strip()
        raise FormatSyntaxError(syntax_error(text, index, words), "TOML") from None
    except RecursionError:
        raise JsonTooDeep("Arrays and tables nested too deeply for the TOML reader", max_depth) from None
    value, notes = _toml_model(data, max_depth)
    if _COMMENT.search(text):
        notes += (COMMENTS_DROPPED,)
    return Loaded(value, notes)


def _toml_model(data: dict[str, Any], max_depth: int) -> tuple[Any, tuple[str, ...]]:
    """Dates and times to strings, inf/nan refused, depth checked: iteratively."""
    times: list[str] = []
    count = 0
    stack: list[tuple[Any, list[str | int]]] = [(data, [])]
    while stack:
        node, path = stack.pop()
        if len(path) >= max_depth:
            raise JsonTooDeep(f"Arrays and tables nested deeper than {max_depth} levels at "
                              f"{_clip(pointer(path))}", max_depth)
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, child in items:
            if isinstance(child, (dict, list)):
                stack.append((child, [*path, key]))
            elif isinstance(child, Decimal) and not child.is_finite():
                where = pointer([*path, key])
                word = "nan" if child.is_nan() else "inf"
                raise UnlocatedError(f"The TOML value at {where or '/'} is {word}: it has no JSON form (JSON "
                                     "numbers are finite)", where)
            elif isinstance(child, (datetime.datetime, datetime.date, datetime.time)):
                node[key] = child.isoformat()
                count += 1
                if len(times) < MAX_NOTED:
                    times.append(pointer([*path, key]))
    notes: list[str] = []
    if count:
        more = f" and {count - MAX_NOTED:,} more" if count > MAX_NOTED else ""
        notes.append(f"{count:,} dates and times became RFC 3339 strings (JSON has no date type; a local "
                     f"date-time has no offset): {', '.join(times)}{more}")
    return data, tuple(notes)


# ---------------------------------------------------------------------------------------------- JSON out


def to_json(value: Any) -> bytes:
    """The model as minified JSON, every number exactly (Decimal written as its literal)."""
    import msgspec

    try:
        return msgspec.json.Encoder(decimal_format="number").encode(value)
    except RecursionError:
        return _to_json_iterative(value).encode("utf-8")


def _to_json_iterative(value: Any) -> str:
    import json

    out: list[str] = []
    stack: list[Iterator[tuple[str | None, Any]]] = []
    closers: list[str] = []
    current: Any = value
    while True:
        if isinstance(current, dict):
            out.append("{")
            stack.append(iter(current.items()))
            closers.append("}")
        elif isinstance(current, list):
            out.append("[")
            stack.append((None, v) for v in current)
            closers.append("]")
        else:
            out.append(_scalar_json(current, json.dumps))
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                stack.pop()
                out.append(closers.pop())
                continue
            if out[-1] not in "{[":
                out.append(",")
            key, current = nxt
            if key is not None:
                out.append(json.dumps(key, ensure_ascii=False) + ":")
            break
        else:
            return "".join(out)


def _scalar_json(value: Any, dumps: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, Decimal)):
        return str(value)
    return str(dumps(value, ensure_ascii=False))


# ---------------------------------------------------------------------------------------------- places


def relocate(result: ValidationResult, instance: Loaded | None, schema: Loaded | None) -> ValidationResult:
    """A validation of converted texts with every line and column moved to the YAML as written.

    The validator located its errors in the JSON made from the YAML; each error's JSON Pointer
    finds the value (a member: its key) in the YAML instead. Documents read from JSON (None) or
    TOML (no places: their errors keep no line) are left as they are, and TOML's lines are dropped.
    """
    import dataclasses

    def moved(error: SchemaError, in_schema: bool) -> SchemaError:
        changes: dict[str, Any] = {}
        doc = schema if in_schema else instance
        if doc is not None:
            place = doc.marks.line_col(doc.value, error.instance_path) if doc.marks is not None else None
            changes["line"], changes["column"] = place or (None, None)
        if not in_schema and schema is not None and error.schema_pointer is not None:
            marks = schema.marks
            place = marks.line_col(schema.value, error.schema_pointer) if marks is not None else None
            changes["schema_line"], changes["schema_column"] = place or (None, None)
        return dataclasses.replace(error, **changes) if changes else error

    errors = tuple(moved(e, False) for e in result.errors)
    schema_errors = tuple(moved(e, True) for e in result.schema_errors)
    best = result.best_match
    if best is not None:
        olds = (*result.errors, *result.schema_errors)
        news = (*errors, *schema_errors)
        best = next((new for old, new in zip(olds, news, strict=True) if old is best),
                    moved(best, best not in result.errors and bool(result.schema_errors)))
    return dataclasses.replace(result, errors=errors, schema_errors=schema_errors, best_match=best)
