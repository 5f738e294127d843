"""Claims in plain words, time claims against a fixed clock, and the token's time status."""

from __future__ import annotations

from datetime import UTC, datetime

import jwt
import pytest

from toolbox.core.jwt.claims import (
    DESCRIPTIONS,
    describe_claims,
    duration,
    iso,
    relative,
    time_info,
    token_status,
)

NOW = 1_800_000_000  # 2027-01-15T08:00:00Z
DAY = 86400

REGISTERED = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"]
COMMON = [
    "auth_time", "nonce", "acr", "amr", "azp", "at_hash", "c_hash", "sid", "scope", "scp", "client_id", "cnf",
    "act", "may_act", "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username",
    "profile", "picture", "website", "email", "email_verified", "gender", "birthdate", "zoneinfo", "locale",
    "phone_number", "phone_number_verified", "address", "updated_at", "roles", "groups", "entitlements",
    "tid", "oid", "upn", "typ",
]


@pytest.mark.parametrize("name", REGISTERED + COMMON)
def test_every_registered_and_common_claim_has_a_description(name: str) -> None:
    (claim,) = describe_claims({name: NOW}, NOW)
    assert claim.name == name
    assert claim.description and claim.description == DESCRIPTIONS[name]
    assert claim.description.endswith(".") and len(claim.description) > 12


def test_claims_keep_payload_order_and_values_and_unknown_claims_have_no_description() -> None:
    payload = {"zzz": [1, 2], "sub": "alice", "custom": {"a": 1}}
    claims = describe_claims(payload, NOW)
    assert [c.name for c in claims] == ["zzz", "sub", "custom"]
    assert [c.value for c in claims] == [[1, 2], "alice", {"a": 1}]
    assert claims[0].description is None and claims[2].description is None
    assert all(c.time is None for c in claims)


@pytest.mark.parametrize("payload", [None, [], "text", 3, True])
def test_a_payload_that_is_not_an_object_has_no_claims(payload: object) -> None:
    assert describe_claims(payload, NOW) == ()


@pytest.mark.parametrize("name", ["exp", "nbf", "iat", "auth_time", "updated_at"])
def test_time_claims_get_iso_and_relative_time(name: str) -> None:
    (claim,) = describe_claims({name: NOW - 3 * DAY}, NOW)
    assert claim.time is not None
    assert claim.time.timestamp == NOW - 3 * DAY
    assert claim.time.iso == "2027-01-12T08:00:00Z"
    assert claim.time.relative == "3 days ago"
    (future,) = describe_claims({name: NOW + 14 * 60 + 30}, NOW)
    assert future.time is not None and future.time.relative == "in 14 min"


def test_iso_is_utc_with_z_and_milliseconds_only_for_fractions() -> None:
    assert iso(0) == "1970-01-01T00:00:00Z"
    assert iso(NOW) == "2027-01-15T08:00:00Z"
    assert iso(NOW + 0.25) == "2027-01-15T08:00:00.250Z"
    assert iso(253402300799) == "9999-12-31T23:59:59Z"
    assert datetime.fromisoformat(iso(NOW).replace("Z", "+00:00")) == datetime.fromtimestamp(NOW, UTC)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (True, "true/false"),
        ("1800000000", "a string"),
        (None, "no number"),
        ([NOW], "no number"),
        (-1, "negative"),
        (253402300800, "after the year 9999"),
        (10**20, "after the year 9999"),
        (NOW * 1000, "milliseconds"),
        (float("inf"), "no number"),
    ],
)
def test_values_that_are_not_numeric_dates_get_no_time_and_say_why(value: object, words: str) -> None:
    (claim,) = describe_claims({"exp": value}, NOW)
    assert claim.time is None
    assert claim.description is not None
    assert "not a valid NumericDate" in claim.description and words in claim.description
    assert time_info(value, NOW) is None


def test_floats_are_numeric_dates() -> None:
    info = time_info(NOW + 90.5, NOW)
    assert info is not None and info.relative == "in 1 min" and info.iso.endswith(":01:30.500Z")


def test_exp_within_the_leeway_is_explained() -> None:
    (claim,) = describe_claims({"exp": NOW - 5}, NOW, leeway=30)
    assert claim.description is not None and "less than the 30 s leeway" in claim.description
    (plain,) = describe_claims({"exp": NOW - 5}, NOW, leeway=0)
    assert plain.description == DESCRIPTIONS["exp"]


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (0, "just now"),
        (0.999, "just now"),
        (-0.5, "just now"),
        (1, "in 1 s"),
        (-1, "1 s ago"),
        (59.9, "in 59 s"),
        (60, "in 1 min"),
        (-60, "1 min ago"),
        (3599, "in 59 min"),
        (3600, "in 1 h"),
        (3660, "in 1 h 1 min"),
        (-(DAY - 1), "23 h 59 min ago"),
        (DAY, "in 1 day"),
        (DAY * 2 - 1, "in 1 day"),
        (-3 * DAY, "3 days ago"),
        (60 * DAY, "in 60 days"),
        (61 * DAY, "in 2 months"),
        (730 * DAY, "in 23 months"),
        (731 * DAY, "in 2 years"),
        (-100 * 365 * DAY, "99 years ago"),
    ],
)
def test_relative_wording_boundaries(seconds: float, words: str) -> None:
    assert relative(seconds) == words


def test_duration_has_no_direction() -> None:
    assert duration(-14 * 60) == duration(14 * 60) == "14 min"
    assert duration(45) == "45 s"


def test_status_valid_expired_not_yet_valid_and_no_expiry() -> None:
    valid = token_status({"exp": NOW + 14 * 60}, NOW)
    assert (valid.state, valid.message, valid.now, valid.leeway) == ("valid", "not expired · 14 min left", NOW, 0)
    expired = token_status({"exp": NOW - 3 * DAY}, NOW)
    assert (expired.state, expired.message) == ("expired", "expired 3 days ago")
    later = token_status({"nbf": NOW + 3 * DAY, "exp": NOW + 10 * DAY}, NOW)
    assert later.state == "not-yet-valid"
    assert later.message == "not valid until 2027-01-18T08:00:00Z (in 3 days)"
    never = token_status({"sub": "x"}, NOW)
    assert (never.state, never.message) == ("no-expiry", "no expiry: the token never expires")


def test_status_of_a_token_issued_in_the_future_follows_pyjwt() -> None:
    status = token_status({"iat": NOW + 600, "exp": NOW + 3600}, NOW)
    assert status.state == "not-yet-valid" and "issued in the future" in status.message


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        ([], "not a JSON object"),
        ("text", "not a JSON object"),
        ({"exp": "tomorrow"}, "exp is not a valid NumericDate"),
        ({"exp": NOW, "nbf": True}, "nbf is not a valid NumericDate"),
        ({"iat": -5}, "iat is not a valid NumericDate"),
    ],
)
def test_status_unknown_when_it_cannot_be_judged(payload: object, fragment: str) -> None:
    status = token_status(payload, NOW)
    assert status.state == "unknown" and fragment in status.message


def test_status_explains_a_token_kept_alive_by_the_leeway() -> None:
    status = token_status({"exp": NOW - 20}, NOW, leeway=60)
    assert status.state == "valid"
    assert status.message == "valid only thanks to the 60 s leeway: expired 20 s ago"
    assert status.leeway == 60


class _FrozenDatetime(datetime):
    @classmethod
    def now(cls, tz: object = None) -> datetime:  # type: ignore[override]
        return datetime.fromtimestamp(NOW, UTC)


CASES = [
    {"exp": NOW}, {"exp": NOW + 1}, {"exp": NOW - 1}, {"exp": NOW - 10}, {"exp": NOW - 11}, {"exp": NOW + 0.5},
    {"nbf": NOW}, {"nbf": NOW + 1}, {"nbf": NOW + 10}, {"nbf": NOW + 11}, {"iat": NOW + 10}, {"iat": NOW + 11},
    {"iat": NOW + 1, "exp": NOW - 100}, {"nbf": NOW + 100, "exp": NOW - 100}, {"exp": NOW - 9.5},
]


@pytest.mark.parametrize("payload", CASES)
@pytest.mark.parametrize("leeway", [0, 10])
def test_leeway_is_applied_exactly_as_pyjwt_applies_it(
    payload: dict[str, float], leeway: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jwt.api_jwt, "datetime", _FrozenDatetime)
    token = jwt.encode(payload, "k" * 32, algorithm="HS256")
    try:
        jwt.decode(token, "k" * 32, algorithms=["HS256"], leeway=leeway)
        expected = "valid" if "exp" in payload else "no-expiry"
    except jwt.ExpiredSignatureError:
        expected = "expired"
    except jwt.ImmatureSignatureError:
        expected = "not-yet-valid"
    assert token_status(payload, NOW, leeway).state == expected
