"""Settings: defaults, parsing, and a clear refusal naming the variable for every bad value."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from toolbox import create_app
from toolbox.config import ConfigError, Settings, parse_size


def test_defaults_are_valid_and_documented_values() -> None:
    settings = Settings.from_env({})
    assert settings.max_body_bytes == 8 * 1024 * 1024
    assert settings.trusted_proxies == 0
    assert settings.ratelimit_storage == "memory://"
    assert settings.api_jwt_key == ""
    assert settings.api_jwt_max_ttl == 900
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1048576", 1048576), ("512k", 524288), ("8M", 8388608), ("1g", 1073741824), (" 2 MB ", 2097152)],
)
def test_sizes_accept_binary_units(text: str, expected: int) -> None:
    assert parse_size(text) == expected


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("TOOLBOX_MAX_BODY_BYTES", "-1"),
        ("TOOLBOX_MAX_BODY_BYTES", "0"),
        ("TOOLBOX_MAX_BODY_BYTES", "lots"),
        ("TOOLBOX_MAX_BODY_BYTES", "5T"),
        ("TOOLBOX_MAX_BODY_BYTES", "9" * 40),
        ("TOOLBOX_TRUSTED_PROXIES", "-1"),
        ("TOOLBOX_TRUSTED_PROXIES", "yes"),
        ("TOOLBOX_TRUSTED_PROXIES", "11"),
        ("TOOLBOX_RATELIMIT_STORAGE", "mongodb://x"),
        ("TOOLBOX_RATELIMIT_STORAGE", ""),
        ("TOOLBOX_RATELIMIT_DEFAULT", "lots"),
        ("TOOLBOX_RATELIMIT_DEFAULT", ""),
        ("TOOLBOX_RATELIMIT_FETCH", "10 per fortnight"),
        ("TOOLBOX_API_JWT_MAX_TTL", "0"),
        ("TOOLBOX_API_JWT_MAX_TTL", "1.5"),
        ("TOOLBOX_LOG_LEVEL", "LOUD"),
        ("TOOLBOX_HOST", "0.0.0.0; rm -rf /"),
        ("TOOLBOX_PORT", "abc"),
        ("TOOLBOX_PORT", "70000"),
        ("TOOLBOX_WORKERS", "0"),
        ("TOOLBOX_THREADS", "1000"),
        ("TOOLBOX_TIMEOUT", "\x00"),
        ("TOOLBOX_ALLOWED_HOSTS", ""),
        ("TOOLBOX_ALLOWED_HOSTS", " , "),
        ("TOOLBOX_ALLOWED_HOSTS", "*"),
        ("TOOLBOX_ALLOWED_HOSTS", "localhost:8000"),
        ("TOOLBOX_ALLOWED_HOSTS", "tools.example.com,evil host"),
        ("TOOLBOX_ALLOWED_HOSTS", "[::1"),
        ("TOOLBOX_ALLOWED_HOSTS", "http://tools.example.com"),
        ("TOOLBOX_ALLOWED_HOSTS", "under_score.example"),
    ],
)
def test_bad_values_stop_the_app_naming_the_variable(variable: str, value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({variable: value})
    assert str(caught.value).startswith(variable + "=")
    with pytest.raises(ConfigError, match=variable):
        create_app({variable: value})


def test_short_hmac_api_key_is_refused_without_echoing_it() -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"TOOLBOX_API_JWT_KEY": "short-secret-VALUE"})
    message = str(caught.value)
    assert "TOOLBOX_API_JWT_KEY" in message and "32 bytes" in message
    assert "short-secret-VALUE" not in message


def _pem(key: object, private: bool = False) -> str:
    if private:
        return key.private_bytes(  # type: ignore[attr-defined]
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
    return key.public_key().public_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def test_private_pem_and_weak_rsa_keys_are_refused() -> None:
    ec_key = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(ConfigError, match="public key"):
        Settings.from_env({"TOOLBOX_API_JWT_KEY": _pem(ec_key, private=True)})
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    with pytest.raises(ConfigError, match="1024 bits"):
        Settings.from_env({"TOOLBOX_API_JWT_KEY": _pem(weak)})
    with pytest.raises(ConfigError, match="PUBLIC KEY could not be read"):
        Settings.from_env({"TOOLBOX_API_JWT_KEY": "-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----"})
    assert Settings.from_env({"TOOLBOX_API_JWT_KEY": _pem(ec_key)}).api_jwt_key


def test_every_setting_has_a_parser_default_and_description() -> None:
    rows = Settings.documented()
    assert len(rows) == len({name for name, _, _ in rows})
    for name, default, doc in rows:
        assert name.startswith("TOOLBOX_")
        assert len(doc) > 20
        Settings.from_env({name: default})  # each documented default is itself valid


def test_allowed_hosts_default_to_the_make_run_addresses_plus_a_specific_bind_address() -> None:
    assert Settings.from_env({}).host_names() == {"127.0.0.1", "localhost", "[::1]"}
    for wildcard in ("0.0.0.0", "::", "[::]"):
        assert Settings.from_env({"TOOLBOX_HOST": wildcard}).host_names() == {"127.0.0.1", "localhost", "[::1]"}
    assert "toolbox.lan" in Settings.from_env({"TOOLBOX_HOST": "toolbox.lan"}).host_names()
    assert "[fd00::1]" in Settings.from_env({"TOOLBOX_HOST": "fd00::1"}).host_names()


def test_allowed_hosts_are_normalised() -> None:
    settings = Settings.from_env({"TOOLBOX_ALLOWED_HOSTS": " Tools.Example.COM. ,.Staging.example.org, ::1, bücher.de"})
    assert settings.allowed_hosts == ("tools.example.com", ".staging.example.org", "[::1]", "xn--bcher-kva.de")
