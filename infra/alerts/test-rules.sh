#!/usr/bin/env bash
# Checks and unit-tests the alert rules with promtool (built once by infra/scripts/prom-tools.sh
# into ~/.cache/pg2ddb/tools), and writes a Jest-shaped summary to tmp/test-results/alert-rules.json
# so test.sh counts the rule tests with the others (one test per test group of the file).
set -euo pipefail
cd "$(dirname "$0")/../.."
promtool="$(bash infra/scripts/prom-tools.sh path promtool)"
mkdir -p tmp/test-results
"$promtool" check rules infra/alerts/pg2ddb.rules.yaml
junit=tmp/alert-rules.junit.xml
status=0
(cd infra/alerts && "$promtool" test --junit="../../$junit" rules pg2ddb.rules.test.yaml) || status=$?
node -e '
  const fs = require("node:fs");
  const xml = fs.readFileSync(process.argv[1], "utf8");
  const cases = [...xml.matchAll(/<testcase\b[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)];
  const failed = cases.filter((c) => /<failure\b/.test(c[2] ?? "")).length;
  const passed = cases.length - failed;
  fs.writeFileSync(process.argv[2], JSON.stringify({ numPassedTests: passed, numFailedTests: failed, numPendingTests: 0, numTodoTests: 0, numRuntimeErrorTestSuites: 0 }));
  process.stdout.write(`alert rules: ${passed} passed, ${failed} failed\n`);
  if (cases.length === 0) process.exit(1);
' "$junit" tmp/test-results/alert-rules.json
exit $status
