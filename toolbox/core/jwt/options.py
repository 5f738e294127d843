"""The choices the JWT tool offers, each declared once as a `Literal`: algorithms, key input forms, key kinds.

The tuples and label tables below are derived from (or checked against) these types; the operations'
request types use the types, so API validation, the OpenAPI document, the form choices and the CLI
choices all come from here.
"""

from __future__ import annotations

from typing import Literal, get_args

Algorithm = Literal["HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
                    "ES256", "ES256K", "ES384", "ES512", "EdDSA", "Ed25519", "Ed448", "none"]
# "auto" is read from the key text and the token's alg by one function (infer.py); the others are exact.
VerifyKeyType = Literal["auto", "secret", "secret-base64", "secret-base64url", "pem", "jwk", "jwks",
                        "jwks-url", "issuer"]
SignKeyType = Literal["auto", "secret", "secret-base64", "secret-base64url", "pem", "jwk"]
# Decrypting (core/jwt/jwe.py): the recipient's private key, a shared secret or password; never a URL.
DecryptKeyType = Literal["auto", "secret", "secret-base64", "secret-base64url", "pem", "jwk", "jwks"]
AUTO: Literal["auto"] = "auto"
REMOTE_KEY_TYPES = ("jwks-url", "issuer")  # fetched, and only on an explicit action
# What each exact key type is, in the words "Key read as: ..." uses.
INPUT_FORMS = {
    "secret": "HMAC secret", "secret-base64": "HMAC secret", "secret-base64url": "HMAC secret",  # nosec B105  # labels, not passwords
    "pem": "PEM key", "jwk": "JWK", "jwks": "JWK Set", "jwks-url": "JWKS URL", "issuer": "Issuer URL",
}
KeyKind = Literal["HS256", "HS384", "HS512", "RSA-2048", "RSA-3072", "P-256", "P-384", "P-521", "secp256k1",
                  "Ed25519", "Ed448"]

ALGORITHMS: tuple[Algorithm, ...] = get_args(Algorithm)

VERIFY_KEY_TYPES: dict[VerifyKeyType, str] = {
    "auto": "Detect from the key",
    "secret": "HMAC secret (UTF-8 text)",  # nosec B105  # a form label, not a password
    "secret-base64": "HMAC secret (base64)",
    "secret-base64url": "HMAC secret (base64url)",
    "pem": "PEM public key or certificate",
    "jwk": "JWK (one key)",
    "jwks": "JWKS (key set)",
    "jwks-url": "JWKS URL (fetched by this server)",
    "issuer": "Issuer URL (OIDC discovery)",
}

SIGN_KEY_TYPES: dict[SignKeyType, str] = {
    "auto": "Detect from the key",
    "secret": "HMAC secret (UTF-8 text)",  # nosec B105  # a form label, not a password
    "secret-base64": "HMAC secret (base64)",
    "secret-base64url": "HMAC secret (base64url)",
    "pem": "PEM private key",
    "jwk": "JWK private key",
}

DECRYPT_KEY_TYPES: dict[DecryptKeyType, str] = {
    "auto": "Detect from the key",
    "secret": "Secret or password (UTF-8 text)",  # nosec B105  # a form label, not a password
    "secret-base64": "Secret (base64)",
    "secret-base64url": "Secret (base64url)",
    "pem": "PEM private key",
    "jwk": "JWK (private, or kty oct)",
    "jwks": "JWKS (picked by kid)",
}

# A label for exactly each choice, in the order of the type (the order the forms list them in).
assert tuple(VERIFY_KEY_TYPES) == get_args(VerifyKeyType)  # nosec B101  # import-time invariant, not an input check
assert tuple(SIGN_KEY_TYPES) == get_args(SignKeyType)  # nosec B101  # import-time invariant, not an input check
assert tuple(DECRYPT_KEY_TYPES) == get_args(DecryptKeyType)  # nosec B101  # import-time invariant
