#!/usr/bin/env bash
# npm run test:k8s — the Helm chart and the images, proven with real parts:
#   1. tools     build/cache kube-apiserver, controller-manager, scheduler, kwok, helm, kubeconform
#   2. chart     helm lint + template (default and ci/production-values.yaml), kubeconform -strict
#                on every rendered object (CRD-backed ones included), and the KafkaConnector's
#                config equal to `pg2ddb connector render` (one source for both)
#   3. cluster   a real control plane with kwok nodes: CRDs + server-side dry-run of the production
#                render, helm install (every Deployment Available), a writer-only upgrade rolls only
#                the writer, a bad value is refused by values.schema.json
#   4. podman    (podman-proof.sh) the real images against the local stack
# Prints wall times per stage and "N passed, M failed". PG2DDB_K8S_STAGES limits the stages
# (e.g. "tools chart cluster").
set -uo pipefail
HERE=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd -- "$HERE/../.." && pwd)
CHART="$ROOT/infra/helm/pg2ddb"
STAGES="${PG2DDB_K8S_STAGES:-tools chart cluster podman}"
WORK="$ROOT/tmp/k8s-test"
rm -rf "$WORK" && mkdir -p "$WORK"
passed=0; failed=0; failures=()
t_start=$SECONDS

ok() { passed=$((passed + 1)); printf '  ok    %s\n' "$*"; }
nok() { failed=$((failed + 1)); failures+=("$*"); printf '  FAIL  %s\n' "$*"; }
check() { # description command...: passes when the command exits 0
  local what=$1; shift
  if "$@" >"$WORK/last.log" 2>&1; then ok "$what"; else nok "$what"; sed 's/^/        | /' "$WORK/last.log" | tail -n 25; fi
}
stage() { printf '\n== %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; t_stage=$SECONDS; }
stage_end() { printf '   %s: %d s\n' "$1" $((SECONDS - t_stage)); }
want() { [[ " $STAGES " == *" $1 "* ]]; }

finish() {
  printf '\nwall time %d s\n' $((SECONDS - t_start))
  ((failed == 0)) || printf 'failed: %s\n' "${failures[@]}"
  printf '%d passed, %d failed\n' "$passed" "$failed"
  ((failed == 0))
  exit $?
}

# ------------------------------------------------------------------------------------------ tools
stage tools
if ! want tools; then
  echo "  (tools stage not selected: using the cached tools)"
elif bash "$HERE/build-tools.sh" >"$WORK/build-tools.log" 2>&1; then
  ok "tools built or cached ($(tail -n 1 "$WORK/build-tools.log"))"
else
  nok "build-tools.sh"; tail -n 30 "$WORK/build-tools.log"; finish
fi
source "$(bash "$HERE/build-tools.sh" --env)"
if SCHEMAS=$(bash "$HERE/fetch-schemas.sh" 2>"$WORK/fetch-schemas.log"); then
  ok "schemas: Kubernetes 1.32 (kubernetes-validate), Strimzi 0.48.0 (io.strimzi:api), prometheus-operator"
else
  nok "fetch-schemas.sh"; tail -n 30 "$WORK/fetch-schemas.log"; finish
fi
helm() { "$HELM_BIN" "$@"; }
stage_end tools

# ------------------------------------------------------------------------------------------ chart
if want chart; then
  stage chart
  check "helm lint (default values)" helm lint --strict "$CHART"
  check "helm lint (production-like values)" helm lint --strict "$CHART" -f "$CHART/ci/production-values.yaml"
  declare -A renders=(
    [default]=""
    [production]="-f $CHART/ci/production-values.yaml"
    [strimzi-image]="--set connect.mode=strimzi --set connect.strimzi.image=registry.example/pg2ddb-connect-strimzi:1 --set topics.strimzi.enabled=true"
    [monitoring]="--set metrics.serviceMonitor.enabled=true --set metrics.prometheusRule.enabled=true"
  )
  for name in default production strimzi-image monitoring; do
    # shellcheck disable=SC2086
    if helm template pg2ddb "$CHART" --namespace pg2ddb ${renders[$name]} >"$WORK/render-$name.yaml" 2>"$WORK/render-$name.err"; then
      kinds=$(grep -E '^kind: ' "$WORK/render-$name.yaml" | sort | uniq -c | awk '{printf "%s %s, ", $1, $3}')
      ok "helm template ($name): $(grep -cE '^kind: ' "$WORK/render-$name.yaml") objects: ${kinds%, }"
    else
      nok "helm template ($name)"; cat "$WORK/render-$name.err"
    fi
    if "$KUBECONFORM_BIN" -strict -summary -schema-location "$SCHEMAS/kubeconform/{{.ResourceKind}}{{.KindSuffix}}.json" "$WORK/render-$name.yaml" >"$WORK/kubeconform-$name.log" 2>&1; then
      ok "kubeconform -strict ($name): $(tail -n 1 "$WORK/kubeconform-$name.log")"
    else
      nok "kubeconform -strict ($name)"; cat "$WORK/kubeconform-$name.log"
    fi
  done
  check "kubeconform -strict: the CRDs themselves" \
    "$KUBECONFORM_BIN" -strict -summary -schema-location "$SCHEMAS/kubeconform/{{.ResourceKind}}{{.KindSuffix}}.json" "$SCHEMAS/crds"
  # strict is in force, for a Kubernetes kind and for a custom resource: an unknown field fails
  for field in "s/^  replicas: 6$/  replicas: 6\n  replicaz: 6/" "s/^  tasksMax: 1$/  tasksMax: 1\n  taskMax: 1/"; do
    bad=$(grep -oE '(replicaz|taskMax)' <<<"$field" | head -n 1)
    sed "$field" "$WORK/render-production.yaml" >"$WORK/render-bad.yaml"
    if "$KUBECONFORM_BIN" -strict -schema-location "$SCHEMAS/kubeconform/{{.ResourceKind}}{{.KindSuffix}}.json" "$WORK/render-bad.yaml" >"$WORK/kubeconform-bad.log" 2>&1; then
      nok "kubeconform -strict accepted an unknown field $bad"
    elif grep -q "additional properties '$bad' not allowed" "$WORK/kubeconform-bad.log"; then
      ok "kubeconform -strict refuses an unknown field: $(grep -oE "[A-Za-z]+ [a-z0-9-]+ is invalid.*$bad' not allowed" "$WORK/kubeconform-bad.log" | sed 's/: problem validating schema.*- at/: at/' | head -n 1)"
    else
      nok "kubeconform -strict: unexpected output for $bad"; cat "$WORK/kubeconform-bad.log"
    fi
  done
  check "the Strimzi KafkaConnector's config is what \`pg2ddb connector render\` sends" \
    node "$HERE/same-connector-config.mjs" --root "$ROOT" --render "$WORK/render-production.yaml" --values "$CHART/ci/production-values.yaml"
  check "one PrometheusRule rendered from files/alerts (infra/alerts, promtool-tested) when enabled" \
    bash -c "'$HELM_BIN' template pg2ddb '$CHART' --set metrics.prometheusRule.enabled=true | grep -c 'kind: PrometheusRule' | grep -qx '$(ls "$CHART"/files/alerts/*.yaml >/dev/null 2>&1 && echo 1 || echo 0)'"
  stage_end chart
fi

# ---------------------------------------------------------------------------------------- cluster
if want cluster; then
  stage cluster
  if bash "$HERE/control-plane.sh" start 2>"$WORK/control-plane.log"; then
    ok "control plane: $(grep -o 'control plane .*' "$WORK/control-plane.log" | tail -n 1)"
    export KUBECONFIG="$ROOT/.k8s-test/kubeconfig"
    bash "$HERE/cluster-checks.sh" "$WORK" "$SCHEMAS" >"$WORK/cluster.out" 2>&1
    cat "$WORK/cluster.out"
    passed=$((passed + $(grep -c '^  ok ' "$WORK/cluster.out")))
    while IFS= read -r line; do failed=$((failed + 1)); failures+=("${line#  FAIL  }"); done < <(grep '^  FAIL ' "$WORK/cluster.out")
    grep -q '^  (cluster checks complete)$' "$WORK/cluster.out" || nok "cluster checks stopped before their end"
  else
    nok "control plane start"; tail -n 30 "$WORK/control-plane.log"
  fi
  bash "$HERE/control-plane.sh" stop
  stage_end cluster
fi

# ----------------------------------------------------------------------------------------- podman
if want podman; then
  stage podman
  bash "$HERE/podman-proof.sh" "$WORK" 2>&1 | tee "$WORK/podman.out"
  passed=$((passed + $(grep -c '^  ok ' "$WORK/podman.out")))
  while IFS= read -r line; do failed=$((failed + 1)); failures+=("${line#  FAIL  }"); done < <(grep '^  FAIL ' "$WORK/podman.out")
  grep -q '^  (podman proof complete)$' "$WORK/podman.out" || nok "podman proof stopped before its end"
  stage_end podman
fi

finish
