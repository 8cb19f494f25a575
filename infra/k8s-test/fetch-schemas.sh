#!/usr/bin/env bash
# Gathers (once, cached) every schema the chart's objects are validated against, from package
# registries only, and turns them into kubeconform's strict, self-contained JSON schemas:
#   - Kubernetes 1.32 kinds: PyPI `kubernetes-validate` (its v1.32.0-local-strict schemas)
#   - Strimzi 0.48.0 KafkaConnect/KafkaConnector/KafkaTopic CRDs: generated from Strimzi's API model
#     classes on Maven Central (io.strimzi:api) with fabric8's CRD generator (strimzi-crds/)
#   - prometheus-operator ServiceMonitor/PrometheusRule CRDs: the Go module
#     github.com/prometheus-operator/prometheus-operator (example/prometheus-operator-crd)
# Prints the directory: <dir>/kubeconform/*.json (schemas) and <dir>/crds/*.yaml (the CRDs, fixed
# to be structural, for the control plane).
set -euo pipefail
HERE=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd -- "$HERE/../.." && pwd)
K8S_SCHEMA_VERSION="${K8S_SCHEMA_VERSION:-v1.32.0}"
KUBERNETES_VALIDATE_VERSION="${KUBERNETES_VALIDATE_VERSION:-1.37.0}"
PROMETHEUS_OPERATOR_VERSION="${PROMETHEUS_OPERATOR_VERSION:-v0.85.0}"
TOOLS="${PG2DDB_K8S_TOOLS:-$HOME/.cache/pg2ddb/k8s-tools}"
key=$(cat "$HERE/strimzi-crds/pom.xml" "$HERE/strimzi-crds/GenerateStrimziCrds.java" "$HERE/kubeconform-schemas.mjs" | sha256sum | cut -c1-12)
OUT="$TOOLS/schemas-$K8S_SCHEMA_VERSION-$PROMETHEUS_OPERATOR_VERSION-$key"
log() { printf '[fetch-schemas %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

if [[ -f "$OUT/.done" ]]; then echo "$OUT"; exit 0; fi
rm -rf "$OUT.tmp" && mkdir -p "$OUT.tmp/src/crds"

# Kubernetes kinds
wheel_dir="$TOOLS/kubernetes-validate-$KUBERNETES_VALIDATE_VERSION"
if [[ ! -d "$wheel_dir/kubernetes_validate" ]]; then
  log "pip download kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
  rm -rf "$wheel_dir.tmp" && mkdir -p "$wheel_dir.tmp"
  pip download --no-deps --quiet -d "$wheel_dir.tmp" "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
  (cd "$wheel_dir.tmp" && python3 -m zipfile -e ./*.whl . && rm -f ./*.whl)
  rm -rf "$wheel_dir" && mv "$wheel_dir.tmp" "$wheel_dir"
fi
k8s_dir="$wheel_dir/kubernetes_validate/kubernetes-json-schema/$K8S_SCHEMA_VERSION-local-strict"
[[ -f "$k8s_dir/_definitions.json" ]] || { log "no $K8S_SCHEMA_VERSION-local-strict schemas in kubernetes-validate"; exit 1; }

# Strimzi CRDs from the API model classes
log "generating Strimzi CRDs (io.strimzi:api + fabric8 crd-generator)"
mvn -q -B -f "$HERE/strimzi-crds/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$OUT.tmp/strimzi-lib" >/dev/null
java -cp "$OUT.tmp/strimzi-lib/*" "$HERE/strimzi-crds/GenerateStrimziCrds.java" "$OUT.tmp/src/crds" 2>/dev/null
rm -rf "$OUT.tmp/strimzi-lib"

# prometheus-operator CRDs from its Go module
log "go mod download github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION"
mod_dir=$(cd "$OUT.tmp" && go mod download -json "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
for crd in servicemonitors prometheusrules; do
  cp "$mod_dir/example/prometheus-operator-crd/monitoring.coreos.com_$crd.yaml" "$OUT.tmp/src/crds/"
done

node "$HERE/kubeconform-schemas.mjs" --k8s "$k8s_dir" --crds "$OUT.tmp/src/crds" --out "$OUT.tmp" --root "$ROOT"
touch "$OUT.tmp/.done"
rm -rf "$OUT" && mv "$OUT.tmp" "$OUT"
echo "$OUT"
