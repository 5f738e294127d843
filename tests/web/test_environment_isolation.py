"""Meta-test: TOOLBOX_* variables in a developer's shell do not leak into the tests.

A probe test is run by a child pytest whose environment carries
`TOOLBOX_RATELIMIT_DEFAULT=1/minute`: without tests/conftest.py the probe's app inherits that
limit and answers 429 (so the probe can tell); with it, the autouse fixture removes the variable.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

PROBE = '''
import os

from toolbox import create_app


def test_probe():
    client = create_app({}).test_client()
    statuses = [client.get("/").status_code for _ in range(3)]
    assert statuses == [200, 200, 200], (statuses, os.environ.get("TOOLBOX_RATELIMIT_DEFAULT"))
'''


def _run_probe(tmp_path: Path, *plugin: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_probe.py").write_text(PROBE)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    env = {**os.environ, "TOOLBOX_RATELIMIT_DEFAULT": "1/minute", "TOOLBOX_LOG_LEVEL": "ERROR"}
    return subprocess.run(  # noqa: S603 - our own interpreter and a probe we wrote
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", *plugin,
         "-c", str(tmp_path / "pytest.ini"), "--rootdir", str(tmp_path), str(tmp_path / "test_probe.py")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_a_shell_rate_limit_would_reach_an_app_without_the_fixture(tmp_path: Path) -> None:
    result = _run_probe(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "429" in result.stdout


def test_the_autouse_fixture_keeps_shell_settings_out_of_tests(tmp_path: Path) -> None:
    result = _run_probe(tmp_path, "-p", "tests.conftest")
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_toolbox_variable_is_visible_here() -> None:
    assert [name for name in os.environ if name.startswith("TOOLBOX_")] == []
