"""POST /api/v1/json/diff and `toolbox json diff`: differences, the exact patch, located errors, exit codes."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonpatch
import pytest
from click.testing import CliRunner

from toolbox.cli import main

URL = "/api/v1/json/diff"


def test_diff_answers_differences_and_an_exact_patch(client) -> None:  # type: ignore[no-untyped-def]
    a = '{"price": 1.50, "n": 1, "tags": ["x", "y", "z"], "big": 12345678901234567890123}'
    b = '{"n": 1.0, "price": 1.500, "tags": ["z", "x", "y"], "big": 12345678901234567890124, "new": 0.1}'
    response = client.post(URL, json={"a": a, "b": b})
    assert response.status_code == 200
    # Numbers travel as JSON numbers, exactly as written (never floats, never strings).
    assert b'"value":12345678901234567890124' in response.data and b'"value":0.1' in response.data
    body = json.loads(response.data, parse_float=Decimal)
    assert body["equal"] is False
    # In patch order, one operation per difference: an object's own members, then inside them.
    assert [(d["op"], d["path"], d.get("from")) for d in body["differences"]] == [
        ("added", "/new", None), ("moved", "/tags/0", "/tags/2"), ("changed", "/big", None)]
    assert [op["op"] for op in body["patch"]] == ["add", "move", "replace"]
    assert body["differences"][2]["before"] == 12345678901234567890123
    assert "before" not in body["differences"][0] and body["differences"][0]["after"] == Decimal("0.1")
    patched = jsonpatch.apply_patch(json.loads(a, parse_float=Decimal), body["patch"])
    assert patched == json.loads(b, parse_float=Decimal)


def test_equal_documents(client) -> None:  # type: ignore[no-untyped-def]
    body = client.post(URL, json={"a": '{"a": [1, {"b": 2}]}', "b": '{ "a" : [1.0, {"b": 2e0}] }'}).json
    assert body == {"equal": True, "differences": [], "patch": []}


def test_array_key_and_ignore(client) -> None:  # type: ignore[no-untyped-def]
    a = '{"meta": {"updated": 1}, "users": [{"id": "u1", "name": "Ann"}, {"id": "u2", "name": "Bo"}]}'
    b = '{"meta": {"updated": 2}, "users": [{"id": "u2", "name": "Bob"}, {"id": "u1", "name": "Ann"}]}'
    body = client.post(URL, json={"a": a, "b": b, "array_key": "id", "ignore": ["/meta/updated"]}).json
    assert [(d["op"], d["path"]) for d in body["differences"]] == [("moved", "/users/0"), ("changed", "/users/0/name")]


@pytest.mark.parametrize("which", ["a", "b"])
def test_syntax_error_names_the_document(client, which: str) -> None:  # type: ignore[no-untyped-def]
    texts = {"a": "{}", "b": "{}"}
    texts[which] = '{\n  "x": [1, 2,]\n}'
    response = client.post(URL, json=texts)
    assert response.status_code == 422
    problem = response.json
    assert problem["which"] == which and problem["line"] == 2 and problem["column"] == 13
    assert problem["title"] == f"The {which} is not valid JSON" and problem["caret"].strip() == "^"


@pytest.mark.parametrize("body", [
    {"a": "1"},
    {"a": 1, "b": "1"},
    {"a": "1", "b": None},
    {"a": "1", "b": "1", "array_key": 5},
    {"a": "1", "b": "1", "ignore": "/x"},
    {"a": "1", "b": "1", "ignore": ["x"]},
    {"a": "1", "b": "1", "ignore": ["/x"] * 101},
    {"a": "1", "b": "1", "ignore": [7]},
    {"a": "1", "b": "1", "extra": True},
    ["1", "1"],
])
def test_wrong_types_are_4xx(client, body: Any) -> None:  # type: ignore[no-untyped-def]
    response = client.post(URL, json=body)
    assert 400 <= response.status_code < 500 and response.is_json and response.json["detail"]


@pytest.mark.parametrize("text", ["NaN", "1e9999999999999999999", "[-1E-99999999999999999999]", "{'a': 1}", "[1] [2]", "", '"\\ud800"', '{"a": 1 /* c */}'])
def test_non_json_is_422(client, text: str) -> None:  # type: ignore[no-untyped-def]
    response = client.post(URL, json={"a": "[]", "b": text})
    assert response.status_code == 422 and response.json["which"] == "b"


def test_too_deep_is_422_not_a_500(client) -> None:  # type: ignore[no-untyped-def]
    deep = "[" * 5000 + "]" * 5000
    response = client.post(URL, json={"a": deep, "b": "[]"})
    assert response.status_code == 422 and response.json["which"] == "a"


def test_duplicate_keys_keep_the_last_value(client) -> None:  # type: ignore[no-untyped-def]
    body = client.post(URL, json={"a": '{"k": 1, "k": 2}', "b": '{"k": 2}'}).json
    assert body["equal"] is True


def test_huge_array_answers(client) -> None:  # type: ignore[no-untyped-def]
    a = json.dumps(list(range(100_000)))
    b = json.dumps(list(range(100_000))[::-1])
    response = client.post(URL, json={"a": a, "b": b})
    assert response.status_code == 200
    patched = jsonpatch.apply_patch(json.loads(a), response.json["patch"])
    assert patched == json.loads(b)


def test_openapi_lists_json_diff(client) -> None:  # type: ignore[no-untyped-def]
    assert URL in client.get("/api/openapi.json").json["paths"]


# --- the command line -------------------------------------------------------------------------------

def run(tmp_path: Path, a: str, b: str, *args: str) -> Any:
    (tmp_path / "a.json").write_text(a, encoding="utf-8")
    (tmp_path / "b.json").write_text(b, encoding="utf-8")
    return CliRunner().invoke(main, ["json", "diff", str(tmp_path / "a.json"), str(tmp_path / "b.json"), *args])


def test_cli_exit_codes_and_text(tmp_path: Path) -> None:
    equal = run(tmp_path, '{"a": 1}', '{"a": 1.0}')
    assert equal.exit_code == 0 and equal.output.strip() == "equal"
    differ = run(tmp_path, '{"a": 1, "k~/": "é"}', '{"a": 2, "k~/": "é", "z": [1]}')
    assert differ.exit_code == 1
    assert "changed /a: 1 -> 2" in differ.output and "added   /z: [1]" in differ.output


def test_cli_patch_is_rfc6902(tmp_path: Path) -> None:
    a, b = '{"l": [1, 2, 3], "x": 0.10}', '{"l": [3, 1, 2], "x": 0.1000001}'
    result = run(tmp_path, a, b, "--patch")
    assert result.exit_code == 1
    patch = json.loads(result.output, parse_float=Decimal)
    assert jsonpatch.apply_patch(json.loads(a, parse_float=Decimal), patch) == json.loads(b, parse_float=Decimal)
    as_json = json.loads(run(tmp_path, a, b, "--json").output)
    assert as_json["equal"] is False and as_json["patch"] == json.loads(result.output)


def test_cli_options(tmp_path: Path) -> None:
    a = '[{"id": 1, "t": 1}, {"id": 2}]'
    b = '[{"id": 2}, {"id": 1, "t": 2}]'
    assert run(tmp_path, a, b, "--array-key", "id", "--ignore", "/*/t").output.startswith("moved   /0 (from /1)")
    assert run(tmp_path, a, b, "--ignore", "*").exit_code == 2  # not a JSON Pointer


def test_cli_invalid_json_names_the_file_and_exits_2(tmp_path: Path) -> None:
    result = run(tmp_path, "{}", '{\n "a": tru\n}')
    assert result.exit_code == 2 and f"{tmp_path / 'b.json'}:2:" in result.output
    missing = CliRunner().invoke(main, ["json", "diff", str(tmp_path / "nope.json"), "-"], input="{}")
    assert missing.exit_code == 2
    usage = CliRunner().invoke(main, ["json", "diff", "only-one"])
    assert usage.exit_code == 2


# --- the page -----------------------------------------------------------------------------------------

def test_page_empty_and_sample(client) -> None:  # type: ignore[no-untyped-def]
    empty = client.get("/json/diff")
    assert empty.status_code == 200 and b'id="diff-result"' in empty.data and b"data-status" not in empty.data
    sample = client.get("/json/diff?sample=order").get_data(as_text=True)
    assert 'data-status="5 differences"' in sample and "/meta/updated" in sample  # ignored, kept in the form
    assert "<code>/items/0</code> from <code>/items/2</code>" in sample and "&#34;op&#34;" not in sample
    assert client.get("/json/diff?sample=nope").get_data(as_text=True).count("data-status=") == 0


def test_page_post_names_the_document_with_the_error(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/json/diff", data={"a": "{}", "b": '{\n "a": [1,]\n}'}, headers={"HX-Request": "true"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "After (B) is not valid JSON:" in html and "line 2, column" in html and "<html" not in html
    missing = client.post("/json/diff", data={"a": "{}", "b": " "})
    assert missing.status_code == 422 and "Paste JSON into both" in missing.get_data(as_text=True)


def test_page_equal_and_download(client) -> None:  # type: ignore[no-untyped-def]
    equal = client.post("/json/diff", data={"a": '{"a": 1, "b": 2}', "b": '{"b": 2, "a": 1.0}'})
    assert 'data-status="Equal"' in equal.get_data(as_text=True)
    download = client.post("/json/diff", data={"a": '{"n": 1.50}', "b": '{"n": 2.50}', "action": "download"})
    assert download.status_code == 200 and download.mimetype == "application/json-patch+json"
    assert "attachment" in download.headers["Content-Disposition"]
    assert json.loads(download.data, parse_float=Decimal) == [{"op": "replace", "path": "/n", "value": Decimal("2.50")}]


@pytest.mark.parametrize("fields", [{"ignore": "no-slash"}, {"ignore": "/a\n" * 101}, {"array_key": "k" * 201},
                                    {"a": "x\x00"}])
def test_page_refuses_bad_fields_with_400(client, fields: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/json/diff", data={"a": "{}", "b": "{}", **fields})
    assert response.status_code == 400


def test_page_ignore_lines_and_array_key(client) -> None:  # type: ignore[no-untyped-def]
    a = '{"t": 1, "l": [{"id": 1, "v": 1}, {"id": 2}]}'
    b = '{"t": 2, "l": [{"id": 2}, {"id": 1, "v": 1}]}'
    html = client.post("/json/diff", data={"a": a, "b": b, "array_key": " id ", "ignore": "\n/t\n\n"}).get_data(
        as_text=True)
    assert 'data-status="1 difference"' in html and "<code>/l/0</code> from <code>/l/1</code>" in html


def test_page_side_by_side_marks_lines(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/json/diff?sample=order").get_data(as_text=True)
    assert "Side by side" in html and html.count('class="ln has-error"') == 8
    assert "← moved from /items/2" in html and "← removed /items/1" in html
    big = client.post("/json/diff", data={"a": "[" + "1,\n" * 4000 + "1]", "b": "[2]"}).get_data(as_text=True)
    assert 'data-status="4,001 differences"' in big and "Side by side" not in big  # too many lines to show
