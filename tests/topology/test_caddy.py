"""deploy/caddy/Caddyfile is a configuration Debian's Caddy accepts, formatted as `caddy fmt` writes it."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.servers import program_path
from tests.topology.stack import CADDYFILE

pytestmark = pytest.mark.server


def caddy_validate(caddyfile: Path) -> subprocess.CompletedProcess[str]:
    """`caddy validate` on `caddyfile`, with Caddy's data and config directories in a temporary one."""
    home = Path(tempfile.mkdtemp(prefix="toolbox-caddy-"))
    try:
        env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home), "XDG_CONFIG_HOME": str(home)}
        return subprocess.run([program_path("caddy", "caddy"), "validate", "--config", str(caddyfile),
                               "--adapter", "caddyfile"],
                              capture_output=True, text=True, timeout=30, env=env, cwd=home)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def test_caddyfile_validates() -> None:
    result = caddy_validate(CADDYFILE)
    assert result.returncode == 0, result.stderr
    assert "Valid configuration" in result.stdout + result.stderr
    assert "not formatted" not in result.stderr, result.stderr


def test_caddy_validate_refuses_a_broken_file(tmp_path: Path) -> None:
    """The check above can fail: a misspelt directive is refused."""
    broken = tmp_path / "Caddyfile"
    broken.write_text(CADDYFILE.read_text().replace("reverse_proxy", "revers_proxy"))
    result = caddy_validate(broken)
    assert result.returncode != 0
    assert "revers_proxy" in result.stderr
