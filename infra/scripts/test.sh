#!/usr/bin/env bash
# The whole test suite: typecheck, lint and unit tests of every project (no stack needed), then
# the end-to-end suite against the real stack (its own Nx target, e2e:e2e), which starts the
# stack once and stops it again if it was not already running.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash infra/scripts/ensure-deps.sh
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=${AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED:-true}
export NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE="${CI:+true}"
rm -rf tmp/test-results tmp/e2e
mkdir -p tmp/test-results
start=$(date +%s)
status=0
echo "== typecheck"
npx tsc -p tsconfig.json --noEmit || status=1
echo "== lint and unit tests"
npx nx run-many -t lint test --exclude e2e --parallel=2 --outputStyle=stream || status=1
echo "== alert rules (promtool test rules infra/alerts; builds promtool and alertmanager once into ~/.cache/pg2ddb/tools)"
bash infra/alerts/test-rules.sh || status=1
bash infra/scripts/prom-tools.sh all || status=1
echo "== end-to-end tests (real PostgreSQL, Kafka, Kafka Connect + Debezium, the moto DynamoDB emulator)"
npx nx run e2e:e2e --outputStyle=stream || status=1
echo "== end-to-end tests that disturb a shared part of the stack, one at a time (*.isolated-spec.ts)"
npx nx run e2e:isolated --outputStyle=stream || status=1
node infra/scripts/test-summary.js tmp/test-results || status=1
echo "test suite finished in $(( $(date +%s) - start ))s"
exit $status
