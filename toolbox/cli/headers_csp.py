"""`toolbox headers-csp [URL] [--html FILE] [--policy TEXT|FILE] [--mode M] [--json]`: a page's strict CSP."""

from __future__ import annotations

import os

import click

from toolbox.cli.common import echo, fail, print_json, read_input, run_op
from toolbox.core.headers.csp_builder import CspProposal, Mode
from toolbox.ops import choices
from toolbox.ops.headers_csp import CspBuildRequest


def _policy_text(value: str | None) -> str:
    """--policy as given: '-' is stdin, an existing file is read, anything else is the policy itself."""
    if value is None:
        return ""
    if value == "-" or os.path.isfile(value):
        return read_input(value)
    return value


def _modifier(value: int) -> str:
    return f"{value:+d}" if value else "0"


def _text(proposal: CspProposal) -> None:
    gain = proposal.observatory
    echo(f"Mode: {proposal.mode}. {proposal.mode_reason}")
    echo("")
    echo(f"Content-Security-Policy: {proposal.policy}")
    echo("")
    echo("Roll out first with:")
    echo(f"Content-Security-Policy-Report-Only: {proposal.report_only}")
    echo("")
    echo(f"Observatory CSP test ({gain.scoring}): {gain.current_result} "
         f"({_modifier(gain.current_modifier)}) -> {gain.proposed_result} "
         f"({_modifier(gain.proposed_modifier)}): {_modifier(gain.delta)} points")
    if proposal.kept:
        echo("Kept from the current policy: " + ", ".join(proposal.kept))
    if proposal.findings:
        echo("")
        echo("On this page:")
        for finding in proposal.findings:
            echo(f"  [{finding.severity}] {finding.id}: {finding.title}. {finding.detail}")
            if finding.fix:
                echo(f"      Fix: {finding.fix}")
    echo("")
    echo("Steps:")
    for number, step in enumerate(proposal.steps, start=1):
        echo(f"  {number}. {step}")
    if proposal.loader:
        echo("")
        echo("Loader (in place of the <script src> tags):")
        echo(proposal.loader)


@click.command("headers-csp")
@click.argument("url", required=False)
@click.option("--html", "html_path", type=click.Path(dir_okay=False, allow_dash=True), metavar="FILE",
              help="The page's HTML from FILE (or - for stdin) instead of fetching URL (then URL is only the "
                   "page's address).")
@click.option("--policy", "policy", metavar="TEXT|FILE",
              help="The current policy: the text itself, a file, or - for stdin (default: the fetched page's "
                   "Content-Security-Policy header).")
@click.option("--mode", type=click.Choice(choices(Mode)), default="auto", show_default=True,
              help="nonce (pages rendered per response), hashes (static pages), or auto.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable result (the API's answer).")
def headers_csp_command(url: str | None, html_path: str | None, policy: str | None, mode: Mode,
                        as_json: bool) -> None:
    """Propose a strict Content-Security-Policy for the page at URL (or --html FILE).

    Nonces or the inline scripts' hashes with 'strict-dynamic', object-src 'none', base-uri 'none'; what the
    current policy says beyond scripts is kept. Exit 0 with a proposal, 1 when nothing was given to build
    from, 2 for a usage error or a URL that cannot be fetched.
    """
    if html_path == "-" and policy == "-":
        fail("--html and --policy cannot both read stdin")
    html = read_input(html_path) if html_path else ""
    request = CspBuildRequest(url=url or "", html=html, policy=_policy_text(policy), mode=mode)
    proposal: CspProposal = run_op("headers/csp", request, path=html_path or url or "")
    if as_json:
        print_json(proposal)
    else:
        _text(proposal)
