"""Well-known HMAC secrets (our own list, from public docs and defaults) and a check against them."""

from __future__ import annotations

import hashlib
import hmac
from functools import cache
from typing import Any

# Every entry is public: example values from documentation, tutorials and framework defaults,
# placeholders people forget to replace, and what a missing setting turns into ("undefined").
# A token signed with any of them can be forged by anyone, so finding one is never a leak.
WEAK_SECRETS: tuple[bytes, ...] = tuple(
    s.encode("utf-8") if isinstance(s, str) else s
    for s in (
        # jwt.io's debugger, old and new
        "your-256-bit-secret", "your-384-bit-secret", "your-512-bit-secret",
        "a-string-secret-at-least-256-bits-long",
        "a-valid-string-secret-that-is-at-least-384-bits-long",
        "a-valid-string-secret-that-is-at-least-512-bits-long",
        # library READMEs and framework docs
        "shhhhh", "shhhhhared-secret", "keyboard cat", "super-secret", "dev",
        b'_5#y2L"F4Q8z\n\xec]/',  # Flask's quickstart example key
        "DO NOT USE THIS VALUE. INSTEAD, CREATE A COMPLEX SECRET AND KEEP IT SAFE OUTSIDE OF THE SOURCE "
        "CODE.",  # NestJS's documentation
        "super-secret-jwt-token-with-at-least-32-characters-long",  # Supabase local development
        "09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7",  # FastAPI's tutorial
        "my-secret-key-which-should-be-changed-in-production-and-be-base64-encoded",  # JHipster
        "my-secret-key-which-should-be-changed-in-production-and-be-base64-encoded\n",
        "javainuse", "secretOrPrivateKey", "notasecret", "this is my custom Secret key for authentication",
        # the word secret and its spellings
        "secret", "Secret", "SECRET", "secrets", "secret1", "secret123", "secret!", "s3cr3t", "s3cret",
        "secr3t", "Secr3t", "topsecret", "top-secret", "secretkey", "secret-key", "secret_key",
        "SECRET_KEY", "secretKey", "SecretKey", "secretkey123", "mysecret", "my-secret", "my_secret",
        "mySecret", "MySecret", "mysecretkey", "my-secret-key", "my_secret_key", "mySecretKey",
        "MySecretKey", "supersecret", "super_secret", "SuperSecret", "supersecretkey", "super-secret-key",
        "super_secret_key", "mysupersecretkey", "MySuperSecretKey", "MySuperSecureKey",
        "ThisIsMySecretKey", "thisismysecretkey", "ThisismySecretKey", "this-is-my-secret",
        "thisisasecret", "this is a secret", "verysecret", "very-secret",
        "your-secret", "your_secret", "yoursecret", "your-secret-key", "your_secret_key", "yoursecretkey",
        "YOUR_SECRET_KEY", "YOUR_SECRET", "your-jwt-secret", "your_jwt_secret", "YOUR_JWT_SECRET",
        "your-secret-here", "your_secret_here",
        # JWT-flavoured names
        "jwt", "JWT", "jwt-secret", "jwt_secret", "jwtsecret", "JWT_SECRET", "jwtSecret", "JwtSecret",
        "jwt-secret-key", "jwt_secret_key", "jwtsecretkey", "jwt-key", "jwt_key", "jwtkey", "jwtKey",
        "my-jwt-secret", "my_jwt_secret", "myjwtsecret", "token", "tokensecret", "token-secret",
        "token_secret", "TOKEN_SECRET", "access-token-secret", "refresh-token-secret",
        "auth", "authsecret", "auth-secret", "auth_secret", "AUTH_SECRET", "signing-key", "signingkey",
        "hmac-secret", "hmacsecret",
        # app, session and API placeholders
        "app-secret", "appsecret", "app_secret", "APP_SECRET", "session-secret", "sessionsecret",
        "session_secret", "cookie-secret", "apikey", "api-key", "api_key", "api-secret", "api_secret",
        "client-secret", "client_secret", "private", "privatekey", "private-key", "private_key",
        "key", "mykey", "insecure", "unsafe",
        # placeholders nobody replaced
        "changeme", "change-me", "change_me", "CHANGEME", "CHANGE_ME", "changeit", "changethis",
        "change-me-in-production", "replace-me", "replaceme", "replace_me", "REPLACE_ME", "placeholder",
        "default", "default-secret", "default_secret", "example", "sample", "demo", "hello",
        "helloworld", "hello world", "test", "testing", "test123", "test-secret", "test_secret",
        "testsecret", "development", "dev-secret", "devsecret", "local", "localhost", "staging",
        "production", "prod", "admin", "root", "foobar",
        # passwords everyone guesses first
        "password", "Password", "password1", "password123", "passw0rd", "P@ssw0rd", "pass",
        "123", "1234", "12345", "123456", "12345678", "123456789", "1234567890", "qwerty", "abc123",
        # what an unset or mistyped setting becomes
        "", "undefined", "null", "None", "nil", "false", "0", "${JWT_SECRET}", "process.env.JWT_SECRET",
    )
)

_HASHES = {"HS256": "sha256", "HS384": "sha384", "HS512": "sha512"}


@cache
def _keyed(alg: str) -> tuple[tuple[bytes, Any, Any], ...]:
    """Per secret, HMAC's inner and outer hash states (RFC 2104) with the padded key absorbed.

    Copying a state costs a fraction of keying a new HMAC, and every HS token is checked
    against every secret on every decode. The secrets are public, so caching them is harmless.
    """
    name = _HASHES[alg]
    block = hashlib.new(name).block_size
    states = []
    for secret in WEAK_SECRETS:
        key = hashlib.new(name, secret).digest() if len(secret) > block else secret
        key = key.ljust(block, b"\0")
        inner = hashlib.new(name, bytes(b ^ 0x36 for b in key))
        outer = hashlib.new(name, bytes(b ^ 0x5C for b in key))
        states.append((secret, inner, outer))
    return tuple(states)


def find_weak_secret(alg: str, signing_input: bytes, signature: bytes) -> bytes | None:
    """The well-known secret that produced `signature` for HS256/384/512, or None."""
    alg = alg.upper()  # 'hs256' is not a registered name, but lax libraries would accept it
    if alg not in _HASHES or len(signature) != hashlib.new(_HASHES[alg]).digest_size:
        return None
    for secret, inner_state, outer_state in _keyed(alg):
        inner = inner_state.copy()
        inner.update(signing_input)
        outer = outer_state.copy()
        outer.update(inner.digest())
        # Constant-time out of habit: the candidates are public, but the signature may not be.
        if hmac.compare_digest(outer.digest(), signature):
            return secret
    return None


def describe_secret(secret: bytes) -> str:
    """A secret shown safely in text: quoted, with escapes for anything unprintable."""
    if secret == b"":
        return "the empty string"
    try:
        text = secret.decode("utf-8")
    except UnicodeDecodeError:
        return repr(secret)
    return repr(text) if text.isprintable() else ascii(text)
