"""Settings: every knob is a TOOLBOX_* environment variable, validated once at start."""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from toolbox.core.net import FetchPolicy


class ConfigError(ValueError):
    """A setting has a value the app cannot run with; the message names the variable."""


def _env(name: str, default: str, doc: str) -> Any:
    """Declare a dataclass field read from the environment variable `name`."""
    return field(default=None, metadata={"env": name, "default": default, "doc": doc})


_SIZE_UNITS = {"": 1, "k": 1024, "kb": 1024, "m": 1024**2, "mb": 1024**2, "g": 1024**3, "gb": 1024**3}


def parse_size(text: str) -> int:
    """Parse a byte count such as `1048576`, `512k` or `8M` (binary units)."""
    match = re.fullmatch(r"\s*(\d{1,15})\s*([a-zA-Z]{0,2})\s*", text)
    if not match or match.group(2).lower() not in _SIZE_UNITS:
        raise ValueError("expected a number of bytes such as 1048576, 512k or 8M")
    value = int(match.group(1)) * _SIZE_UNITS[match.group(2).lower()]
    if value <= 0:
        raise ValueError("must be greater than zero")
    return value


def parse_int(low: int, high: int) -> Callable[[str], int]:
    """Return a parser for an integer within [low, high]."""

    def parse(text: str) -> int:
        if not re.fullmatch(r"\s*-?\d{1,12}\s*", text):
            raise ValueError("expected a whole number")
        value = int(text)
        if not low <= value <= high:
            raise ValueError(f"must be between {low} and {high}")
        return value

    return parse


def parse_bool(text: str) -> bool:
    """Parse true/false, yes/no, on/off, 1/0."""
    lowered = text.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError("expected true or false")


def parse_limit(text: str) -> str:
    """Validate a flask-limiter rate string such as `60/minute;1000/hour`."""
    from limits import parse_many  # local: keeps import of config cheap for the CLI

    try:
        if not parse_many(text):
            raise ValueError
    except ValueError:
        raise ValueError("expected a rate such as 60/minute or 10/second;300/hour") from None
    return text.strip()


_STORAGE_LOCATION = re.compile(
    r"(?:\[[0-9A-Fa-f:.]{2,45}\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?):(\d{1,5})"
)
_SENTINEL_SERVICE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
STORAGE_FORMS = ("memory://, redis://host:port/db, rediss://host:port/db, "
                 "redis+sentinel://host:port[,host:port…]/service or "
                 "redis+cluster://host:port[,host:port…]")


def parse_storage(text: str) -> str:
    """Accept `memory://`, a `redis://` / `rediss://` URI, or a Sentinel or Cluster URI.

    `redis+sentinel://[user:password@]host:port[,host:port…]/service_name` and
    `redis+cluster://[user:password@]host:port[,host:port…]` are checked part by part here,
    so a typo stops the app at start instead of surfacing as a fallback to memory later.
    """
    value = text.strip()
    if value == "memory://":
        return value
    if len(value) > 2048 or not value.isascii() or not value.isprintable() or " " in value:
        raise ValueError("expected a URI of printable ASCII, no spaces, at most 2048 characters")
    scheme, separator, rest = value.partition("://")
    if separator and scheme.lower() in {"redis", "rediss"} and rest:
        return value
    if separator and scheme.lower() in {"redis+sentinel", "redis+cluster"}:
        _check_ha_storage(scheme.lower().removeprefix("redis+"), rest)
        return f"{scheme.lower()}://{rest}"  # the app picks its connection options by scheme
    raise ValueError(f"expected {STORAGE_FORMS}")


def _check_ha_storage(kind: str, rest: str) -> None:
    """Check the part after `redis+sentinel://` or `redis+cluster://`; never echo credentials."""
    if "?" in rest or "#" in rest:
        raise ValueError(f"a redis+{kind} URI takes no ?options or #fragment")
    if rest.count("@") > 1:
        raise ValueError("more than one @: percent-encode @ in the user name or password (%40)")
    _, _, after_auth = rest.rpartition("@")
    hosts, slash, path = after_auth.partition("/")
    example = ("redis+sentinel://host:26379[,host:26379…]/service_name" if kind == "sentinel"
               else "redis+cluster://host:6379[,host:6379…]")
    if not hosts:
        raise ValueError(f"no host:port given, expected {example}")
    for location in hosts.split(","):
        match = _STORAGE_LOCATION.fullmatch(location)
        if not match:
            raise ValueError(f"{location[:64]!r} is not host:port, expected {example}")
        if not 1 <= int(match.group(1)) <= 65535:
            raise ValueError(f"{location[:64]!r}: the port must be between 1 and 65535")
        if location.startswith("["):
            try:
                ipaddress.IPv6Address(location[1:location.index("]")])
            except ValueError:
                raise ValueError(f"{location[:64]!r}: not an IPv6 address in brackets") from None
    if kind == "sentinel":
        if not slash or not path:
            raise ValueError(f"no service name (the master's name in the sentinels' "
                             f"configuration), expected {example}")
        if not _SENTINEL_SERVICE.fullmatch(path):
            raise ValueError(f"{path[:64]!r} is not a service name (letters, digits, . _ -)")
    elif path:
        raise ValueError(f"a Redis Cluster has no database number or path, expected {example}")


def redact_credentials(text: str) -> str:
    """`scheme://user:password@host` → `scheme://<hidden>@host`, for error messages and logs."""
    return re.sub(r"(://).*@", r"\1<hidden>@", text)


def parse_log_level(text: str) -> str:
    """Accept a standard logging level name."""
    value = text.strip().upper()
    if value not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise ValueError("expected DEBUG, INFO, WARNING or ERROR")
    return value


def parse_text(text: str) -> str:
    """Strip surrounding whitespace; empty means unset."""
    return text.strip()


def parse_fetch_ports(text: str) -> frozenset[int] | None:
    """Parse `80,443` into a port set, or `any` into None (every port)."""
    from toolbox.core.net.settings import parse_ports  # local: keeps import of config cheap

    return parse_ports(text)


def parse_fetch_allow(text: str) -> tuple[Any, ...]:
    """Parse comma-separated CIDRs (host bits must be zero); empty allows nothing extra."""
    from toolbox.core.net.addresses import parse_cidrs

    return parse_cidrs(text)


def parse_fetch_ca_bundle(text: str) -> str:
    """Accept empty or the path of an existing PEM file of CA certificates."""
    from toolbox.core.net.settings import parse_ca_bundle

    return parse_ca_bundle(text)


def parse_host(text: str) -> str:
    """Accept an IPv4/IPv6 address or host name to bind to."""
    value = text.strip()
    if not re.fullmatch(r"[A-Za-z0-9.:\-\[\]]{1,255}", value):
        raise ValueError("expected an address such as 127.0.0.1 or 0.0.0.0")
    return value


_HOST_LABELS = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*")
UNSPECIFIED_ADDRESSES = frozenset({"0.0.0.0", "[::]"})  # noqa: S104 - bind-any, never a Host name  # nosec B104


def normalize_host_name(text: str) -> str | None:
    """A Host name without port, as compared: lower case, no trailing dot, IPv6 as `[compressed]`.

    None when `text` is not a host name, an IPv4 address or a bracketed IPv6 address.
    """
    import ipaddress

    name = text.strip().lower()
    if name.startswith("[") and name.endswith("]"):
        try:
            return f"[{ipaddress.IPv6Address(name[1:-1]).compressed}]"
        except ValueError:
            return None
    name = name.removesuffix(".")
    if len(name) > 253 or not _HOST_LABELS.fullmatch(name):
        return None
    return name


def parse_allowed_hosts(text: str) -> tuple[str, ...]:
    """Parse `tools.example.com,.example.org,[::1]` (a leading dot also allows subdomains)."""
    hosts: list[str] = []
    for part in text.split(","):
        entry = part.strip()
        if not entry:
            continue
        suffix = entry.startswith(".")
        candidate = entry[1:] if suffix else entry
        if ":" in candidate and not candidate.startswith("["):
            candidate = f"[{candidate}]"  # a bare IPv6 address; anything else fails below
        try:
            candidate = candidate.encode("idna").decode("ascii")
        except UnicodeError:
            raise ValueError(f"{entry[:64]!r} is not a host name") from None
        name = normalize_host_name(candidate)
        if name is None or (suffix and name.startswith("[")):
            with_port = re.fullmatch(r"[^:\[\]]+:\d+|\[[^\]]*\]:\d+", entry)
            hint = " (give names without ports: ports are not compared)" if with_port else ""
            raise ValueError(f"{entry[:64]!r} is not a host name or address{hint}")
        hosts.append("." + name if suffix else name)
    if not hosts:
        raise ValueError("expected at least one host name, e.g. tools.example.com")
    return tuple(dict.fromkeys(hosts))


class SettingDoc(NamedTuple):
    """One setting as the docs show it."""

    name: str  # the TOOLBOX_* variable
    default: str
    description: str


@dataclass(frozen=True)
class Settings:
    """The validated settings of one app instance (see docs/configuration.md)."""

    max_body_bytes: int = _env(
        "TOOLBOX_MAX_BODY_BYTES",
        "8M",
        "Largest request body accepted, with a Content-Length or chunked; a larger body gets 413 "
        "on every route (never processed cut short).",
    )
    trusted_proxies: int = _env(
        "TOOLBOX_TRUSTED_PROXIES",
        "0",
        "Number of reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host/-Port "
        "headers are trusted (0 trusts none).",
    )
    allowed_hosts: tuple[str, ...] = _env(
        "TOOLBOX_ALLOWED_HOSTS",
        "127.0.0.1,localhost,[::1]",
        "Comma-separated host names and addresses the app answers to (`.example.com` also "
        "allows its subdomains; ports are not compared), plus TOOLBOX_HOST when it names one "
        "address (not 0.0.0.0 or ::). Any other `Host` (behind TOOLBOX_TRUSTED_PROXIES: "
        "`X-Forwarded-Host`) gets 400, so DNS rebinding cannot make a hostile page same-origin. "
        "`/healthz` and `/readyz` answer any host (orchestrator probes use the pod IP).",
    )
    ratelimit_storage: str = _env(
        "TOOLBOX_RATELIMIT_STORAGE",
        "memory://",
        "Where rate-limit counters live: `memory://` (per process), or shared by all workers "
        "and instances: `redis://host:port/db` (`rediss://` for TLS), a Sentinel-managed Redis "
        "`redis+sentinel://host:port[,host:port]/service_name` (the sentinels' addresses and "
        "the monitored master's name) or a Redis Cluster `redis+cluster://host:port[,host:port]`"
        " (any nodes; the rest are discovered). If Redis is unreachable the app falls back to "
        "in-memory limits.",
    )
    ratelimit_default: str = _env(
        "TOOLBOX_RATELIMIT_DEFAULT",
        "120/minute;2000/hour",
        "Limit per client IP (per API subject when API auth is on): one budget shared by all "
        "routes together, except static files and health checks.",
    )
    ratelimit_fetch: str = _env(
        "TOOLBOX_RATELIMIT_FETCH",
        "10/minute;100/hour",
        "Stricter limit per client on requests that make the server fetch a URL (header checks "
        "of a URL, JWT verification with `jwks-url` or `issuer`), all routes together; such "
        "requests also count against TOOLBOX_RATELIMIT_DEFAULT.",
    )
    api_jwt_key: str = _env(
        "TOOLBOX_API_JWT_KEY",
        "",
        "Turns on API authentication: an HMAC secret (at least 32 bytes) or a PEM public key "
        "(RSA, EC or Ed25519). Empty: the API is open.",
    )
    api_jwt_max_ttl: int = _env(
        "TOOLBOX_API_JWT_MAX_TTL",
        "900",
        "Longest lifetime in seconds an API token may have (`exp` − `iat`, and `exp` − now).",
    )
    api_jwt_audience: str = _env(
        "TOOLBOX_API_JWT_AUDIENCE", "", "When set, API tokens must carry this `aud`."
    )
    api_jwt_issuer: str = _env(
        "TOOLBOX_API_JWT_ISSUER", "", "When set, API tokens must carry this `iss`."
    )
    jwt_max_lifetime: int = _env(
        "TOOLBOX_JWT_MAX_LIFETIME",
        "86400",
        "JWT audit: tokens living longer than this many seconds get a `long-lifetime` finding.",
    )
    json_max_depth: int = _env(
        "TOOLBOX_JSON_MAX_DEPTH",
        "1000",
        "JSON tool: deepest nesting accepted; deeper documents get a clear 422.",
    )
    json_line_max: int = _env(
        "TOOLBOX_JSON_LINE_MAX",
        "1M",
        "JSON Lines: longest line read, in bytes; a longer line is an error for that line and is skipped "
        "without being held in memory. Memory per validation is about 30 times this (the line parsed).",
    )
    json_lines_max_bytes: int = _env(
        "TOOLBOX_JSON_LINES_MAX_BYTES",
        "1G",
        "JSON Lines: largest upload to `/api/v1/json/lines/stream` and the `/json/lines` page, read as it "
        "arrives, never held whole (other routes keep TOOLBOX_MAX_BODY_BYTES). Under `toolbox serve` a body "
        "read past the 10 s read deadline must keep arriving at 256 KiB/s on average.",
    )
    fetch_ports: frozenset[int] | None = _env(
        "TOOLBOX_FETCH_PORTS",
        "80,443,8000,8080,8443",
        "Ports the URL fetcher may connect to: comma-separated, or `any`.",
    )
    fetch_allow: tuple[Any, ...] = _env(
        "TOOLBOX_FETCH_ALLOW",
        "",
        "Comma-separated CIDRs (e.g. `10.1.0.0/16,fd00:1::/64`) the URL fetcher may reach even "
        "though they are private or reserved (staging sites). Empty: public addresses only.",
    )
    fetch_ca_bundle: str = _env(
        "TOOLBOX_FETCH_CA_BUNDLE",
        "",
        "Path of a PEM file of extra CA certificates the URL fetcher trusts (a private CA), on top "
        "of the system ones. Certificates are always verified.",
    )
    query_timeout: int = _env(
        "TOOLBOX_QUERY_TIMEOUT",
        "5",
        "JSON queries (JSONPath, jq): CPU seconds one query may use, in its own child process; the "
        "wall clock allows one second more. Over either, the query is stopped (a 422 naming the limit).",
    )
    query_memory: int = _env(
        "TOOLBOX_QUERY_MEMORY",
        "1024",
        "JSON queries: address space of a query's child process, in MiB (Python, the engine, the "
        "document parsed twice: about 230 MiB for a 5 MB document). Over it, the query is stopped (a 422).",
    )
    query_max_results: int = _env(
        "TOOLBOX_QUERY_MAX_RESULTS",
        "10000",
        "JSON queries: results returned at most; the rest are not computed and the answer says "
        "`truncated` (jq's `repeat(1)` gives this many).",
    )
    query_max_output: int = _env(
        "TOOLBOX_QUERY_MAX_OUTPUT",
        "16M",
        "JSON queries: bytes of results' JSON (and JSONPath paths) at most; more is a 422.",
    )
    query_concurrency: int = _env(
        "TOOLBOX_QUERY_CONCURRENCY",
        "2",
        "JSON queries: child processes one worker runs at once (so at most this × TOOLBOX_QUERY_MEMORY "
        "per worker); a query that finds none free within TOOLBOX_QUERY_TIMEOUT is a 422.",
    )
    log_level: str = _env("TOOLBOX_LOG_LEVEL", "INFO", "Lowest level written to the JSON log.")
    host: str = _env("TOOLBOX_HOST", "127.0.0.1", "Address `toolbox serve` binds to.")
    port: int = _env("TOOLBOX_PORT", "8000", "Port `toolbox serve` listens on.")
    workers: int = _env("TOOLBOX_WORKERS", "2", "gunicorn worker processes for `toolbox serve`.")
    threads: int = _env(
        "TOOLBOX_THREADS",
        "32",
        "Threads per gunicorn worker (gthread). Header checks wait on slow sites; threads keep "
        "other requests answering meanwhile.",
    )
    timeout: int = _env(
        "TOOLBOX_TIMEOUT", "30", "Seconds before gunicorn restarts a worker stuck on one request."
    )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read and validate every setting; raise ConfigError naming the first bad variable."""
        source = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            name = f.metadata["env"]
            raw = source.get(name, f.metadata["default"])
            try:
                values[f.name] = _PARSERS[f.name](raw)
            except ValueError as err:
                shown = "<hidden>" if "KEY" in name else repr(redact_credentials(raw)[:80])
                raise ConfigError(f"{name}={shown}: {err}") from None
        settings = cls(**values)
        settings._check_api_key()
        return settings

    def _check_api_key(self) -> None:
        """Refuse an API key the authenticator could not use safely."""
        if not self.api_jwt_key:
            return
        from toolbox.core.apitoken import load_verification_key

        try:
            load_verification_key(self.api_jwt_key)
        except ValueError as err:
            raise ConfigError(f"TOOLBOX_API_JWT_KEY=<hidden>: {err}") from None

    def fetch_policy(self) -> FetchPolicy:
        """The outbound-fetch policy these settings describe (TOOLBOX_FETCH_*)."""
        from toolbox.core.net import FetchPolicy

        return FetchPolicy(ports=self.fetch_ports, allow=self.fetch_allow,
                           ca_bundle=self.fetch_ca_bundle or None)

    def host_names(self) -> frozenset[str]:
        """The names `Host` may carry: TOOLBOX_ALLOWED_HOSTS plus TOOLBOX_HOST when it is specific."""
        names = set(self.allowed_hosts)
        bound = normalize_host_name(self.host)
        if bound is None and ":" in self.host:  # TOOLBOX_HOST may be a bare IPv6 address
            bound = normalize_host_name(f"[{self.host}]")
        if bound is not None and bound not in UNSPECIFIED_ADDRESSES:
            names.add(bound)
        return frozenset(names)

    @staticmethod
    def documented() -> list[SettingDoc]:
        """Every setting's variable, default and description, in declaration order."""
        return [SettingDoc(f.metadata["env"], f.metadata["default"], f.metadata["doc"])
                for f in fields(Settings)]


_PARSERS: dict[str, Callable[[str], Any]] = {
    "max_body_bytes": parse_size,
    "trusted_proxies": parse_int(0, 10),
    "allowed_hosts": parse_allowed_hosts,
    "ratelimit_storage": parse_storage,
    "ratelimit_default": parse_limit,
    "ratelimit_fetch": parse_limit,
    "api_jwt_key": parse_text,
    "api_jwt_max_ttl": parse_int(1, 86400),
    "api_jwt_audience": parse_text,
    "api_jwt_issuer": parse_text,
    "jwt_max_lifetime": parse_int(60, 10 * 365 * 86400),
    "json_max_depth": parse_int(1, 100000),
    "json_line_max": parse_size,
    "json_lines_max_bytes": parse_size,
    "fetch_ports": parse_fetch_ports,
    "fetch_allow": parse_fetch_allow,
    "fetch_ca_bundle": parse_fetch_ca_bundle,
    "query_timeout": parse_int(1, 300),
    "query_memory": parse_int(256, 65536),
    "query_max_results": parse_int(1, 10_000_000),
    "query_max_output": parse_size,
    "query_concurrency": parse_int(1, 64),
    "log_level": parse_log_level,
    "host": parse_host,
    "port": parse_int(1, 65535),
    "workers": parse_int(1, 64),
    "threads": parse_int(1, 64),
    "timeout": parse_int(1, 3600),
}
