#!/usr/bin/env bash
# A real Kubernetes control plane on 127.0.0.1, without a kubelet: etcd (Debian), kube-apiserver,
# kube-controller-manager and kube-scheduler (built by build-tools.sh), and kwok, which plays the
# kubelet of two fake nodes (pods become Running/Ready without running anything).
#   control-plane.sh start|stop|env
# State (etcd data, keys, logs, kubeconfig) in ${PG2DDB_K8S_STATE:-<repo>/.k8s-test}; start wipes it.
set -euo pipefail
HERE=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd -- "$HERE/../.." && pwd)
STATE="${PG2DDB_K8S_STATE:-$ROOT/.k8s-test}"
ETCD_PORT="${PG2DDB_K8S_ETCD_PORT:-52379}"
ETCD_PEER_PORT="${PG2DDB_K8S_ETCD_PEER_PORT:-52380}"
APISERVER_PORT="${PG2DDB_K8S_APISERVER_PORT:-56443}"
CM_PORT="${PG2DDB_K8S_CONTROLLER_MANAGER_PORT:-56457}"
SCHEDULER_PORT="${PG2DDB_K8S_SCHEDULER_PORT:-56459}"
KUBECONFIG_FILE="$STATE/kubeconfig"
log() { printf '[control-plane %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

stop() {
  local name pid
  for name in kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do
    [[ -f "$STATE/$name.pid" ]] || continue
    pid=$(cat "$STATE/$name.pid")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$STATE/$name.pid"
  done
}

run() { # name command... : started in its own session, logs in $STATE/logs/<name>.log
  local name=$1; shift
  setsid "$@" >"$STATE/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$STATE/$name.pid"
}

wait_for() { # description seconds command...
  local what=$1 secs=$2; shift 2
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS > deadline)); then
      log "timed out waiting for $what"; tail -n 30 "$STATE"/logs/*.log >&2 || true; return 1
    fi
    sleep 0.5
  done
}

start() {
  source "$(bash "$HERE/build-tools.sh" --env)"
  for b in "$K8S_BIN/kube-apiserver" "$K8S_BIN/kube-controller-manager" "$K8S_BIN/kube-scheduler" "$KWOK_BIN"; do
    [[ -x "$b" ]] || { log "$b missing: run infra/k8s-test/build-tools.sh"; exit 1; }
  done
  stop
  rm -rf "$STATE" && mkdir -p "$STATE/logs" "$STATE/pki"
  local t0=$SECONDS token
  token=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
  echo "$token,admin,admin,system:masters" >"$STATE/tokens.csv"
  openssl genrsa -out "$STATE/pki/sa.key" 2048 2>/dev/null
  openssl rsa -in "$STATE/pki/sa.key" -pubout -out "$STATE/pki/sa.pub" 2>/dev/null
  cat >"$KUBECONFIG_FILE" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: pg2ddb-test
    cluster: { server: "https://127.0.0.1:$APISERVER_PORT", insecure-skip-tls-verify: true }
users:
  - name: admin
    user: { token: "$token" }
contexts:
  - name: pg2ddb-test
    context: { cluster: pg2ddb-test, user: admin }
current-context: pg2ddb-test
EOF
  chmod 600 "$KUBECONFIG_FILE" "$STATE/tokens.csv"

  run etcd etcd --name default --data-dir "$STATE/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "default=http://127.0.0.1:$ETCD_PEER_PORT" --quota-backend-bytes 1073741824
  wait_for etcd 30 curl -fs "http://127.0.0.1:$ETCD_PORT/health"

  # A loopback advertise address needs --endpoint-reconciler-type=none (no "kubernetes" endpoints).
  run kube-apiserver "$K8S_BIN/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address 127.0.0.1 --secure-port "$APISERVER_PORT" --advertise-address 127.0.0.1 \
    --endpoint-reconciler-type none --cert-dir "$STATE/pki" \
    --token-auth-file "$STATE/tokens.csv" --authorization-mode AlwaysAllow \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$STATE/pki/sa.pub" --service-account-signing-key-file "$STATE/pki/sa.key" \
    --service-cluster-ip-range 10.96.0.0/16 --allow-privileged=true
  wait_for kube-apiserver 60 kubectl --kubeconfig "$KUBECONFIG_FILE" get --raw /readyz

  run kube-controller-manager "$K8S_BIN/kube-controller-manager" \
    --kubeconfig "$KUBECONFIG_FILE" --authentication-kubeconfig "$KUBECONFIG_FILE" --authorization-kubeconfig "$KUBECONFIG_FILE" \
    --bind-address 127.0.0.1 --secure-port "$CM_PORT" --leader-elect=false \
    --service-account-private-key-file "$STATE/pki/sa.key" --use-service-account-credentials=false \
    --controllers '*,-nodeipam,-nodelifecycle,-service-lb-controller,-route,-cloud-node-lifecycle'
  run kube-scheduler "$K8S_BIN/kube-scheduler" \
    --kubeconfig "$KUBECONFIG_FILE" --authentication-kubeconfig "$KUBECONFIG_FILE" --authorization-kubeconfig "$KUBECONFIG_FILE" \
    --bind-address 127.0.0.1 --secure-port "$SCHEDULER_PORT" --leader-elect=false
  run kwok "$KWOK_BIN" --kubeconfig "$KUBECONFIG_FILE" --manage-all-nodes=true --config "$KWOK_STAGES"

  local k="kubectl --kubeconfig $KUBECONFIG_FILE"
  for n in 1 2; do
    $k apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$n
  annotations: { node.alpha.kubernetes.io/ttl: "0", kwok.x-k8s.io/node: fake }
  labels: { type: kwok, kubernetes.io/hostname: kwok-node-$n, kubernetes.io/os: linux, kubernetes.io/arch: amd64 }
spec: {}
status:
  allocatable: { cpu: "16", memory: 64Gi, pods: "110" }
  capacity: { cpu: "16", memory: 64Gi, pods: "110" }
EOF
  done
  wait_for "kwok nodes Ready" 60 $k wait --for=condition=Ready node/kwok-node-1 node/kwok-node-2 --timeout=1s
  # The apiserver taints a new node not-ready; the node lifecycle controller (off: kwok nodes send
  # no kubelet heartbeats) would lift it once Ready, so lift it here.
  $k taint nodes --all node.kubernetes.io/not-ready:NoSchedule- >/dev/null 2>&1 || true
  wait_for "the default ServiceAccount" 60 $k -n default get serviceaccount default
  log "control plane $($k version -o json | sed -n 's/.*"gitVersion": "\(v[^"]*\)".*/\1/p' | tail -1) up with 2 kwok nodes in $((SECONDS - t0)) s (kubeconfig $KUBECONFIG_FILE)"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) echo "export KUBECONFIG=$KUBECONFIG_FILE" ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
