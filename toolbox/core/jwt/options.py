"""The choices the JWT tool offers: algorithms and key input forms, with their labels."""

from __future__ import annotations

ALGORITHMS: tuple[str, ...] = (
    "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
    "ES256", "ES256K", "ES384", "ES512", "EdDSA", "none",
)

VERIFY_KEY_TYPES: dict[str, str] = {
    "secret": "HMAC secret (UTF-8 text)",
    "secret-base64": "HMAC secret (base64)",
    "secret-base64url": "HMAC secret (base64url)",
    "pem": "PEM public key or certificate",
    "jwk": "JWK (one key)",
    "jwks": "JWKS (key set)",
    "jwks-url": "JWKS URL (fetched by this server)",
    "issuer": "Issuer URL (OIDC discovery)",
}

SIGN_KEY_TYPES: dict[str, str] = {
    "secret": "HMAC secret (UTF-8 text)",
    "secret-base64": "HMAC secret (base64)",
    "secret-base64url": "HMAC secret (base64url)",
    "pem": "PEM private key",
    "jwk": "JWK private key",
}
