"""`toolbox json format|validate`: the JSON tool on the command line."""

from __future__ import annotations

import json
import sys

import click

from toolbox.cli_jwt import cli_settings, echo, fail

EXIT_FAILED = 1
EXIT_USAGE = 2


def read_input(path: str) -> str:
    """Text from a file, or stdin for '-'; bad UTF-8 is a usage error, not a crash."""
    try:
        if path == "-":
            return sys.stdin.buffer.read().decode("utf-8")
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except UnicodeDecodeError as err:
        fail(f"{path}: not UTF-8 text (byte {err.start})")
    except OSError as err:
        fail(f"{path}: {err.strerror}")


def _max_depth() -> int:
    return cli_settings().json_max_depth


def _syntax(err: object, path: str) -> None:
    click.echo(f"{path}:{err.line}:{err.column}: {err.message}", err=True)  # type: ignore[attr-defined]
    click.echo(f"  {err.snippet}\n  {err.caret}", err=True)  # type: ignore[attr-defined]


@click.group("json")
def json_group() -> None:
    """Format and validate JSON (strict RFC 8259, numbers kept exactly)."""


@json_group.command("format")
@click.argument("path", default="-")
@click.option("--indent", type=click.Choice(["2", "4", "tab"]), default="2", show_default=True)
@click.option("--minify", is_flag=True, help="One line, no spaces.")
@click.option("--sort-keys", is_flag=True, help="Sort object keys (recursively).")
@click.option("--ascii", "ascii_", is_flag=True, help="Escape non-ASCII characters.")
@click.option("--lenient", is_flag=True, help="Accept JSON5/JSONC and repair it to strict JSON.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable result (output, stats, warnings).")
def format_command(path: str, indent: str, minify: bool, sort_keys: bool, ascii_: bool, lenient: bool,
                   as_json: bool) -> None:
    """Format PATH (or stdin); exit 1 when it is not valid JSON."""
    from toolbox.core.json.format import format_json
    from toolbox.core.json.model import FormatOptions, JsonSyntaxError, JsonTooDeep

    text = read_input(path)
    width = "tab" if indent == "tab" else int(indent)
    options = FormatOptions(mode="minify" if minify else "pretty", indent=width,  # type: ignore[arg-type]
                            sort_keys=sort_keys, ascii=ascii_, lenient=lenient, max_depth=_max_depth())
    try:
        result = format_json(text, options)
    except JsonSyntaxError as err:
        _syntax(err, path)
        sys.exit(EXIT_FAILED)
    except JsonTooDeep as err:
        click.echo(f"{path}: {err}", err=True)
        sys.exit(EXIT_FAILED)
    if as_json:
        from toolbox.web.serialize import to_json

        echo(json.dumps(to_json(result), indent=2, ensure_ascii=False))
        return
    for warning in result.warnings:
        where = f":{warning.line}:{warning.column}" if warning.line else ""
        click.echo(f"{path}{where}: warning: {warning.message}", err=True)
    for repair in result.repairs:
        click.echo(f"{path}: repaired: {repair}", err=True)
    # Two writes, not `output + "\n"`: that would copy a multi-megabyte string once more.
    sys.stdout.write(result.output)
    if not result.output.endswith("\n"):
        sys.stdout.write("\n")


@json_group.command("validate")
@click.argument("path", default="-")
@click.option("--schema", "schema_path", required=True, type=click.Path(dir_okay=False), help="Schema file.")
@click.option("--dialect", type=click.Choice(["draft4", "draft6", "draft7", "draft2019-09", "draft2020-12"]))
@click.option("--no-formats", is_flag=True, help="Treat format as an annotation only.")
@click.option("--json", "as_json", is_flag=True)
def validate_command(path: str, schema_path: str, dialect: str | None, no_formats: bool,
                     as_json: bool) -> None:
    """Validate PATH (or stdin) against --schema; exit 0 valid, 1 invalid, 2 unusable input."""
    from toolbox.core.json.model import JsonSyntaxError, JsonTooDeep
    from toolbox.core.json.validate import UnusableInputError, validate

    instance, schema = read_input(path), read_input(schema_path)
    try:
        result = validate(instance, schema, dialect=dialect, formats=not no_formats,  # type: ignore[arg-type]
                          max_depth=_max_depth())
    except JsonSyntaxError as err:
        which = getattr(err, "which", "document")
        _syntax(err, schema_path if which == "schema" else path)
        sys.exit(EXIT_USAGE if which == "schema" else EXIT_FAILED)
    except (UnusableInputError, JsonTooDeep) as err:
        fail(str(err))
    if as_json:
        from toolbox.web.serialize import to_json

        echo(json.dumps(to_json(result), indent=2, ensure_ascii=False))
    else:
        for error in result.schema_errors:
            click.echo(f"{schema_path}:{error.line}:{error.column}: schema error: {error.message}")
        for ref in result.refused_refs:
            click.echo(f"{schema_path}: remote $ref not fetched: {ref}")
        for error in result.errors:
            where = f"{error.line}:{error.column}" if error.line else "?"
            echo(f"{path}:{where}: {error.instance_path or '/'}: {error.message} [{error.keyword}]")
        verdict = "valid" if result.valid else f"invalid ({len(result.errors)} errors)"
        click.echo(f"{path}: {verdict} · {result.dialect} · formats "
                   f"{'asserted' if result.formats_asserted else 'not asserted'}")
    sys.exit(0 if result.valid and not result.schema_errors else EXIT_FAILED)
