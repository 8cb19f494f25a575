#!/usr/bin/env bash
# Builds (once) and caches every tool the Kubernetes proof needs, so `npm run test:k8s` works on a
# fresh machine with nothing but the package registries:
#   - Debian packages: etcd-server, podman + runc + catatonit (real containers), mmdebstrap (base image)
#   - kube-apiserver, kube-controller-manager, kube-scheduler built from the k8s.io/kubernetes Go module
#     (a wrapper go.mod that replaces its ./staging modules with the published k8s.io/* v0.Y.Z)
#   - kwok (fake nodes) and its "fast" stage config, helm, kubeconform (go install)
# Idempotent: a binary already in the cache is never rebuilt. The cold control-plane build takes
# ~20-25 min on 2 cores; everything else a few minutes.
#
# Cache layout: ${PG2DDB_K8S_TOOLS:-~/.cache/pg2ddb/k8s-tools}/<tool>-<version>/...
# Prints the env file path at the end; `source "$(bash build-tools.sh --env)"` sets PATH-like vars.
set -euo pipefail

# kubectl here is 1.32: the server must be within one minor. The module proxy serves k8s.io/kubernetes
# v1.32.13 but not all of its staging modules at v0.32.13 (k8s.io/endpointslice), so 1.33.
K8S_VERSION="${K8S_VERSION:-v1.33.13}"
KWOK_VERSION="${KWOK_VERSION:-v0.8.0}"
HELM_VERSION="${HELM_VERSION:-v4.3.2}"
KUBECONFORM_VERSION="${KUBECONFORM_VERSION:-v0.8.0}"

TOOLS="${PG2DDB_K8S_TOOLS:-$HOME/.cache/pg2ddb/k8s-tools}"
K8S_DIR="$TOOLS/kubernetes-$K8S_VERSION"
KWOK_DIR="$TOOLS/kwok-$KWOK_VERSION"
HELM_DIR="$TOOLS/helm-$HELM_VERSION"
KUBECONFORM_DIR="$TOOLS/kubeconform-$KUBECONFORM_VERSION"
ENV_FILE="$TOOLS/env-$K8S_VERSION.sh"

log() { printf '[build-tools %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

write_env() {
  mkdir -p "$TOOLS"
  cat >"$ENV_FILE.tmp" <<EOF
export K8S_VERSION=$K8S_VERSION
export K8S_BIN=$K8S_DIR/bin
export KWOK_BIN=$KWOK_DIR/bin/kwok
export KWOK_STAGES=$KWOK_DIR/stages.yaml
export HELM_BIN=$HELM_DIR/bin/helm
export KUBECONFORM_BIN=$KUBECONFORM_DIR/bin/kubeconform
EOF
  mv "$ENV_FILE.tmp" "$ENV_FILE"
}

if [[ "${1:-}" == "--env" ]]; then write_env; echo "$ENV_FILE"; exit 0; fi

# One build at a time (test:k8s and a manual run may overlap): the second waits for the first.
mkdir -p "$TOOLS"
exec 9>"$TOOLS/.build.lock"
flock 9

# ---------------------------------------------------------------------------------------------
# Debian packages (root on this machine; skipped when already installed)
# ---------------------------------------------------------------------------------------------
need_pkgs=()
for p in etcd-server podman runc catatonit mmdebstrap uidmap containernetworking-plugins openssl; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need_pkgs+=("$p")
done
if ((${#need_pkgs[@]})); then
  log "apt-get install ${need_pkgs[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi
command -v go >/dev/null || { log "go is required (Go toolchain)"; exit 1; }

export GOFLAGS="${GOFLAGS:--buildvcs=false}"
NICE="nice -n 10"

# ---------------------------------------------------------------------------------------------
# helm, kubeconform, kwok: go install into the cache
# ---------------------------------------------------------------------------------------------
go_install() { # dir pkg@version binary
  local dir="$1" pkg="$2" bin="$3"
  if [[ -x "$dir/bin/$bin" ]]; then return 0; fi
  log "go install $pkg"
  mkdir -p "$dir/bin"
  GOBIN="$dir/bin.tmp" $NICE go install -trimpath -ldflags '-s -w' "$pkg"
  mv "$dir/bin.tmp/$bin" "$dir/bin/$bin"; rmdir "$dir/bin.tmp"
}
go_install "$KUBECONFORM_DIR" "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION" kubeconform
go_install "$HELM_DIR" "helm.sh/helm/v4/cmd/helm@$HELM_VERSION" helm
go_install "$KWOK_DIR" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION" kwok
if [[ ! -s "$KWOK_DIR/stages.yaml" ]]; then
  # kwok simulates nothing without stages: the module's "fast" node and pod stages.
  src="$(go env GOMODCACHE)/sigs.k8s.io/kwok@$KWOK_VERSION/kustomize/stage"
  [[ -d "$src" ]] || (cd "$(mktemp -d)" && go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" >/dev/null)
  : >"$KWOK_DIR/stages.yaml.tmp"
  while IFS= read -r f; do
    { echo '---'; cat "$f"; } >>"$KWOK_DIR/stages.yaml.tmp"
  done < <(find "$src/node/fast" "$src/pod/fast" -maxdepth 1 -name '*.yaml' ! -name 'kustomization.yaml' | sort)
  grep -q 'kind: Stage' "$KWOK_DIR/stages.yaml.tmp" || { log "no kwok stages found under $src"; exit 1; }
  mv "$KWOK_DIR/stages.yaml.tmp" "$KWOK_DIR/stages.yaml"
fi

# ---------------------------------------------------------------------------------------------
# kube-apiserver, kube-controller-manager, kube-scheduler from k8s.io/kubernetes
# ---------------------------------------------------------------------------------------------
if [[ ! -x "$K8S_DIR/bin/kube-apiserver" || ! -x "$K8S_DIR/bin/kube-controller-manager" || ! -x "$K8S_DIR/bin/kube-scheduler" ]]; then
  log "building kubernetes $K8S_VERSION control plane (cold: ~20-25 min on 2 cores)"
  work="$K8S_DIR/src"
  mkdir -p "$work" "$K8S_DIR/bin"
  staging_ver="v0.${K8S_VERSION#v1.}"
  gomod="$(cd "$work" && go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
  [[ -s "$gomod" ]] || { log "cannot download k8s.io/kubernetes@$K8S_VERSION"; exit 1; }
  {
    echo "module pg2ddb.local/k8s-control-plane"
    echo
    grep -E '^go [0-9]' "$gomod"
    echo
    echo "require k8s.io/kubernetes $K8S_VERSION"
    echo
    # every "k8s.io/x => ./staging/src/k8s.io/x" of the real go.mod becomes the published module,
    # at v0.Y.Z, or the newest v0.Y.* the proxy serves when that one is missing (sample-* modules)
    for m in $(grep -oE 'k8s\.io/[a-z0-9-]+ => \./staging/src/k8s\.io/[a-z0-9-]+' "$gomod" | awk '{print $1}'); do
      versions=$(cd "$work" && go list -m -versions "$m" 2>/dev/null | tr ' ' '\n' | grep -E "^${staging_ver%.*}\.[0-9]+$" || true)
      v=$(grep -qx "$staging_ver" <<<"$versions" && echo "$staging_ver" || tail -n 1 <<<"$versions")
      [[ -n "$v" ]] || v=$staging_ver
      echo "replace $m => $m $v"
    done
  } >"$work/go.mod"
  cat >"$work/tools.go" <<'EOF'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
)
EOF
  cd "$work"
  $NICE go get "k8s.io/kubernetes/cmd/kube-apiserver@$K8S_VERSION" "k8s.io/kubernetes/cmd/kube-controller-manager@$K8S_VERSION" "k8s.io/kubernetes/cmd/kube-scheduler@$K8S_VERSION"
  minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
  ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean"
  for c in kube-apiserver kube-controller-manager kube-scheduler; do
    [[ -x "$K8S_DIR/bin/$c" ]] && continue
    log "go build $c"
    $NICE go build -p "${GO_BUILD_P:-2}" -trimpath -ldflags "$ldflags" -o "$K8S_DIR/bin/$c.tmp" "k8s.io/kubernetes/cmd/$c"
    mv "$K8S_DIR/bin/$c.tmp" "$K8S_DIR/bin/$c"
  done
fi

write_env
log "tools ready: $ENV_FILE"
echo "$ENV_FILE"
