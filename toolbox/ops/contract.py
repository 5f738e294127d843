"""Operations: one function per user-visible action, with a typed request and a typed result.

An operation is `function(request, context) -> result`. Its request type (a msgspec Struct that
forbids unknown fields, with `Literal` choices) is the single source of the API body decoding,
the OpenAPI document, the form choices and the CLI choices; its result type (a Struct or a
core dataclass) is the API response, the `--json` output and its schema. No Flask, no click:
adapters call `OPERATIONS[name]` and map `OpError.kind` once each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, get_args

import msgspec

from toolbox.config import Settings

Req = TypeVar("Req", bound=msgspec.Struct)
Res = TypeVar("Res")


def _no_fetch_budget() -> None:
    """The CLI has no fetch budget: fetching on the user's own machine is the user's call."""


@dataclass(frozen=True)
class Context:
    """What an operation may use besides its request: the settings, and a hook called before a fetch.

    `before_fetch` is called by the operation right before it fetches a URL on the user's behalf
    (the web adapter spends the client's fetch budget there and may refuse with 429).
    """

    settings: Settings
    before_fetch: Callable[[], None] = _no_fetch_budget


class Request(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Base of every request type: unknown fields are refused, never accepted and ignored."""


@dataclass(frozen=True)
class Operation(Generic[Req, Res]):
    """A registered operation: its name ("json/format"), types, function and one-line summary."""

    name: str
    summary: str
    request: type[Req]
    result: type[Res]
    run: Callable[[Req, Context], Res]
    api: bool = True  # served under /api/v1 (False: command line only, e.g. minting API tokens)

    @property
    def tool(self) -> str:
        """The tool the operation belongs to ("json" for "json/format")."""
        return self.name.split("/", 1)[0]


OPERATIONS: dict[str, Operation[Any, Any]] = {}


def operation(name: str, *, summary: str, request: type[Req], result: type[Res], api: bool = True
              ) -> Callable[[Callable[[Req, Context], Res]], Callable[[Req, Context], Res]]:
    """Register `function(request, context) -> result` as the operation `name`."""

    def register(function: Callable[[Req, Context], Res]) -> Callable[[Req, Context], Res]:
        if name in OPERATIONS:
            raise ValueError(f"operation {name!r} is registered twice")
        OPERATIONS[name] = Operation(name, summary, request, result, function, api)
        return function

    return register


def choices(literal: Any) -> tuple[Any, ...]:
    """The values of a `Literal[...]` type: form choices and `click.Choice` lists come from here."""
    return get_args(literal)


def to_builtins(result: Any) -> Any:
    """A result as JSON-ready values (the API response and the CLI's `--json` output)."""
    return msgspec.to_builtins(result)
