"""Pages: the home page, health checks, SRI on our assets, and no inline code anywhere."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from tests.conftest import ROOT


def test_home_page_presents_the_tools_and_the_promise(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for name in ("JWT", "JSON", "Security-header checker"):
        assert name in html
    assert "The privacy promise" in html
    assert 'lang="en"' in html and 'name="viewport"' in html
    assert html.count("<h1") == 1


def test_tools_not_yet_built_are_not_linked(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/").get_data(as_text=True)
    assert html.count("coming soon") == 3 - sum(1 for e in ("jwt.index", "json.index", "headers.index")
                                                if e in client.application.view_functions)


def test_assets_carry_sri_matching_the_files(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/").get_data(as_text=True)
    tags = re.findall(r'<(?:script|link)[^>]*(?:src|href)="/static/([^"?]+)\?v=[0-9a-f]+"[^>]*integrity="([^"]+)"', html)
    assert {name for name, _ in tags} >= {"css/app.css", "js/app.js", "vendor/htmx.min.js"}
    for name, integrity in tags:
        digest = hashlib.sha384((ROOT / "static" / name).read_bytes()).digest()
        assert integrity == "sha384-" + base64.b64encode(digest).decode()


def test_htmx_is_configured_without_inline_code(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/").get_data(as_text=True)
    config = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'>', html)
    assert config is not None
    import json

    settings = json.loads(config.group(1))
    assert settings["allowEval"] is False
    assert settings["allowScriptTags"] is False
    assert settings["includeIndicatorStyles"] is False
    assert settings["historyCacheSize"] == 0 and settings["historyEnabled"] is False
    four_xx = [r for r in settings["responseHandling"] if r["code"].startswith("4")]
    assert four_xx and four_xx[0]["swap"] is True


def test_no_inline_script_style_or_handlers_in_templates() -> None:
    pattern = re.compile(r'<script>|<script[^>]*>[^<\s]|<style|\sstyle="|\son[a-z]+="|hx-on|javascript:')
    offenders = []
    for path in Path(ROOT / "templates").rglob("*.html"):
        offenders += [f"{path.name}: {m.group(0)}" for m in pattern.finditer(path.read_text())]
    assert offenders == []


def test_health_and_readiness(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/healthz").json == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json == {"status": "ok", "checks": {"ratelimit_storage": "ok"}}


def test_request_id_header_and_log_line(client, logs) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/healthz?x=1")
    request_id = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{16}", request_id)
    lines = [e for e in logs.entries if e.get("event") == "request" and e.get("request_id") == request_id]
    assert len(lines) == 1
    line = lines[0]
    assert line["method"] == "GET" and line["route"] == "/healthz" and line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["client"] == "127.0.0.1"
    assert "x=1" not in str(line)


def test_missing_vendor_assets_stop_the_app_with_a_clear_message(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from toolbox import create_app
    from toolbox.web import assets

    monkeypatch.setattr(assets, "REQUIRED", ("vendor/not-built.js",))
    with pytest.raises(RuntimeError, match="make vendor"):
        create_app()
