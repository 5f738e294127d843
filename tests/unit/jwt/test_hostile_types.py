"""Every header field and claim the code reads, with every JSON type: words, never an exception.

Issue 8, finding 3: a header `enc` that was a list crashed the audit (unhashable type: 'list'), and a
payload nested ~500 deep crashed the serialiser (RecursionError). Nesting now has a clear limit.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolbox.core.jwt import jsontext
from toolbox.core.jwt.decode import decode
from toolbox.core.jwt.verify import verify
from toolbox.ops.serialize import to_json

SECRET = "a-test-secret-that-is-long-enough-for-hs256-hs384-and-even-hs512-ok"
HEADER_FIELDS = ("alg", "enc", "kid", "typ", "cty", "b64", "crit", "jku", "x5u", "jwk", "x5c", "zip", "x5t")
CLAIMS = ("exp", "nbf", "iat", "auth_time", "aud", "iss", "sub", "jti", "nonce", "scope")
JSON_VALUES: list[Any] = [
    None, True, False, 0, -1, 1.5, 1e308, -1e308, 10**300, "", "x", "none", "HS256", "JWT", "A128GCM",
    [], [1], ["A128GCM"], ["alg", "enc"], [[[]]], {}, {"a": 1}, {"kty": "oct", "k": "AA"}, {"alg": [None]},
]


def part(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token(header: dict[str, Any], payload: Any, parts: int = 3) -> str:
    head = part(json.dumps(header).encode())
    body = part(json.dumps(payload).encode())
    if parts == 5:
        return f"{head}.AA.AA.{body}.AA"
    return f"{head}.{body}.{part(b'sig')}"


def exercise(text: str) -> None:
    decoded = decode(text, now=1_800_000_000)
    json.dumps(to_json(decoded, drop=frozenset({"token", "data"})))  # what the API and the CLI send
    result = verify(text, SECRET, "secret", audience=["a"], issuer="i", subject="s", require=["exp"],
                    now=1_800_000_000)
    json.dumps(to_json(result, drop=frozenset({"decoded"})))


@pytest.mark.parametrize("field", HEADER_FIELDS)
@pytest.mark.parametrize("value", JSON_VALUES, ids=repr)
@pytest.mark.parametrize("parts", [3, 5])
def test_every_header_field_with_every_json_type(field: str, value: Any, parts: int) -> None:
    base: dict[str, Any] = {"alg": "dir", "enc": "A128GCM"} if parts == 5 else {"alg": "HS256"}
    exercise(token({**base, field: value}, {"sub": "s"}, parts))


@pytest.mark.parametrize("claim", CLAIMS)
@pytest.mark.parametrize("value", JSON_VALUES, ids=repr)
def test_every_claim_with_every_json_type(claim: str, value: Any) -> None:
    exercise(token({"alg": "HS256", "typ": "JWT"}, {claim: value, "exp": 1_900_000_000} if claim != "exp"
                   else {claim: value}))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=10,
)


@settings(max_examples=150, deadline=None)
@given(header=st.dictionaries(st.sampled_from(HEADER_FIELDS), json_values, max_size=4),
       payload=st.dictionaries(st.sampled_from(CLAIMS), json_values, max_size=4),
       parts=st.sampled_from([3, 5]))
def test_random_headers_and_claims_never_raise(header: dict[str, Any], payload: dict[str, Any], parts: int) -> None:
    exercise(token(header, payload, parts))


@pytest.mark.parametrize("depth", [50, 64, 65, 500, 900, 5000])
@pytest.mark.parametrize("where", ["header", "payload"])
def test_nesting_has_a_clear_limit(depth: int, where: str) -> None:
    deep = "[" * depth + "]" * depth
    header = '{"alg":"HS256","x":' + deep + "}" if where == "header" else '{"alg":"HS256"}'
    payload = '{"x":' + deep + "}" if where == "payload" else '{"sub":"s"}'
    text = f"{part(header.encode())}.{part(payload.encode())}.{part(b'sig')}"
    exercise(text)
    decoded = decode(text)
    too_deep = depth + 1 > jsontext.MAX_DEPTH
    message = f"nested deeper than {jsontext.MAX_DEPTH} levels"
    assert any(message in error for error in decoded.errors) is too_deep
    if where == "payload":
        assert decoded.payload_format == ("text" if too_deep else "json")
    else:
        assert (decoded.header is None) is too_deep


def test_depth_counting_ignores_brackets_inside_strings() -> None:
    text = json.dumps({"a": "[" * 1000, "b": "{" * 1000, "c": '\\"[[['})
    assert jsontext.parse(text).ok
    limit = jsontext.MAX_DEPTH
    assert jsontext.parse("[" * limit + "]" * limit).ok
    assert not jsontext.parse("[" * (limit + 1) + "]" * (limit + 1)).ok
