"""TOOLBOX_ALLOWED_HOSTS: any other Host gets 400, so DNS rebinding cannot make a page "ours"."""

from __future__ import annotations

import pytest

BODY = {"text": "[1, 2]"}


@pytest.mark.parametrize(
    "host",
    ["localhost", "localhost:8000", "127.0.0.1:8000", "127.0.0.1", "[::1]:8000", "[::1]",
     "LocalHost:8000", "localhost.:8000"],
)
def test_make_run_addresses_are_allowed_by_default(client, host) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/", headers={"Host": host})
    assert response.status_code == 200, host


REFUSED = [
    "evil.example", "evil.example:8000", "localhost.evil.example", "127.0.0.1.nip.io:8000",
    "[::2]:8000", "0.0.0.0:8000", "127.1:8000", "10.0.0.1", "evil.example:8000@localhost",
    "localhost/evil", "",
]


@pytest.mark.parametrize("host", REFUSED)
def test_other_hosts_get_400_page(client, logs, host) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/", headers={"Host": host})
    assert response.status_code == 400, host
    assert response.mimetype == "text/html"
    text = response.get_data(as_text=True)
    assert "<html" in text
    if host:
        assert host not in text  # the refused name is not reflected
    events = logs.events("host-refused")
    assert len(events) == 1


def test_refused_host_as_htmx_partial_and_problem_json(client) -> None:  # type: ignore[no-untyped-def]
    partial = client.post("/json/", data={"text": "1"}, headers={"Host": "evil.example", "HX-Request": "true"})
    assert partial.status_code == 400
    assert "<html" not in partial.get_data(as_text=True)
    problem = client.post("/api/v1/json/format", json=BODY, headers={"Host": "evil.example:8000"})
    assert problem.status_code == 400
    assert problem.mimetype == "application/problem+json"
    assert problem.json["status"] == 400
    assert "evil" not in problem.get_data(as_text=True)


def test_dns_rebinding_cannot_pass_as_same_origin(client) -> None:  # type: ignore[no-untyped-def]
    # A page on rebind.example whose name now resolves to 127.0.0.1: its requests carry its own
    # Host and Origin, which agree, so only the Host check can tell it is not us.
    rebound = {"Host": "rebind.example:8000", "Origin": "http://rebind.example:8000",
               "Sec-Fetch-Site": "same-origin"}
    assert client.post("/api/v1/json/format", json=BODY, headers=rebound).status_code == 400
    assert client.post("/jwt/", data={"token": "x"}, headers=rebound).status_code == 400
    assert client.get("/jwt/", headers=rebound).status_code == 400


def test_security_event_shows_the_host_bounded_and_escaped(client, logs) -> None:  # type: ignore[no-untyped-def]
    client.get("/", headers={"Host": "évil-" + "x" * 500 + ".example"})
    (event,) = logs.events("host-refused")
    shown = str(event["host"])
    assert len(shown) <= 120
    assert "é" not in shown and "x" * 200 not in shown


def test_the_configured_bind_address_is_allowed(make_app) -> None:  # type: ignore[no-untyped-def]
    client = make_app(TOOLBOX_HOST="10.1.2.3").test_client()
    assert client.get("/", headers={"Host": "10.1.2.3:8000"}).status_code == 200
    assert client.get("/", headers={"Host": "localhost:8000"}).status_code == 200
    client = make_app(TOOLBOX_HOST="toolbox.lan").test_client()
    assert client.get("/", headers={"Host": "toolbox.lan:8000"}).status_code == 200


@pytest.mark.parametrize("bind", ["0.0.0.0", "::", "[::]"])
def test_a_wildcard_bind_address_is_not_a_host_name(make_app, bind) -> None:  # type: ignore[no-untyped-def]
    client = make_app(TOOLBOX_HOST=bind).test_client()
    assert client.get("/", headers={"Host": "0.0.0.0:8000"}).status_code == 400
    assert client.get("/", headers={"Host": "[::]:8000"}).status_code == 400
    assert client.get("/", headers={"Host": "127.0.0.1:8000"}).status_code == 200


def test_operator_list_replaces_the_default(make_app) -> None:  # type: ignore[no-untyped-def]
    client = make_app(TOOLBOX_ALLOWED_HOSTS="tools.example.com, .staging.example.org").test_client()
    for host in ("tools.example.com", "TOOLS.example.com:443", "staging.example.org", "a.b.staging.example.org"):
        assert client.get("/", headers={"Host": host}).status_code == 200, host
    for host in ("localhost:8000", "example.com", "evilstaging.example.org", "tools.example.com.evil"):
        assert client.get("/", headers={"Host": host}).status_code == 400, host


def test_forwarded_host_is_checked_behind_a_trusted_proxy(make_app) -> None:  # type: ignore[no-untyped-def]
    client = make_app(TOOLBOX_TRUSTED_PROXIES="1", TOOLBOX_ALLOWED_HOSTS="tools.example.com").test_client()
    proxied = {"Host": "127.0.0.1:8000", "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    assert client.get("/", headers={**proxied, "X-Forwarded-Host": "tools.example.com"}).status_code == 200
    assert client.get("/", headers={**proxied, "X-Forwarded-Host": "evil.example"}).status_code == 400
    # Without a trusted proxy X-Forwarded-Host is ignored: the Host header itself is checked.
    direct = make_app().test_client()
    assert direct.get("/", headers={"Host": "localhost", "X-Forwarded-Host": "evil.example"}).status_code == 200
    assert direct.get("/", headers={"Host": "evil.example", "X-Forwarded-Host": "localhost"}).status_code == 400


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_checks_answer_any_host(make_app, path) -> None:  # type: ignore[no-untyped-def]
    # Orchestrators probe the pod IP (Host: 10.42.0.7:8000); the answers hold nothing secret.
    client = make_app(TOOLBOX_ALLOWED_HOSTS="tools.example.com").test_client()
    assert client.get(path, headers={"Host": "10.42.0.7:8000"}).status_code == 200
    assert client.get("/", headers={"Host": "10.42.0.7:8000"}).status_code == 400


@pytest.mark.parametrize(
    ("path", "location"),
    [("/jwt", "/jwt/"), ("/headers?x=1", "/headers/?x=1"), ("/json", "/json/")],
)
def test_trailing_slash_redirects_are_relative(client, path, location) -> None:  # type: ignore[no-untyped-def]
    response = client.get(path, headers={"Host": "127.0.0.1:8000"})
    assert response.status_code == 308
    assert response.headers["Location"] == location


def test_redirects_never_become_scheme_relative(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/", environ_overrides={"PATH_INFO": "//jwt"})
    location = response.headers.get("Location", "")
    assert response.status_code == 308
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location
