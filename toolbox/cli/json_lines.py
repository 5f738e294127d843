"""`toolbox json validate --lines FILE [--schema S]`: JSON Lines validated as the file is read."""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager, nullcontext
from typing import BinaryIO

import click

from toolbox.cli.common import EXIT_FAILED, EXIT_OF_KIND, EXIT_OK, cli_settings, echo, fail, print_json
from toolbox.core.json.lines import BlankLines, LineError, LinesResult
from toolbox.core.json.model import Dialect
from toolbox.ops import OpError
from toolbox.ops.json_lines import start_lines

CHUNK = 1024 * 1024  # bytes read at a time


def validate_lines(path: str, schema_path: str | None, dialect: Dialect | None, formats: bool,
                   blank_lines: BlankLines, as_json: bool) -> None:
    """Validate the JSON Lines in PATH (or stdin) line by line; print `PATH:LINE[:COLUMN]: …` for every
    error (as found, in bounded memory), then a summary on stderr; exit 0 valid, 1 invalid, 2 unusable."""
    schema = None
    if schema_path is not None:
        schema = _read_schema(schema_path)

    def show(error: LineError) -> None:
        where = f"{error.line}:{error.column}" if error.column else f"{error.line}"
        pointer = f"{error.pointer or '/'}: " if error.pointer is not None else ""
        echo(f"{path}:{where}: {pointer}{error.message} [{error.keyword}]")

    try:
        validator = start_lines(cli_settings(), schema, dialect=dialect, formats=formats,
                                blank_lines=blank_lines, on_error=None if as_json else show)
    except OpError as err:
        details = err.details
        if "line" in details:
            click.echo(f"{schema_path}:{details['line']}:{details['column']}: {details['reason']}", err=True)
            click.echo(f"  {details['snippet']}\n  {details['caret']}", err=True)
            sys.exit(EXIT_OF_KIND[err.kind])
        for problem in details.get("errors", []):
            click.echo(f"{schema_path}: schema error: {problem['pointer'] or '/'}: {problem['message']}",
                       err=True)
        fail(f"{schema_path}: {err.message}", EXIT_OF_KIND[err.kind])
    try:
        with _open(path) as stream:
            while chunk := stream.read(CHUNK):
                validator.feed(chunk)
    except OSError as err:
        fail(f"{path}: {err.strerror}")
    result = validator.finish()
    if as_json:
        print_json(result)
    else:
        _summary(path, result)
    sys.exit(EXIT_OK if result.valid else EXIT_FAILED)


def _read_schema(schema_path: str) -> str:
    try:
        with open(schema_path, encoding="utf-8") as handle:
            return handle.read()
    except UnicodeDecodeError as err:
        fail(f"{schema_path}: not UTF-8 text (byte {err.start})")
    except OSError as err:
        fail(f"{schema_path}: {err.strerror}")


def _open(path: str) -> AbstractContextManager[BinaryIO]:
    if path == "-":
        return nullcontext(sys.stdin.buffer)  # stdin stays open
    return open(path, "rb")


def _summary(path: str, result: LinesResult) -> None:
    """Totals and the most common errors, on stderr."""
    checked = "schema " + str(result.dialect) if result.schema else "syntax only"
    verdict = "valid" if result.valid else f"invalid: {result.invalid_lines:,} of {result.lines:,} lines"
    click.echo(f"{path}: {verdict} · {result.lines:,} lines, {result.valid_values:,} valid, "
               f"{result.blank:,} blank · {result.errors_total:,} errors · {checked}", err=True)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    if result.summary:
        click.echo("most common errors:", err=True)
    for group in result.summary[:10]:
        where = f" at {group.pointer or '/'}" if group.pointer is not None else ""
        lines = ", ".join(map(str, group.first_lines))
        click.echo(f"  {group.count:>9,}  {group.keyword}{where}: {group.message} (lines {lines}"
                   f"{', …' if group.count > len(group.first_lines) else ''})", err=True)
