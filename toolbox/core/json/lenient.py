"""Lenient input (opt-in): JSON5/JSONC repaired to strict JSON, each repair said in words.

pyjson5 (a maintained, conformant JSON5 parser in Cython) is the authority on what is accepted:
it reads the text first and its error, located, is what the user sees. We do not keep its values,
though: it turns numbers into floats. A small JSON5 lexer rewrites the text token by token instead,
so a number that is already JSON is copied exactly, hex and '+1'/'.5'/'5.' forms are converted
exactly, and only NaN/Infinity, which strict JSON cannot hold, are refused. Then the strict
formatter runs on the repaired text, so warnings (duplicate keys) and stats come from it.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter

import msgspec
import pyjson5

from toolbox.core.json import scan as s
from toolbox.core.json.locate import line_cols
from toolbox.core.json.model import FormatOptions, FormatResult, JsonWarning

MAX_REPAIRS_LISTED = 200

# JSON5 whitespace: JSON's, plus \v \f, no-break space, the Zs spaces, line/paragraph separators, BOM.
_WS = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_TOKEN = re.compile(r"""
    (?P<ws>[WS]+)
  | (?P<line_comment>//[^\n\r\u2028\u2029]*)
  | (?P<block_comment>/\*.*?\*/)
  | (?P<punct>[{}\[\]:,])
  | (?P<string>"(?:[^"\\]|\\(?:\r\n|.))*"|'(?:[^'\\]|\\(?:\r\n|.))*')
  | (?P<number>[+-]?(?:Infinity|NaN|0[xX][0-9a-fA-F]+|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?))
  | (?P<word>[A-Za-z_$\u0080-\U0010ffff][0-9A-Za-z_$\u0080-\U0010ffff]*)
""".replace("WS", _WS), re.X | re.S)
_JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?\Z")
_JSON_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"\Z', re.S)
_ESCAPE = re.compile(r"\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|(\r\n|[\n\r\u2028\u2029])|(.))", re.S)
_SIMPLE = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "0": "\0"}
_NEAR = re.compile(r"near (\d+)")
MAX_HEX_DIGITS = 3500  # 16^3500 has 4215 decimal digits, under sys.get_int_max_str_digits() (4300)


def format_lenient(text: str, options: FormatOptions) -> FormatResult:
    """format_json for JSON5/JSONC input: strict JSON out, FormatResult.repairs saying what changed."""
    from toolbox.core.json.format import format_strict

    data = s.encode_utf8(text)
    strict_options = dataclasses.replace(options, lenient=False)
    try:
        msgspec.json.format(data, indent=-1)
    except (msgspec.DecodeError, RecursionError):
        pass
    else:  # already strict JSON: nothing to repair, and no need to lex it in Python
        return format_strict(text, strict_options)
    _check_json5(text, options.max_depth)
    strict, repairs = to_strict(text)
    result = format_strict(strict, strict_options, bytes_in=len(data))
    if not repairs:
        return result
    note = JsonWarning("lenient-repair", f"The input was not strict JSON: {_summary(repairs)}. Positions in "
                                         "other warnings refer to the repaired text.")
    listed = [f"{what} at line {line}, column {col}" for what, line, col in repairs[:MAX_REPAIRS_LISTED]]
    if len(repairs) > MAX_REPAIRS_LISTED:
        listed.append(f"… and {len(repairs) - MAX_REPAIRS_LISTED} more")
    return dataclasses.replace(result, warnings=(note, *result.warnings), repairs=tuple(listed))


def _check_json5(text: str, max_depth: int) -> None:
    """Raise the located error pyjson5 finds; numbers beyond double range are not errors."""
    try:
        pyjson5.decode(text, maxdepth=max_depth)
        return
    except pyjson5.Json5Exception as err:
        if "NumericLiteral" not in str(err.args[:1]):
            raise _located(text, err, max_depth) from None
        first = err
    except RecursionError:
        raise s.too_deep(text, 0, max_depth) from None
    # pyjson5 reads numbers as doubles and refuses 1e400; we copy literals, so let it check the
    # rest with every number masked as 0 (padded: positions in its errors stay right).
    masked = []
    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() != pos:
            raise _located(text, first, max_depth) from None
        tok = m.group()
        masked.append("0".ljust(len(tok)) if m.lastgroup == "number" and "Infinity" not in tok
                      and "NaN" not in tok else tok)
        pos = m.end()
    if pos != len(text):
        raise _located(text, first, max_depth) from None
    try:
        pyjson5.decode("".join(masked), maxdepth=max_depth)
    except pyjson5.Json5Exception as err:
        raise _located(text, err, max_depth, masked=True) from None
    except RecursionError:
        raise s.too_deep(text, 0, max_depth) from None


_KINDS = {"removed a comment": "comments removed", "removed a trailing comma": "trailing commas removed",
          "quoted the key": "keys quoted", "converted a single-quoted": "single-quoted strings converted",
          "rewrote a string": "string escapes rewritten", "wrote the": "numbers rewritten",
          "replaced whitespace": "non-JSON whitespace replaced"}


def _summary(repairs: list[tuple[str, int, int]]) -> str:
    kinds = Counter(next((kind for start, kind in _KINDS.items() if what.startswith(start)), what)
                    for what, _line, _col in repairs)
    return ", ".join(f"{kind}: {n}" for kind, n in kinds.most_common())


def _located(text: str, err: pyjson5.Json5Exception, max_depth: int, masked: bool = False) -> Exception:
    message = str(err.args[0]) if err.args else str(err)
    if masked:  # the character it names may be a masked number: keep only the position
        message = message.split(", found")[0]
    m = _NEAR.search(message)
    index = max(0, int(m.group(1)) - 1) if m else len(text)
    if "nesting level" in message:
        return s.too_deep(text, min(index, len(text) - 1), max_depth)
    return s.syntax_error(text, index, f"Not valid JSON5 either: {message}")


def to_strict(text: str) -> tuple[str, list[tuple[str, int, int]]]:
    """The text rewritten token by token as strict JSON, and the repairs (what, line, column)."""
    out: list[str] = []
    notes: list[tuple[int, str]] = []  # (index in text, what)
    pos, n = 0, len(text)
    pending_comma: int | None = None  # a comma waits until we know it is not a trailing one
    expect_key = False
    stack: list[str] = []
    while pos < n:
        m = _TOKEN.match(text, pos)
        if m is None:  # pyjson5 accepted it, so this lexer is missing a case: say so, do not guess
            raise s.syntax_error(text, pos, "Unsupported JSON5 construct (please report it)")
        kind, tok, start, pos = m.lastgroup, m.group(), pos, m.end()
        if kind == "ws":
            plain = tok.strip(" \t\n\r") == ""
            out.append(tok if plain else re.sub(r"[^ \t\n\r]", " ", tok))
            if not plain:
                notes.append((start, "replaced whitespace that JSON does not allow"))
            continue
        if kind in ("line_comment", "block_comment"):
            out.append(re.sub(r"[^\n]", " ", tok))  # keep line breaks: later lines keep their numbers
            notes.append((start, "removed a comment"))
            continue
        if pending_comma is not None:
            if tok in ("]", "}"):
                notes.append((pending_comma, "removed a trailing comma"))
            else:
                out.append(",")
            pending_comma = None
        if kind == "punct":
            if tok == ",":
                pending_comma = start
                expect_key = bool(stack) and stack[-1] == "{"
                continue
            if tok in "{[":
                stack.append(tok)
                expect_key = tok == "{"
            elif tok in "}]":
                stack.pop()
            else:  # ':'
                expect_key = False
            out.append(tok)
        elif kind == "string":
            out.append(_string(tok, start, notes))
        elif kind == "number" and not (expect_key and tok in ("Infinity", "NaN")):  # those are names there
            out.append(_number(text, tok, start, notes))
        elif expect_key:
            out.append(json.dumps(tok, ensure_ascii=False))
            notes.append((start, f"quoted the key {tok[:40]}"))
        elif tok in ("true", "false", "null"):
            out.append(tok)
        else:
            raise s.syntax_error(text, start, f"Unexpected word '{tok[:40]}'")
    if pending_comma is not None:
        out.append(",")
    return "".join(out), _placed(text, notes)


def _placed(text: str, notes: list[tuple[int, str]]) -> list[tuple[str, int, int]]:
    """Repairs with line and column (document order), located in one pass over the text."""
    places = line_cols(text, (index for index, _ in notes))
    return [(what, *places[index]) for index, what in sorted(notes)]


def _string(tok: str, start: int, notes: list[tuple[int, str]]) -> str:
    if _JSON_STRING.match(tok):
        return tok
    body = tok[1:-1]

    def unescape(m: re.Match[str]) -> str:
        hex2, hex4, newline, other = m.groups()
        if hex2 is not None:
            return chr(int(hex2, 16))
        if hex4 is not None:
            return chr(int(hex4, 16))
        if newline is not None:
            return ""  # a line continuation joins the lines
        return _SIMPLE.get(other, other)

    value = _ESCAPE.sub(unescape, body)
    # Pairs written as two \u escapes became two surrogate code points: join them back into one.
    value = value.encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass")
    what = "converted a single-quoted string" if tok[0] == "'" else "rewrote a string's escapes for JSON"
    notes.append((start, what))
    return json.dumps(value, ensure_ascii=False)


def _number(text: str, tok: str, start: int, notes: list[tuple[int, str]]) -> str:
    if _JSON_NUMBER.match(tok):
        return tok
    body = tok.lstrip("+-")
    sign = "-" if tok.startswith("-") else ""
    if body in ("Infinity", "NaN"):
        raise s.syntax_error(text, start, f"{tok} has no strict JSON form: write it as null or as a string")
    if body[:2] in ("0x", "0X"):
        if len(body) > MAX_HEX_DIGITS + 2:  # its decimal form would pass Python's int->str limit
            raise s.syntax_error(text, start, f"The hex number {tok[:20]}… is too long to write in decimal")
        value = sign + str(int(body, 16))
        notes.append((start, f"wrote the hex number {tok} as {value}"))
        return value
    mantissa, _e, exponent = body.replace("E", "e").partition("e")
    whole, dot, frac = mantissa.partition(".")
    fixed = sign + (whole or "0") + ("." + (frac or "0") if dot else "") + ("e" + exponent if _e else "")
    notes.append((start, f"wrote the number {tok} as {fixed}"))
    return fixed
