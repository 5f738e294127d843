"""A small API blueprint used to exercise the API frame (the real tools bring their own operations)."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from flask import Flask, g

from toolbox import ops
from toolbox.web.api import ApiBlueprint


class EchoRequest(ops.Request):
    """Echo the length of a text."""

    text: Annotated[str, msgspec.Meta(max_length=1000)]
    count: Annotated[int, msgspec.Meta(ge=0, le=10)] = 0
    mode: Literal["upper", "lower"] = "upper"


class EchoResult(msgspec.Struct):
    """The text's length, and who asked (the API subject when authentication is on)."""

    length: int
    subject: str | None


def echo(request: EchoRequest, context: ops.Context) -> EchoResult:
    """Echo; "boom" raises, to show an unexpected error never leaks."""
    if request.text == "boom":
        raise RuntimeError("exploded while holding " + request.text)
    return EchoResult(len(request.text), g.get("api_subject"))


def fetch(request: EchoRequest, context: ops.Context) -> EchoResult:
    """Pretend to fetch a URL: spends the fetch budget the way real operations do."""
    context.before_fetch()
    return EchoResult(len(request.text), None)


# Not registered in ops.OPERATIONS: they exist only in the apps the tests build.
ECHO = ops.Operation("test/echo", "Echo the length of a text", EchoRequest, EchoResult, echo)
FETCH = ops.Operation("test/fetch", "Pretend to fetch a URL", EchoRequest, EchoResult, fetch)


def add_test_api(app: Flask) -> Flask:
    """Register /api/v1/test/echo (plain) and /api/v1/test/fetch (fetch-limited) on `app`."""
    bp = ApiBlueprint("api_test", __name__, tag="test", url_prefix="/api/v1/test")
    bp.add_operation(ECHO)
    bp.add_operation(FETCH)
    app.register_blueprint(bp)
    return app
