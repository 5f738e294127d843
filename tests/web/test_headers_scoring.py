"""Scoring profiles through every adapter: the API's `scoring`, the page's Scoring field, the CLI's --scoring.

The profiles' verdicts themselves are proven against each Observatory version's own results in
tests/unit/headers/test_observatory_equality.py; here, that the choice reaches the core, is shown,
is refused cleanly when it is not one of the three, and that the next version's grade comes along.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask

from toolbox.cli import main
from toolbox.core.headers.profiles import PROFILES, SCORINGS

URL = "https://scoring.example/"
# X-Frame-Options DENY: 0 under v4, +5 under v5 and v6; COOP same-origin: +10 only under v6.
RAW = ("HTTP/2 200\ncontent-type: text/html\n"
       "content-security-policy: default-src 'none'; script-src 'self'; form-action 'self'\n"
       "strict-transport-security: max-age=63072000\nx-content-type-options: nosniff\n"
       "x-frame-options: DENY\nreferrer-policy: no-referrer\ncross-origin-opener-policy: same-origin\n")
EXPECTED = {"v4": 115, "v5": 120, "v6": 130}  # 100 + CSP 10 + referrer 5 (+ XFO 5) (+ COOP 10)


def check(client: Any, **fields: object) -> Any:
    return client.post("/api/v1/headers/check", json={"raw": RAW, "url": URL, **fields})


@pytest.fixture
def client(make_app: Any) -> Any:
    app: Flask = make_app()
    return app.test_client()


@pytest.mark.parametrize("scoring", ["v4", "v5", "v6"])
def test_the_api_scores_with_the_profile_asked_and_says_so(client: Any, scoring: str) -> None:
    body = check(client, scoring=scoring).get_json()
    assert body["score"] == EXPECTED[scoring]
    assert (body["scoring"], body["algorithm_version"]) == (scoring, PROFILES[scoring].algorithm_version)
    assert body["scoring_title"] == PROFILES[scoring].title
    assert [t["id"] for t in body["tests"]] == list(PROFILES[scoring].test_ids)
    xfo = next(t for t in body["tests"] if t["id"] == "x-frame-options")
    assert xfo["score_modifier"] == (0 if scoring == "v4" else 5)
    if scoring == "v6":
        assert body["next"] is None  # already the next version
    else:
        assert body["next"] == {"scoring": "v6", "title": PROFILES["v6"].title, "grade": "A+", "score": 130}


def test_the_default_is_v5_the_public_observatory(client: Any) -> None:
    body = check(client).get_json()
    assert (body["scoring"], body["score"]) == ("v5", EXPECTED["v5"])


@pytest.mark.parametrize("bad", ["v7", "V5", "", "v5 ", 5, None, ["v5"], {"v": 5}, "v\u0665", "x" * 5000])
def test_an_unknown_scoring_is_a_clear_400(client: Any, bad: object) -> None:
    response = check(client, scoring=bad)
    assert response.status_code in (400, 422), response.status_code
    problem = response.get_json()
    assert problem["status"] == response.status_code
    assert "scoring" in str(problem).lower()
    assert "x" * 200 not in str(problem)  # a huge value is not echoed back whole


def test_the_page_offers_the_three_versions_with_v5_chosen(client: Any) -> None:
    page = client.get("/headers/").get_data(as_text=True)
    assert '<select id="scoring" name="scoring"' in page
    for name in ("v5", "v4", "v6"):
        assert f'<option value="{name}"' in page
    assert '<option value="v5" selected>' in page


def test_the_page_grades_with_the_chosen_version_and_shows_the_next(client: Any) -> None:
    page = client.post("/headers/", data={"raw": RAW, "url": URL, "scoring": "v4"}).get_data(as_text=True)
    assert PROFILES["v4"].title in page
    assert "<strong>115</strong> points" in page
    assert "Under the next version (Observatory scoring v6 (next)): grade <strong>A+</strong>, 130 points." in page
    assert "The Observatory's 10 tests" in page
    assert '<option value="v4" selected>' in page  # the choice is kept
    v6 = client.post("/headers/", data={"raw": RAW, "url": URL, "scoring": "v6"}).get_data(as_text=True)
    assert "The Observatory's 12 tests" in v6 and "Cross-origin opener policy" in v6
    assert "Under the next version" not in v6


@pytest.mark.parametrize("bad", ["v7", "<script>alert(1)</script>", "v5\x00", "é" * 3000])
def test_the_page_refuses_another_value_and_keeps_the_input(client: Any, bad: str) -> None:
    response = client.post("/headers/", data={"raw": RAW, "url": URL, "scoring": bad})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Scoring: must be one of v5, v4, v6." in page
    assert "cross-origin-opener-policy: same-origin" in page  # the pasted headers are kept
    assert "<script>alert(1)</script>" not in page
    assert '<option value="v5" selected>' in page  # an unknown value falls back to the default


def test_the_algorithm_page_shows_each_versions_modifier(client: Any) -> None:
    page = client.get("/headers/algorithm").get_data(as_text=True)
    row = page[page.index('<code class="finding-id">x-frame-options-sameorigin-or-deny</code>'):]
    row = row[:row.index("</tr>")]
    assert [cell.split(">")[1].split("<")[0] for cell in row.split('<td class="mono"')[1:]] == ["+5", "0", "+5"]
    coop = page[page.index('<code class="finding-id">coop-implemented-with-same-origin</code>'):]
    coop = coop[:coop.index("</tr>")]
    assert [cell.split(">")[1].split("<")[0] for cell in coop.split('<td class="mono"')[1:]] == ["—", "—", "+10"]


def test_the_cli_takes_scoring_and_prints_it(tmp_path: Path) -> None:
    headers = tmp_path / "headers.txt"
    headers.write_text(RAW)
    result = CliRunner().invoke(main, ["headers", "--raw", str(headers), "--scoring", "v4", URL])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first == f"{URL}: A+ (score 115, {PROFILES['v4'].title})"
    assert "Under the next version (Observatory scoring v6 (next)): A+ (score 130)" in result.output
    wrong = CliRunner().invoke(main, ["headers", "--raw", str(headers), "--scoring", "v9", URL])
    assert wrong.exit_code == 2 and "v9" in wrong.output


def test_the_form_offers_every_profile_once() -> None:
    from toolbox.web.headers_tool import SCORING_CHOICES

    assert [name for name, _ in SCORING_CHOICES] == list(SCORINGS)
