"""The HAR page (/headers/har) and API (POST /api/v1/headers/har): upload and paste, hostile input, privacy."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from tests.unit.headers.test_har import PAGE_HEADERS, SECRET, chrome, entry, har
from toolbox.web.headers_har import SAMPLE_HAR, SAMPLES

HX = {"HX-Request": "true"}


def upload(client: Any, data: bytes, filename: str = "site.har", **fields: str) -> Any:
    return client.post("/headers/har", data={"har_file": (io.BytesIO(data), filename), **fields},
                       content_type="multipart/form-data")


# --- the page --------------------------------------------------------------------------------------


def test_empty_page_offers_upload_paste_and_sample(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/headers/har").get_data(as_text=True)
    assert 'type="file"' in html and 'name="har_file"' in html and 'name="har"' in html
    assert 'enctype="multipart/form-data"' in html
    assert "/headers/har?sample=shop" in html
    assert "/headers/har" in client.get("/headers/").get_data(as_text=True)  # linked from the checker


def test_sample_is_graded_with_its_coverage_table(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/headers/har?sample=shop")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Main document:" in html and "https://shop.example.com/" in html
    assert 'class="grade grade-a"' in html  # the checker's own result partial
    assert "Security headers across the site" in html and 'class="claims stack coverage"' in html
    assert "coverage-csp" in html and "/favicon.ico" in html  # the 404 lacks the page's CSP
    assert "https://cdn.tracker.example" in html and "Other origins" in html
    assert "redirection-to-https" in html  # the sample's http:// visit is measured
    assert "/api/cart</span> <span class=\"muted\">(api (json/xml))</span>: sends none; " in html
    assert '<span class="cov-none">lacks HSTS, XCTO, CORP</span>' in html  # each response, what it lacks
    assert client.get("/headers/har?sample=nope").get_data(as_text=True).count("Main document:") == 0


def test_upload_grades_the_file(client) -> None:  # type: ignore[no-untyped-def]
    response = upload(client, chrome().encode())
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Main document:" in html and "https://shop.example/" in html
    assert SECRET not in html  # request headers, cookies, post data, query strings, other values


def test_upload_with_a_bom_and_htmx_partial(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/headers/har", data={"har_file": (io.BytesIO(b"\xef\xbb\xbf" + chrome().encode()),
                                                             "x.har")},
                           content_type="multipart/form-data", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<form" not in html and "Security headers across the site" in html


def test_paste_grades_and_keeps_the_text(client) -> None:  # type: ignore[no-untyped-def]
    text = har(entry("https://paste.example/", 200, PAGE_HEADERS, kind="document"))
    response = client.post("/headers/har", data={"har": text, "scoring": "v6"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "https://paste.example/" in html and "Observatory scoring v6" in html
    assert "paste.example" in html.split("</textarea>")[0]  # kept in the textarea


def test_a_file_wins_over_the_paste(client) -> None:  # type: ignore[no-untyped-def]
    response = upload(client, chrome().encode(), har="not json")
    assert response.status_code == 200
    assert "https://shop.example/" in response.get_data(as_text=True)


@pytest.mark.parametrize(("fields", "status", "message"), [
    ({"har": ""}, 400, "Choose a HAR file, or paste"),
    ({"har": "   "}, 400, "Choose a HAR file, or paste"),
    ({"har": "{"}, 422, "The HAR is not valid JSON"),
    ({"har": "[1, 2]"}, 422, "The HAR is not a JSON object"),
    ({"har": '{"log": {"entries": [{"request": {"url": 5}}]}}'}, 422,
     "log.entries[0].request.url is not a string (it is a number)"),
    ({"har": har(entry("https://a.example/", 200, [("content-type", "application/json")]))}, 422,
     "no main document"),
    ({"har": '{"log": {"entries": []}}', "scoring": "v9"}, 400, "Scoring: must be one of"),
    ({"har": "{}\x00"}, 400, "contains a NUL character"),
    ({"har": '{"log": ' * 300 + "{}" + "}" * 300}, 422, "nests more than 128 levels"),
])
def test_hostile_pastes_get_a_clear_4xx(client, fields: dict[str, str], status: int,  # type: ignore[no-untyped-def]
                                        message: str) -> None:
    for headers in ({}, HX):
        response = client.post("/headers/har", data=fields, headers=headers)
        html = response.get_data(as_text=True)
        assert response.status_code == status, html[:300]
        assert message in html.replace("&#34;", '"').replace("&#39;", "'").replace("&quot;", '"')
        assert 'role="alert"' in html


@pytest.mark.parametrize(("data", "message"), [
    (b"", "the file is empty"),
    (b"\xff\xfe{\x00}", "not UTF-8 text (byte 0)"),
    (bytes(range(256)) * 8, "not UTF-8 text"),
    (b"PK\x03\x04" + b"\x00" * 100, "The HAR is not valid JSON"),
])
def test_hostile_uploads_get_a_clear_4xx(client, data: bytes, message: str) -> None:  # type: ignore[no-untyped-def]
    response = upload(client, data)
    assert 400 <= response.status_code < 500
    assert message in response.get_data(as_text=True)


def test_a_body_over_the_limit_is_413(make_app) -> None:  # type: ignore[no-untyped-def]
    client = make_app(TOOLBOX_MAX_BODY_BYTES="64K").test_client()
    assert upload(client, b" " * 70_000).status_code == 413
    response = client.post("/api/v1/headers/har", json={"har": " " * 70_000})
    assert response.status_code == 413


def test_nothing_of_the_har_is_logged(client, logs) -> None:  # type: ignore[no-untyped-def]
    sent = [
        upload(client, chrome().encode()),
        client.post("/headers/har", data={"har": chrome()}, headers=HX),
        client.post("/headers/har", data={"har": chrome()[:-20]}),  # an error path
        client.post("/api/v1/headers/har", json={"har": chrome()}),
        client.post("/api/v1/headers/har", json={"har": chrome().replace('"status": 200', '"status": "x"')}),
    ]
    assert [r.status_code for r in sent] == [200, 200, 422, 200, 422]
    text = "\n".join(logs.lines)
    assert logs.lines
    assert SECRET not in text and "shop.example" not in text


# --- the API ---------------------------------------------------------------------------------------


def test_api_answers_report_coverage_and_other_origins(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/headers/har", json={"har": SAMPLES["shop"]})
    assert response.status_code == 200
    body = response.json
    assert set(body) == {"report", "main_url", "coverage", "other_origins", "entries"}
    assert body["main_url"] == "https://shop.example.com/"
    assert body["entries"] == len(SAMPLE_HAR["log"]["entries"])
    assert body["report"]["grade"] and body["report"]["scoring"] == "v5"
    assert [hop["url"] for hop in body["report"]["http_chain"]] == ["http://shop.example.com/",
                                                                    "https://shop.example.com/"]
    assert {c["kind"] for c in body["coverage"]["classes"]} >= {"page", "script", "api", "error-page"}
    assert "coverage-csp" in {f["id"] for f in body["coverage"]["findings"]}
    assert body["other_origins"] == [{"origin": "https://cdn.tracker.example", "responses": 1,
                                      "classes": [["script", 1]]}]


def test_api_never_echoes_request_data_or_other_responses_values(client) -> None:  # type: ignore[no-untyped-def]
    body = client.post("/api/v1/headers/har", json={"har": chrome(), "scoring": "v4"})
    assert body.status_code == 200
    assert SECRET not in body.get_data(as_text=True)
    assert body.json["report"]["scoring"] == "v4"


@pytest.mark.parametrize(("body", "status", "message"), [
    ({}, 422, "missing required field 'har'"),
    ({"har": 5}, 422, "/har"),
    ({"har": "x", "extra": 1}, 422, "fields this operation does not accept"),
    ({"har": "{}", "scoring": "v1"}, 422, "/scoring"),
    ({"har": ""}, 422, "The HAR is empty"),
    ({"har": "not json"}, 422, "not valid JSON"),
    ({"har": json.dumps({"log": {"entries": [{"request": {"url": "https://a.example/"},
                                               "response": {"status": 200, "headers": [{"name": 1}]}}]}})},
     422, "log.entries[0].response.headers[0].name is not a string"),
    ({"har": har(entry("https://a.example/", 200, [("x-a", "b")] * 501, kind="document"))}, 413,
     "at most 500 per response"),
])
def test_api_hostile_bodies_get_a_clear_4xx(client, body: dict[str, Any], status: int,  # type: ignore[no-untyped-def]
                                            message: str) -> None:
    response = client.post("/api/v1/headers/har", json=body)
    assert response.status_code == status
    assert message in response.json["detail"] + json.dumps(response.json.get("errors", []))


def test_api_malformed_json_body_is_400(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/headers/har", data='{"har": ', content_type="application/json")
    assert response.status_code == 400


def test_api_is_in_the_openapi_document(client) -> None:  # type: ignore[no-untyped-def]
    paths = client.get("/api/openapi.json").json["paths"]
    assert "post" in paths["/api/v1/headers/har"]


def test_a_large_har_lists_the_first_responses_and_says_how_many_more(client) -> None:  # type: ignore[no-untyped-def]
    document = json.loads(chrome())
    document["log"]["entries"] += [entry(f"https://shop.example/i{n}.png", 200, [("content-type", "image/png")],
                                         kind="image") for n in range(300)]
    response = client.post("/headers/har", data={"har": json.dumps(document)}, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "/i190.png" in html and "/i199.png" not in html  # 5 responses first, then 195 images
    assert "And 105 more" in html
