"""decode(): every kind of token, tolerant input, damaged and hostile input (never an exception)."""

from __future__ import annotations

import base64
import json
import random

import jwt
import pytest

from toolbox.core.jwt.decode import HEX_LIMIT, MAX_NESTING, decode
from toolbox.core.jwt.jsontext import parse
from toolbox.core.jwt.model import Decoded
from toolbox.core.jwt.normalize import MAX_TOKEN_CHARS, TokenTooLong

NOW = 1_800_000_000
STRONG = "q8Vt2mX0rL9sPz4KcW7yB1nJ6fH3dA5e"  # 32 random characters, not in the weak list


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def part(value: object) -> str:
    return b64(json.dumps(value, separators=(",", ":")).encode())


def hand(header: object, payload: bytes | object, signature: str = "c2lnbmF0dXJl") -> str:
    body = b64(payload) if isinstance(payload, bytes) else part(payload)
    return f"{part(header)}.{body}.{signature}"


def ids(decoded: Decoded) -> set[str]:
    return {f.id for f in decoded.findings}


@pytest.fixture
def token() -> str:
    return jwt.encode({"sub": "alice", "iat": NOW - 60, "exp": NOW + 840}, STRONG, algorithm="HS256",
                      headers={"kid": "key-1"})


def test_a_pyjwt_token_decodes_completely(token: str) -> None:
    d = decode(token, now=NOW)
    assert d.kind == "jws" and d.decodes and d.errors == () and d.notes == ()
    assert d.token == token
    assert d.header == {"alg": "HS256", "kid": "key-1", "typ": "JWT"}
    assert d.payload == {"sub": "alice", "iat": NOW - 60, "exp": NOW + 840}
    assert d.payload_format == "json" and d.payload_text is not None and json.loads(d.payload_text) == d.payload
    assert d.payload_hex is None and d.nested is None
    head, body, sig = token.split(".")
    assert d.signature == sig
    assert [(s.name, s.text, s.start, s.error) for s in d.segments] == [
        ("header", head, 0, None), ("payload", body, len(head) + 1, None),
        ("signature", sig, len(head) + len(body) + 2, None),
    ]
    assert d.segments[2].data is not None and len(d.segments[2].data) == 32
    assert [c.name for c in d.claims] == ["sub", "iat", "exp"]
    assert d.status.state == "valid" and d.status.message == "not expired · 14 min left"
    assert d.findings == ()


@pytest.mark.parametrize(
    ("wrap", "note"),
    [
        ("  {t}\n\n", None),
        ('"{t}"', "quotes"),
        ("'{t}'", "quotes"),
        ("Bearer {t}", "Bearer"),
        ("bearer   {t}", "bearer"),
        ("Authorization: Bearer {t}", "Authorization"),
        ("  authorization:bearer {t};", "Authorization"),
        ('"Authorization: Bearer {t}"', "quotes"),
    ],
)
def test_tolerant_input(token: str, wrap: str, note: str | None) -> None:
    d = decode(wrap.format(t=token), now=NOW)
    assert d.token == token and d.kind == "jws" and d.errors == ()
    if note:
        assert any(note in n for n in d.notes)


def test_whitespace_and_line_breaks_inside_the_token_are_removed(token: str) -> None:
    broken = "\n".join(token[i:i + 20] for i in range(0, len(token), 20)).replace("J", "J \t", 1)
    d = decode(broken, now=NOW)
    assert d.token == token and d.errors == ()
    assert any("whitespace" in n for n in d.notes)


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "nOnE"])
def test_unsecured_tokens_in_any_letter_case(alg: str) -> None:
    token = f"{part({'alg': alg})}.{part({'sub': 'x'})}."
    d = decode(token, now=NOW)
    assert d.kind == "unsecured" and d.signature == "" and d.errors == ()
    assert d.payload == {"sub": "x"}
    assert "alg-none" in ids(d)


def test_unsecured_with_a_signature_says_so() -> None:
    d = decode(hand({"alg": "none"}, {"a": 1}), now=NOW)
    assert d.kind == "unsecured"
    assert any("alg is none" in e for e in d.errors)


def test_truncated_signature(token: str) -> None:
    cut = token[: len(token) - len(token.split(".")[2]) + 5]  # 5 signature characters: 4k+1 is impossible
    d = decode(cut, now=NOW)
    assert d.kind == "jws" and d.header is not None and d.payload == {"sub": "alice", "iat": NOW - 60, "exp": NOW + 840}
    assert d.segments[2].data is None
    assert len(d.errors) == 1 and d.errors[0].startswith("signature: ") and "truncated" in d.errors[0]


def test_missing_signature_text(token: str) -> None:
    d = decode(token.rsplit(".", 1)[0] + ".", now=NOW)
    assert d.kind == "jws" and any(e.startswith("signature: empty") for e in d.errors)


def test_a_bad_character_in_the_payload_is_reported_with_its_position(token: str) -> None:
    head, body, sig = token.split(".")
    bad = f"{head}.{body[:7]}*{body[8:]}.{sig}"
    d = decode(bad, now=NOW)
    position = len(head) + 1 + 7 + 1  # 1-based character in the whole token
    assert d.header is not None and d.payload is None and d.payload_format == "missing"
    assert d.errors == (f"payload: bad base64url at char {position}: '*'",)
    assert d.segments[1].error == f"bad base64url at char {position}: '*'"
    assert d.claims == () and d.status.state == "unknown"


def test_a_non_ascii_character_is_shown_escaped(token: str) -> None:
    head, body, sig = token.split(".")
    d = decode(f"{head}.{body}.{sig[:3]}\u00e9{sig[4:]}", now=NOW)
    assert d.errors == (f"signature: bad base64url at char {len(head) + len(body) + 6}: '\\xe9'",)


def test_header_not_json() -> None:
    d = decode(f"{b64(b'{alg: HS256}')}.{part({'a': 1})}.c2ln", now=NOW)
    assert not d.decodes and d.payload == {"a": 1}
    assert d.errors[0] == "header is not JSON: Object keys must be strings in double quotes at line 1, column 2"


def test_header_a_json_array() -> None:
    d = decode(f"{part(['HS256'])}.{part({'a': 1})}.c2ln", now=NOW)
    assert d.header is None and d.errors == ("header is not a JSON object: it is a JSON array",)


@pytest.mark.parametrize(("value", "name"), [("x", "string"), (1, "number"), (None, "null"), (True, "boolean")])
def test_header_other_json_values(value: object, name: str) -> None:
    d = decode(f"{part(value)}.{part({})}.c2ln", now=NOW)
    assert d.errors == (f"header is not a JSON object: it is a JSON {name}",)


def test_header_not_utf8() -> None:
    head = b64(b'{"alg":"\xff"}')
    d = decode(f"{head}.{part({})}.c2ln", now=NOW)
    assert d.errors == ("header is not UTF-8 at byte 9",)


def test_empty_header() -> None:
    d = decode(f".{part({'a': 1})}.c2ln", now=NOW)
    assert d.errors == ("header is empty",) and d.payload == {"a": 1}


def test_two_parts_decode_what_they_can(token: str) -> None:
    d = decode(token.rsplit(".", 1)[0], now=NOW)
    assert d.kind == "unknown" and d.header is not None and d.payload is not None
    assert d.errors == ("a JWS has 3 parts separated by dots; this has 2 (the signature part is missing)",)
    assert [s.name for s in d.segments] == ["header", "payload"] and d.signature == ""


@pytest.mark.parametrize(
    ("count", "fragment"),
    [(1, "this has 1 (no dots"), (4, "this has 4 (one more than a JWS"), (6, "this has 6 (a JWE has 5)")],
)
def test_wrong_part_counts(token: str, count: int, fragment: str) -> None:
    parts = (token.split(".") + ["c2ln"] * 5)[:count]
    d = decode(".".join(parts), now=NOW)
    assert d.kind == "unknown" and d.header == {"alg": "HS256", "kid": "key-1", "typ": "JWT"}
    assert fragment in d.errors[0] and d.errors[0].startswith("a JWS has 3 parts")
    assert len(d.segments) == count
    if count > 3:
        assert d.segments[3].name == "part 4"


def jwe(header: object = None) -> str:
    rng = random.Random(5)
    pieces = [part(header or {"alg": "RSA-OAEP", "enc": "A256GCM", "kid": "r1"})]
    pieces += [b64(rng.randbytes(n)) for n in (256, 12, 40, 16)]
    return ".".join(pieces)


def test_a_five_part_jwe_shows_its_protected_header() -> None:
    d = decode(jwe(), now=NOW)
    assert d.kind == "jwe" and d.header == {"alg": "RSA-OAEP", "enc": "A256GCM", "kid": "r1"}
    assert d.payload_format == "encrypted" and d.payload is None and d.payload_text is None
    assert [s.name for s in d.segments] == ["header", "encrypted_key", "iv", "ciphertext", "tag"]
    assert [len(s.data or b"") for s in d.segments[1:]] == [256, 12, 40, 16]
    assert d.errors == () and d.signature == "" and d.claims == ()
    assert d.status.state == "unknown" and "encrypted" in d.status.message
    assert "jwe-token" in ids(d) and "unknown-alg" not in ids(d)


def test_a_jwe_missing_its_tag_is_still_recognised() -> None:
    d = decode(jwe().rsplit(".", 1)[0], now=NOW)
    assert d.kind == "unknown" and d.payload_format == "encrypted"
    assert d.errors[0] == "a JWE has 5 parts separated by dots; this has 4"
    assert [s.name for s in d.segments] == ["header", "encrypted_key", "iv", "ciphertext"]


def test_a_five_part_token_without_enc() -> None:
    d = decode(jwe({"alg": "dir"}), now=NOW)
    assert d.kind == "jwe" and any("no 'enc'" in e for e in d.errors)


def test_text_payload() -> None:
    d = decode(hand({"alg": "HS256"}, b"It\xe2\x80\x99s a dangerous business, Frodo"), now=NOW)
    assert d.payload_format == "text" and d.payload is None
    assert d.payload_text == "It\u2019s a dangerous business, Frodo" and d.errors == ()
    assert d.status.state == "unknown" and "text" in d.status.message


def test_binary_payload_is_shown_as_hex() -> None:
    d = decode(hand({"alg": "HS256"}, b"\x00\xff\x10binary"), now=NOW)
    assert d.payload_format == "binary" and d.payload_hex == "00ff1062696e617279" and d.payload_text is None
    assert d.errors == ()


def test_long_binary_payload_hex_is_capped_and_says_so() -> None:
    data = bytes(range(256)) * 40
    d = decode(hand({"alg": "HS256"}, data), now=NOW)
    assert d.payload_hex == data[:HEX_LIMIT].hex()
    assert any(f"{len(data)} bytes" in e and str(HEX_LIMIT) in e for e in d.errors)


def test_payload_that_looks_like_json_but_is_not() -> None:
    d = decode(hand({"alg": "HS256"}, b'{"sub": "x",}'), now=NOW)
    assert d.payload_format == "text" and d.payload_text == '{"sub": "x",}'
    (error,) = d.errors
    assert error == "payload is not JSON: Trailing comma before '}' at line 1, column 12"


def test_payload_json_not_an_object() -> None:
    d = decode(hand({"alg": "HS256"}, [1, 2]), now=NOW)
    assert d.payload_format == "json" and d.payload == [1, 2] and d.claims == ()
    assert d.status.state == "unknown"


def test_invalid_utf8_payload() -> None:
    d = decode(hand({"alg": "HS256"}, b'{"name": "Jos\xe9"}'), now=NOW)
    assert d.payload_format == "binary" and d.payload_hex is not None
    assert d.errors == ("payload is not UTF-8 at byte 14, so it is shown as hex",)


def test_empty_payload_is_detached_or_truncated() -> None:
    d = decode(f"{part({'alg': 'HS256'})}..c2ln", now=NOW)
    assert d.payload_format == "missing" and any("detached" in e for e in d.errors)


def test_unencoded_payload_rfc7797() -> None:
    header = {"alg": "HS256", "b64": False, "crit": ["b64"]}
    d = decode(f"{part(header)}.$02!.c2lnbmF0dXJl", now=NOW)
    assert d.kind == "jws" and d.payload_format == "text" and d.payload_text == "$02!" and d.errors == ()
    assert [s.name for s in d.segments] == ["header", "payload", "signature"]


def test_nested_token_is_decoded(token: str) -> None:
    outer = hand({"alg": "HS256", "cty": "JWT"}, token.encode())
    d = decode(outer, now=NOW)
    assert d.payload_format == "text" and d.payload_text == token
    assert d.nested is not None and d.nested.kind == "jws" and d.nested.payload["sub"] == "alice"
    assert d.nested.status.state == "valid" and d.errors == ()


def test_nested_cty_is_case_insensitive_and_depth_is_limited(token: str) -> None:
    inner = token
    for i in range(MAX_NESTING + 1):
        inner = hand({"alg": "HS256", "cty": "jwt" if i % 2 else "JWT"}, inner.encode())
    d = decode(inner, now=NOW)
    depth, level = 0, d
    while level.nested is not None:
        level, depth = level.nested, depth + 1
    assert depth == MAX_NESTING
    assert any("deeper than 3 levels" in e for e in level.errors)


def test_cty_jwt_without_a_token_inside() -> None:
    d = decode(hand({"alg": "HS256", "cty": "JWT"}, {"sub": "x"}), now=NOW)
    assert d.nested is None and any("not a token" in e for e in d.errors)


def test_empty_and_blank_input() -> None:
    for text in ("", "   \n", '""', "' '"):
        d = decode(text, now=NOW)
        assert not d.decodes and d.kind == "unknown" and d.segments == ()
        assert d.errors and "empty" in d.errors[0]


def test_time_claims_use_the_given_clock_and_leeway() -> None:
    d = decode(hand({"alg": "HS256"}, {"exp": NOW - 30}), now=NOW, leeway=60)
    assert d.status.state == "valid" and d.status.now == NOW and d.status.leeway == 60
    assert decode(hand({"alg": "HS256"}, {"exp": NOW - 30}), now=NOW).status.message == "expired 30 s ago"


# --- hostile input -------------------------------------------------------------------------------------


def test_a_megabyte_is_refused() -> None:
    with pytest.raises(TokenTooLong):
        decode("a" * 1_000_000)


def test_almost_the_limit_of_dots() -> None:
    d = decode("." * (MAX_TOKEN_CHARS - 1), now=NOW)
    assert d.kind == "unknown" and len(d.segments) <= 8
    assert f"this has {MAX_TOKEN_CHARS}" in d.errors[0]
    assert d.segments[-1].name == f"parts 8 to {MAX_TOKEN_CHARS}"


def test_deeply_nested_json_in_header_and_payload() -> None:
    d = decode(f"{b64(b'[' * 20_000)}.{b64(b'[' * 100_000)}.c2ln", now=NOW)
    assert d.header is None and d.payload_format == "text"
    assert d.errors == (
        "header is not JSON: Arrays and objects nested deeper than 64 levels at line 1, column 65",
        "payload is not JSON: Arrays and objects nested deeper than 64 levels at line 1, column 65",
    )


def test_huge_integers_and_nan_are_explained() -> None:
    d = decode(hand({"alg": "HS256"}, b'{"n": ' + b"9" * 5000 + b"}"), now=NOW)
    assert d.payload_format == "text"
    assert d.errors == ("payload is not JSON: A number with more than 4300 digits (too long to read exactly) "
                        "at line 1, column 7",)
    d = decode(hand({"alg": "HS256"}, b'{"a": 1,\n "b": NaN}'), now=NOW)
    assert d.errors == ("payload is not JSON: NaN is not a JSON number at line 2, column 7",)


def test_random_garbage_never_raises() -> None:
    rng = random.Random(1234)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \n\"'*\u00e9\ud800\x00"
    for _ in range(300):
        raw = rng.randbytes(rng.randint(0, 300)).decode("latin-1")
        assert isinstance(decode(raw, now=NOW), Decoded)
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 200)))
        assert isinstance(decode(text, now=NOW), Decoded)


def test_mutated_real_tokens_never_raise(token: str) -> None:
    rng = random.Random(99)
    for _ in range(300):
        chars = list(token)
        for _ in range(rng.randint(1, 6)):
            chars[rng.randrange(len(chars))] = rng.choice("A_-.=+/*\u00ff")
        d = decode("".join(chars), now=NOW)
        assert isinstance(d.errors, tuple)


def test_random_json_values_in_every_part_never_raise() -> None:
    rng = random.Random(7)
    values: list[object] = [None, True, 0, -1.5, "s", [], {}, [{"a": [1, {"b": None}]}], {"exp": "x", "nbf": []},
                            {"kid": ["a"], "crit": "b64", "jwk": "k", "alg": 5}, {"alg": None, "enc": 1}]
    for _ in range(200):
        token = ".".join(part(rng.choice(values)) for _ in range(rng.choice([1, 2, 3, 5])))
        assert isinstance(decode(token, now=NOW), Decoded)


def test_jsontext_keeps_ints_and_the_last_duplicate() -> None:
    result = parse('{"a": 1, "a": {"b": 2, "b": 3}, "c": [10000000000000000000001, {"x": 1, "x": 2}]}')
    assert result.ok and result.value == {"a": {"b": 3}, "c": [10000000000000000000001, {"x": 2}]}
    assert isinstance(result.value["c"][0], int)
    found = {(d.key, d.pointer) for d in result.duplicates}
    assert found == {("a", ""), ("b", "/a"), ("x", "/c/1")}


def test_jsontext_duplicates_inside_a_replaced_value_and_escaped_pointers() -> None:
    result = parse('{"a/b~": {"k": 1, "k": 2}, "r": {"z": 1, "z": 1}, "r": 0}')
    found = {(d.key, d.pointer) for d in result.duplicates}
    assert found == {("k", "/a~1b~0"), ("z", None), ("r", "")}


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[Infinity]", "Infinity is not a JSON number at line 1, column 2"),
        ('{"a": -Infinity}', "Infinity is not a JSON number at line 1, column 7"),
        ('["NaN", NaN]', "NaN is not a JSON number at line 1, column 9"),
        ("[1, 1e400]", "too large for a 64-bit float at line 1, column 5"),
        ("[1, " + "1" * 400 + ".5]", "too large for a 64-bit float at line 1, column 5"),
        ("[" + "7" * 4301 + "]", "more than 4300 digits (too long to read exactly) at line 1, column 2"),
        ("", "Empty input: expected a JSON value at line 1, column 1"),
        ("\ufeff{}", "A byte order mark (U+FEFF) is not allowed in JSON text at line 1, column 1"),
        ('{"a": "\x01"}', "Unescaped control character U+0001 in string"),
    ],
)
def test_jsontext_rejects_what_json_parse_rejects(text: str, fragment: str) -> None:
    result = parse(text)
    assert not result.ok and result.value is None and result.error is not None and fragment in result.error


def test_jsontext_accepts_big_but_legal_numbers() -> None:
    assert parse("[" + "7" * 4300 + ", 1e308, -0.0]").ok
