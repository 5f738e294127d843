"""Ready-to-paste PyJWT code that performs the same check as the verifier (never with the user's key)."""

from __future__ import annotations

from collections.abc import Sequence

from .algs import FULLY_SPECIFIED

# The key and the token are secrets: the snippet reads them from the environment or a file, so what
# people copy out of the page never contains what they pasted into it.
_INPUT_LINE = 'token = os.environ["JWT_TOKEN"]  # the token to check\n'
_SECRET_LOADERS = {
    "secret": ('key = os.environ["JWT_SECRET"].encode("utf-8")', ()),
    "secret-base64": ('key = base64.b64decode(os.environ["JWT_SECRET"])', ("base64",)),
    "secret-base64url": ('secret = os.environ["JWT_SECRET"]\n'
                         'key = base64.urlsafe_b64decode(secret + "=" * (-len(secret) % 4))', ("base64",)),
}


def python_snippet(alg: str, key_type: str, *, audience: str | Sequence[str] | None = None,
                   issuer: str | None = None, subject: str | None = None, leeway: float = 0,
                   require: Sequence[str] = (), certificate: bool = False, kid: str | None = None) -> str:
    """PyJWT code reproducing verify(): algorithm pinned, same claim checks, key loaded from outside."""
    imports = ["os"]
    if key_type in _SECRET_LOADERS:
        loader, extra = _SECRET_LOADERS[key_type]
        imports += extra
    elif key_type == "pem" and certificate:
        loader = ('with open("certificate.pem", "rb") as f:  # its validity and chain are not checked here\n'
                  '    key = load_pem_x509_certificate(f.read()).public_key()')
        imports.append("from cryptography.x509 import load_pem_x509_certificate")
    elif key_type == "pem":
        loader = ('with open("public.pem", "rb") as f:  # `openssl pkey -in private.pem -pubout`\n'
                  '    key = load_pem_public_key(f.read())')
        imports.append("from cryptography.hazmat.primitives.serialization import load_pem_public_key")
    elif key_type == "jwk":
        loader = ('with open("key.jwk.json", encoding="utf-8") as f:\n'
                  f'    key = {_pyjwk("json.load(f)", alg)}')
        imports.append("json")
    else:
        checks = (audience, issuer, subject, leeway, require)
        return _jwks_snippet(alg, kid, _decode_call(alg, *checks, 0), _decode_call(alg, *checks, 8))
    head = _imports(imports) + _register(alg)
    call = _decode_call(alg, audience, issuer, subject, leeway, require, 0)
    return f"{head}\n\n{_INPUT_LINE}{loader}\n\nclaims = {call}\nprint(claims)\n"


def _jwks_snippet(alg: str, kid: str | None, call: str, nested_call: str) -> str:
    head = _imports(["json", "os"]) + _register(alg)
    source = ('with open("jwks.json", encoding="utf-8") as f:\n'
              '    # from a URL instead: jwt.PyJWKClient(url).get_signing_key_from_jwt(token), which binds\n'
              '    # RSA keys without "alg" to RS256\n'
              '    jwks = json.load(f)\n')
    if kid is not None:
        pick = ('kid = jwt.get_unverified_header(token)["kid"]\n'
                'jwk = next(k for k in jwks["keys"] if k.get("kid") == kid)\n'
                f'key = {_pyjwk("jwk", alg)}\n\n')
        return f"{head}\n\n{_INPUT_LINE}{source}{pick}claims = {call}\nprint(claims)\n"
    # an Ed25519 / Ed448 key on the other curve is refused by the registered algorithm, not by PyJWK
    caught = "(jwt.InvalidSignatureError, jwt.InvalidKeyError)" if alg in FULLY_SPECIFIED else \
        "jwt.InvalidSignatureError"
    loop = ('claims = None\n'
            'for jwk in jwks["keys"]:  # the token has no kid: try each key that fits the algorithm\n'
            '    try:\n'
            f'        key = {_pyjwk("jwk", alg).split("  #")[0]}\n'
            '    except jwt.PyJWTError:\n'
            f'        continue  # not a {alg} key\n'
            '    try:\n'
            f'        claims = {nested_call}\n'
            '        break\n'
            f'    except {caught}:\n'
            '        continue\n'
            'if claims is None:\n'
            '    raise SystemExit("no key in the set verifies the token")\n'
            'print(claims)\n')
    return f"{head}\n\n{_INPUT_LINE}{source}\n{loop}"


def _pyjwk(source: str, alg: str) -> str:
    """The PyJWK expression for a JWK (PyJWK knows EdDSA, not the RFC 9864 names)."""
    if alg in FULLY_SPECIFIED:
        return f"jwt.PyJWK({source}, algorithm='EdDSA').key  # {alg} (registered above) checks the curve"
    return f"jwt.PyJWK({source}, algorithm={alg!r})  # binds the key to one algorithm"


def _register(alg: str) -> str:
    """For Ed25519 and Ed448: register the RFC 9864 name in PyJWT, bound to its curve, as the tool does."""
    if alg not in FULLY_SPECIFIED:
        return ""
    module = alg.lower()
    return (f"\nfrom cryptography.hazmat.primitives.asymmetric import {module}\nfrom jwt.algorithms import "
            f"OKPAlgorithm\n\n\nclass {alg}Algorithm(OKPAlgorithm):  # RFC 9864: EdDSA on {alg} only\n"
            "    def prepare_key(self, key):\n        key = super().prepare_key(key)\n"
            f"        if not isinstance(key, ({module}.{alg}PrivateKey, {module}.{alg}PublicKey)):\n"
            f'            raise jwt.InvalidKeyError("{alg} needs an {alg} key")\n        return key\n\n\n'
            f'try:  # PyJWT knows EdDSA but not the name {alg}\n    jwt.get_algorithm_by_name("{alg}")\n'
            f'except NotImplementedError:\n    jwt.register_algorithm("{alg}", {alg}Algorithm())\n')


def _imports(names: list[str]) -> str:
    plain = sorted(n for n in set(names) if not n.startswith("from "))
    froms = sorted(n for n in set(names) if n.startswith("from "))
    return "\n".join([*(f"import {n}" for n in plain), "", "import jwt", *froms])


def _decode_call(alg: str, audience: str | Sequence[str] | None, issuer: str | None,
                 subject: str | None, leeway: float, require: Sequence[str], indent: int) -> str:
    pad = " " * (indent + 4)
    args = ["token", "key", f"algorithms=[{alg!r}],  # pinned: never let the token choose its algorithm"]
    if audience is not None:
        args.append(f"audience={audience if isinstance(audience, str) else list(audience)!r},")
    if issuer is not None:
        args.append(f"issuer={issuer!r},")
    if subject is not None:
        args.append(f"subject={subject!r},")
    if leeway:
        args.append(f"leeway={leeway!r},  # seconds of clock skew allowed for exp, nbf and iat")
    if require:
        args.append(f"options={{\"require\": {list(require)!r}}},")
    lines = [a if a.endswith(",") or "#" in a else a + "," for a in args]
    body = "".join(f"{pad}{line}\n" for line in lines)
    return f"jwt.decode(\n{body}{' ' * indent})"
