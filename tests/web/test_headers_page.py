"""The header checker page: verdict first, pills, human titles, status line, sample and clear
links, cards on phones, and errors in the words of the form (no HTTP jargon), input kept."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from toolbox.web.headers_tool import SAMPLES

HX = {"HX-Request": "true"}
WEAK = (
    "HTTP/2 200\n"
    "content-security-policy: default-src 'self'; script-src 'self' 'unsafe-inline'\n"
    "strict-transport-security: max-age=63072000\nx-content-type-options: nosniff\n"
    "x-frame-options: DENY\nreferrer-policy: no-referrer\n"
)


class Cells(HTMLParser):
    """Collects the tests table's cells: tag, attributes and text."""

    def __init__(self) -> None:
        super().__init__()
        self.in_table = False
        self.cells: list[tuple[str, dict[str, str | None], str]] = []
        self.table_class = ""
        self._cell: tuple[str, dict[str, str | None]] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and "tests" in (dict(attrs).get("class") or ""):
            self.in_table, self.table_class = True, dict(attrs).get("class") or ""
        elif self.in_table and tag in ("td", "th"):
            self._cell, self._text = (tag, dict(attrs)), []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.in_table = False
        elif self._cell is not None and tag == self._cell[0]:
            self.cells.append((*self._cell, " ".join("".join(self._text).split())))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._text.append(data)


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_weak_site_opens_with_the_verdict_then_the_details(client) -> None:  # type: ignore[no-untyped-def]
    html = client.post("/headers/", data={"raw": WEAK, "url": "shop.example"}, headers=HX).get_data(as_text=True)
    assert html.lstrip().startswith("<div class=\"headers-result\" data-status=\"Graded B+: 8 of 10 tests passed\">")
    verdict = re.search(r'<p class="verdict verdict-(\w+)"><span class="word">([^<]+)</span> '
                        r'<span class="detail">([^<]+)</span></p>', html)
    assert verdict is not None
    assert verdict.groups() == ("warn", "Needs work", "Grade B+, score 80 · 8 of 10 tests passed (1 not measurable)")
    assert html.index("verdict") < html.index('class="grade ') < html.index("<table")
    gain = re.search(r'<p class="best-match"><strong>Biggest gain:</strong> ([^<]+)</p>', html)
    assert gain is not None
    assert text_of(gain.group(1)) == ("in the Content-Security-Policy, remove &#39;unsafe-inline&#39; from "
                                      "script-src — +35 points, grade B+ → A+.")  # X-Frame-Options DENY: +5 (v5)
    assert "csp-implemented" not in gain.group(1)


def test_pills_say_what_is_sent_and_what_is_missing(client) -> None:  # type: ignore[no-untyped-def]
    html = client.post("/headers/", data={"raw": WEAK}, headers=HX).get_data(as_text=True)
    pills = dict((name, state) for state, name in re.findall(r'<li class="pill pill-(\w+)">([A-Za-z-]+)', html))
    assert pills["Content-Security-Policy"] == "warn"  # sent, but its test fails
    assert pills["Strict-Transport-Security"] == "ok" and pills["X-Frame-Options"] == "ok"
    assert pills["Permissions-Policy"] == "missing" and pills["Cross-Origin-Resource-Policy"] == "missing"
    sent, missing = html.index("Security headers sent:"), html.index("Not sent:")
    assert sent < html.index("pill-warn") < missing < html.index(">Permissions-Policy<")
    assert "fails its test" in html  # the state in words too, not by colour alone


def test_tests_table_leads_with_human_titles_and_becomes_cards(client) -> None:  # type: ignore[no-untyped-def]
    html = client.post("/headers/", data={"raw": WEAK}, headers=HX).get_data(as_text=True)
    table = Cells()
    table.feed(html)
    assert "stack" in table.table_class.split()
    rows = [table.cells[i:i + 4] for i in range(0, len(table.cells), 4)]
    assert [cell[2] for cell in rows.pop(0)] == ["Test", "Result", "Score", "Why"]
    assert len(rows) == 10
    titles = [row[0][2] for row in rows]
    assert titles[:3] == ["Content Security Policy", "Cookies", "Cross-origin sharing (CORS)"]
    for row in rows:
        assert row[0][0] == "th"
        assert [cell[1].get("data-label") for cell in row[1:]] == ["Result", "Score", "Why"]
    csp = rows[0]
    # The result id is secondary: not in the narrow Result column, small at the end of Why.
    assert csp[1][2] == "failed" and csp[2][2] == "-20"
    assert csp[3][2].endswith("csp-implemented-with-unsafe-inline")
    assert re.search(r'<code class="finding-id muted small">cross-origin-resource-sharing-not-implemented</code>'
                     r'</td>', html)
    assert rows[3][1][2] == "not measurable"  # pasted headers: redirection


def test_no_gain_line_when_nothing_to_gain(client) -> None:  # type: ignore[no-untyped-def]
    own = client.get("/")
    raw = "HTTP/1.1 200 OK\n" + "\n".join(f"{k}: {v}" for k, v in own.headers.items())
    html = client.post("/headers/", data={"raw": raw, "url": "https://toolbox.example/"},
                       headers=HX).get_data(as_text=True)
    assert 'class="verdict verdict-ok"><span class="word">Excellent</span>' in html
    assert "Biggest gain" not in html


def test_the_page_uses_the_workspace_and_one_status_line(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/headers/").get_data(as_text=True)
    assert re.search(r'<main id="main" tabindex="-1" class="workspace">', html)
    section = re.search(r'<section id="headers-result"[^>]*>', html)
    assert section is not None and "aria-live" not in section.group(0) and 'aria-label="Result"' in section.group(0)
    assert html.count("aria-live") == 1  # base.html's status line only
    assert "verdict" not in html and "data-status" not in html  # nothing graded yet


def test_sample_and_clear_links(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/headers/").get_data(as_text=True)
    actions = html[html.index('<div class="actions">'):]
    actions = actions[:actions.index("</div>")]
    assert '<a class="button secondary" href="/headers/?sample=shop">Try a sample</a>' in actions
    assert '<a class="button secondary" href="/headers/">Clear</a>' in actions


def test_a_sample_is_filled_in_and_graded_without_fetching(client, logs) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/headers/?sample=shop")
    html = response.get_data(as_text=True)
    url, raw = SAMPLES["shop"]
    assert response.status_code == 200
    assert f'value="{url}"' in html and "x-powered-by: PHP/8.1.2" in html and "<details class=\"verify-options\" open>" in html
    assert 'data-status="Graded D: 6 of 10 tests passed"' in html
    assert '<span class="word">Poor</span>' in html
    assert "Biggest gain:</strong> add Secure, HttpOnly and SameSite to the cookies (PHPSESSID)" in html
    assert "proxy_cookie_flags PHPSESSID secure httponly samesite=lax;" in html
    assert "Not measurable from pasted headers." in html  # graded as pasted: nothing fetched
    assert not logs.events("fetch-refused")


@pytest.mark.parametrize("name", ["nope", "", "../shop", "x" * 5000, "shop\x00", "%ff", "SHOP"])
def test_an_unknown_sample_is_the_empty_page(client, name) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/headers/", query_string={"sample": name})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "verdict" not in html and 'name="raw"' in html and "</textarea>" in html
    assert re.search(r'<textarea id="raw"[^>]*></textarea>', html)


@pytest.mark.parametrize(("data", "status", "words"), [
    ({}, 422, "Fill in URL, or paste response headers into Raw headers."),
    ({"url": "  ", "raw": " "}, 422, "Fill in URL, or paste response headers into Raw headers."),
    ({"raw": "no headers here at all"}, 422, "No headers found in the pasted text"),
    ({"url": "x" * 3000}, 400, "URL: at most 2048 characters."),
    ({"raw": "a: b\x00"}, 400, "Raw headers: contains a NUL character."),
    ({"url": "ftp://example.com/"}, 422, "This URL cannot be checked"),
])
def test_errors_speak_the_forms_language(client, data, status, words) -> None:  # type: ignore[no-untyped-def]
    for headers in (HX, {}):
        response = client.post("/headers/", data=data, headers=headers)
        html = response.get_data(as_text=True)
        assert response.status_code == status
        shown = text_of(html[html.index('id="headers-result"'):] if not headers else html)
        assert words in shown.replace("&#34;", '"')
        for jargon in ("422", "400", "Unprocessable", "Bad Request", "Entity"):
            assert jargon not in shown
        assert 'role="alert"' in html and 'data-status="Not checked: ' in html
    # Without JavaScript the whole page comes back with what was typed still there.
    page = client.post("/headers/", data={"url": "example.com", "raw": "nothing useful"}).get_data(as_text=True)
    assert 'value="example.com"' in page and ">nothing useful</textarea>" in page


def _shop(client) -> str:  # type: ignore[no-untyped-def]
    html = str(client.get("/headers/?sample=shop").get_data(as_text=True))
    return html[html.index('<div class="headers-result"'):]


def _section(html: str, start: str, end: str) -> str:
    part = html[html.index(start):]
    return part[:part.index(end)]


def test_findings_the_tests_score_are_shown_with_their_test_once(client) -> None:  # type: ignore[no-untyped-def]
    html = _shop(client)
    table = _section(html, "<table", "</table>")
    beyond = _section(html, "Beyond the grade", "Copy-paste fixes")
    assert "(these do not change the score)" in beyond
    # The cookie problems change the score (the Cookies test): they are told in its row, not beyond.
    cookies_row = _section(table, ">Cookies</a>", "</tr>")
    for title in ("Session-looking cookie without HttpOnly", "Cookie without Secure", "Cookie without SameSite"):
        assert cookies_row.count(title) == 1 and title not in beyond
    assert "PHPSESSID" not in beyond and "cookie-" not in beyond
    assert "<em>Use HttpOnly</em>" not in cookies_row  # the specific fixes replace the generic advice
    csp_row = _section(table, ">Content Security Policy</a>", "</tr>")
    assert "allows injected scripts" in csp_row and "unsafe-inline" not in beyond
    # What the tests do not score stays beyond the grade.
    for finding_id in ("csp-missing-base-uri", "info-disclosure-server", "coop-missing", "hsts-preload-ineligible"):
        assert finding_id in beyond


def test_withheld_bonus_and_not_measurable_are_said_once_in_plain_words(client) -> None:  # type: ignore[no-untyped-def]
    html = _shop(client)
    assert ('<p>Your Referrer-Policy would earn +5, but bonuses only count once the score before bonuses '
            'reaches 90 (it is 30).</p>') in html
    assert "withheld" not in html and "(&lt; 90)" not in html
    assert "before bonuses)" not in html  # the score is 30 with and without bonuses: said once
    assert html.count("not measurable") + html.count("Not measurable") == 3  # verdict, badge, its Why
    assert "the redirection test is not measurable" not in html


def test_the_score_before_bonuses_is_shown_when_it_differs(client) -> None:  # type: ignore[no-untyped-def]
    good = WEAK.replace(" 'unsafe-inline'", "") + "cross-origin-resource-policy: same-origin\n"
    html = client.post("/headers/", data={"raw": good}, headers=HX).get_data(as_text=True)
    score = re.search(r'<p class="score"><strong>(\d+)</strong> points(.*?)</p>', html)
    assert score is not None and int(score.group(1)) > 100
    assert score.group(2) == ' <span class="muted small">(100 before bonuses)</span>'
    assert "would earn" not in html  # bonuses counted: nothing withheld


def test_a_header_not_sent_whose_test_passes_says_it_is_not_penalised(client) -> None:  # type: ignore[no-untyped-def]
    html = _shop(client)
    not_sent = _section(html, "<p class=\"small\">Not sent:</p>", "</ul>")
    assert "Cross-Origin-Resource-Policy" in not_sent and "Missing" not in html
    corp_row = _section(html, ">Cross-origin resource policy</a>", "</tr>")
    assert "passed" in corp_row and "Not sending Cross-Origin-Resource-Policy is not penalised" in corp_row


def test_algorithm_tables_become_cards_on_phones(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/headers/algorithm").get_data(as_text=True)
    table = _section(html, "<table", "</table>")
    assert 'class="claims stack"' in table
    cells = re.findall(r"<td[^>]*>", table)
    assert cells and all("data-label=" in cell for cell in cells)
    assert {re.search(r'data-label="([^"]+)"', c).group(1) for c in cells} == {"v5", "v4", "v6", "Meaning"}  # type: ignore[union-attr]
