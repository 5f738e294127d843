"""Issue 10: a JWKS URL or issuer is fetched only on an explicit action, never per keystroke."""

from __future__ import annotations

import jwt

from toolbox.core.net import FetchFailed, FetchReason

SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}
TOKEN = jwt.encode({"sub": "1"}, "a-long-enough-hmac-secret-for-hs256!", algorithm="HS256")


def _spy(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    calls: list[str] = []

    def refuse(target, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(target.url)
        raise FetchFailed(FetchReason.CONNECT_FAILED)

    monkeypatch.setattr("toolbox.core.net.fetcher.check_target", refuse)
    return calls


def test_typing_a_url_fetches_nothing_and_says_how_to_fetch(client, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    calls = _spy(monkeypatch)
    for partial in ("https://id", "https://idp.example", "https://idp.example/.well-known/jwks.json"):
        html = client.post("/jwt/", data={"token": TOKEN, "key": partial, "key_type": "jwks-url"},
                           headers={**SAME_ORIGIN, "HX-Request": "true"}).get_data(as_text=True)
        assert "Press Verify to fetch the key set" in html
    assert calls == []
    assert "fetch-refused" not in caplog.text


def test_the_button_and_a_plain_submit_fetch(client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    calls = _spy(monkeypatch)
    form = {"token": TOKEN, "key": "https://idp.example/jwks.json", "key_type": "jwks-url"}
    client.post("/jwt/", data={**form, "action": "verify"}, headers={**SAME_ORIGIN, "HX-Request": "true"})
    client.post("/jwt/", data=form, headers=SAME_ORIGIN)  # JavaScript off: every submit is explicit
    assert len(calls) == 2
