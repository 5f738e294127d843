"""House rule: toolbox/core is pure logic and imports no web framework."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "toolbox" / "core"
FORBIDDEN = {"flask", "werkzeug", "jinja2", "htmx_flask", "flask_limiter"}


def test_core_sources_import_no_web_framework() -> None:
    offenders = []
    for path in CORE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []


def test_importing_every_core_module_loads_no_web_framework() -> None:
    modules = sorted(
        "toolbox.core" + ("." + ".".join(p.relative_to(CORE).with_suffix("").parts) if p.name != "__init__.py" or p.parent != CORE else "")
        for p in CORE.rglob("*.py")
    )
    modules = [m.removesuffix(".__init__") for m in modules]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"print(sorted(set(k.split('.')[0] for k in sys.modules) & set({sorted(FORBIDDEN)!r})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
