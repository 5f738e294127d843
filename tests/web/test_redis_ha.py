"""Rate limits in a highly available Redis: Sentinel and Cluster URLs, against real servers.

Two app instances (create_app, each with its own limiter and connections; and two real
`toolbox serve` with 2 workers each) share one limit through `redis+sentinel://` (1 master,
1 replica, 1 sentinel) and `redis+cluster://` (3 masters). The count survives a Sentinel
failover, and requests during one count in memory until the apps return to Redis. With the
sentinel or the cluster gone (or not there at start) the apps answer from in-memory limits,
never 500, and /readyz says "degraded". The URL checks of TOOLBOX_RATELIMIT_STORAGE are here too.
"""

from __future__ import annotations

import json
import shutil
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from flask import Flask
from flask_limiter import Limiter
from redis.backoff import NoBackoff
from redis.retry import Retry
from redis.sentinel import MasterNotFoundError, Sentinel

from tests.servers import (
    Server,
    free_cluster_port,
    free_port,
    redis_cli,
    start_redis_cluster,
    start_redis_node,
    start_sentinel,
    start_toolbox,
)
from toolbox import create_app
from toolbox.config import ConfigError, Settings, parse_storage
from toolbox.web.ratelimit import LenientRedisClusterStorage, storage_settings

LIMIT = 6  # TOOLBOX_RATELIMIT_DEFAULT=6/minute
SERVICE = "toolbox"


# --- TOOLBOX_RATELIMIT_STORAGE: which URLs are accepted ------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "memory://",
        "redis://127.0.0.1:6379/0",
        "rediss://:secret@redis.internal:6380/1",
        "redis+sentinel://127.0.0.1:26379/mymaster",
        "redis+sentinel://s1.example.com:26379,s2.example.com:26379,10.0.0.3:26379/toolbox",
        "redis+sentinel://:pass%40word@[::1]:26379/my-master_1.prod",
        "redis+sentinel://user:secret@sentinel:26379/mymaster",
        "redis+cluster://127.0.0.1:7000",
        "redis+cluster://n1:7000,n2:7001,[fd00::1]:7002",
        "redis+cluster://:secret@n1:7000/",
        "  redis+cluster://n1:7000  ",
    ],
)
def test_storage_urls_accepted(value: str) -> None:
    assert parse_storage(value) == value.strip()
    assert Settings.from_env({"TOOLBOX_RATELIMIT_STORAGE": value}).ratelimit_storage == value.strip()


def test_storage_scheme_is_lowered() -> None:
    assert parse_storage("Redis+Sentinel://S1:26379/Main") == "redis+sentinel://S1:26379/Main"
    assert parse_storage("REDIS+CLUSTER://n1:7000") == "redis+cluster://n1:7000"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("redis+sentinel://127.0.0.1:26379", "no service name"),
        ("redis+sentinel://127.0.0.1:26379/", "no service name"),
        ("redis+sentinel:///mymaster", "no host:port given"),
        ("redis+sentinel://sentinel/mymaster", "'sentinel' is not host:port"),
        ("redis+sentinel://sentinel:0/mymaster", "port must be between 1 and 65535"),
        ("redis+sentinel://sentinel:65536/mymaster", "port must be between 1 and 65535"),
        ("redis+sentinel://sentinel:26379/my/master", "is not a service name"),
        ("redis+sentinel://sentinel:26379/../etc", "is not a service name"),
        ("redis+sentinel://sentinel:26379/m?db=1", "takes no ?options"),
        ("redis+sentinel://a:1,,b:2/m", "'' is not host:port"),
        ("redis+sentinel://a:1, b:2/m", "printable ASCII, no spaces"),
        ("redis+sentinel://[::1::2]:26379/m", "not an IPv6 address"),
        ("redis+sentinel://[::g]:26379/m", "is not host:port"),
        ("redis+sentinel://a:1/m\x00", "printable ASCII"),
        ("redis+sentinel://a:1/m\r\nFLUSHALL", "printable ASCII"),
        ("redis+sentinel://a:1/mäster", "printable ASCII"),
        ("redis+sentinel://u:p@ss@a:1/m", "percent-encode @"),
        ("redis+sentinel://a:1/" + "m" * 200, "is not a service name"),
        ("redis+sentinel://" + "a:1," * 600 + "a:1/m", "at most 2048 characters"),
        ("redis+cluster://", "no host:port given"),
        ("redis+cluster://n1:7000/0", "no database number"),
        ("redis+cluster://n1", "'n1' is not host:port"),
        ("redis+cluster://n1:7000#x", "takes no ?options or #fragment"),
        ("redis+cluster://-n1:7000", "is not host:port"),
        ("redis+cluster://n1:7000;FLUSHALL", "is not host:port"),
        ("redis+cluster://n1:99999999", "is not host:port"),
        ("valkey+cluster://n1:7000", "expected memory://"),
        ("rediss+sentinel://a:1/m", "expected memory://"),
        ("redis+unix:///run/redis.sock", "expected memory://"),
        ("mongodb://x", "expected memory://"),
        ("redis+sentinel", "expected memory://"),
        ("", "expected memory://"),
    ],
)
def test_storage_urls_refused(value: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_storage(value)
    assert message in str(raised.value)
    with pytest.raises(ConfigError, match="^TOOLBOX_RATELIMIT_STORAGE="):
        Settings.from_env({"TOOLBOX_RATELIMIT_STORAGE": value})


@pytest.mark.parametrize(
    "value",
    ["redis+cluster://admin:hunter2secret@n1:7000/0", "redis+sentinel://:hunter2secret@s:1",
     "redis+sentinel://:hunter2secret@s:1/m/x@y"],
)
def test_storage_error_never_shows_the_password(value: str) -> None:
    with pytest.raises(ConfigError) as raised:
        Settings.from_env({"TOOLBOX_RATELIMIT_STORAGE": value})
    assert "hunter2" not in str(raised.value)
    assert "<hidden>@" in str(raised.value)


def test_storage_options_give_every_connection_short_timeouts() -> None:
    short = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "retry": Retry(NoBackoff(), 1)}
    uri, options = storage_settings("redis+sentinel://s1:26379,s2:26379/toolbox")
    assert uri == "redis+sentinel://s1:26379,s2:26379/toolbox"
    assert options == {**short, "sentinel_kwargs": short, "use_replicas": False}
    uri, options = storage_settings("redis+cluster://n1:7000,n2:7000")
    assert uri == "toolbox-redis-cluster://n1:7000,n2:7000"
    assert options == short
    assert storage_settings("redis://r:6379/0") == ("redis://r:6379/0", short)
    assert storage_settings("memory://") == ("toolbox-memory://", {})


# --- real servers ---------------------------------------------------------------------------


def stop_all(cleanup: ExitStack, *servers: Server) -> None:
    for server in servers:
        cleanup.callback(shutil.rmtree, server.log_path.parent, ignore_errors=True)
        cleanup.callback(server.stop)


def kill(*servers: Server) -> None:
    for server in servers:
        server.process.kill()
    for server in servers:
        server.process.wait(timeout=10)


def make_apps(storage: str) -> tuple[Flask, Flask]:
    env = {"TOOLBOX_RATELIMIT_STORAGE": storage, "TOOLBOX_RATELIMIT_DEFAULT": f"{LIMIT}/minute"}
    return create_app(env), create_app(env)


def get(app: Flask, path: str) -> tuple[int, Any]:
    response = app.test_client().get(path)
    return response.status_code, response


def readiness(app: Flask) -> str:
    """What /readyz says of the rate-limit storage ("ok" or "unreachable"); it always answers 200."""
    status, response = get(app, "/readyz")
    assert status == 200, status
    return str(response.get_json()["checks"]["ratelimit_storage"])


def storage_of(app: Flask) -> Any:
    limiter: Limiter = app.extensions["toolbox.limiter"]
    return limiter.storage


def assert_shared_limit(apps: tuple[Flask, Flask]) -> None:
    """LIMIT requests alternating between the apps pass; the next is refused by both."""
    statuses = [get(apps[i % 2], "/")[0] for i in range(LIMIT)]
    assert statuses == [200] * LIMIT
    # The 7th request overall is only the 4th either app has seen: the count is shared.
    status, response = get(apps[LIMIT % 2], "/")
    assert status == 429
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert get(apps[(LIMIT + 1) % 2], "/api/openapi.json")[0] == 429
    for app in apps:
        status, response = get(app, "/readyz")
        assert status == 200
        assert response.get_json() == {"status": "ok", "checks": {"ratelimit_storage": "ok"}}


def assert_memory_fallback(apps: tuple[Flask, Flask]) -> None:
    """With the storage gone each app counts on its own: never 500, still limited, /readyz degraded."""
    started = time.monotonic()
    per_app: dict[int, list[int]] = {0: [], 1: []}
    for i in range(2 * (LIMIT + 3)):
        status, _ = get(apps[i % 2], "/")
        per_app[i % 2].append(status)
    for statuses in per_app.values():
        assert set(statuses) <= {200, 429}, statuses
        assert statuses[0] == 200, statuses
        assert statuses[-1] == 429, statuses
        assert statuses.count(200) <= LIMIT + 1, statuses
    for app in apps:
        status, response = get(app, "/readyz")
        assert status == 200  # degraded, not out of the load balancer
        assert response.get_json() == {"status": "degraded",
                                        "checks": {"ratelimit_storage": "unreachable"}}
        assert get(app, "/healthz")[0] == 200
    # Refused connections, short timeouts: the outage costs seconds, not minutes.
    assert time.monotonic() - started < 10


def limit_keys(port: int) -> list[str]:
    return redis_cli(port, "--scan", "--pattern", "LIMITS:*").split()


@pytest.fixture
def sentinel_stack() -> Iterator[tuple[Server, Server, Server]]:
    """A master, its replica and one sentinel monitoring them as `toolbox`."""
    with ExitStack() as cleanup:
        master = start_redis_node("--repl-diskless-sync-delay", "0")  # the replica syncs at once
        stop_all(cleanup, master)
        replica = start_redis_node("--replicaof", "127.0.0.1", str(master.port))
        stop_all(cleanup, replica)
        sentinel = start_sentinel(master.port, SERVICE)
        stop_all(cleanup, sentinel)
        yield master, replica, sentinel


@pytest.fixture(scope="module")
def shared_cluster() -> Iterator[list[Server]]:
    with ExitStack() as cleanup:
        nodes = start_redis_cluster(3)
        stop_all(cleanup, *nodes)
        yield nodes


@pytest.fixture
def cluster(shared_cluster: list[Server]) -> list[Server]:
    """3 masters, started once for the module (2+ s), emptied for each test."""
    for node in shared_cluster:
        redis_cli(node.port, "flushall")
    return shared_cluster


@pytest.fixture
def own_cluster() -> Iterator[list[Server]]:
    """3 masters for a test that kills them."""
    with ExitStack() as cleanup:
        nodes = start_redis_cluster(3)
        stop_all(cleanup, *nodes)
        yield nodes


@pytest.mark.server
def test_sentinel_two_instances_share_one_limit(
    sentinel_stack: tuple[Server, Server, Server],
) -> None:
    master, replica, sentinel = sentinel_stack
    apps = make_apps(f"redis+sentinel://127.0.0.1:{free_port()},127.0.0.1:{sentinel.port}/{SERVICE}")
    # The sentinel connections (found through the second, live sentinel) and the master's
    # get the short timeouts; limits alone would leave the sentinels' without any.
    storage = storage_of(apps[0])
    for connection in storage.sentinel.sentinels:
        kwargs = connection.connection_pool.connection_kwargs
        assert (kwargs["socket_connect_timeout"], kwargs["socket_timeout"]) == (0.5, 0.5)
        assert kwargs["retry"].get_retries() == 1
    assert storage.sentinel.connection_kwargs["socket_timeout"] == 0.5
    assert storage.use_replicas is False

    assert_shared_limit(apps)
    # The counter is on the master the sentinel named (and replicated), nowhere else.
    assert limit_keys(master.port)
    assert storage.sentinel.discover_master(SERVICE) == ("127.0.0.1", master.port)


@pytest.mark.server
def test_sentinel_failover_keeps_the_count(sentinel_stack: tuple[Server, Server, Server]) -> None:
    master, replica, sentinel = sentinel_stack
    apps = make_apps(f"redis+sentinel://127.0.0.1:{sentinel.port}/{SERVICE}")
    assert [get(apps[i % 2], "/")[0] for i in range(LIMIT // 2)] == [200] * (LIMIT // 2)
    deadline = time.monotonic() + 10  # the count has reached the replica
    while sorted(limit_keys(replica.port)) != sorted(limit_keys(master.port)) or redis_cli(
            replica.port, "get", limit_keys(master.port)[0]) != f"{LIMIT // 2}\n":
        assert time.monotonic() < deadline, "the replica never caught up"
        time.sleep(0.05)

    kill(master)
    # The sentinel promotes the replica. Until it has finished (flags without s_down, o_down,
    # failover_in_progress) redis-py finds no master and the apps would count in memory.
    watcher = Sentinel([("127.0.0.1", sentinel.port)], socket_timeout=0.5)  # type: ignore[no-untyped-call]
    deadline = time.monotonic() + 20
    while True:
        try:
            if watcher.discover_master(SERVICE) == ("127.0.0.1", replica.port):  # type: ignore[no-untyped-call]
                break
        except MasterNotFoundError:
            pass
        assert time.monotonic() < deadline, sentinel.log()
        time.sleep(0.1)

    # Both apps find the new master through the sentinel (their pooled connections to the
    # old one fail once and are retried at once), and the count carries on where it was.
    rest = LIMIT - LIMIT // 2
    assert [get(apps[i % 2], "/")[0] for i in range(rest)] == [200] * rest
    assert get(apps[0], "/")[0] == 429
    assert get(apps[1], "/")[0] == 429
    for app in apps:
        assert readiness(app) == "ok"
        assert storage_of(app).sentinel.discover_master(SERVICE) == ("127.0.0.1", replica.port)


@pytest.mark.server
def test_sentinel_failover_under_traffic_returns_to_redis(
    sentinel_stack: tuple[Server, Server, Server],
) -> None:
    """Requests during the failover count in memory (never 500); then both apps use Redis again."""
    master, replica, sentinel = sentinel_stack
    env = {"TOOLBOX_RATELIMIT_STORAGE": f"redis+sentinel://127.0.0.1:{sentinel.port}/{SERVICE}",
           "TOOLBOX_RATELIMIT_DEFAULT": "1000/minute"}
    apps = (create_app(env), create_app(env))
    assert get(apps[0], "/")[0] == 200
    kill(master)
    limiters = [app.extensions["toolbox.limiter"] for app in apps]
    statuses: list[int] = []
    fell_back = [False, False]
    deadline = time.monotonic() + 25
    while True:
        statuses.append(get(apps[len(statuses) % 2], "/")[0])
        fell_back = [was or limiter._storage_dead for was, limiter in zip(fell_back, limiters)]
        if all(fell_back) and not any(limiter._storage_dead for limiter in limiters):
            break
        assert time.monotonic() < deadline, "the apps never went back to Redis"
        time.sleep(0.1)
    assert set(statuses) == {200}
    before = int(redis_cli(replica.port, "get", limit_keys(replica.port)[0]))
    for app in apps:
        assert get(app, "/")[0] == 200
        assert readiness(app) == "ok"
    assert int(redis_cli(replica.port, "get", limit_keys(replica.port)[0])) == before + 2


@pytest.mark.server
def test_sentinel_gone_falls_back_to_memory(sentinel_stack: tuple[Server, Server, Server]) -> None:
    master, replica, sentinel = sentinel_stack
    apps = make_apps(f"redis+sentinel://127.0.0.1:{sentinel.port}/{SERVICE}")
    for app in apps:
        assert readiness(app) == "ok"
        assert get(app, "/")[0] == 200
    kill(sentinel, master, replica)
    assert_memory_fallback(apps)

    # No sentinel answering at start: the apps start all the same, on memory.
    assert_memory_fallback(make_apps(f"redis+sentinel://127.0.0.1:{sentinel.port}/{SERVICE}"))


@pytest.mark.server
def test_cluster_two_instances_share_one_limit(cluster: list[Server]) -> None:
    # One node named is enough: the client learns the others from it.
    apps = (create_app({"TOOLBOX_RATELIMIT_STORAGE": f"redis+cluster://127.0.0.1:{cluster[0].port}",
                        "TOOLBOX_RATELIMIT_DEFAULT": f"{LIMIT}/minute"}),
            make_apps(f"redis+cluster://127.0.0.1:{cluster[1].port},127.0.0.1:{cluster[2].port}")[0])
    storage = storage_of(apps[0])
    assert isinstance(storage, LenientRedisClusterStorage)
    assert len(storage.get_connection().get_primaries()) == 3
    for node in storage.get_connection().get_nodes():
        kwargs = node.redis_connection.connection_pool.connection_kwargs
        assert (kwargs["socket_connect_timeout"], kwargs["socket_timeout"]) == (0.5, 0.5)

    assert_shared_limit(apps)
    assert sum(len(limit_keys(node.port)) for node in cluster) >= 1


@pytest.mark.server
def test_cluster_gone_falls_back_to_memory(own_cluster: list[Server]) -> None:
    apps = make_apps(",".join(f"127.0.0.1:{node.port}" for node in own_cluster).join(
        ["redis+cluster://", ""]))
    for app in apps:
        assert readiness(app) == "ok"
        assert get(app, "/")[0] == 200
    kill(*own_cluster)
    assert_memory_fallback(apps)


@pytest.mark.server
def test_cluster_down_at_start_starts_on_memory_then_finds_it() -> None:
    with ExitStack() as cleanup:
        # Nothing listens yet: the apps start all the same (limits' own storage would raise).
        ports = [free_cluster_port() for _ in range(3)]
        apps = make_apps(f"redis+cluster://127.0.0.1:{ports[0]},127.0.0.1:{ports[1]}")
        assert storage_of(apps[0]).storage is None
        assert_memory_fallback(apps)

        nodes = start_redis_cluster(3, ports=ports)
        stop_all(cleanup, *nodes)
        for app in apps:  # the readiness check connects, and the counters go to the cluster
            assert readiness(app) == "ok"
            storage = storage_of(app)
            assert storage.storage is not None
            assert storage.incr("probe", 60) >= 1
        assert sum(len(limit_keys(node.port)) for node in nodes) == 1


@pytest.mark.server
def test_real_servers_share_through_sentinel_and_cluster(
    sentinel_stack: tuple[Server, Server, Server], cluster: list[Server],
) -> None:
    """`toolbox serve` (gunicorn, 2 workers each): four processes, one count."""
    sentinel = sentinel_stack[2]
    for storage in (f"redis+sentinel://127.0.0.1:{sentinel.port}/{SERVICE}",
                    f"redis+cluster://127.0.0.1:{cluster[0].port}"):
        env = {"TOOLBOX_RATELIMIT_STORAGE": storage, "TOOLBOX_RATELIMIT_DEFAULT": f"{LIMIT}/minute"}
        with ExitStack() as cleanup:
            servers = []
            for _ in range(2):
                server = start_toolbox(env, workers=2)
                cleanup.callback(server.log_path.unlink, missing_ok=True)
                cleanup.callback(server.stop)
                servers.append(server)
            statuses = [http_status(servers[i % 2], "/") for i in range(LIMIT + 2)]
            assert statuses == [200] * LIMIT + [429, 429], (storage, statuses)
            for server in servers:
                with urllib.request.urlopen(server.url + "/readyz", timeout=10) as response:  # noqa: S310
                    assert json.load(response) == {"status": "ok", "checks": {"ratelimit_storage": "ok"}}
                assert '"event": "error"' not in server.log()


def http_status(server: Server, path: str) -> int:
    try:
        with urllib.request.urlopen(server.url + path, timeout=10) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as err:
        return err.code
