#!/usr/bin/env bash
# Make runnable copies of the upstream Observatory checkouts (they are read-only in shared/):
#   tools/observatory/setup-oracles.sh [SHARED_ORACLES_DIR] [DEST]
# defaults: /work/shared/oracles/mdn-http-observatory and /tmp/observatory-oracles.
# Afterwards: DEST/v1.6.3 and DEST/main can be passed to record.mjs (see README.md).
set -euo pipefail

SRC=${1:-/work/shared/oracles/mdn-http-observatory}
DEST=${2:-/tmp/observatory-oracles}
NPM_FLAGS=(--ignore-scripts --no-audit --no-fund --force) # --force: upstream asks for node >= 22/24

mkdir -p "$DEST"
for v in v1.6.3 main; do
  rm -rf "${DEST:?}/$v"
  cp -r "$SRC/$v" "$DEST/$v"
  chmod -R u+w "$DEST/$v"
done

# v1.6.3: exactly its lock file.
(cd "$DEST/v1.6.3" && npm ci "${NPM_FLAGS[@]}")

# main: its lock names postgrator-cli 10.0.0, which the registry does not serve, so `npm ci`
# fails there. Take v1.6.3's tree and put in, at the versions main's lock gives, the packages
# whose version differs and that the analyzers, retriever or grader load.
cp -a "$DEST/v1.6.3/node_modules" "$DEST/main/node_modules"
scratch=$(mktemp -d)
want=()
for p in structured-headers tldts tldts-core axios; do
  version=$(node -e 'const l=require(process.argv[1]);process.stdout.write(l.packages["node_modules/"+process.argv[2]].version)' "$DEST/main/package-lock.json" "$p")
  want+=("$p@$version")
done
(cd "$scratch" && echo '{"name":"scratch","private":true}' >package.json && npm install "${NPM_FLAGS[@]}" --save-exact "${want[@]}")
for spec in "${want[@]}"; do
  p=${spec%@*}
  rm -rf "$DEST/main/node_modules/$p"
  cp -a "$scratch/node_modules/$p" "$DEST/main/node_modules/$p"
done
rm -rf "$scratch"

# Every package the analyzers, retriever and grader load must now be at main's locked version.
node - "$DEST/main" <<'EOF'
const fs = require("fs");
const dir = process.argv[2];
const lock = require(`${dir}/package-lock.json`);
const bad = [];
for (const p of ["axios", "follow-redirects", "form-data", "proxy-from-env", "htmlparser2", "domhandler",
  "domutils", "entities", "dom-serializer", "domelementtype", "tough-cookie", "tldts", "tldts-core",
  "http-cookie-agent", "agent-base", "structured-headers", "convict"]) {
  const want = lock.packages[`node_modules/${p}`]?.version;
  const have = JSON.parse(fs.readFileSync(`${dir}/node_modules/${p}/package.json`, "utf8")).version;
  if (want !== have) bad.push(`${p}: lock ${want}, installed ${have}`);
}
if (bad.length) { console.error(bad.join("\n")); process.exit(1); }
console.log("main/node_modules matches main's lock for the analysis packages");
EOF
echo "ready: $DEST/v1.6.3 $DEST/main"
