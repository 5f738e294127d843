"""TOOLBOX_FETCH_* settings: defaults, accepted values, and refusals naming the variable."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from tests.unit.net.conftest import CAFiles
from toolbox.config import ConfigError, Settings
from toolbox.core.net import DEFAULT_PORTS


def test_fetch_defaults() -> None:
    settings = Settings.from_env({})
    assert settings.fetch_ports == DEFAULT_PORTS == frozenset({80, 443, 8000, 8080, 8443})
    assert settings.fetch_allow == ()
    assert settings.fetch_ca_bundle == ""


def test_fetch_values_are_parsed(test_ca: CAFiles) -> None:
    settings = Settings.from_env(
        {
            "TOOLBOX_FETCH_PORTS": " 443, 8443 ",
            "TOOLBOX_FETCH_ALLOW": "10.1.0.0/16, fd00:1::/64",
            "TOOLBOX_FETCH_CA_BUNDLE": str(test_ca.ca_pem),
        }
    )
    assert settings.fetch_ports == frozenset({443, 8443})
    assert settings.fetch_allow == (ipaddress.ip_network("10.1.0.0/16"), ipaddress.ip_network("fd00:1::/64"))
    assert settings.fetch_ca_bundle == str(test_ca.ca_pem)
    assert Settings.from_env({"TOOLBOX_FETCH_PORTS": "ANY"}).fetch_ports is None


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("TOOLBOX_FETCH_PORTS", ""),
        ("TOOLBOX_FETCH_PORTS", "0"),
        ("TOOLBOX_FETCH_PORTS", "80,,443"),
        ("TOOLBOX_FETCH_PORTS", "65536"),
        ("TOOLBOX_FETCH_PORTS", "http"),
        ("TOOLBOX_FETCH_ALLOW", "10.0.0.1/8"),
        ("TOOLBOX_FETCH_ALLOW", "intranet"),
        ("TOOLBOX_FETCH_CA_BUNDLE", "/does/not/exist.pem"),
    ],
)
def test_bad_fetch_values_name_the_variable(variable: str, value: str) -> None:
    with pytest.raises(ConfigError, match=variable):
        Settings.from_env({variable: value})


def test_ca_bundle_must_hold_a_certificate(tmp_path: Path) -> None:
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate\n")
    with pytest.raises(ConfigError, match="TOOLBOX_FETCH_CA_BUNDLE"):
        Settings.from_env({"TOOLBOX_FETCH_CA_BUNDLE": str(junk)})
