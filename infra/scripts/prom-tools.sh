#!/usr/bin/env bash
# Builds promtool and alertmanager (Go modules) once into a versioned cache; idempotent: a cached
# binary of the pinned version is reused (CI on the same machine finds it warm; a fresh machine
# builds it, a few minutes each). Used by infra/alerts/test-rules.sh (promtool test rules) and
# the e2e specs (a real Alertmanager process, promtool on scraped series).
#
#   bash infra/scripts/prom-tools.sh                        # build both if missing
#   bash infra/scripts/prom-tools.sh path promtool|alertmanager   # print the binary's path (building it if needed)
set -euo pipefail

PROMETHEUS_VERSION="${PG2DDB_PROMETHEUS_MODULE_VERSION:-v0.316.0}"     # Prometheus 3.16
ALERTMANAGER_VERSION="${PG2DDB_ALERTMANAGER_VERSION:-v0.35.0}"
TOOLS_DIR="${PG2DDB_TOOLS_DIR:-$HOME/.cache/pg2ddb/tools}"

# promtool: a plain `go install` of the published module.
compile_promtool() { # version out-dir
  GOBIN="$2" go install -trimpath "github.com/prometheus/prometheus/cmd/promtool@$1"
}

# alertmanager: its web UI (ui/app/dist, embedded with go:embed) is built by npm in its release
# process and is not part of the published Go module, so `go install` fails on the missing
# directory. We need the API only: build from a writable copy of the module source with a
# one-page placeholder UI. Everything else is the published module, its go.sum pinning the rest.
compile_alertmanager() { # version out-dir
  local module=github.com/prometheus/alertmanager src work="$2/src"
  GOFLAGS=-mod=mod go mod download "$module@$1"
  src="$(go env GOMODCACHE)/$module@$1"
  cp -r "$src" "$work"
  chmod -R u+w "$work"
  for ui in elm mantine; do
    mkdir -p "$work/ui/app/dist/$ui"
    echo '<!doctype html><title>Alertmanager</title><p>Web UI not built (pg2ddb builds the API only): use /api/v2.' > "$work/ui/app/dist/$ui/index.html"
  done
  (cd "$work" && go build -mod=mod -trimpath -o "$2/alertmanager" ./cmd/alertmanager)
  rm -rf "$work"
}

ensure() { # name version
  local name="$1" version="$2"
  local dir="$TOOLS_DIR/$name-$version"
  if [ -x "$dir/$name" ]; then return 0; fi
  if ! command -v go >/dev/null 2>&1; then
    echo "prom-tools: Go is required to build $name $version" >&2
    return 1
  fi
  mkdir -p "$TOOLS_DIR"
  # One build per tool at a time (parallel test runs wait for it), into a private directory that
  # becomes the cache entry only when complete.
  local lock
  exec {lock}>"$TOOLS_DIR/.$name.lock"
  flock "$lock"
  if [ ! -x "$dir/$name" ]; then
    local tmp
    tmp="$(mktemp -d "$dir.tmp.XXXXXX")"
    if ! "compile_$name" "$version" "$tmp"; then
      rm -rf "$tmp"
      flock -u "$lock"
      return 1
    fi
    rm -rf "$dir" && mv "$tmp" "$dir"
  fi
  flock -u "$lock"
}

case "${1:-all}" in
  all) ensure promtool "$PROMETHEUS_VERSION"; ensure alertmanager "$ALERTMANAGER_VERSION" ;;
  path)
    case "${2:-}" in
      promtool) ensure promtool "$PROMETHEUS_VERSION" >&2; echo "$TOOLS_DIR/promtool-$PROMETHEUS_VERSION/promtool" ;;
      alertmanager) ensure alertmanager "$ALERTMANAGER_VERSION" >&2; echo "$TOOLS_DIR/alertmanager-$ALERTMANAGER_VERSION/alertmanager" ;;
      *) echo "usage: prom-tools.sh path promtool|alertmanager" >&2; exit 2 ;;
    esac ;;
  *) echo "usage: prom-tools.sh [all | path promtool|alertmanager]" >&2; exit 2 ;;
esac
