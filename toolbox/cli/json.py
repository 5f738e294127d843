"""`toolbox json format|validate`: the JSON tool's operations on the command line."""

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
    print_json,
    read_input,
    run_op,
)
from toolbox.cli.json_convert import format_of, from_option
from toolbox.core.json.model import Dialect, Indent, ValidationResult
from toolbox.ops import OPERATIONS, Context, OpError, choices
from toolbox.ops.json import FormatRequest, ValidateRequest
from toolbox.ops.json_infer import InferRequest, InferResult

INDENTS = {str(indent): indent for indent in choices(Indent)}


@click.group("json")
def json_group() -> None:
    """Format and validate JSON (strict RFC 8259, numbers kept exactly)."""


@json_group.command("format")
@click.argument("path", default="-")
@click.option("--indent", type=click.Choice(list(INDENTS)), default="2", show_default=True)
@click.option("--minify", is_flag=True, help="One line, no spaces.")
@click.option("--sort-keys", is_flag=True, help="Sort object keys (recursively).")
@click.option("--ascii", "ascii_", is_flag=True, help="Escape non-ASCII characters.")
@click.option("--lenient", is_flag=True, help="Accept JSON5/JSONC and repair it to strict JSON.")
@from_option()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable result (output, stats, warnings).")
def format_command(path: str, indent: str, minify: bool, sort_keys: bool, ascii_: bool, lenient: bool,
                   from_: str | None, as_json: bool) -> None:
    """Format PATH (or stdin) as JSON; exit 1 when it is not valid JSON (or YAML, TOML with --from)."""
    request = FormatRequest(text=read_input(path), mode="minify" if minify else "pretty",
                            indent=INDENTS[indent], sort_keys=sort_keys, ascii=ascii_, lenient=lenient,
                            from_=format_of(path, from_))
    result = run_op("json/format", request, path=path)
    if as_json:
        print_json(result)
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
@click.option("--schema", "schema_path", type=click.Path(dir_okay=False),
              help="Schema file (required, except with --lines).")
@click.option("--dialect", type=click.Choice(choices(Dialect)))
@click.option("--no-formats", is_flag=True, help="Treat format as an annotation only.")
@click.option("--lines", is_flag=True, help="PATH is JSON Lines / NDJSON: validate each line (streamed; "
              "PATH:LINE: message for every error).")
@click.option("--ignore-blank", is_flag=True, help="With --lines: blank lines are not errors.")
@from_option("Format of PATH (default: by its extension, .yaml/.yml or .toml; else json).")
@from_option("Format of the schema (default: by its extension).", "--schema-from")
@click.option("--json", "as_json", is_flag=True)
def validate_command(path: str, schema_path: str | None, dialect: Dialect | None, no_formats: bool,
                     lines: bool, ignore_blank: bool, from_: str | None, schema_from: str | None,
                     as_json: bool) -> None:
    """Validate PATH (or stdin) against --schema; exit 0 valid, 1 invalid, 2 unusable input."""
    if lines:
        from toolbox.cli.json_lines import validate_lines

        if from_ not in (None, "json") or schema_from not in (None, "json"):
            fail("--lines reads JSON Lines and a JSON schema (--from and --schema-from do not apply)")
        validate_lines(path, schema_path, dialect, not no_formats, "ignore" if ignore_blank else "error",
                       as_json)
    if schema_path is None:
        fail("--schema is required (it is optional with --lines)")
    request = ValidateRequest(instance=read_input(path), schema=read_input(schema_path), dialect=dialect,
                              formats=not no_formats, from_=format_of(path, from_),
                              schema_from=format_of(schema_path, schema_from))
    result: ValidationResult = run_op("json/validate", request, path=path, schema_path=schema_path)
    if as_json:
        print_json(result)
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
    sys.exit(EXIT_OK if result.valid and not result.schema_errors else EXIT_FAILED)


@json_group.command("infer")
@click.argument("paths", nargs=-1, required=True, metavar="FILE...")
@from_option("Format of the samples (default: by their extension, .yaml/.yml or .toml; else json).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable result (schema and notes).")
def infer_command(paths: tuple[str, ...], from_: str | None, as_json: bool) -> None:
    """Infer a draft 2020-12 schema from sample files (each FILE one sample, - for stdin)."""
    formats = {format_of(path, from_) for path in paths}
    if len(formats) > 1:
        fail(f"the samples are of different formats ({', '.join(sorted(formats))}): give --from")
    request = InferRequest(samples=[read_input(path) for path in paths], from_=formats.pop())
    try:
        result: InferResult = OPERATIONS["json/infer"].run(request, Context(cli_settings()))
    except OpError as err:  # name the file the failing sample came from
        details = err.details
        path = paths[details["sample"]] if "sample" in details else ""
        if "line" in details:
            click.echo(f"{path}:{details['line']}:{details['column']}: {details['reason']}", err=True)
            click.echo(f"  {details['snippet']}\n  {details['caret']}", err=True)
            sys.exit(EXIT_OF_KIND[err.kind])
        fail(f"{path}: {err.message}" if path else err.message, EXIT_OF_KIND[err.kind])
    if as_json:
        print_json(result)
        return
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    print_json(result.schema)


@json_group.command("diff")
@click.argument("path_a", metavar="A")
@click.argument("path_b", metavar="B")
@click.option("--array-key", metavar="NAME",
              help="Match elements of arrays of objects by this member (e.g. id).")
@click.option("--ignore", "ignore", multiple=True, metavar="PTR",
              help="A JSON Pointer to ignore (repeatable; a token * matches any member or element).")
@click.option("--patch", "as_patch", is_flag=True, help="Print the RFC 6902 patch from A to B (JSON).")
@from_option("Format of A and B (default: each by its extension, .yaml/.yml or .toml; else json).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable result (equal, differences, patch).")
def diff_command(path_a: str, path_b: str, array_key: str | None, ignore: tuple[str, ...], as_patch: bool,
                 from_: str | None, as_json: bool) -> None:
    """Compare JSON files A and B (- for stdin); exit 0 equal, 1 different, 2 unusable input."""
    import msgspec

    from toolbox.cli import common
    from toolbox.ops import OPERATIONS, Context, OpError
    from toolbox.ops.json_diff import DiffRequest, DiffResult

    try:
        request = msgspec.convert({"a": read_input(path_a), "b": read_input(path_b), "array_key": array_key,
                                   "ignore": list(ignore), "from": format_of(path_a, from_),
                                   "b_from": format_of(path_b, from_)}, DiffRequest)
    except msgspec.ValidationError as err:
        common.fail(f"--ignore must be a JSON Pointer ('' or starting with /), at most 100 of them ({err})")
    try:
        result: DiffResult = OPERATIONS["json/diff"].run(request, Context(common.cli_settings()))
    except OpError as err:  # name the file: a or b
        path = {"a": path_a, "b": path_b}.get(err.details.get("which", ""), "")
        details = err.details
        if "line" in details:
            click.echo(f"{path}:{details['line']}:{details['column']}: {details['reason']}", err=True)
            click.echo(f"  {details['snippet']}\n  {details['caret']}", err=True)
            sys.exit(common.EXIT_USAGE)
        common.fail(f"{path}: {err.message}" if path else err.message)
    if as_json or as_patch:
        raw = msgspec.json.encode(result.patch if as_patch else result)
        echo(msgspec.json.format(raw, indent=2).decode())
    else:
        def shown(value: msgspec.Raw) -> str:
            text = bytes(value).decode()
            return text if len(text) <= 200 else text[:200] + "…"

        for d in result.differences:
            if d.op == "moved":
                echo(f"moved   {d.path or '/'} (from {d.from_})")
            elif d.op == "changed":
                echo(f"changed {d.path or '/'}: {shown(d.before)} -> {shown(d.after)}")
            else:
                echo(f"{d.op:<7} {d.path or '/'}: {shown(d.before if d.op == 'removed' else d.after)}")
        click.echo("equal" if result.equal else f"{len(result.differences)} differences", err=True)
    sys.exit(EXIT_OK if result.equal else EXIT_FAILED)


from toolbox.cli.json_compat import compat_command  # noqa: E402 - its own module, registered here

json_group.add_command(compat_command)


from toolbox.cli.json_convert import convert_command  # noqa: E402 - its own module, registered here

json_group.add_command(convert_command)


from toolbox.cli.json_query import query_command  # noqa: E402 - its own module, registered here

json_group.add_command(query_command)
