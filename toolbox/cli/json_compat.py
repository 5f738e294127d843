"""`toolbox json compat OLD NEW`: schema compatibility on the command line (registered in cli/json.py)."""

from __future__ import annotations

import sys

import click

from toolbox.cli.common import (
    EXIT_FAILED,
    EXIT_OF_KIND,
    EXIT_OK,
    cli_settings,
    echo,
    fail,
    read_input,
)
from toolbox.ops import OPERATIONS, Context, OpError
from toolbox.ops.json_compat import CompatRequest, CompatResult


@click.command("compat")
@click.argument("old_path", metavar="OLD")
@click.argument("new_path", metavar="NEW")
@click.option("--direction", type=click.Choice(["request", "response", "both"]), default="both",
              show_default=True,
              help="Documents producers send (request), consumers read (response), or both.")
@click.option("--no-formats", is_flag=True,
              help="Treat format as an annotation only (format changes are not reported).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable result (the API's answer).")
def compat_command(old_path: str, new_path: str, direction: str, no_formats: bool, as_json: bool) -> None:
    """Compare JSON Schemas OLD and NEW; exit 0 compatible, 1 breaking or unknown, 2 unusable input."""
    request = CompatRequest(old=read_input(old_path), new=read_input(new_path), formats=not no_formats)
    try:
        result: CompatResult = OPERATIONS["json/compat"].run(request, Context(cli_settings()))
    except OpError as err:  # name the file: old or new
        details = err.details
        path = {"old": old_path, "new": new_path}.get(details.get("which", ""), "")
        if "line" in details:
            click.echo(f"{path}:{details['line']}:{details['column']}: {details['reason']}", err=True)
            click.echo(f"  {details['snippet']}\n  {details['caret']}", err=True)
            sys.exit(EXIT_OF_KIND[err.kind])
        fail(f"{path}: {err.message}" if path else err.message, EXIT_OF_KIND[err.kind])
    asked = ("request", "response") if direction == "both" else (direction,)
    import msgspec

    if as_json:  # msgspec writes the examples' numbers exactly as they are
        echo(msgspec.json.format(msgspec.json.encode(result), indent=2).decode())
    else:
        for change in result.changes:
            if change.direction not in asked:
                continue
            where = change.path or "/"
            echo(f"{change.direction:<8} {change.verdict:<10} {where} {change.kind}: {change.message}")
            if change.example is not msgspec.UNSET:
                text = bytes(change.example).decode()
                echo(f"{'':<20}example: {text if len(text) <= 300 else text[:300] + '…'}")
        for note in result.notes:
            click.echo(f"note: {note}", err=True)
        for name in asked:
            verdict = result.request if name == "request" else result.response
            click.echo(f"{name}: {verdict.verdict} ({verdict.breaking} breaking, {verdict.unknown} unknown)",
                       err=True)
    verdicts = [result.request.verdict if name == "request" else result.response.verdict for name in asked]
    sys.exit(EXIT_OK if all(v == "compatible" for v in verdicts) else EXIT_FAILED)
