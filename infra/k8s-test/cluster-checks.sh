#!/usr/bin/env bash
# The chart on the real control plane (KUBECONFIG set, started by control-plane.sh):
#   - Strimzi and prometheus-operator CRDs installed; the production-like render passes a
#     server-side dry run with strict field validation (CRD schemas enforced by the apiserver)
#   - helm install into a fresh namespace: every Deployment Available on the kwok nodes
#   - helm upgrade changing only writer.image.tag rolls only the writer
#   - a bad value is refused by values.schema.json with a clear message, nothing changed
#   cluster-checks.sh WORKDIR SCHEMAS_DIR      (prints "  ok ..." / "  FAIL ..." lines)
set -uo pipefail
HERE=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd -- "$HERE/../.." && pwd)
CHART="$ROOT/infra/helm/pg2ddb"
WORK=$1
SCHEMAS=$2
source "$(bash "$HERE/build-tools.sh" --env)"
helm() { "$HELM_BIN" "$@"; }
ok() { printf '  ok    %s\n' "$*"; }
nok() { printf '  FAIL  %s\n' "$*"; }
ns="pg2ddb-$(od -An -tx1 -N3 /dev/urandom | tr -d ' \n')"

# --- CRDs and a server-side dry run of the production-like render
if kubectl apply --server-side -f "$SCHEMAS/crds" >"$WORK/crds.log" 2>&1 &&
  kubectl wait --for=condition=Established crd --all --timeout=60s >>"$WORK/crds.log" 2>&1; then
  ok "CRDs established: $(kubectl get crd -o name | sed 's|.*/||' | paste -sd, -)"
else
  nok "CRDs"; cat "$WORK/crds.log"
fi
kubectl create namespace "$ns-dry" >/dev/null
if kubectl apply --dry-run=server --validate=strict -n "$ns-dry" -f "$WORK/render-production.yaml" >"$WORK/dry-run.log" 2>&1; then
  ok "server-side dry run (strict) of the production-like render: $(grep -c . "$WORK/dry-run.log") objects accepted"
else
  nok "server-side dry run of the production-like render"; tail -n 20 "$WORK/dry-run.log"
fi
# The apiserver enforces the CRD schema: an unknown field in the KafkaConnector is refused.
if sed 's/^  tasksMax: 1$/  tasksMax: 1\n  taskMax: 1/' "$WORK/render-production.yaml" |
  kubectl apply --dry-run=server --validate=strict -n "$ns-dry" -f - >"$WORK/dry-run-bad.log" 2>&1; then
  nok "an unknown KafkaConnector field is refused by the apiserver"
elif grep -q 'unknown field "spec.taskMax"' "$WORK/dry-run-bad.log"; then
  ok "an unknown KafkaConnector field is refused by the apiserver: $(grep -o 'unknown field "spec.taskMax"' "$WORK/dry-run-bad.log" | head -n 1)"
else
  nok "unknown KafkaConnector field: unexpected error"; tail -n 5 "$WORK/dry-run-bad.log"
fi

# --- install
kubectl create namespace "$ns" >/dev/null
# The Secrets the chart references (it never renders secret values).
for s in pg2ddb-reconciler-postgres pg2ddb-debezium-postgres; do
  kubectl -n "$ns" create secret generic "$s" --from-literal=password="$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')" >/dev/null
done
t0=$SECONDS
if helm install pg2ddb "$CHART" -n "$ns" --wait --timeout 5m >"$WORK/install.log" 2>&1; then
  ok "helm install into namespace $ns in $((SECONDS - t0)) s"
else
  nok "helm install"; tail -n 20 "$WORK/install.log"
fi
deployments=$(kubectl -n "$ns" get deploy -o name | sed 's|.*/||' | sort)
available=0
for d in $deployments; do
  kubectl -n "$ns" wait --for=condition=Available "deploy/$d" --timeout=120s >/dev/null 2>&1 && available=$((available + 1))
done
echo "kubectl get deploy -n $ns:"
kubectl -n "$ns" get deploy -o wide | sed 's/^/    /'
kubectl -n "$ns" get pods -o wide | sed 's/^/    /'
if [[ $available -eq 4 && $(wc -w <<<"$deployments") -eq 4 ]]; then
  ok "4 Deployments (transformer, writer, reconciler, connect) Available on kwok nodes"
else
  nok "Deployments Available: $available of $(wc -w <<<"$deployments") ($deployments)"
fi

# --- writer-only upgrade
rs_by_component() {
  kubectl -n "$ns" get rs -o jsonpath='{range .items[*]}{.metadata.labels.app\.kubernetes\.io/component}{" "}{.metadata.name}{"\n"}{end}' | sort
}
rs_before=$(rs_by_component)
old_tag=$(kubectl -n "$ns" get deploy pg2ddb-writer -o jsonpath='{.spec.template.spec.containers[0].image}')
t0=$SECONDS
if helm upgrade pg2ddb "$CHART" -n "$ns" --reuse-values --set writer.image.tag=0.1.1 --wait --timeout 5m >"$WORK/upgrade.log" 2>&1 &&
  kubectl -n "$ns" rollout status deploy/pg2ddb-writer --timeout=120s >/dev/null; then
  ok "helm upgrade --set writer.image.tag=0.1.1 in $((SECONDS - t0)) s"
else
  nok "helm upgrade (writer tag)"; tail -n 20 "$WORK/upgrade.log"
fi
rs_after=$(rs_by_component)
echo "ReplicaSets before the upgrade:"; sed 's/^/    /' <<<"$rs_before"
echo "ReplicaSets after the upgrade:"; sed 's/^/    /' <<<"$rs_after"
others_same=1
for c in transformer reconciler connect; do
  [[ "$(grep "^$c " <<<"$rs_before")" == "$(grep "^$c " <<<"$rs_after")" ]] || others_same=0
done
writer_new=$(comm -13 <(grep '^writer ' <<<"$rs_before") <(grep '^writer ' <<<"$rs_after") | awk '{print $2}')
new_image=$(kubectl -n "$ns" get deploy pg2ddb-writer -o jsonpath='{.spec.template.spec.containers[0].image}')
if ((others_same)) && [[ -n "$writer_new" && "$new_image" == *:0.1.1 ]]; then
  ok "only the writer rolled: new ReplicaSet $writer_new ($old_tag -> $new_image); transformer, reconciler, connect kept theirs"
else
  nok "writer-only upgrade (others unchanged: $others_same, new writer RS: '${writer_new}', image $new_image)"
fi

# --- a bad value is refused by the schema, and the release is untouched
revision=$(helm history pg2ddb -n "$ns" -o json | node -e 'const h=JSON.parse(require("fs").readFileSync(0,"utf8"));process.stdout.write(String(h[h.length-1].revision))')
bad() { # description expected-message-pattern helm-args...
  local what=$1 pattern=$2; shift 2
  if helm upgrade pg2ddb "$CHART" -n "$ns" --reuse-values "$@" >"$WORK/bad.log" 2>&1; then
    nok "$what: accepted"
  elif grep -qE "$pattern" "$WORK/bad.log"; then
    ok "$what refused: $(grep -E "$pattern" "$WORK/bad.log" | head -n 1 | sed 's/^[- ]*//' | cut -c1-160)"
  else
    nok "$what: refused without the expected message /$pattern/"; cat "$WORK/bad.log"
  fi
}
bad "writer.replicas=-1" 'writer/replicas|writer\.replicas' --set writer.replicas=-1
bad "connect.mode=kubernetes" 'connect/mode|connect\.mode' --set connect.mode=kubernetes
bad "an unknown value writer.replica" "additional propert(y|ies) 'replica'" --set writer.replica=3
after=$(helm history pg2ddb -n "$ns" -o json | node -e 'const h=JSON.parse(require("fs").readFileSync(0,"utf8"));process.stdout.write(String(h[h.length-1].revision))')
if [[ "$revision" == "$after" ]] && [[ "$(kubectl -n "$ns" get deploy pg2ddb-writer -o jsonpath='{.spec.replicas}')" == 2 ]]; then
  ok "refused upgrades left the release at revision $after and the writer at 2 replicas"
else
  nok "the release changed after refused upgrades (revision $revision -> $after)"
fi
helm uninstall pg2ddb -n "$ns" --wait >/dev/null 2>&1 || true
echo "  (cluster checks complete)"
