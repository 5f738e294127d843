"""Plain-words claims: what known claims mean, time claims against a clock, and what looks sensitive."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from toolbox.core.jwt.jsontext import escape_pointer_token, is_finite_number
from toolbox.core.jwt.model import Claim, Severity, State, TimeInfo, TokenStatus

TIME_CLAIMS = frozenset({"exp", "nbf", "iat", "auth_time", "updated_at"})
_MAX_NUMERIC_DATE = 253402300799  # 9999-12-31T23:59:59Z, the last second datetime can show

DESCRIPTIONS: dict[str, str] = {
    # RFC 7519 registered claims
    "iss": "Issuer: who created and signed the token (the receiver must check it is the expected one).",
    "sub": "Subject: the user or client the token is about.",
    "aud": "Audience: who the token is meant for (a receiver must reject tokens not addressed to it).",
    "exp": "Expiration time: the token must not be accepted after this moment.",
    "nbf": "Not before: the token must not be accepted before this moment.",
    "iat": "Issued at: when the token was created.",
    "jti": "JWT ID: a unique id for this token, used to detect replays or to revoke it.",
    # OpenID Connect and OAuth (RFC 8693, RFC 9068, RFC 7800)
    "auth_time": "Authentication time: when the user last actually logged in.",
    "nonce": "Nonce: a random value from the login request, echoed back to stop replayed ID tokens.",
    "acr": "Authentication context class: how strong the login was (for example a level or MFA policy).",
    "amr": "Authentication methods: how the user proved who they are (pwd, otp, mfa, hwk, ...).",
    "azp": "Authorized party: the client the ID token was issued to.",
    "at_hash": "Access token hash: half of the hash of the access token issued with this ID token.",
    "c_hash": "Code hash: half of the hash of the authorization code issued with this ID token.",
    "s_hash": "State hash: half of the hash of the state value of the request.",
    "sid": "Session ID: the login session at the identity provider (used for logout).",
    "scope": "Scope: the permissions granted, separated by spaces.",
    "scp": "Scopes: the permissions granted (Microsoft and Okta style).",
    "client_id": "Client ID: the OAuth client the token was issued to.",
    "cnf": "Confirmation: the key the holder must prove it has (proof-of-possession, RFC 7800).",
    "act": "Actor: who is acting on behalf of the subject (delegation, RFC 8693).",
    "may_act": "May act: who is allowed to act on behalf of the subject (RFC 8693).",
    "events": "Events: the security events this token reports (Security Event Token, RFC 8417).",
    "txn": "Transaction ID: ties together tokens of one transaction.",
    # OIDC standard user claims
    "name": "Full name of the user.",
    "given_name": "Given (first) name of the user.",
    "family_name": "Family (last) name of the user.",
    "middle_name": "Middle name of the user.",
    "nickname": "Casual name of the user.",
    "preferred_username": "The name the user prefers to be shown (not necessarily unique or stable).",
    "profile": "URL of the user's profile page.",
    "picture": "URL of the user's picture.",
    "website": "URL of the user's web page or blog.",
    "email": "Email address of the user (check email_verified before trusting it).",
    "email_verified": "Whether the identity provider has verified the email address.",
    "gender": "Gender of the user.",
    "birthdate": "Birthday of the user (YYYY-MM-DD, or YYYY alone).",
    "zoneinfo": "Time zone of the user (for example Europe/Paris).",
    "locale": "Locale of the user (for example en-US).",
    "phone_number": "Phone number of the user (check phone_number_verified before trusting it).",
    "phone_number_verified": "Whether the identity provider has verified the phone number.",
    "address": "Postal address of the user.",
    "updated_at": "When the user's profile information was last updated.",
    # Authorization (RFC 9068 / SCIM) and common vendor claims
    "roles": "Roles granted to the subject.",
    "groups": "Groups the subject belongs to.",
    "entitlements": "Entitlements granted to the subject.",
    "permissions": "Permissions granted to the subject (Auth0 RBAC style).",
    "tid": "Tenant ID (Microsoft Entra ID): the directory the user belongs to.",
    "oid": "Object ID (Microsoft Entra ID): the user's stable id in the directory.",
    "upn": "User principal name (Microsoft): the user's sign-in name.",
    "appid": "Application ID (Microsoft v1 tokens): the client that requested the token.",
    "ver": "Token format version.",
    "typ": "Token type (a claim some providers add, such as Keycloak's Bearer, ID or Refresh).",
    "token_use": "Token use (Amazon Cognito): access or id.",  # nosec B105  # a claim's description, not a password
    "cognito:groups": "Groups the user belongs to in the Amazon Cognito user pool.",
    "realm_access": "Realm roles of the user (Keycloak).",
    "resource_access": "Roles of the user per client (Keycloak).",
    "session_state": "Login session at the identity provider (Keycloak).",
    "hd": "Hosted domain (Google Workspace) of the user's account.",
    "org_id": "Organization the token belongs to.",
}


def is_numeric_date(value: Any) -> bool:
    """True for a number of seconds since 1970 that a calendar can show (0 to year 9999)."""
    return is_finite_number(value) and 0 <= value <= _MAX_NUMERIC_DATE


def iso(timestamp: float) -> str:
    """UTC ISO 8601 with a Z, to the second (milliseconds when the value has a fraction)."""
    moment = datetime.fromtimestamp(timestamp, tz=UTC)
    if timestamp != int(timestamp):
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def duration(seconds: float) -> str:
    """A length of time in words, rounded down: '45 s', '14 min', '2 h 5 min', '3 days', '2 years'."""
    whole = int(abs(seconds))
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min"
    if whole < 86400:
        hours, minutes = divmod(whole // 60, 60)
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days = whole // 86400
    # Thresholds chosen so the rounded-down count never reads "1 months" or "1 years".
    if days <= 60:
        return "1 day" if days == 1 else f"{days} days"
    if days <= 730:
        return f"{int(days / 30.436875)} months"
    return f"{int(days / 365.2425)} years"


def relative(seconds: float) -> str:
    """Time from now in words: positive is the future ('in 14 min'), negative the past ('3 days ago')."""
    if abs(seconds) < 1:
        return "just now"
    return f"in {duration(seconds)}" if seconds > 0 else f"{duration(seconds)} ago"


def time_info(value: Any, now: float) -> TimeInfo | None:
    """A TimeInfo for a valid NumericDate, None otherwise."""
    if not is_numeric_date(value):
        return None
    return TimeInfo(float(value), iso(value), relative(value - now))


def _invalid_date_words(value: Any) -> str:
    """Why a time claim's value is not a NumericDate."""
    if is_finite_number(value):
        if 1e12 <= value < 1e15:
            return "it looks like milliseconds, but a NumericDate counts seconds since 1970"
        if value < 0:
            return "it is negative"
        return "it is after the year 9999"
    kind = "a string" if isinstance(value, str) else "true/false" if isinstance(value, bool) else "no number"
    return f"it is {kind}, but a NumericDate is a number of seconds since 1970"


def describe_claims(payload: Any, now: float, leeway: int = 0) -> tuple[Claim, ...]:
    """Every member of the payload, in order, with a description for known claims and times."""
    if not isinstance(payload, dict):
        return ()
    claims: list[Claim] = []
    for name, value in payload.items():
        description = DESCRIPTIONS.get(name)
        info = None
        if name in TIME_CLAIMS:
            info = time_info(value, now)
            if info is None:
                why = _invalid_date_words(value)
                description = f"{description} But the value is not a valid NumericDate: {why}."
            elif name == "exp" and now > value and now - value < leeway:
                description = f"{description} It has passed, but by less than the {leeway} s leeway."
        claims.append(Claim(name, value, description, info))
    return tuple(claims)


def token_status(payload: Any, now: float, leeway: int = 0) -> TokenStatus:
    """Whether the token is valid now by exp/nbf/iat, with leeway applied as PyJWT applies it."""
    clock = int(now)

    def status(state: State, message: str) -> TokenStatus:
        return TokenStatus(state, message, clock, leeway)

    if not isinstance(payload, dict):
        return status("unknown", "the payload is not a JSON object, so it has no time claims")
    for name in ("exp", "nbf", "iat"):
        if name in payload and not is_numeric_date(payload[name]):
            return status("unknown", f"{name} is not a valid NumericDate, so validity cannot be judged")
    # PyJWT's order: iat, then nbf, then exp; it compares int() of each claim.
    if "iat" in payload and int(payload["iat"]) > now + leeway:
        iat = payload["iat"]
        when = f"{iso(iat)} ({relative(iat - now)})"
        return status("not-yet-valid", f"not valid until {when}: it was issued in the future (iat)")
    if "nbf" in payload and int(payload["nbf"]) > now + leeway:
        nbf = payload["nbf"]
        return status("not-yet-valid", f"not valid until {iso(nbf)} ({relative(nbf - now)})")
    if "exp" not in payload:
        return status("no-expiry", "no expiry: the token never expires")
    exp = payload["exp"]
    if int(exp) <= now - leeway:
        return status("expired", f"expired {relative(exp - now)}")
    if exp <= now:
        return status("valid", f"valid only thanks to the {leeway} s leeway: expired {relative(exp - now)}")
    # Not "valid": only verification says that; the clock alone says the token has not expired.
    return status("valid", f"not expired · {duration(exp - now)} left")


# --- what looks like a secret or personal data ----------------------------------------------------

# Member names, lower-cased with separators removed, that say the value is a credential or personal
# id; the short ones must be a whole word ("pwd" in "my_pwd", not "span" for "pan").
_CREDENTIAL_NAME = re.compile(
    r"password|passwd|passphrase|secret(?!ar[yi])|apikey|privatekey|accesskey|accesstoken|refreshtoken|sessiontoken"
    r"|creditcard|cardnumber|ccnumber|(?:^|_)(?:pwd|cvv2?|cvc|pan)(?:_|$)"
)
_PERSONAL_NAME = re.compile(
    r"socialsecurity|nationalid|passport|taxid|taxnumber|driverslicen[cs]e|driverlicen[cs]e|bankaccount"
    r"|routingnumber|aadhaar|personnummer|(?:^|_)(?:ssn|iban|nino|bsn|nric|cpf|dni|nif|tin)(?:_|$)"
)
_WORD_BREAK = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|[^A-Za-z0-9]+")  # camelCase, snake_case, kebab-case
_CARD_SEPARATORS = re.compile(r"[ -]")
_API_KEY = re.compile(
    r"\b(sk_live_|rk_live_|sk_test_|ghp_|gho_|ghs_|github_pat_|glpat-|xox[abprs]-|sk-(?:proj-)?[A-Za-z0-9]{20})"
    r"|\bAKIA[0-9A-Z]{16}\b|\bAIza[0-9A-Za-z_-]{35}\b"
)
_SSN = re.compile(r"(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}")
_IBAN = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}")
PRIVATE_JWK_MEMBERS = ("d", "p", "q", "dp", "dq", "qi", "k")  # RFC 7518 §6: private or symmetric key
_SCAN_LIMIT = 5000  # nodes; a token's payload is small, this only bounds hostile input


@dataclass(frozen=True)
class SensitiveHit:
    """A member (or the whole text) that looks like a secret or personal data; never its value."""

    pointer: str  # "" = the whole payload
    what: str  # "a credential or card data, by its name", ...
    severity: Severity


def sensitive_members(payload: Any) -> list[SensitiveHit]:
    """Each member that looks like a secret or personal data, in document order."""
    hits: list[SensitiveHit] = []
    named: set[str] = set()
    stack: list[tuple[Any, str]] = [(payload, "")]
    budget = _SCAN_LIMIT
    while stack and budget > 0 and len(hits) < 100:
        node, ptr = stack.pop()
        budget -= 1
        if isinstance(node, dict):
            if "kty" in node and any(member in node for member in PRIVATE_JWK_MEMBERS):
                hits.append(SensitiveHit(ptr, "private or secret key material (a JWK)", "high"))
            members = list(itertools.islice(node.items(), budget))  # one object may hold thousands
            budget -= len(members)
            for key, value in reversed(members):  # reversed onto the stack: popped in document order
                child = f"{ptr}/{escape_pointer_token(key)}"
                empty = value in (None, "", [], {}) or isinstance(value, bool)
                found = None if empty else _by_name(key)
                if found:
                    hits.append(SensitiveHit(child, *found))
                    named.add(child)  # the value need not be reported a second time
                stack.append((value, child))
        elif isinstance(node, list):
            stack.extend((value, f"{ptr}/{i}") for i, value in reversed(list(enumerate(node[:budget]))))
        else:
            found = _by_value(node)
            if found and ptr not in named:
                hits.append(SensitiveHit(ptr, *found))
    return hits


def sensitive_text(text: str) -> list[SensitiveHit]:
    """Secrets inside a payload that is plain text rather than JSON."""
    if "-----BEGIN" in text and "PRIVATE KEY" in text:
        return [SensitiveHit("", "a PEM private key", "high")]
    return [SensitiveHit("", "an API key", "high")] if _API_KEY.search(text) else []


def _by_name(key: str) -> tuple[str, Severity] | None:
    """What a member's name says it holds, when that is sensitive."""
    words = _WORD_BREAK.sub("_", key).lower()
    joined = words.replace("_", "")
    if _CREDENTIAL_NAME.search(joined) or _CREDENTIAL_NAME.search(words):
        return "a credential or card data, by its name", "high"
    if _PERSONAL_NAME.search(joined) or _PERSONAL_NAME.search(words):
        return "a national id or bank detail, by its name", "medium"
    return None


def _by_value(value: Any) -> tuple[str, Severity] | None:
    """What a scalar value looks like, when that is sensitive (never returns the value)."""
    if isinstance(value, int) and not isinstance(value, bool):
        # Only 13 to 19 digits can be a card number; most numbers are timestamps and counts.
        value = str(value) if 10**12 <= value < 10**19 else ""
    # Every pattern below needs at least 11 characters (an SSN); most claim values are shorter.
    if not isinstance(value, str) or not 11 <= len(value) <= 100_000:
        return None
    if "-----BEGIN" in value and "PRIVATE KEY" in value:
        return "a PEM private key", "high"
    if _API_KEY.search(value):
        return "an API key (by its well-known prefix)", "high"
    compact = _CARD_SEPARATORS.sub("", value.strip())
    digits = compact.isascii() and compact.isdigit()  # "¹".isdigit() is true, int("¹") fails
    if digits and 13 <= len(compact) <= 19 and compact[0] in "23456" and _luhn(compact):
        return "a card number (passes the Luhn check)", "high"
    if _SSN.fullmatch(value.strip()):
        return "a US Social Security number", "medium"
    if _IBAN.fullmatch(compact.upper()) and _iban_ok(compact.upper()):
        return "an IBAN (passes the checksum)", "medium"
    return None


def _luhn(digits: str) -> bool:
    """The Luhn checksum that card numbers satisfy."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _iban_ok(iban: str) -> bool:
    """The ISO 13616 mod-97 check."""
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1
