"""What every `toolbox` command shares: exit codes, reading input, printing, settings, running an op."""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn, TypeVar

import click

from toolbox.config import ConfigError, Settings
from toolbox.core.jwt.invisible import reveal
from toolbox.core.text import escape_surrogates
from toolbox.ops import OPERATIONS, Context, ErrorKind, OpError, Request
from toolbox.ops.serialize import to_json

EXIT_OK = 0
EXIT_FAILED = 1  # the check failed: invalid signature, invalid document, grade below the minimum
EXIT_USAGE = 2  # usage or input error

# One table from an operation's error kind to an exit code (the web has one to HTTP statuses).
# The text to check not being what it must be (not JSON) is a failed check; everything else is
# an error in what the command was given.
EXIT_OF_KIND: dict[ErrorKind, int] = {
    ErrorKind.INPUT: EXIT_FAILED,
    ErrorKind.UNUSABLE: EXIT_USAGE,
    ErrorKind.REFUSED: EXIT_USAGE,
    ErrorKind.FAILED: EXIT_USAGE,
    ErrorKind.TOO_LARGE: EXIT_USAGE,
}
T = TypeVar("T")


def echo(text: str) -> None:
    """Print, with lone surrogates and invisible or bidi control characters shown as escapes: a terminal
    reorders text after U+202E as a browser does (inside JSON strings the escape is the same JSON)."""
    click.echo(reveal(escape_surrogates(text)))


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print an error to stderr and exit (2, a usage or input error, unless `code` says otherwise)."""
    click.echo(reveal(escape_surrogates(f"toolbox: {message}")), err=True)
    sys.exit(code)


def cli_settings() -> Settings:
    """The TOOLBOX_* settings, or exit 2 naming the bad variable."""
    try:
        return Settings.from_env()
    except ConfigError as err:
        fail(f"configuration error: {err}")


def read_input(path: str) -> str:
    """Text from a file, or stdin for '-'; bad UTF-8 or an unreadable file is a usage error."""
    try:
        if path == "-":
            return sys.stdin.buffer.read().decode("utf-8")
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except UnicodeDecodeError as err:
        fail(f"{path}: not UTF-8 text (byte {err.start})")
    except OSError as err:
        fail(f"{path}: {err.strerror}")


def run_op(name: str, request: Request, *, path: str = "", schema_path: str = "") -> Any:
    """Run the operation `name`; an OpError is printed (located when it can be) and exits by its kind.

    `path` names the input in messages; an error whose `which` is "schema" names `schema_path`.
    """
    try:
        return OPERATIONS[name].run(request, Context(cli_settings()))
    except OpError as err:
        details = err.details
        if details.get("which") == "schema" and schema_path:
            path = schema_path
        if "line" in details:
            click.echo(f"{path}:{details['line']}:{details['column']}: {details['reason']}", err=True)
            click.echo(f"  {details['snippet']}\n  {details['caret']}", err=True)
            sys.exit(EXIT_OF_KIND[err.kind])
        fail(f"{path}: {err.message}" if path else err.message, EXIT_OF_KIND[err.kind])


def print_json(value: Any, *, drop: frozenset[str] = frozenset()) -> None:
    """A result as indented JSON (`--json`), the same fields the API answers."""
    echo(json.dumps(to_json(value, drop=drop), indent=2, ensure_ascii=False))
