#!/usr/bin/env bash
# Replace the vendored JSON-Schema-Test-Suite with the one at $1 (a checkout of
# json-schema-org/JSON-Schema-Test-Suite): the dialects we support, the remotes and the licence.
set -euo pipefail
src=${1:?usage: tests/conformance/refresh.sh PATH-TO-JSON-Schema-Test-Suite}
dest="$(cd "$(dirname "$0")" && pwd)/JSON-Schema-Test-Suite"
rm -rf "$dest"
mkdir -p "$dest/tests"
cp "$src/LICENSE" "$dest/"
cp -r "$src/remotes" "$dest/"
for dialect in draft4 draft6 draft7 draft2019-09 draft2020-12; do
  cp -r "$src/tests/$dialect" "$dest/tests/"
done
git -C "$src" log -1 --format='vendored commit: %h (%cs)' 2>/dev/null || true
