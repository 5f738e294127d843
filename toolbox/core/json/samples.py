"""Built-in sample documents for "Try a sample": small, realistic, and showing what the tools do."""

from __future__ import annotations

from dataclasses import dataclass

# A minified order: pretty-printing it shows the structure; its numbers are kept exactly as written
# (12345678901234567890 is beyond a double, 19.90 keeps its zero).
ORDER = (
    '{"order_id":"ORD-20261205-0042","placed_at":"2026-12-05T09:41:00Z",'
    '"customer":{"id":12345678901234567890,"name":"Zoë Ødegaard","email":"zoe@example.com","vip":true},'
    '"items":[{"sku":"SKU-1001","title":"Mechanical keyboard","qty":1,"unit_price":129.00},'
    '{"sku":"SKU-2042","title":"USB-C cable (2 m)","qty":3,"unit_price":19.90}],'
    '"shipping":{"method":"express","address":{"street":"12 Rue de la Paix","city":"Paris","country":"FR",'
    '"postal_code":"75002"}},"discount":null,"total":{"amount":188.70,"currency":"EUR"},"tags":["gift","früh"]}'
)

# A signup form's schema and an instance with three errors: a missing property, a bad format and an
# unexpected key (which the validator points at, key and all).
SIGNUP_SCHEMA = """{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "title": "Signup",
  "type": "object",
  "required": ["username", "email", "age"],
  "properties": {
    "username": {"type": "string", "minLength": 3, "pattern": "^[a-z0-9_]+$"},
    "email": {"type": "string", "format": "email"},
    "age": {"type": "integer", "minimum": 13},
    "newsletter": {"type": "boolean"}
  },
  "additionalProperties": false
}
"""

SIGNUP_INSTANCE = """{
  "username": "ada_l",
  "email": "ada.example.com",
  "newsletter": true,
  "referrer": "friend"
}
"""


@dataclass(frozen=True)
class FormatSample:
    """A document for the formatter."""

    title: str
    text: str


@dataclass(frozen=True)
class ValidateSample:
    """A schema and an instance for the validator."""

    title: str
    instance: str
    schema: str


FORMAT_SAMPLES = {"order": FormatSample("An order (minified)", ORDER)}
VALIDATE_SAMPLES = {
    "signup": ValidateSample("A signup form with three errors", SIGNUP_INSTANCE, SIGNUP_SCHEMA),
}
