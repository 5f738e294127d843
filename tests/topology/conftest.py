"""Fixtures: the topology of tests/topology/stack.py, started once per module."""

from __future__ import annotations

import shutil
import ssl
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.servers import check_nginx, free_port, start_caddy, start_nginx, start_redis, start_toolbox
from tests.topology.stack import (
    APP_MAX_BODY,
    CADDYFILE,
    LIMIT,
    NGINX_CONF,
    SERVER_NAME,
    TEST_CADDY_OPTIONS,
    TEST_NGINX_CONF,
    UPSTREAM_HEADER,
    Topology,
    caddy_substitutions,
    make_ca,
    nginx_substitutions,
    render,
)


def pytest_configure(config: pytest.Config) -> None:
    # pytest-xdist registers it too; without xdist (-p no:xdist) --strict-markers needs this.
    config.addinivalue_line("markers", "xdist_group(name): run these tests on one xdist worker")


@pytest.fixture(scope="module")
def topology() -> Iterator[Topology]:
    with ExitStack() as cleanup:
        workdir = Path(tempfile.mkdtemp(prefix="toolbox-topology-"))
        cleanup.callback(shutil.rmtree, workdir, ignore_errors=True)
        # nginx run by root switches its workers to Debian's www-data: they must reach the temp paths.
        workdir.chmod(0o755)
        tls_dir = workdir / "tls"
        tls_dir.mkdir()
        ca = make_ca(tls_dir)

        redis = start_redis()
        cleanup.callback(shutil.rmtree, redis.log_path.parent, ignore_errors=True)
        cleanup.callback(redis.stop)
        env = {
            "TOOLBOX_RATELIMIT_STORAGE": f"redis://127.0.0.1:{redis.port}/0",
            "TOOLBOX_RATELIMIT_DEFAULT": f"{LIMIT}/minute",
            "TOOLBOX_TRUSTED_PROXIES": "1",
            "TOOLBOX_ALLOWED_HOSTS": SERVER_NAME,
            "TOOLBOX_MAX_BODY_BYTES": str(APP_MAX_BODY),
        }
        apps = []
        for _ in range(2):
            app = start_toolbox(env)
            cleanup.callback(app.log_path.unlink, missing_ok=True)
            cleanup.callback(app.stop)
            apps.append(app)

        http_port, https_port = free_port(), free_port()
        rendered = render(NGINX_CONF.read_text(), nginx_substitutions(
            http_port=http_port, https_port=https_port, tls_dir=tls_dir,
            upstreams=(apps[0].port, apps[1].port)))
        (workdir / "toolbox.conf").write_text(rendered)
        main_conf = workdir / "nginx.conf"
        main_conf.write_text(TEST_NGINX_CONF.format(prefix=workdir, upstream_header=UPSTREAM_HEADER))
        check_nginx(main_conf, workdir)
        nginx = start_nginx(main_conf, workdir, https_port)
        cleanup.callback(nginx.stop)

        caddy_dir = workdir / "caddy"
        caddy_dir.mkdir()
        caddy_port = free_port()
        caddyfile = caddy_dir / "Caddyfile"
        caddyfile.write_text(
            TEST_CADDY_OPTIONS.format(http_port=free_port(), https_port=caddy_port, storage=caddy_dir / "data")
            + render(CADDYFILE.read_text(), caddy_substitutions(
                https_port=caddy_port, tls_dir=tls_dir, upstreams=(apps[0].port, apps[1].port)), CADDYFILE))
        caddy = start_caddy(caddyfile, caddy_dir, caddy_port)
        cleanup.callback(caddy.stop)

        context = ssl.create_default_context(cadata=ca.ca_pem)  # trusts the test CA, nothing else
        assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
        yield Topology(redis, (apps[0], apps[1]), nginx, http_port, https_port, caddy, ca, context)


@pytest.fixture
def stack(topology: Topology) -> Topology:
    """The module's topology with fresh rate-limit counters."""
    topology.flush_limits()
    return topology

