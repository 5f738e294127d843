"""Rate limits with flask-limiter: per client IP (or API subject), stricter for URL fetches."""

from __future__ import annotations

import threading
import time
from typing import Any

from flask import Flask, current_app, g, request
from flask_limiter import Limiter, RequestLimit, RouteLimit
from limits.storage import MemoryStorage, RedisClusterStorage
from redis.backoff import NoBackoff
from redis.retry import Retry

from toolbox.config import Settings
from toolbox.web.requestlog import security_event

FETCH_SCOPE = "fetch"


def count_fetch() -> None:
    """Count one outbound fetch against the client's TOOLBOX_RATELIMIT_FETCH budget; 429 when spent.

    Called by the code that is about to fetch, so what counts is decided where the fetch is
    done, never by a second reading of the request that could disagree with the handler's.
    """
    limit: RouteLimit | None = current_app.extensions.get("toolbox.fetch_limit")
    if limit is None:
        return
    with limit:  # flask-limiter's documented in-view use: hit the limit, raise 429 when over
        pass


def client_key() -> str:
    """The identity limits count against: the API subject when authenticated, else the IP."""
    subject = g.get("api_subject")
    if subject:
        return f"sub:{subject}"
    return f"ip:{request.remote_addr or 'unknown'}"


class LeanMemoryStorage(MemoryStorage):
    """limits' memory storage without its per-request expiry thread.

    MemoryStorage starts a new timer thread whenever the last one finished (every ~10 ms under
    load), which cost ~0.15 ms per request here. Counters already expire lazily when read;
    this class sweeps stale keys inline every SWEEP_EVERY increments instead.
    """

    STORAGE_SCHEME = ["toolbox-memory"]
    SWEEP_EVERY = 10_000

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: str) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._since_sweep = 0

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        """Count a hit in the window that starts now if the key is new or expired."""
        self.get(key)  # drops the key when its window has ended
        self._since_sweep += 1
        if self._since_sweep >= self.SWEEP_EVERY:
            self._since_sweep = 0
            self._sweep()
        with self.locks[key]:
            self.storage[key] += amount
            if self.storage[key] == amount:
                self.expirations[key] = time.time() + expiry
        return self.storage.get(key, 0)

    def _sweep(self) -> None:
        now = time.time()
        for key, expires in list(self.expirations.items()):
            if expires <= now:
                self.storage.pop(key, None)
                self.expirations.pop(key, None)
                self.locks.pop(key, None)


class LenientRedisClusterStorage(RedisClusterStorage):
    """limits' Redis Cluster storage that starts even when no cluster node answers.

    RedisCluster asks a node for the slot map as soon as it is built, so limits' storage
    raises at start when the cluster is down and the app could not start at all. This one
    starts without the cluster (requests then count in memory, `/readyz` says "degraded") and tries
    again whenever the storage is used; flask-limiter's recovery check calls `check()`.
    """

    STORAGE_SCHEME = ["toolbox-redis-cluster"]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options: Any) -> None:
        self._uri = uri.replace("toolbox-redis-cluster://", "redis+cluster://", 1)
        self._wrap_exceptions = wrap_exceptions
        self._options = options
        self._connect_lock = threading.Lock()
        self.storage = None
        self.target_server = "redis"
        self.dependency = self.dependencies["redis"].module
        self.key_prefix = options.get("key_prefix", RedisClusterStorage.PREFIX)
        self.wrap_exceptions = wrap_exceptions
        self._connect()

    def _connect(self) -> None:
        try:
            super().__init__(self._uri, wrap_exceptions=self._wrap_exceptions, **self._options)
        except Exception:  # noqa: BLE001 - no node answers: count in memory until one does
            self.storage = None

    def get_connection(self, readonly: bool = False) -> Any:
        if self.storage is None:
            with self._connect_lock:
                if self.storage is None:
                    self._connect()
            if self.storage is None:
                raise self.dependency.exceptions.ConnectionError("no Redis Cluster node answers")
        return self.storage

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        self.get_connection()  # RedisStorage.incr runs a Lua script registered on connecting
        return super().incr(key, expiry, amount)


_REDIS_TIMEOUTS: dict[str, Any] = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


def _redis_options() -> dict[str, Any]:
    """Short timeouts and one immediate retry for every Redis connection.

    redis-py 6+ retries a failed connection 10 times with backoff by default (~4 s per
    attempt on a refused port): that would hold requests and readiness checks far longer
    than the timeouts suggest. One retry still rides out a dropped connection.
    """
    return {**_REDIS_TIMEOUTS, "retry": Retry(NoBackoff(), 1)}


def storage_settings(uri: str) -> tuple[str, dict[str, Any]]:
    """The limits storage URI and options for TOOLBOX_RATELIMIT_STORAGE `uri`.

    Every Redis connection gets short timeouts, the sentinels' own connections too (limits
    passes `sentinel_kwargs={}` to redis-py, which then would give them none). Counters are
    read from the Sentinel master, never a replica, so a replica lagging behind cannot let
    a client past its limit.
    """
    if uri == "memory://":
        return "toolbox-memory://", {}
    if uri.startswith("redis+sentinel://"):
        return uri, {**_redis_options(), "sentinel_kwargs": _redis_options(), "use_replicas": False}
    if uri.startswith("redis+cluster://"):
        return uri.replace("redis+cluster://", "toolbox-redis-cluster://", 1), _redis_options()
    return uri, _redis_options()


def _log_breach(limit: RequestLimit) -> None:
    security_event("rate-limited", limit=str(limit.limit))


def init_app(app: Flask, settings: Settings) -> Limiter:
    """Create the app's limiter; call after every blueprint is registered."""
    storage_uri, storage_options = storage_settings(settings.ratelimit_storage)
    limiter = Limiter(
        key_func=client_key,
        app=None,
        # One budget per client across every route (flask-limiter's application limits share
        # a single "global" scope per key); default_limits would give a budget per route.
        application_limits=[settings.ratelimit_default],
        storage_uri=storage_uri,
        # Short timeouts: a hung Redis must not hang requests; it trips the fallback instead.
        storage_options=storage_options,
        strategy="fixed-window",
        in_memory_fallback_enabled=True,
        swallow_errors=True,
        # No X-RateLimit-* headers: computing them costs a storage round trip per request.
        # Retry-After is added to 429 responses only (errors.py, from retry_after_seconds below).
        headers_enabled=False,
        key_prefix="toolbox",
        on_breach=_log_breach,
    )
    limiter.init_app(app)
    app.extensions["toolbox.limiter"] = limiter
    # One shared bucket ("fetch") per client, hit by count_fetch() wherever a fetch is done.
    app.extensions["toolbox.fetch_limit"] = limiter.shared_limit(settings.ratelimit_fetch, scope=FETCH_SCOPE)
    # Health checks are never limited (a load balancer polls them); static files flask-limiter skips.
    from toolbox.web.health import health_bp

    limiter.exempt(health_bp)
    return limiter


def retry_after_seconds() -> int:
    """How many seconds a rate-limited client should wait (the RFC 9110 Retry-After value)."""
    limiter: Limiter | None = current_app.extensions.get("toolbox.limiter")
    current = limiter.current_limit if limiter else None
    if current is None:
        return 60
    try:
        return max(1, int(current.reset_at - time.time()))
    except Exception:  # noqa: BLE001 - storage gone: a conservative default beats a 500
        return 60


def storage_ok() -> bool:
    """Whether the configured limiter storage answers right now."""
    limiter: Limiter = current_app.extensions["toolbox.limiter"]
    try:
        return bool(limiter.storage.check())
    except Exception:  # noqa: BLE001 - any storage failure means "not ready"
        return False
