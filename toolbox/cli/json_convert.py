"""`toolbox json convert`, and the `--from` option format, validate and diff share (YAML and TOML input)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

from toolbox.cli.common import print_json, read_input, run_op
from toolbox.core.json.formats import Format
from toolbox.ops import choices
from toolbox.ops.json_convert import ConvertRequest, ConvertResult, OutputFormat

FORMATS = list(choices(Format))
EXTENSIONS: dict[str, Format] = {".yaml": "yaml", ".yml": "yaml", ".toml": "toml", ".json": "json"}


def format_of(path: str, given: str | None) -> Format:
    """The input format: `--from` if given, else by the file's extension (.yaml/.yml, .toml), else json."""
    if given is not None:
        return given  # type: ignore[return-value]  # click.Choice(FORMATS) checked it
    lower = path.lower()
    for extension, fmt in EXTENSIONS.items():
        if lower.endswith(extension):
            return fmt
    return "json"


def from_option(help_text: str = "Input format (default: by the file's extension, .yaml/.yml or .toml; "
                                 "else json).", name: str = "--from") -> Callable[[Any], Any]:
    """The `--from` option of format, validate and diff (validate's schema: `--schema-from`)."""
    dest = "from_" if name == "--from" else name.lstrip("-").replace("-", "_")
    return click.option(name, dest, type=click.Choice(FORMATS), default=None, help=help_text)


@click.command("convert")
@click.argument("path", default="-")
@from_option()
@click.option("--to", "to", type=click.Choice(list(choices(OutputFormat))), default=None,
              help="Output format (default: yaml for JSON input, else json).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable result (output and notes).")
def convert_command(path: str, from_: str | None, to: str | None, as_json: bool) -> None:
    """Convert PATH (or stdin) between JSON, YAML 1.2 and TOML (to JSON or YAML); numbers stay exact."""
    source = format_of(path, from_)
    target = to or ("yaml" if source == "json" else "json")
    request = ConvertRequest(text=read_input(path), from_=source, to=target)  # type: ignore[arg-type]
    result: ConvertResult = run_op("json/convert", request, path=path)
    if as_json:
        print_json(result)
        return
    for note in result.notes:
        click.echo(f"{path}: note: {note}", err=True)
    sys.stdout.write(result.output)
