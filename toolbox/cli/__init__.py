"""The `toolbox` command: serve the app, and mint API tokens (tool commands come per tool)."""

from __future__ import annotations

import os
import sys
from dataclasses import replace

import click

from toolbox.cli.common import cli_settings, fail, run_op


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Toolbox: JWT, JSON and security-header tools (web app, API and command line)."""


@main.command()
@click.option("--host", help="Address to bind (default TOOLBOX_HOST or 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), help="Port (default TOOLBOX_PORT or 8000).")
@click.option("--workers", type=click.IntRange(1, 64), help="Worker processes (TOOLBOX_WORKERS).")
@click.option("--threads", type=click.IntRange(1, 64), help="Threads per worker (TOOLBOX_THREADS).")
def serve(host: str | None, port: int | None, workers: int | None, threads: int | None) -> None:
    """Serve the web app and API with gunicorn."""
    from toolbox.serve import serve as run

    settings = cli_settings()
    if host is not None:
        from toolbox.config import parse_host

        try:
            host = parse_host(host)
        except ValueError as err:
            fail(f"--host: {err}")
    run(replace(settings, host=settings.host if host is None else host,
                port=settings.port if port is None else port,
                workers=settings.workers if workers is None else workers,
                threads=settings.threads if threads is None else threads))


@main.group()
def token() -> None:
    """API tokens (when TOOLBOX_API_JWT_KEY is an HMAC secret)."""


@token.command("issue")
@click.option("--subject", "-s", required=True, help="Who the token is for (its `sub`).")
@click.option("--ttl", type=click.IntRange(1, 86400), default=None,
              help="Lifetime in seconds (default and maximum: TOOLBOX_API_JWT_MAX_TTL).")
def token_issue(subject: str, ttl: int | None) -> None:
    """Print a short-lived API token signed with TOOLBOX_API_JWT_KEY."""
    from toolbox.ops.jwt import IssuedToken, IssueTokenRequest

    issued: IssuedToken = run_op("token/issue", IssueTokenRequest(subject=subject, ttl=ttl))
    click.echo(issued.token)


def _register_tools() -> None:
    from toolbox.cli.headers import headers_command, headers_compare_command
    from toolbox.cli.headers_csp import headers_csp_command
    from toolbox.cli.headers_har import headers_har_command
    from toolbox.cli.json import json_group
    from toolbox.cli.jwt import jwt_group

    main.add_command(jwt_group)
    main.add_command(json_group)
    main.add_command(headers_command)
    main.add_command(headers_compare_command)
    main.add_command(headers_har_command)
    main.add_command(headers_csp_command)


_register_tools()

if __name__ == "__main__":  # pragma: no cover
    main(prog_name=os.path.basename(sys.argv[0]))
