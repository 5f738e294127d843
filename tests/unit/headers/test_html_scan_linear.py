"""The page scanner runs in linear time on hostile HTML (issue 8: quadratic html.parser).

html.parser rescans to the end of the input for every "<" that does not complete a
construct, so "<a " * n cost 26 s of CPU at 59 KB. Each family below was measured
quadratic (or is a close variant); times are CPU seconds, with generous bounds for a
loaded CI machine: these catch quadratic growth, not milliseconds.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import pytest

from toolbox.core.headers.html_scan import scan_page

CAP = 256 * 1024  # the fetcher's response size cap

# (prefix, unit): the page is prefix + unit * (size // len(unit)).
HOSTILE = [
    ("", "<a "),
    ("", "<a\n"),
    ("", "<x"),
    ("", '<a b="'),
    ("", "<a b='"),
    ("", "<a b="),
    ("", "<!--"),
    ("", "<?"),
    ("", "</"),
    ("", "</a"),
    ("", "<![CDATA["),
    ("<svg>", "<a "),
    ("<template>", "<a "),
    ("<noscript>", "<a "),
    ("<plaintext>", "<a "),
    ("<a ", "b=1 "),
    ("<a ", "</"),
    ("<script>", "</"),
    ("<script><!--", "<script>"),
    ("<title>", "</title"),
    ('<a b="', "&#1"),
    ('<a b="', "&notin"),
    ("", "<svg><foreignObject>"),
]
IDS = [repr(prefix + unit) for prefix, unit in HOSTILE]


class _Deadline(Exception):
    pass


@contextmanager
def cpu_deadline(seconds: float) -> Iterator[None]:
    """Stop the block after `seconds` of CPU time, so a quadratic scan fails fast instead of hanging."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise _Deadline(f"over {seconds} s of CPU")

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def cpu_time(page: str, limit: float = 2.0) -> float:
    """CPU seconds scan_page takes on the page; fails the test past `limit`."""
    started = time.process_time()
    try:
        with cpu_deadline(limit):
            scan_page(page)
    except _Deadline:
        pytest.fail(f"scan_page took over {limit} s of CPU on {len(page)} characters of {page[:20]!r}")
    return time.process_time() - started


def hostile(prefix: str, unit: str, size: int) -> str:
    return prefix + unit * ((size - len(prefix)) // len(unit))


@pytest.mark.parametrize(("prefix", "unit"), HOSTILE, ids=IDS)
def test_time_grows_linearly_with_hostile_input_up_to_the_size_cap(prefix: str, unit: str) -> None:
    small = cpu_time(hostile(prefix, unit, CAP // 4))
    large = cpu_time(hostile(prefix, unit, CAP))  # the whole cap: under 2 s of CPU (cpu_time fails past it)
    # Linear growth gives ~4, quadratic ~16; the floor keeps timer noise out of tiny times.
    assert large / max(small, 0.02) < 8, (small, large)


def test_huge_numeric_character_references_do_not_crash() -> None:
    # int() refuses more than 4300 decimal digits (ValueError); the reference is out of range (U+FFFD).
    digits = "1" * 10_000
    facts = scan_page(f"<script src='/a.js?&#{digits};&#x{digits};&#{'0' * 10_000}65;'></script>")
    assert facts.scripts == [("/a.js?\ufffd\ufffdA", None)]
