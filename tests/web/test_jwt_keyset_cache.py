"""Issue 10: a key set fetched on purpose is reused for a minute while other fields change (a small
in-memory cache per URL holding only the fetched public keys); a half-typed URL is no security event."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from tests.servers import serve_json
from tests.web.test_jwt_remote_keys import JWK, identity_provider, token
from toolbox.core.jwt.remote_keys import FetchedKeys, KeySetCache

SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}
LIVE = {**SAME_ORIGIN, "HX-Request": "true"}  # htmx while typing: no action=verify


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def fetches(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """Every URL the key-set code fetches, in order (the real fetcher still runs)."""
    import toolbox.core.jwt.remote_keys as remote_keys

    seen: list[str] = []
    real = remote_keys.fetch

    def counting(url, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(url)
        return real(url, *args, **kwargs)

    monkeypatch.setattr(remote_keys, "fetch", counting)
    return seen


@pytest.fixture(scope="module")
def idp() -> Iterator[str]:
    """A loopback identity provider (a JWKS and an OpenID configuration)."""
    with serve_json(identity_provider) as origin:
        yield origin


@pytest.fixture
def app(make_app):  # type: ignore[no-untyped-def]
    return make_app(TOOLBOX_FETCH_ALLOW="127.0.0.0/8", TOOLBOX_FETCH_PORTS="any")


def test_the_page_reuses_a_fetched_key_set_while_other_fields_change(app, idp, fetches) -> None:  # type: ignore[no-untyped-def]
    clock = Clock()
    app.extensions["toolbox.jwt_keysets"]._clock = clock
    client = app.test_client()
    form = {"token": token(idp), "key": idp + "/jwks.json"}
    before = client.post("/jwt/", data=form, headers=LIVE).get_data(as_text=True)
    assert "Press Verify to fetch the key set" in before and fetches == []
    pressed = client.post("/jwt/", data={**form, "action": "verify"}, headers=LIVE).get_data(as_text=True)
    assert '<span class="word">Verified</span>' in pressed and len(fetches) == 1
    assert "Key read as: JWKS URL: JWK Set (1 key)" in pressed
    # Typing in other fields re-verifies from the cache: no fetch, and the result says so.
    for audience in ("a", "ap", "api"):
        clock.now += 10
        typed = client.post("/jwt/", data={**form, "audience": audience}, headers=LIVE).get_data(as_text=True)
        assert '<span class="word">Rejected</span>' in typed  # the token has no aud: PyJWT's verdict
        assert "reused from the last minute" in typed
    assert len(fetches) == 1
    # After a minute the key set is gone: typing waits for the button again, still without fetching.
    clock.now += 60
    late = client.post("/jwt/", data=form, headers=LIVE).get_data(as_text=True)
    assert "Press Verify to fetch the key set" in late and len(fetches) == 1
    # Another URL is another entry: the cached one is never used for it.
    other = client.post("/jwt/", data={**form, "key": idp}, headers=LIVE).get_data(as_text=True)
    assert "Press Verify" in other and len(fetches) == 1


def test_the_button_always_fetches_and_the_api_never_caches(app, idp, fetches) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    form = {"token": token(idp), "key": idp, "key_type": "issuer", "action": "verify"}
    for _ in range(2):
        assert "Signature verified" in client.post("/jwt/", data=form, headers=LIVE).get_data(as_text=True)
    assert len(fetches) == 4  # discovery + JWKS, each time the button is pressed: a rotated key shows
    body = {"token": token(idp), "key": idp + "/jwks.json"}
    for _ in range(2):
        answer = client.post("/api/v1/jwt/verify", json=body).json
        assert answer["verified"] is True and answer["key_type"] == "jwks-url"
        assert "reused" not in answer["key_source"]
    assert len(fetches) == 6


@pytest.mark.parametrize("url", ["https://", "https://exa mple.com/jwks", "http://[::1/jwks", "https://a:99999/"])
def test_a_half_typed_url_is_not_a_security_event(app, logs, url: str) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    response = client.post("/jwt/", data={"token": token("x"), "key": url, "key_type": "jwks-url",
                                          "action": "verify"}, headers=LIVE)
    assert response.status_code == 422
    assert "not complete" in response.get_data(as_text=True)
    assert logs.events("fetch-refused") == []


def test_a_policy_refusal_is_still_a_security_event(make_app, logs, idp) -> None:  # type: ignore[no-untyped-def]
    client = make_app(TOOLBOX_FETCH_PORTS="any").test_client()  # loopback not allowed
    response = client.post("/jwt/", data={"token": token(idp), "key": idp + "/jwks.json",
                                          "action": "verify"}, headers=LIVE)
    assert response.status_code == 422 and "refused" in response.get_data(as_text=True)
    assert logs.events("fetch-refused")


def test_the_cache_expires_is_bounded_and_keeps_no_url() -> None:
    clock = Clock()
    cache = KeySetCache(ttl=60, max_entries=3, clock=clock)
    keys = FetchedKeys(json.dumps({"keys": [JWK]}), "JWKS fetched from https://idp.example/jwks")
    cache.put("jwks-url", "https://idp.example/jwks", keys)
    assert cache.get("jwks-url", " https://idp.example/jwks\n") == keys
    assert cache.get("issuer", "https://idp.example/jwks") is None  # the key type is part of the key
    clock.now += 59.9
    assert cache.get("jwks-url", "https://idp.example/jwks") == keys
    clock.now += 0.1
    assert cache.get("jwks-url", "https://idp.example/jwks") is None and len(cache) == 0
    for n in range(5):
        cache.put("jwks-url", f"https://idp{n}.example/jwks", keys)
    assert len(cache) == 3
    assert cache.get("jwks-url", "https://idp0.example/jwks") is None  # the oldest went first
    assert cache.get("jwks-url", "https://idp4.example/jwks") == keys
    assert all("idp" not in key for key in cache._entries)  # URLs are kept only as hashes


def test_private_members_of_a_fetched_set_are_not_kept(make_app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import toolbox.core.jwt.remote_keys as remote_keys
    from toolbox.core.jwt.jwk import PRIVATE_MEMBERS

    careless = {"keys": [{**JWK, "d": "secret", "p": "x", "q": "y"}]}

    class Answer:
        class final:  # noqa: N801 - mimics FetchResult.final
            status = 200

        body_truncated = False
        body = json.dumps(careless).encode()

    monkeypatch.setattr(remote_keys, "fetch", lambda *args, **kwargs: Answer())
    text = remote_keys.jwks_from_url("https://idp.example/jwks", policy=None)  # type: ignore[arg-type]
    assert not set(PRIVATE_MEMBERS) & set(json.loads(text)["keys"][0])
    assert json.loads(text)["keys"][0]["n"] == JWK["n"]


def test_time_is_not_spent_refetching(app, idp, fetches) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    form = {"token": token(idp), "key": idp + "/jwks.json"}
    client.post("/jwt/", data={**form, "action": "verify"}, headers=LIVE)
    started = time.perf_counter()
    for n in range(20):
        client.post("/jwt/", data={**form, "leeway": str(n)}, headers=LIVE)
    assert len(fetches) == 1 and time.perf_counter() - started < 10
