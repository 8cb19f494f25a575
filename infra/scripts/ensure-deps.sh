#!/usr/bin/env bash
# Installs the npm packages when node_modules is missing or older than package-lock.json.
# Everything else (Debian packages, Maven jars) is installed by infra/local/stack.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."

node_hint="install Node.js 20.19+ (Debian bookworm's own nodejs is 18: use nodejs.org's binaries or NodeSource's packages)"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "pg2ddb needs Node.js 20.19+ and npm; $node_hint" >&2
  exit 1
fi
# 20.19 is the first 20.x whose require() loads ES modules without a flag, which the toolchain uses.
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  echo "pg2ddb needs Node.js 20.19 or newer; this is $(node --version). $node_hint" >&2
  exit 1
fi

marker=node_modules/.pg2ddb-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$marker" ] && [ "$(cat "$marker")" = "$want" ]; then
  exit 0
fi
echo "installing npm packages..."
start=$(date +%s)
# `npm ci` is the strict choice, but some npm 11 set-ups write lock files without the other
# platforms' optional packages and then refuse them in `npm ci`; `npm install --no-save` installs
# the locked versions without rewriting the lock file.
if ! npm ci --no-audit --no-fund --loglevel=error 2>/tmp/pg2ddb-npm-ci.$$; then
  if grep -q 'in sync' /tmp/pg2ddb-npm-ci.$$; then
    npm install --no-save --no-audit --no-fund --loglevel=error
  else
    cat /tmp/pg2ddb-npm-ci.$$ >&2
    rm -f /tmp/pg2ddb-npm-ci.$$
    echo "npm could not install the packages (see above); check the network or the npm registry settings" >&2
    exit 1
  fi
fi
rm -f /tmp/pg2ddb-npm-ci.$$
echo "$want" > "$marker"
echo "npm packages installed in $(( $(date +%s) - start ))s"
