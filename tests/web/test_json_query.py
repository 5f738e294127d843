"""POST /api/v1/json/query, the /json/query page and `toolbox json query`: through the real child process.

The oracles' every case runs in tests/unit/json/test_query.py (core, fast); a sample of them runs
here through the sandbox. Every limit is hit here, each a 422 naming it, and the worker is fine after.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.unit.json.test_query import CTS, JQ_CASES, MODULES, NOT_STRICT_JSON, STOPS_WITH_AN_ERROR, same
from toolbox.cli import main
from toolbox.ops import OpError
from toolbox.ops import json_query as ops_query
from toolbox.ops.json_query import Limits, result_of, run_child

BIG = "100000000000000000000000001"


def ask(client: Any, text: str, expression: str, language: str = "jsonpath") -> Any:
    return client.post("/api/v1/json/query", json={"text": text, "expression": expression, "language": language})


def children() -> set[int]:
    """This process's query child processes (every thread's), from /proc. Only those: under xdist a
    worker also has other children (e.g. the Playwright driver of an earlier browser test)."""
    found: set[int] = set()
    for task in Path("/proc/self/task").iterdir():
        for pid in (task / "children").read_text().split():
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:  # gone since it was listed
                continue
            if b"query_child" in command:
                found.add(int(pid))
    return found


def still_fine(client: Any) -> None:
    """The app answers the next query, and no query process is left behind."""
    response = ask(client, '{"a": [1, 2]}', "$.a[1]")
    assert response.status_code == 200 and response.json["results"] == [2]
    assert not children()


# --- results ----------------------------------------------------------------------------------------

def test_jsonpath_results_paths_and_exact_numbers(client: Any) -> None:
    text = f'{{"store": {{"book": [{{"price": 8.95, "id": {BIG}}}, {{"price": 12.990}}]}}}}'
    response = ask(client, text, "$.store.book[?@.price < 13.0]")
    assert response.status_code == 200
    raw = response.get_data(as_text=True)
    assert f'"id":{BIG}' in raw and '"price":12.990' in raw  # exact, as written
    body = response.json
    assert body["count"] == 2 and body["truncated"] is False and body["notes"] == []
    assert body["paths"] == ["$['store']['book'][0]", "$['store']['book'][1]"]


def test_jq_results_and_the_exactness_note(client: Any) -> None:
    response = ask(client, f'{{"a": {BIG}, "b": [1.50, "é"]}}', ".a, .b[], (.a + 1)", "jq")
    assert response.status_code == 200
    raw = response.get_data(as_text=True)
    assert raw.startswith(f'{{"results":[{BIG},1.50,"é",1e+26]')
    body = response.json
    assert body["paths"] is None and body["count"] == 4
    assert body["notes"][0].startswith("1 number in the document cannot be held exactly by a double")


def test_no_results_is_a_200_with_none(client: Any) -> None:
    for expression, language in (("$.missing", "jsonpath"), ("empty", "jq")):
        body = ask(client, "{}", expression, language).json
        assert body["results"] == [] and body["count"] == 0


@pytest.mark.parametrize("case", CTS[::10], ids=[c["name"][:50] for c in CTS[::10]])
def test_compliance_suite_sample_through_the_sandbox(client: Any, case: dict[str, Any]) -> None:
    response = ask(client, json.dumps(case.get("document"), ensure_ascii=False), case["selector"])
    if case.get("invalid_selector"):
        assert response.status_code == 422 and response.json["title"] == "Invalid JSONPath expression"
        assert response.json["detail"].startswith("Not a valid JSONPath expression: ")
        return
    assert response.status_code == 200, response.json
    body = response.json
    if "result" in case:
        assert body["results"] == case["result"] and body["paths"] == case["result_paths"]
    else:
        assert [body["results"], body["paths"]] in [list(p) for p in zip(case["results"], case["results_paths"],
                                                                          strict=True)]


JQ_SAMPLE = [c for c in JQ_CASES[::15] if c[0] not in MODULES | NOT_STRICT_JSON | STOPS_WITH_AN_ERROR]


@pytest.mark.parametrize(("line", "program", "given", "expected"), JQ_SAMPLE, ids=[f"L{c[0]}" for c in JQ_SAMPLE])
def test_jq_own_tests_sample_through_the_sandbox(client: Any, line: int, program: str, given: str | None,
                                                 expected: list[str]) -> None:
    response = ask(client, given or "null", program, "jq")
    if given is None:
        assert response.status_code == 422 and response.json["title"] == "Invalid jq expression"
        return
    assert response.status_code == 200, response.json
    assert same(response.json["results"], [json.loads(e) for e in expected])


def test_deep_document_to_the_depth_limit(client: Any) -> None:
    deep = "[" * 1000 + "7" + "]" * 1000
    body = ask(client, deep, "$..[?@ == 7]").json
    assert body["results"] == [7] and body["paths"] == ["$" + "[0]" * 1000]
    assert ask(client, deep, "[..] | length", "jq").json["results"] == [1001]
    assert ask(client, "[" * 1001 + "]" * 1001, "$").status_code == 422


# --- every limit: a 422 naming it, and the worker fine after --------------------------------------

@pytest.mark.parametrize("program", ["def f: f; f", "[range(1e9)]", "last(range(1e12))",
                                     "def f(x): x | f(x + 1); 0 | f(.)"])
def test_cpu_limit(make_app: Any, program: str) -> None:
    client = make_app(TOOLBOX_QUERY_TIMEOUT="1").test_client()
    response = ask(client, "1", program, "jq")
    assert response.status_code == 422, response.json
    problem = response.json
    assert problem["limit"] in ("cpu", "time") and "time limit of 1 s" in problem["detail"]
    assert "TOOLBOX_QUERY_TIMEOUT" in problem["detail"]
    still_fine(client)


@pytest.mark.parametrize("program", ['"x" * 1e9', '"x" * 1e8 | . + .'])
def test_memory_limit(make_app: Any, program: str) -> None:
    client = make_app(TOOLBOX_QUERY_MEMORY="256", TOOLBOX_QUERY_TIMEOUT="20").test_client()
    response = ask(client, "1", program, "jq")
    assert response.status_code == 422, response.json
    assert response.json["limit"] == "memory" and "256 MiB" in response.json["detail"]
    assert response.json["title"] == "Query memory limit"
    still_fine(client)


@pytest.mark.parametrize("program", ['[limit(1e8; repeat("x" * 1000))]', '[repeat(1)]', "[range(1e9)] | length",
                                     "def f: [f]; f"])
def test_hostile_programs_are_stopped_by_one_limit_or_another(make_app: Any, program: str) -> None:
    client = make_app(TOOLBOX_QUERY_TIMEOUT="2", TOOLBOX_QUERY_MEMORY="256").test_client()
    response = ask(client, "1", program, "jq")
    assert response.status_code == 422 and response.json["limit"] in ("cpu", "time", "memory"), response.json
    still_fine(client)


def test_memory_limit_in_python_jsonpath() -> None:
    document = json.dumps([[i, "ab" * i, {"k": [i] * 3}] for i in range(2000)])  # 4 MB
    with pytest.raises(OpError) as raised:
        limits = Limits(10, 48 << 20, 10_000, 1 << 24, 1000)
        result_of(run_child(document, "$..*", "jsonpath", limits), "jsonpath", limits)
    assert raised.value.details["limit"] == "memory"
    assert not children()


def test_wall_clock_limit_kills_a_child_that_uses_no_cpu(make_app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ops_query, "child_command",
                        lambda limits, language: [sys.executable, "-c", "import time; time.sleep(60)"])
    monkeypatch.setattr(ops_query, "WALL_SLACK", 0.2)
    client = make_app(TOOLBOX_QUERY_TIMEOUT="1").test_client()
    response = ask(client, "1", ".")
    assert response.status_code == 422 and response.json["limit"] == "time"
    assert "ran longer than its time limit of 1 s" in response.json["detail"]
    assert not children()


def test_output_limit(make_app: Any) -> None:
    client = make_app(TOOLBOX_QUERY_MAX_OUTPUT="1k").test_client()
    for program, language in (('"x" * 2000', "jq"), ("[range(1000)]", "jq"), ("$..*", "jsonpath")):
        response = ask(client, json.dumps(["y" * 800, "z" * 800]), program, language)
        assert response.status_code == 422, response.json
        assert response.json["limit"] == "output" and "1,024 bytes" in response.json["detail"]
    still_fine(client)


def test_output_read_back_is_bounded(make_app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A child that writes without end (it never would): the parent stops reading and kills it."""
    monkeypatch.setattr(ops_query, "child_command", lambda limits, language: [
        sys.executable, "-c", "import sys\nwhile True: sys.stdout.write('x' * 65536)"])
    client = make_app(TOOLBOX_QUERY_MAX_OUTPUT="1k").test_client()
    response = ask(client, "1", ".")
    assert response.status_code == 422 and response.json["limit"] == "output"
    assert not children()


def test_concurrency_limit(make_app: Any) -> None:
    client = make_app(TOOLBOX_QUERY_TIMEOUT="1", TOOLBOX_QUERY_CONCURRENCY="3").test_client()
    slots = ops_query.query_slots(3)
    for _ in range(3):  # every slot taken, as by three running queries
        assert slots.acquire(timeout=0)
    try:
        response = ask(client, "1", ".", "jq")
        assert response.status_code == 422 and response.json["limit"] == "busy"
        assert "at most 3 queries at once" in response.json["detail"]
    finally:
        for _ in range(3):
            slots.release()
    still_fine(client)


def test_result_limit_truncates(make_app: Any) -> None:
    client = make_app(TOOLBOX_QUERY_MAX_RESULTS="5").test_client()
    body = ask(client, "1", "repeat(1)", "jq").json
    assert body["results"] == [1] * 5 and body["truncated"] is True and "first 5 results" in body["notes"][0]
    body = ask(client, json.dumps(list(range(10))), "$[*]").json
    assert body["count"] == 5 and body["paths"][-1] == "$[4]" and body["truncated"] is True


def test_a_combinatorial_jsonpath_is_bounded(client: Any) -> None:
    def tree(level: int) -> Any:
        return [tree(level - 1) for _ in range(6)] if level else "leaf"
    response = ask(client, json.dumps(tree(6)), "$..*..*..*..*")
    assert response.status_code in (200, 422), response.json
    if response.status_code == 200:
        assert response.json["truncated"] is True and response.json["count"] == 10_000
    else:
        assert response.json["limit"] in ("output", "cpu", "time", "memory")
    still_fine(client)


def test_the_child_sees_no_environment(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOOLBOX_QUERY_CANARY", "s3cret-canary")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "s3cret-canary")
    response = ask(client, "null", "[$ENV, env] | tostring", "jq")
    assert response.status_code == 200
    seen = response.json["results"][0]
    assert "s3cret" not in seen and "PATH" not in seen and "HOME" not in seen


@pytest.mark.parametrize(("program", "words"), [
    ('import "a" as a; .', "module not found"), ('include "x"; .', "module not found"),
    ('"/etc/passwd" | modulemeta', "module not found"), ("input", "break"),
    ('"bye" | halt_error', "bye"),
])
def test_builtins_a_shared_server_refuses(client: Any, program: str, words: str) -> None:
    response = ask(client, "1", program, "jq")
    assert response.status_code == 422 and words in response.json["detail"]


def test_harmless_builtins_answer(client: Any) -> None:
    body = ask(client, "1", "[input_filename, get_search_list, $__loc__, (now | type)]", "jq").json
    assert body["results"] == [[None, [], {"file": "<top-level>", "line": 1}, "number"]]


# --- refusals: malformed, wrong types, oversized, non-ASCII ------------------------------------------

@pytest.mark.parametrize(("text", "expression", "language", "title"), [
    ('{"a": [1,\n 2,,]}', "$", "jsonpath", "Invalid JSON"),
    ("{'a': 1}", ".", "jq", "Invalid JSON"),
    ("", "$", "jsonpath", "Invalid JSON"),
    ("NaN", ".", "jq", "Invalid JSON"),
    ("\ufeff{}", ".", "jq", "Invalid JSON"),
    ('"\\ud800"', "$", "jsonpath", "Invalid JSON"),
    ("{}", "$[", "jsonpath", "Invalid JSONPath expression"),
    ("{}", "$.a[?@.b == ]", "jsonpath", "Invalid JSONPath expression"),
    ("{}", ".a +", "jq", "Invalid jq expression"),
    ("{}", "\u202e.a", "jq", "Invalid jq expression"),
    ("{}", "$.名前", "jsonpath", "Invalid JSONPath expression"),  # upstream gap: see test_query.py
    ("[1]", ".[0].a", "jq", "The jq query failed"),
])
def test_refusals_are_422_with_a_message(client: Any, text: str, expression: str, language: str,
                                         title: str) -> None:
    response = ask(client, text, expression, language)
    assert response.status_code == 422, response.json
    assert response.json["title"] == title and response.json["detail"]


def test_a_syntax_error_is_located(client: Any) -> None:
    problem = ask(client, '{"a": [1,\n 2,,]}', "$").json
    assert problem["line"] == 2 and problem["column"] == 4 and problem["caret"].strip() == "^"


@pytest.mark.parametrize("body", [{}, {"text": "{}"}, {"expression": "$"}, {"text": 1, "expression": "$"},
                                  {"text": "{}", "expression": ""}, {"text": "{}", "expression": "$", "language": "xpath"},
                                  {"text": "{}", "expression": ["$"]}, {"text": "{}", "expression": "$" * 10_001},
                                  {"text": "{}", "expression": "$", "extra": 1}, [], "x", 0])
def test_wrong_types_and_oversized_expressions(client: Any, body: Any) -> None:
    response = client.post("/api/v1/json/query", json=body)
    assert response.status_code in (400, 422), response.json
    assert response.mimetype == "application/problem+json"


def test_the_body_limit_bounds_the_document(make_app: Any) -> None:
    client = make_app(TOOLBOX_MAX_BODY_BYTES="4k").test_client()
    assert ask(client, json.dumps(["x" * 5000]), "$").status_code == 413


# --- the page ------------------------------------------------------------------------------------------

def post_page(client: Any, data: dict[str, str], htmx: bool = False, path: str = "/json/query") -> Any:
    return client.post(path, data=data, headers={"HX-Request": "true"} if htmx else {},
                       content_type="multipart/form-data")


def test_page_sample_shows_results_with_paths(client: Any) -> None:
    html = client.get("/json/query?sample=store").get_data(as_text=True)
    assert 'data-status="2 results"' in html and "Sayings of the Century" in html and "Moby Dick" in html
    assert "$[&#x27;store&#x27;][&#x27;book&#x27;][0][&#x27;title&#x27;]" in html
    assert 'formaction="/json/query/download"' in html and 'aria-current="page">Query<' in html
    jq_html = client.get("/json/query?sample=store-jq").get_data(as_text=True)
    assert 'data-status="2 results"' in jq_html and 'id="language-jq" name="language" value="jq" checked' in jq_html
    empty = client.get("/json/query").get_data(as_text=True)
    assert 'data-status' not in empty and 'id="expression"' in empty


def test_page_post_and_htmx_partial(client: Any) -> None:
    data = {"text": f'[{BIG}, 2]', "expression": ".[] | select(. > 1)", "language": "jq"}
    page = post_page(client, data)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and BIG in html and "<form" in html and "cannot be held exactly" in html
    partial = post_page(client, data, htmx=True).get_data(as_text=True)
    assert "<form" not in partial and 'data-status="2 results"' in partial


@pytest.mark.parametrize(("data", "status", "words"), [
    ({"text": "", "expression": "$"}, 422, "Paste a JSON document"),
    ({"text": "{}", "expression": " "}, 422, "Write an expression"),
    ({"text": '{"a":\n 1,}', "expression": "$"}, 422, "The document is not valid JSON: line 2"),
    ({"text": "{}", "expression": "$["}, 422, "Not a valid JSONPath expression"),
    ({"text": "{}", "expression": "$", "language": "xpath"}, 400, "Language: must be one of jsonpath, jq"),
])
def test_page_refusals_keep_the_input(client: Any, data: dict[str, str], status: int, words: str) -> None:
    page = post_page(client, data)
    html = page.get_data(as_text=True)
    assert page.status_code == status and words in html and "<form" in html


def test_page_shows_where_a_jq_expression_fails(client: Any) -> None:
    html = post_page(client, {"text": "{}", "expression": ".a +", "language": "jq"}).get_data(as_text=True)
    assert "Not a valid jq expression: syntax error, unexpected end of file" in html
    snippet = html.split('class="code caret-snippet"', 1)[1].split("</pre>", 1)[0]
    assert ".a +" in snippet and "^" in snippet


def test_download_posts_the_form_and_gives_a_json_file(client: Any) -> None:
    data = {"text": f'{{"a": [{BIG}, 1.50, "é"]}}', "expression": "$.a[*]", "language": "jsonpath"}
    response = post_page(client, data, path="/json/query/download")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == 'attachment; filename="results.json"'
    assert response.get_data(as_text=True) == f'[\n  {BIG},\n  1.50,\n  "é"\n]\n'
    assert client.get("/json/query/download?text=1&expression=%24").status_code == 405
    refused = post_page(client, {"text": "{", "expression": "$"}, path="/json/query/download")
    assert refused.status_code == 422 and "<form" in refused.get_data(as_text=True)


# --- the CLI -------------------------------------------------------------------------------------------

@pytest.fixture
def document(tmp_path: Path) -> str:
    path = tmp_path / "d.json"
    path.write_text(f'{{"a": [1, 2.50, {{"b": "x"}}], "big": {BIG}}}', encoding="utf-8")
    return str(path)


def run_cli(*args: str, stdin: str | None = None) -> Any:
    return CliRunner().invoke(main, ["json", "query", *args], input=stdin)


def test_cli_prints_one_result_per_line_like_jq(document: str) -> None:
    result = run_cli("$.a[*]", document)
    assert result.exit_code == 0 and result.stdout == '1\n2.50\n{\n  "b": "x"\n}\n'
    compact = run_cli("--jq", "-c", ".a[], .big", document)
    assert compact.exit_code == 0 and compact.stdout == f'1\n2.50\n{{"b":"x"}}\n{BIG}\n'
    raw = run_cli("--language", "jq", "-r", ".a[2].b", document)
    assert raw.stdout == "x\n" and "note: 1 number" in raw.stderr


def test_cli_paths_json_and_stdin(document: str) -> None:
    assert run_cli("--paths", "$..b", document).stdout == "$['a'][2]['b']\n"
    body = json.loads(run_cli("--json", "$.big", document).stdout)
    assert body == {"results": [int(BIG)], "paths": ["$['big']"], "count": 1, "truncated": False, "notes": []}
    assert run_cli("$[1]", "-", stdin="[0, 1]").stdout == "1\n"
    assert run_cli("--jq", "--paths", ".", document).exit_code == 2


def test_cli_exit_status(document: str) -> None:
    assert run_cli("$.missing", document).exit_code == 0  # no results is not an error (as jq)
    assert run_cli("-e", "$.missing", document).exit_code == 1
    assert run_cli("-e", "--jq", ".a[0] == 2", document).exit_code == 1
    assert run_cli("-e", "--jq", ".a[0] == 1", document).exit_code == 0
    bad = run_cli("$[", document)
    assert bad.exit_code == 2 and "Invalid JSONPath expression" in bad.stderr
    located = run_cli("$", "-", stdin='{"a":\n 1,}')
    assert located.exit_code == 2 and located.stderr.startswith("-:2:")


def test_cli_limits_use_the_settings(document: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOOLBOX_QUERY_TIMEOUT", "1")
    result = run_cli("--jq", "def f: f; f", document)
    assert result.exit_code == 2 and "time limit of 1 s" in result.stderr
    monkeypatch.setenv("TOOLBOX_QUERY_TIMEOUT", "0")
    assert run_cli("$", document).exit_code == 2


def test_child_runs_isolated_and_is_this_toolbox() -> None:
    command = ops_query.child_command(Limits(5, 1 << 30, 10, 10, 10), "jq")
    assert command[:4] == [sys.executable, "-I", "-X", "utf8"] and command[-1] == "jq"
    assert Path(command[4]) == Path(ops_query.__file__).resolve().parent.parent / "query_child.py"
    assert Path(command[4]).is_file()
