"""Text that can always be written out: JSON may carry lone surrogates UTF-8 cannot encode."""

from __future__ import annotations

import re

_SURROGATE = re.compile("[\ud800-\udfff]")


def escape_surrogates(text: str) -> str:
    r"""Replace each lone surrogate with its JSON escape (`\ud800`), so encoding never fails."""
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
