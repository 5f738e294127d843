"""`toolbox json query EXPRESSION [FILE]`: JSONPath (RFC 9535) or jq over a JSON file, in a sandbox."""

from __future__ import annotations

import sys

import click

from toolbox.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, cli_settings, echo, read_input


@click.command("query")
@click.argument("expression")
@click.argument("path", default="-", metavar="[FILE]")
@click.option("--language", type=click.Choice(["jsonpath", "jq"]), default="jsonpath", show_default=True,
              help="The expression's language.")
@click.option("--jq", "use_jq", is_flag=True, help="Same as --language jq.")
@click.option("-c", "--compact", is_flag=True, help="Each result on one line (default: indented by 2).")
@click.option("-r", "--raw-output", "raw", is_flag=True, help="Strings without quotes or escapes, as jq -r.")
@click.option("--paths", "paths_only", is_flag=True,
              help="JSONPath: print each result's normalized path (RFC 9535 §2.7) instead of its value.")
@click.option("-e", "--exit-status", "exit_status", is_flag=True,
              help="Exit 1 when there is no result, or the last one is false or null (as jq -e).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable result (results, paths, count, "
              "truncated, notes), as the API answers.")
def query_command(expression: str, path: str, language: str, use_jq: bool, compact: bool, raw: bool,
                  paths_only: bool, exit_status: bool, as_json: bool) -> None:
    """Run EXPRESSION (JSONPath by default, or jq) over FILE (or stdin): one result per line, as jq.

    Exit 0 when it ran (even with no results, as jq), 1 with -e when no result or the last one is
    false or null, 2 when it could not run: FILE not JSON, EXPRESSION invalid or failing, or a limit hit.
    """
    import msgspec

    from toolbox.ops import OPERATIONS, Context, OpError
    from toolbox.ops.json_query import QueryRequest, QueryResult

    language = "jq" if use_jq else language
    if paths_only and language == "jq":
        raise click.UsageError("--paths is for JSONPath (jq gives no paths; use jq's path(…) instead)")
    try:
        request = msgspec.convert({"text": read_input(path), "expression": expression, "language": language},
                                  QueryRequest)
    except msgspec.ValidationError as err:
        raise click.UsageError(f"EXPRESSION: {err}") from None
    try:
        result: QueryResult = OPERATIONS["json/query"].run(request, Context(cli_settings()))
    except OpError as err:
        details = err.details
        if "line" in details:
            click.echo(f"{path}:{details['line']}:{details['column']}: {details['reason']}", err=True)
            click.echo(f"  {details['snippet']}\n  {details['caret']}", err=True)
        else:
            click.echo(f"toolbox: {err.title}: {err.message}", err=True)
        sys.exit(EXIT_USAGE)
    if as_json:
        echo(msgspec.json.format(msgspec.json.encode(result), indent=2).decode("utf-8", "surrogatepass"))
    elif paths_only:
        for item in result.paths or []:
            echo(item)
    else:
        for value in result.results:
            echo(_shown(bytes(value), compact, raw))
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    if exit_status:
        last = bytes(result.results[-1]) if result.results else b"null"
        sys.exit(EXIT_FAILED if last in (b"null", b"false") else EXIT_OK)


def _shown(value: bytes, compact: bool, raw: bool) -> str:
    """One result as jq prints it: indented by 2 (or compact), a string bare with -r."""
    import msgspec

    if raw and value.startswith(b'"'):
        text: str = msgspec.json.decode(value)
        return text
    if compact:
        return value.decode("utf-8", "surrogatepass")
    return msgspec.json.format(value, indent=2).decode("utf-8", "surrogatepass")
