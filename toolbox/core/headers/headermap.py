"""Header lookup with Node.js's duplicate-header rules, as the Observatory (axios) sees them."""

from __future__ import annotations

from collections.abc import Iterable

# Node's http parser keeps only the first of these when a response repeats them.
_FIRST_WINS = frozenset(
    {
        "content-type", "content-length", "user-agent", "referer", "host", "authorization",
        "proxy-authorization", "if-modified-since", "if-unmodified-since", "from", "location",
        "max-forwards", "retry-after", "etag", "last-modified", "server", "age", "expires",
    }
)  # fmt: skip


class HeaderMap:
    """Case-insensitive view of (name, value) pairs merged like Node's IncomingMessage."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Merge duplicates: set-cookie kept apart, singletons first-wins, others joined by ', '."""
        self._values: dict[str, list[str]] = {}
        for raw_name, raw_value in pairs:
            # HTTP trims only SP/HTAB around values (str.strip would also eat e.g. U+00A0).
            name, value = raw_name.strip().lower(), raw_value.strip(" \t")
            seen = self._values.get(name)
            if seen is None:
                self._values[name] = [value]
            elif name == "set-cookie":
                seen.append(value)
            elif name in _FIRST_WINS:
                continue
            else:
                seen[0] = seen[0] + ("; " if name == "cookie" else ", ") + value

    def all(self, name: str) -> list[str]:
        """Every value for the header (several only for Set-Cookie)."""
        return list(self._values.get(name.lower(), []))

    def first(self, name: str) -> str | None:
        """The (merged) value of the header, or None when absent."""
        values = self._values.get(name.lower())
        return values[0] if values else None

    def has(self, name: str) -> bool:
        """Whether the header is present at all."""
        return name.lower() in self._values
