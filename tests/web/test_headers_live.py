"""The what-if: a pause in typing in Raw headers grades the pasted text at once, and never fetches."""

from __future__ import annotations

from tests.web.test_headers_routes import SEEN, SEEN_LOCK, site  # noqa: F401 - the module fixture

RAW = "HTTP/2 200\ncontent-type: text/html\nx-content-type-options: nosniff\n"


def live(client, **form):  # type: ignore[no-untyped-def]
    return client.post("/headers/", data={"live": "1", **form}, headers={"HX-Request": "true"})


def test_live_grades_pasted_headers_and_follows_edits(client) -> None:  # type: ignore[no-untyped-def]
    first = live(client, raw=RAW)
    assert first.status_code == 200 and 'class="grade' in first.get_data(as_text=True)
    edited = live(client, raw=RAW + "content-security-policy: default-src 'none'\n").get_data(as_text=True)
    assert "csp-implemented-with-no-unsafe-default-src-none" in edited
    assert "csp-implemented-with-no-unsafe-default-src-none" not in first.get_data(as_text=True)


def test_live_without_pasted_headers_fetches_nothing(make_app, site) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    client = make_app(TOOLBOX_FETCH_ALLOW="127.0.0.0/8", TOOLBOX_FETCH_PORTS="any",
                      TOOLBOX_RATELIMIT_FETCH="1/minute").test_client()
    with SEEN_LOCK:
        SEEN.clear()
    for form in ({"url": site + "/app"}, {"url": site + "/app", "raw": "  \n", "sample_routes": "on"}):
        response = live(client, **form)
        assert response.status_code == 204 and response.get_data() == b""
    with SEEN_LOCK:
        assert SEEN == []
    # The fetch budget is untouched: the one check a minute still runs.
    assert client.post("/headers/", data={"url": site + "/app"}).status_code == 200


def test_live_with_paste_and_routes_samples_nothing(make_app, site) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    client = make_app(TOOLBOX_FETCH_ALLOW="127.0.0.0/8", TOOLBOX_FETCH_PORTS="any").test_client()
    with SEEN_LOCK:
        SEEN.clear()
    response = live(client, url=site + "/app", raw=RAW, sample_routes="on", paths="/api")
    assert response.status_code == 200 and "Routes of this site" not in response.get_data(as_text=True)
    with SEEN_LOCK:
        assert SEEN == []
    # The same form sent by the Check button says why it cannot sample pasted headers.
    pressed = client.post("/headers/", data={"url": site + "/app", "raw": RAW, "sample_routes": "on"})
    assert pressed.status_code == 422 and "give a URL instead of pasted headers" in pressed.get_data(as_text=True)
    assert "/app" in pressed.get_data(as_text=True)  # the form comes back as typed
