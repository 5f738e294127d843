"""JSON Lines over HTTP: POST /api/v1/json/lines (a pasted text), POST /api/v1/json/lines/stream (an upload
read as it arrives: multipart or raw NDJSON) and the page /json/lines (paste or upload); hostile bodies."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

STREAM = "/api/v1/json/lines/stream"
SCHEMA = json.dumps({"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}})
LINES = b'{"id": 1}\n{"id": "2"}\n{}\n[1,\n{"id": 5}\n'


def multipart(*parts: tuple[str, bytes, str | None], boundary: str = "B0undary") -> bytes:
    body = b""
    for name, data, filename in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename is not None else "")
        body += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + data + b"\r\n"
    return body + f"--{boundary}--\r\n".encode()


def post_stream(client: Any, body: bytes, content_type: str = "multipart/form-data; boundary=B0undary") -> Any:
    return client.post(STREAM, data=body, content_type=content_type)


def test_the_operation_validates_pasted_lines(client: Any) -> None:
    response = client.post("/api/v1/json/lines", json={"text": LINES.decode(), "schema": SCHEMA})
    assert response.status_code == 200
    body = response.json
    assert body["valid"] is False and body["lines"] == 5 and body["valid_values"] == 2
    assert [(e["line"], e["keyword"], e["pointer"]) for e in body["errors"]] == [
        (2, "type", "/id"), (3, "required", ""), (4, "syntax", None)]
    assert body["summary"][0]["count"] == 1 and body["schema"] is True


def test_the_stream_gives_the_operations_answer(client: Any) -> None:
    pasted = client.post("/api/v1/json/lines", json={"text": LINES.decode(), "schema": SCHEMA}).json
    streamed = post_stream(client, multipart(("schema", SCHEMA.encode(), None), ("lines", LINES, "a.jsonl")))
    assert streamed.status_code == 200 and streamed.json == pasted
    form = client.post(STREAM, data={"schema": SCHEMA, "lines": (io.BytesIO(LINES), "a.jsonl")},
                       content_type="multipart/form-data")
    assert form.status_code == 200 and form.json == pasted


def test_raw_ndjson_is_checked_for_syntax(client: Any) -> None:
    for content_type in ("application/x-ndjson", "application/jsonl", "application/x-jsonlines"):
        response = post_stream(client, LINES, content_type)
        assert response.status_code == 200
        assert response.json["schema"] is False and [e["line"] for e in response.json["errors"]] == [4]


def test_options_travel_as_parts_before_the_file(client: Any) -> None:
    body = multipart(("blank_lines", b"ignore", None), ("formats", b"false", None), ("dialect", b"draft7", None),
                     ("schema", b'{"format": "email"}', None), ("lines", b'"x"\n\n"y"\n', "a"))
    answer = post_stream(client, body).json
    assert answer["valid"] is True and answer["blank"] == 1 and answer["formats_asserted"] is False
    assert answer["dialect"] == "draft7"
    for name, value in (("blank_lines", b"maybe"), ("formats", b"yes"), ("dialect", b"draft99")):
        refused = post_stream(client, multipart((name, value, None), ("lines", b"1\n", "a")))
        assert refused.status_code == 422 and name in refused.json["detail"]


@pytest.mark.parametrize("body, content_type, words", [
    (multipart(("lines", b"1\n", "a"), ("schema", b"{}", None)), None, "must come last"),
    (multipart(("lines", b"1\n", "a"), ("lines", b"2\n", "b")), None, "sent twice"),
    (multipart(("schema", b"{}", None), ("schema", b"{}", None), ("lines", b"1", "a")), None, "sent twice"),
    (multipart(("junk", b"1", None), ("lines", b"1", "a")), None, "Unknown part 'junk'"),
    (multipart(("schema", b"{}", None)), None, "No `lines` part"),
    (multipart(("lines", b"1\n" * 100, "a"))[:-30], None, "ends before its closing boundary"),
    (multipart(("lines", b"1", "a")), "multipart/form-data", "boundary"),
    (multipart(("lines", b"1", "a")), "multipart/form-data; boundary=" + "x" * 300, "boundary"),
    (b"--B0undary\r\nContent-Disposition: form-data; name=\"lines\"\r\nX-Big: " + b"a" * 5000 + b"\r\n\r\n1\r\n"
     b"--B0undary--\r\n", None, "headers are too large"),
    (b"--B0undary\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(20)) + b"\r\n1\r\n--B0undary--\r\n", None,
     "headers are too large"),
    (b"--B0undary\r\nContent-Type: text/plain\r\n\r\n1\r\n--B0undary--\r\n", None, "with a name"),
    (b"garbage with no boundary at all", None, "malformed"),
    (multipart(("schema", b"\xff{}", None), ("lines", b"1", "a")), None, "not UTF-8"),
])
def test_hostile_multipart_is_a_clear_400(client: Any, body: bytes, content_type: str | None, words: str) -> None:
    response = post_stream(client, body, content_type or "multipart/form-data; boundary=B0undary")
    assert response.status_code == 400, response.json
    assert response.headers["Content-Type"] == "application/problem+json"
    assert words in response.json["detail"]


def test_other_media_types_are_415(client: Any) -> None:
    for content_type in ("application/json", "text/plain", "application/x-www-form-urlencoded"):
        response = post_stream(client, b'{"a": 1}', content_type)
        assert response.status_code == 415 and "multipart/form-data" in response.json["detail"]


def test_an_unusable_schema_is_422_before_any_line(client: Any) -> None:
    not_json = post_stream(client, multipart(("schema", b'{"type": }', None), ("lines", b"1", "a")))
    assert not_json.status_code == 422 and not_json.json["which"] == "schema" and not_json.json["line"] == 1
    broken = post_stream(client, multipart(("schema", b'{"type": 5}', None), ("lines", b"1", "a")))
    assert broken.status_code == 422 and broken.json["errors"][0]["pointer"] == "/type"
    remote = client.post("/api/v1/json/lines", json={"text": "1", "schema": '{"$ref": "https://x.example/s"}'})
    assert remote.status_code == 422 and "outside the pasted schema" in remote.json["detail"]


def test_the_streamed_limit_replaces_the_body_limit_there_only(make_app: Any) -> None:
    client = make_app(TOOLBOX_MAX_BODY_BYTES="4k", TOOLBOX_JSON_LINES_MAX_BYTES="64k").test_client()
    lines = b'{"id": 1}\n' * 3000  # 30 KB: over the body limit, under the streamed one
    ok = post_stream(client, multipart(("lines", lines, "a")))
    assert ok.status_code == 200 and ok.json["lines"] == 3000
    assert client.post("/api/v1/json/lines", json={"text": lines.decode()}).status_code == 413
    too_big = post_stream(client, multipart(("lines", lines * 3, "a")))
    assert too_big.status_code == 413
    for body, status in ((lines, 200), (lines * 3, 413)):  # chunked: no Content-Length, counted as it comes
        chunked = client.post(STREAM, input_stream=io.BytesIO(body), content_type="application/x-ndjson",
                              environ_overrides={"wsgi.input_terminated": True})
        assert chunked.status_code == status
    schema_over = post_stream(client, multipart(("schema", b" " * 5000 + b"{}", None), ("lines", b"1", "a")))
    assert schema_over.status_code == 413 and "'schema' part" in schema_over.json["detail"]


def test_a_line_over_the_line_limit_is_that_lines_error(make_app: Any) -> None:
    client = make_app(TOOLBOX_JSON_LINE_MAX="100").test_client()
    body = b'{"id": 1}\n[' + b"1," * 500 + b"1]\n{\"id\": 3}\n"
    answer = post_stream(client, body, "application/x-ndjson").json
    assert [(e["line"], e["keyword"]) for e in answer["errors"]] == [(2, "too-long")]
    assert answer["valid_values"] == 2


def test_deep_nul_and_non_utf8_lines_are_located(client: Any) -> None:
    body = b"[" * 5000 + b"]" * 5000 + b'\n{"a": "\x00"}\n"\xc3("\n'
    answer = post_stream(client, body, "application/x-ndjson").json
    assert [(e["line"], e["keyword"]) for e in answer["errors"]] == [(1, "too-deep"), (2, "syntax"), (3, "encoding")]


def test_the_page_shows_the_sample_with_its_errors(client: Any) -> None:
    response = client.get("/json/lines?sample=orders")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-status="Invalid: 6 of 10 lines"' in html
    assert "Most common errors" in html and "&quot;sku&quot; is a required property" in html
    assert 'aria-current="page"' in html and ">JSON Lines</a>" in html
    assert client.get("/json/lines?sample=nope").get_data(as_text=True).count("data-status") == 0


def test_the_page_validates_a_paste_and_an_upload(client: Any) -> None:
    pasted = client.post("/json/lines", data={"text": LINES.decode(), "schema": SCHEMA},
                         content_type="multipart/form-data")
    assert pasted.status_code == 200 and 'data-status="Invalid: 3 of 5 lines"' in pasted.get_data(as_text=True)
    uploaded = client.post("/json/lines", data={"text": "x", "schema": SCHEMA,
                                               "file": (io.BytesIO(b'{"id": 1}\n' * 50), "orders.jsonl")},
                           content_type="multipart/form-data")
    html = uploaded.get_data(as_text=True)
    assert uploaded.status_code == 200 and 'data-status="Valid: 50 lines"' in html and "orders.jsonl" in html
    both = client.post("/json/lines", data={"text": "not json", "file": (io.BytesIO(b"1\n"), "a.jsonl")},
                       content_type="multipart/form-data")
    assert 'data-status="Valid: 1 line"' in both.get_data(as_text=True)  # a chosen file wins
    urlencoded = client.post("/json/lines", data={"text": "1\n2\n", "blank_lines": "ignore"})
    assert 'data-status="Valid: 2 lines"' in urlencoded.get_data(as_text=True)
    htmx = client.post("/json/lines", data={"text": "1\n"}, headers={"HX-Request": "true"})
    assert htmx.get_data(as_text=True).startswith("{#-") is False and "<form" not in htmx.get_data(as_text=True)


def test_the_page_explains_empty_input_and_a_bad_schema(client: Any) -> None:
    # As a browser sends an empty form: every field, the file part without a file name (werkzeug's test
    # client frames an empty part without its CRLF, so the body is written out here).
    empty = client.post("/json/lines", data=multipart(("text", b"", None), ("schema", b"", None), ("file", b"", "")),
                        content_type="multipart/form-data; boundary=B0undary")
    assert empty.status_code == 422 and "Paste JSON Lines or choose a file" in empty.get_data(as_text=True)
    nameless = client.post("/json/lines", data=multipart(("text", b"1", None), ("file", b"2", "")),
                           content_type="multipart/form-data; boundary=B0undary")
    assert nameless.status_code == 400
    bad = client.post("/json/lines", data={"text": "1", "schema": '{"type": 5}'}, content_type="multipart/form-data")
    assert bad.status_code == 422 and "Cannot validate" in bad.get_data(as_text=True)
    not_json = client.post("/json/lines", data={"text": "1", "schema": "{"}, content_type="multipart/form-data")
    assert not_json.status_code == 422 and "Schema is not valid JSON" in not_json.get_data(as_text=True)
    upload_bad_schema = client.post("/json/lines", data={"schema": '{"type": 5}', "file": (io.BytesIO(b"1"), "a")},
                                    content_type="multipart/form-data")
    html = upload_bad_schema.get_data(as_text=True)
    assert upload_bad_schema.status_code == 422 and "Cannot validate" in html and '{"type": 5}' in html


def test_the_page_keeps_nul_as_that_lines_error(client: Any) -> None:
    response = client.post("/json/lines", data={"text": '1\n"\x00"\n'}, content_type="multipart/form-data")
    assert response.status_code == 200 and 'data-status="Invalid: 1 of 2 lines"' in response.get_data(as_text=True)


def test_the_stream_needs_the_api_token_when_authentication_is_on(make_app: Any) -> None:
    client = make_app(TOOLBOX_API_JWT_KEY="k" * 40).test_client()
    response = post_stream(client, b"1\n", "application/x-ndjson")
    assert response.status_code == 401 and response.headers["Content-Type"] == "application/problem+json"


def test_hostile_page_uploads_are_400_with_the_typed_fields_kept(client: Any) -> None:
    for body in (multipart(("text", b'{"kept": "\xc3\xbc"}', None), ("file", b"1\n", "a.jsonl"), ("file", b"2\n", "b")),
                 multipart(("text", b'{"kept": "\xc3\xbc"}', None), ("file", b"1\n", "a.jsonl"), ("schema", b"{}", None)),
                 multipart(("text", b'{"kept": "\xc3\xbc"}', None), ("file", b"1\n" * 50, "a.jsonl"))[:-40]):
        response = client.post("/json/lines", data=body, content_type="multipart/form-data; boundary=B0undary")
        html = response.get_data(as_text=True)
        assert response.status_code == 400 and 'role="alert"' in html
        assert '{"kept": "ü"}' in html  # the pasted text comes back; the file never does
        assert "1\n1\n" not in html
