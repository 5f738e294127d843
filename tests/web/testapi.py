"""A small API blueprint used to exercise the API frame (the real tools bring their own)."""

from __future__ import annotations

from typing import Any

from flask import Flask

from toolbox.web.api import ApiBlueprint

ECHO_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["text"],
    "additionalProperties": False,
    "properties": {
        "text": {"type": "string", "maxLength": 1000},
        "count": {"type": "integer", "minimum": 0, "maximum": 10},
        "mode": {"enum": ["upper", "lower"]},
    },
}
ECHO_RESPONSE: dict[str, Any] = {
    "type": "object",
    "properties": {"length": {"type": "integer"}, "subject": {"type": ["string", "null"]}},
}


def add_test_api(app: Flask) -> Flask:
    """Register /api/v1/test/echo (plain) and /api/v1/test/fetch (fetch-limited) on `app`."""
    bp = ApiBlueprint("api_test", __name__, tag="test", url_prefix="/api/v1/test")

    @bp.operation("/echo", summary="Echo the length of a text", request_schema=ECHO_SCHEMA,
                  response_schema=ECHO_RESPONSE)
    def echo(body: dict[str, Any]) -> dict[str, Any]:
        from flask import g

        if body["text"] == "boom":
            raise RuntimeError("exploded while holding " + body["text"])
        return {"length": len(body["text"]), "subject": g.get("api_subject")}

    @bp.operation("/fetch", summary="Pretend to fetch a URL", request_schema=ECHO_SCHEMA,
                  response_schema=ECHO_RESPONSE, fetches=True)
    def fetch(body: dict[str, Any]) -> dict[str, Any]:
        return {"length": len(body["text"]), "subject": None}

    app.register_blueprint(bp)
    return app
