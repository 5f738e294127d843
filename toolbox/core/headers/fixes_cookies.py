"""Which cookies need which attributes (Secure, HttpOnly, SameSite), for the fixes and their wording.

Secure goes on every cookie of an HTTPS site (and on SameSite=None ones anywhere: browsers refuse
them without it); HttpOnly only on session-looking cookies (findings_cookies.is_session_like:
CSRF cookies stay readable by script on purpose); SameSite=Lax on cookies without a valid
SameSite (an invalid value is replaced: the Observatory fails any cookie line that carries one,
even next to a valid one).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from toolbox.core.headers.findings_cookies import is_session_like, parse_set_cookie

# Cookie names that can be written literally into every config syntax we emit (and a regex).
_PLAIN_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
FLAGS = ("Secure", "HttpOnly", "SameSite=Lax")


@dataclass(frozen=True)
class CookieRepair:
    """One cookie and the attributes it lacks (a subset of FLAGS, in that order)."""

    name: str
    flags: tuple[str, ...]
    same_site_invalid: bool = False  # it has a SameSite value browsers ignore: replace, not append

    @property
    def plain(self) -> bool:
        """Whether the name is safe to write into a config file as it is."""
        return bool(_PLAIN_NAME.match(self.name))


def cookie_repairs(set_cookies: Iterable[str], https: bool) -> tuple[CookieRepair, ...]:
    """The cookies that lack Secure, HttpOnly or SameSite, first occurrence of each name kept."""
    out: dict[str, CookieRepair] = {}
    for line in set_cookies:
        cookie = parse_set_cookie(line)
        if not cookie.name or cookie.name in out:
            continue
        attrs = cookie.attributes
        same_site = attrs.get("samesite", "").lower()
        flags = []
        if "secure" not in attrs and (https or same_site == "none"):
            flags.append("Secure")
        if "httponly" not in attrs and is_session_like(cookie.name):
            flags.append("HttpOnly")
        if same_site not in ("strict", "lax", "none"):
            flags.append("SameSite=Lax")
        if flags:
            invalid = "samesite" in attrs and "SameSite=Lax" in flags
            out[cookie.name] = CookieRepair(cookie.name, tuple(flags), invalid)
    return tuple(out.values())


def needed_flags(repairs: Iterable[CookieRepair]) -> tuple[str, ...]:
    """Every flag some cookie lacks, in FLAGS order."""
    wanted = {flag for repair in repairs for flag in repair.flags}
    return tuple(flag for flag in FLAGS if flag in wanted)
