"""Strict-but-explaining base64url (RFC 4648 §5, unpadded as RFC 7515 requires)."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

_ALPHABET = re.compile(r"[A-Za-z0-9_-]*")
_ANY_BASE64 = re.compile(r"[A-Za-z0-9_\-+/]*")


@dataclass(frozen=True)
class B64Result:
    """Decoded bytes (None when impossible), the error in words, and canonical-form notes."""

    data: bytes | None
    error: str | None
    noncanonical: tuple[str, ...]


def encode(data: bytes) -> str:
    """base64url without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def decode(text: str, offset: int = 0) -> B64Result:
    """Decode `text`; positions in messages are 1-based characters of the whole token (offset)."""
    notes: list[str] = []
    body = text
    if "=" in body:
        stripped = body.rstrip("=")
        if "=" in stripped:
            pos = stripped.index("=")
            return B64Result(None, f"bad base64url at char {offset + pos + 1}: '=' inside the data", ())
        notes.append("uses '=' padding, which JWS forbids")
        body = stripped
    if not _ALPHABET.fullmatch(body):
        if _ANY_BASE64.fullmatch(body):
            notes.append("uses the standard base64 alphabet ('+' or '/') instead of base64url")
            body = body.replace("+", "-").replace("/", "_")
        else:
            pos = next(i for i, ch in enumerate(body) if not re.fullmatch(r"[A-Za-z0-9_\-+/]", ch))
            shown = ascii(body[pos])  # quoted, unprintables escaped once (repr of an escape doubled it)
            return B64Result(None, f"bad base64url at char {offset + pos + 1}: {shown}", ())
    if len(body) % 4 == 1:
        return B64Result(
            None,
            f"bad base64url length {len(body)} (a multiple of 4 plus 1 is impossible; "
            "the part is probably truncated)",
            tuple(notes),
        )
    try:
        data = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError) as err:  # pragma: no cover - guarded by the checks above
        return B64Result(None, f"bad base64url: {err}", tuple(notes))
    if encode(data) != body:
        notes.append("has non-zero trailing bits (another encoder would produce different text)")
    return B64Result(data, None, tuple(notes))
