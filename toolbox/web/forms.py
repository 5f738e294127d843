"""Form field readers with limits and messages a person understands."""

from __future__ import annotations

import re

from flask import request

_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,12}")


class FormError(ValueError):
    """A form field is missing, too long or of the wrong type; the message names the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field.replace('_', ' ').capitalize()}: {message}.")
        self.field = field


def text_field(name: str, *, default: str = "", max_length: int) -> str:
    """A text field (absent -> default); refuse values longer than `max_length` characters."""
    value = request.form.get(name, default)
    if len(value) > max_length:
        raise FormError(name, f"at most {max_length} characters")
    if "\x00" in value:
        raise FormError(name, "contains a NUL character")
    return value


def int_field(name: str, *, default: int, low: int, high: int) -> int:
    """A whole number within [low, high]; empty means `default`."""
    raw = request.form.get(name, "").strip()
    if not raw:
        return default
    if not _WHOLE_NUMBER.fullmatch(raw):  # ASCII digits only: int() refuses superscripts such as "¹"
        raise FormError(name, "must be a whole number")
    value = int(raw)
    if not low <= value <= high:
        raise FormError(name, f"must be between {low} and {high}")
    return value


def choice_field(name: str, *, choices: tuple[str, ...], default: str) -> str:
    """One of `choices` (absent or empty -> default); anything else is refused, naming the choices."""
    value = request.form.get(name, "") or default
    if value not in choices:
        raise FormError(name, "must be one of " + ", ".join(choices))
    return value
