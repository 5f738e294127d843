"""In-process cost of one JWT decode request, and of the weak-secret check, with cProfile.

Times (best of --repeat runs of --calls calls each, in µs per call):

  - toolbox.core.jwt.decode.decode() on an RS256 and an HS256 token (see http_decode.py);
  - POST /api/v1/jwt/decode through Flask's test client, and GET /healthz for comparison;
  - find_weak_secret() as in the working tree, as committed (HEAD, loaded from git), and a
    plain reference (hmac.new per secret), after checking all three give the same answers.

Then prints the top of a cProfile of --calls decode requests through the test client.

    .venv/bin/python bench/profile_decode.py [--calls 2000] [--no-profile] [--sort tottime]
"""

# Runs only `git show HEAD:<weak_secrets.py>` to compare with the committed version.
# ruff: noqa: S603, S607

from __future__ import annotations

import argparse
import cProfile
import hmac
import importlib.util
import json
import pstats
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from http_decode import make_tokens  # noqa: E402

WEAK_SECRETS_PATH = "toolbox/core/jwt/weak_secrets.py"


def best_us(fn: Callable[[], Any], calls: int, repeat: int) -> float:
    """Best per-call time over `repeat` batches (the least disturbed by other processes)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        best = min(best, (time.perf_counter() - start) / calls)
    return best * 1e6


def committed_weak_secrets() -> types.ModuleType | None:
    """weak_secrets.py as committed at HEAD, as its own module (None outside a git checkout)."""
    proc = subprocess.run(["git", "show", f"HEAD:{WEAK_SECRETS_PATH}"], cwd=ROOT,
                          capture_output=True, check=False)
    if proc.returncode != 0:
        return None
    spec = importlib.util.spec_from_loader("weak_secrets_head", loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    exec(compile(proc.stdout, f"HEAD:{WEAK_SECRETS_PATH}", "exec"), module.__dict__)  # noqa: S102
    return module


def reference_find(weak: tuple[bytes, ...]) -> Callable[[str, bytes, bytes], bytes | None]:
    names = {"HS256": "sha256", "HS384": "sha384", "HS512": "sha512"}

    def find(alg: str, signing_input: bytes, signature: bytes) -> bytes | None:
        name = names.get(alg.upper())
        if name is None:
            return None
        for secret in weak:
            if hmac.compare_digest(hmac.new(secret, signing_input, name).digest(), signature):
                return secret
        return None

    return find


def check_same_answers(impls: dict[str, Callable[[str, bytes, bytes], bytes | None]],
                       weak: tuple[bytes, ...], signing_input: bytes) -> int:
    """Every implementation finds every listed secret for every alg, and nothing otherwise."""
    cases = 0
    for alg, name in (("HS256", "sha256"), ("HS384", "sha384"), ("HS512", "sha512")):
        probes: list[tuple[bytes | None, bytes]] = [(s, hmac.digest(s, signing_input, name)) for s in weak]
        strong = hmac.digest(b"\x8f" * 40, signing_input, name)
        probes += [(None, strong), (None, strong[:-1]), (None, b""), (None, bytes(len(strong)))]
        for expected, sig in probes:
            for label, find in impls.items():
                got = find(alg, signing_input, sig)
                # Two listed secrets could only collide by an HMAC collision: compare the MAC.
                ok = got is None if expected is None else (
                    got is not None and hmac.digest(got, signing_input, name) == sig)
                if not ok:
                    raise SystemExit(f"{label}: wrong answer for {alg} (expected {expected!r}, got {got!r})")
                cases += 1
    return cases


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--calls", type=int, default=2000)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--no-profile", action="store_true")
    p.add_argument("--sort", default="cumulative", help="pstats sort key (cumulative, tottime)")
    p.add_argument("--top", type=int, default=30)
    p.add_argument("--alg", default="HS256", choices=("RS256", "HS256"), help="token to profile")
    args = p.parse_args()

    from toolbox import create_app
    from toolbox.core.jwt import b64, weak_secrets
    from toolbox.core.jwt.decode import decode

    tokens = make_tokens()
    app = create_app({"TOOLBOX_RATELIMIT_DEFAULT": "100000000/minute", "TOOLBOX_LOG_LEVEL": "WARNING",
                      "TOOLBOX_API_JWT_KEY": ""})
    client = app.test_client()
    bodies = {alg: json.dumps({"token": t}).encode() for alg, t in tokens.items()}

    def post(alg: str) -> Callable[[], Any]:
        def call() -> Any:
            resp = client.post("/api/v1/jwt/decode", data=bodies[alg],
                               headers={"Content-Type": "application/json"})
            assert resp.status_code == 200, resp.data[:200]
            return resp
        return call

    def health() -> Any:
        resp = client.get("/healthz")
        assert resp.status_code == 200
        return resp

    head, payload, sig = tokens["HS256"].split(".")
    signing_input, signature = f"{head}.{payload}".encode(), b64.decode(sig).data or b""

    impls: dict[str, Callable[[str, bytes, bytes], bytes | None]] = {
        "working tree": weak_secrets.find_weak_secret,
    }
    committed = committed_weak_secrets()
    if committed is not None:
        impls["HEAD"] = committed.find_weak_secret
    impls["reference hmac.new"] = reference_find(weak_secrets.WEAK_SECRETS)
    cases = check_same_answers(impls, weak_secrets.WEAK_SECRETS, signing_input)
    print(f"find_weak_secret: {len(impls)} implementations agree on {cases // len(impls)} cases "
          f"({len(weak_secrets.WEAK_SECRETS)} secrets)")

    import msgspec

    from toolbox.ops.jwt import DecodeRequest
    from toolbox.ops.serialize import to_json

    limiter = app.extensions["toolbox.limiter"]
    decoded = {alg: decode(t) for alg, t in tokens.items()}
    results = {alg: to_json(d, drop=frozenset({"token"})) for alg, d in decoded.items()}

    def without_limiter(fn: Callable[[], Any]) -> Callable[[], Any]:
        def call() -> Any:
            limiter.enabled = False
            try:
                return fn()
            finally:
                limiter.enabled = True
        return call

    rows: list[tuple[str, Callable[[], Any]]] = [("GET /healthz (test client)", health)]
    for alg in tokens:
        rows += [
            (f"POST decode {alg} (test client)", post(alg)),
            ("  same, rate limiter switched off", without_limiter(post(alg))),
            ("  body decoded into DecodeRequest (msgspec)", (lambda b: lambda: msgspec.json.decode(
                b, type=DecodeRequest))(bodies[alg])),
            (f"  decode() {alg}", (lambda t: lambda: decode(t))(tokens[alg])),
            (f"  to_json(decoded) {alg}", (lambda d: lambda: to_json(d, drop=frozenset({"token"})))(
                decoded[alg])),
            (f"  app.json.dumps(result) {alg}", (lambda r: lambda: app.json.dumps(r))(results[alg])),
        ]
    rows += [(f"find_weak_secret HS256, {label}",
              (lambda f: lambda: f("HS256", signing_input, signature))(find))
             for label, find in impls.items()]
    with app.app_context():
        for _, fn in rows:  # warm caches and imports
            for _ in range(50):
                fn()
        print(f"\nbest of {args.repeat} × {args.calls} calls, µs per call "
              f"(tokens: RS256 {len(tokens['RS256'])}, HS256 {len(tokens['HS256'])} chars; "
              f"response bytes: RS256 {len(app.json.dumps(results['RS256']))}, "
              f"HS256 {len(app.json.dumps(results['HS256']))})")
        for label, fn in rows:
            print(f"  {label:<44}{best_us(fn, args.calls, args.repeat):>9.1f}")

    if not args.no_profile:
        profiler = cProfile.Profile()
        call = post(args.alg)
        profiler.enable()
        for _ in range(args.calls):
            call()
        profiler.disable()
        print(f"\ncProfile of {args.calls} POST /api/v1/jwt/decode ({args.alg}), sorted by {args.sort}:")
        pstats.Stats(profiler).strip_dirs().sort_stats(args.sort).print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
