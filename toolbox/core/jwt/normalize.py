"""Tolerant token input: whitespace, quotes, `Bearer ` and `Authorization:` are peeled off."""

from __future__ import annotations

import re

MAX_TOKEN_CHARS = 256 * 1024

_HEADER_NAME = re.compile(r"^\s*authorization\s*:\s*", re.I)
_SCHEME = re.compile(r"^(bearer|jwt|token)\s+", re.I)
_QUOTES = ("\"", "'", "`")


class TokenTooLong(ValueError):
    """The pasted text is longer than any token we are willing to look at."""


def normalize(text: str) -> tuple[str, tuple[str, ...]]:
    """Return the bare token and notes saying what was removed from around it."""
    if len(text) > MAX_TOKEN_CHARS:
        raise TokenTooLong(f"the input is {len(text)} characters; the limit is {MAX_TOKEN_CHARS}")
    notes: list[str] = []
    token = text.strip()
    for _ in range(3):  # quotes around a header line around a token, in any order
        before = token
        if _HEADER_NAME.match(token):
            token = _HEADER_NAME.sub("", token, count=1)
            notes.append("removed an 'Authorization:' header name")
        if _SCHEME.match(token):
            scheme = _SCHEME.match(token).group(1)  # type: ignore[union-attr]
            token = _SCHEME.sub("", token, count=1)
            notes.append(f"removed a '{scheme} ' prefix")
        if len(token) >= 2 and token[0] == token[-1] and token[0] in _QUOTES:
            token = token[1:-1].strip()
            notes.append("removed surrounding quotes")
        token = token.strip().rstrip(",;")
        if token == before:
            break
    if re.search(r"\s", token):
        token = re.sub(r"\s+", "", token)
        notes.append("removed whitespace and line breaks inside the token")
    return token, tuple(notes)
