#!/usr/bin/env bash
# Builds the pg2ddb images with podman (or docker: PG2DDB_CONTAINER_CLI=docker):
#   pg2ddb-transformer, pg2ddb-writer, pg2ddb-reconciler, pg2ddb-cli  (service.Containerfile targets)
#   pg2ddb-connect                                                    (connect.Containerfile)
# tagged <version from package.json> and, if given, TAG. Labels carry the version and git commit.
#   infra/images/build-images.sh [--tag TAG] [--only "writer connect ..."] [--no-base]
# Without a reachable registry the base images come from build-base-images.sh (same names).
set -euo pipefail
HERE=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd -- "$HERE/../.." && pwd)
CLI="${PG2DDB_CONTAINER_CLI:-podman}"
TAG=""; ONLY="transformer writer reconciler cli connect"; BASE=1
while (($#)); do
  case "$1" in
    --tag) TAG=$2; shift 2 ;;
    --only) ONLY=$2; shift 2 ;;
    --no-base) BASE=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ "$CLI" == podman ]] && source "$HERE/podman-env.sh"
((BASE)) && [[ "$CLI" == podman ]] && bash "$HERE/build-base-images.sh"
VERSION=$(node -p "require('$ROOT/package.json').version")
COMMIT=$(git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
git -C "$ROOT" diff --quiet HEAD 2>/dev/null || COMMIT="$COMMIT-dirty"
log() { printf '[build-images %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
# Builds need the package registries (npm, Debian, Maven Central): host networking avoids
# depending on a container network setup.
common=(--network host --build-arg "VERSION=$VERSION" --build-arg "COMMIT=$COMMIT")
[[ "$CLI" == podman ]] && common+=(--layers)
# The host's CA bundle as build secret "ca" (for TLS-intercepting proxies; never stored in a layer).
ca="${PG2DDB_BUILD_CA_FILE:-${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}}"
[[ -s "$ca" ]] && common+=(--secret "id=ca,src=$ca")
for name in $ONLY; do
  tags=(-t "pg2ddb-$name:$VERSION"); [[ -n "$TAG" ]] && tags+=(-t "pg2ddb-$name:$TAG")
  t0=$SECONDS
  if [[ "$name" == connect ]]; then
    DOCKER_BUILDKIT=1 "$CLI" build "${common[@]}" -t "pg2ddb-$name:build" -f "$HERE/connect.Containerfile" "$ROOT" >&2
  else
    DOCKER_BUILDKIT=1 "$CLI" build "${common[@]}" -t "pg2ddb-$name:build" --target "$name" -f "$HERE/service.Containerfile" "$ROOT" >&2
  fi
  # Stamp version and commit on top, uncached: a layer cache hit (unchanged code) would otherwise
  # keep the labels of the commit that first built it (buildah's cache ignores build-arg values).
  printf 'FROM pg2ddb-%s:build\nLABEL org.opencontainers.image.version="%s" org.opencontainers.image.revision="%s"\n' "$name" "$VERSION" "$COMMIT" |
    "$CLI" build --no-cache -q "${tags[@]}" -f - "$ROOT/infra/images" >/dev/null
  log "pg2ddb-$name:$VERSION${TAG:+ ($TAG)} built in $((SECONDS - t0)) s"
done
