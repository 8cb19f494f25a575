#!/usr/bin/env bash
# The real images, run from the chart's own rendered Deployments with `podman kube play`, against
# the local stack (PostgreSQL, Kafka, the moto DynamoDB emulator on 127.0.0.1):
#   images build; Connect + Debezium, transformer, writer, reconciler start from the chart's
#   Deployments (+ ConfigMaps, Secrets as podman secrets); the connector-apply Job registers the
#   connector; the payments example syncs (rows = items); every service's readiness goes ready;
#   `podman stop` (SIGTERM) of the writer and transformer mid-stream loses nothing; every container
#   runs as uid 1000 on a read-only root filesystem; no service image holds a dev dependency.
#   podman-proof.sh WORKDIR      (prints "  ok ..." / "  FAIL ..." lines; cleans up after itself)
set -uo pipefail
HERE=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd -- "$HERE/../.." && pwd)
CHART="$ROOT/infra/helm/pg2ddb"
WORK=$1/podman
mkdir -p "$WORK"
source "$ROOT/infra/images/podman-env.sh"
source "$(bash "$HERE/build-tools.sh" --env)"
ok() { printf '  ok    %s\n' "$*"; }
nok() { printf '  FAIL  %s\n' "$*"; }
note() { printf '        %s\n' "$*"; }
ROWS="${PG2DDB_K8S_PODMAN_ROWS:-2000}"
MORE_ROWS="${PG2DDB_K8S_PODMAN_MORE_ROWS:-1000}"
id=$(od -An -tx1 -N3 /dev/urandom | tr -d ' \n')
prefix="k8s$id"
schema="k8s_$id"
table="Payments_k8s_$id"
VERSION=$(node -p "require('$ROOT/package.json').version")
COMMIT=$(git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
git -C "$ROOT" diff --quiet HEAD 2>/dev/null || COMMIT="$COMMIT-dirty"

# ------------------------------------------------------------------ the local stack
started_stack=0
if ! bash "$ROOT/infra/local/stack.sh" status >/dev/null 2>&1; then
  if bash "$ROOT/infra/local/stack.sh" start >"$WORK/stack.log" 2>&1; then started_stack=1; else
    nok "local stack start"; tail -n 30 "$WORK/stack.log"; exit 0
  fi
fi
stack_env="${PG2DDB_STACK_DIR:-$ROOT/.stack}/stack.env"
set -a; source <(sed -n "s/^\([A-Z0-9_]*\)='\{0,1\}\([^']*\)'\{0,1\}$/\1=\2/p" "$stack_env"); set +a
pg_port=$PG2DDB_PG_PORT
kafka=$PG2DDB_KAFKA_BROKERS
dynamo=$PG2DDB_DYNAMO_ENDPOINT
http_base=$((pg_port + 5))        # transformer, writer, reconciler, connect: 4 ports above the stack's block
declare -A port=([transformer]=$((http_base)) [writer]=$((http_base + 1)) [reconciler]=$((http_base + 2)) [connect]=$((http_base + 3)))
psql_() { PGPASSWORD="$PG2DDB_PG_PASSWORD" psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U "$PG2DDB_PG_USER" "$@"; }

cleanup() {
  # The connector first (Connect still up), its slot, publication and signal table with it: a
  # slot left behind would keep the stack's WAL forever.
  if [[ -n "${cli_env_file:-}" && -f "$cli_env_file" ]]; then
    podman run --rm --network host --env-file "$cli_env_file" -v "$WORK/mapping.yaml:/m/mapping.yaml:ro,Z" \
      "pg2ddb-cli:$VERSION" connector delete --drop-slot --mapping /m/mapping.yaml >/dev/null 2>&1
  fi
  for f in "$WORK"/manifests/*.yaml; do [[ -f "$f" ]] && podman kube down "$f" >/dev/null 2>&1; done
  psql_ -d "$PG2DDB_PG_DATABASE" -c "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = 'pg2ddb_$prefix' AND NOT active" \
    -c "DROP PUBLICATION IF EXISTS pg2ddb_$prefix" >/dev/null 2>&1
  for s in "pg2ddb-$prefix-pg" "pg2ddb-$prefix-aws"; do podman secret rm "$s" >/dev/null 2>&1; done
  (cd "$ROOT" && node -e '
    const { DynamoDBClient, DeleteTableCommand } = require("@aws-sdk/client-dynamodb");
    const client = new DynamoDBClient({ endpoint: process.argv[1], region: "us-east-1" });
    Promise.allSettled([process.argv[2], process.argv[2] + ".pg2ddb-tombstones"].map((TableName) => client.send(new DeleteTableCommand({ TableName }))));
  ' "$dynamo" "$table" >/dev/null 2>&1)
  psql_ -d "$PG2DDB_PG_DATABASE" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1
  ((started_stack)) && bash "$ROOT/infra/local/stack.sh" stop >/dev/null 2>&1
  rm -f "${cli_env_file:-/nonexistent}"
}
trap cleanup EXIT

# ------------------------------------------------------------------ images
t0=$SECONDS
if bash "$ROOT/infra/images/build-images.sh" >"$WORK/build-images.log" 2>&1; then
  ok "images built in $((SECONDS - t0)) s (base images built locally where no registry is reachable)"
else
  nok "image build"; tail -n 30 "$WORK/build-images.log"; exit 0
fi
sizes=""
for name in transformer writer reconciler cli connect; do
  img="pg2ddb-$name:$VERSION"
  size=$(podman image inspect "$img" --format '{{.Size}}' | awk '{printf "%d MB", $1 / 1000000}')
  labels=$(podman image inspect "$img" --format '{{index .Labels "org.opencontainers.image.version"}} {{index .Labels "org.opencontainers.image.revision"}} {{.Config.User}}')
  sizes+="$img $size; "
  read -r lv lc lu <<<"$labels"
  if [[ "$lv" == "$VERSION" && "$lc" == "$COMMIT" && "$lu" == 1000:1000 ]]; then ok "$img: $size, labels version=$lv revision=$lc, user $lu"; else nok "$img labels/user: $labels"; fi
done

# No dev dependency in a service image: none of the packages the lock file marks dev-only (what
# npm ci --omit=dev leaves out) is under node_modules. @types/node is not one: protobufjs, a
# runtime dependency, depends on it.
dev_deps=$(node -p "Object.entries(require('$ROOT/package-lock.json').packages).filter(([k, v]) => v.dev && /^node_modules\/(@[^/]+\/)?[^/]+$/.test(k)).map(([k]) => k.slice(13)).join(' ')")
for name in transformer writer reconciler cli; do
  img="pg2ddb-$name:$VERSION"
  present=$(podman run --rm --entrypoint node "$img" -e 'const fs = require("fs"); const all = fs.readdirSync("/app/node_modules").length; console.log(all, process.argv.slice(1).filter((p) => fs.existsSync("/app/node_modules/" + p)).join(" "))' -- $dev_deps 2>&1)
  read -r count found <<<"$present"
  if [[ "$count" =~ ^[0-9]+$ && -z "$found" ]]; then ok "$img: no dev dependency among its $count node_modules entries"; else nok "$img dev dependencies: $present"; fi
done

# ------------------------------------------------------------------ source data, secrets, manifests
# The example's schema in a schema of its own (the stack's database is shared with other tests).
psql_ -d "$PG2DDB_PG_DATABASE" -c "CREATE SCHEMA $schema" >/dev/null
PGOPTIONS="-c search_path=$schema" psql_ -d "$PG2DDB_PG_DATABASE" -f "$ROOT/examples/payments/schema.sql" >/dev/null
insert_rows() { # first count
  psql_ -d "$PG2DDB_PG_DATABASE" -c "INSERT INTO $schema.payments (paymentid, customerid, loanid, paymentamount, paymentdate, paymentmethod, paymentstatus, createddate)
    SELECT g, 1 + g % 97, 1 + g % 13, 10 + (g % 1000) / 100.0, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 minute',
           (ARRAY['CARD','ACH','WIRE'])[1 + g % 3], (ARRAY['PENDING','COMPLETED','FAILED'])[1 + g % 3], now()
    FROM generate_series($1, $1 + $2 - 1) g" >/dev/null
}
insert_rows 1 "$ROWS"
sed -e "s/^  name: Payments$/  name: $table/" -e "s/source: { schema: public, table: payments }/source: { schema: $schema, table: payments }/" \
  "$ROOT/examples/payments/mapping.yaml" >"$WORK/mapping.yaml"
grep -q "name: $table" "$WORK/mapping.yaml" && grep -q "schema: $schema" "$WORK/mapping.yaml" || { nok "mapping table/schema rename"; exit 0; }
b64() { printf '%s' "$1" | base64 -w0; }
# podman's kube play reads a secretKeyRef from a podman secret holding {key: base64(value)}.
printf '{"password":"%s"}' "$(b64 "$PG2DDB_PG_PASSWORD")" | podman secret create "pg2ddb-$prefix-pg" - >/dev/null
printf '{"AWS_ACCESS_KEY_ID":"%s","AWS_SECRET_ACCESS_KEY":"%s"}' "$(b64 "$AWS_ACCESS_KEY_ID")" "$(b64 "$AWS_SECRET_ACCESS_KEY")" |
  podman secret create "pg2ddb-$prefix-aws" - >/dev/null
cat >"$WORK/values.yaml" <<EOF
topicPrefix: $prefix
image: { registry: localhost, pullPolicy: IfNotPresent }
kafka: { bootstrapServers: "$kafka" }
aws: { region: us-east-1, dynamoEndpoint: "$dynamo", credentialsSecret: pg2ddb-$prefix-aws }
postgres:
  host: 127.0.0.1
  port: $pg_port
  database: $PG2DDB_PG_DATABASE
  reconciler: { user: $PG2DDB_PG_USER, passwordSecret: { name: pg2ddb-$prefix-pg, key: password } }
  debezium: { user: $PG2DDB_PG_USER, passwordSecret: { name: pg2ddb-$prefix-pg, key: password } }
topics:
  writes: { partitions: 3, replicas: 1 }
  dlq: { partitions: 1, replicas: 1 }
  drift: { partitions: 1, replicas: 1 }
  changes: { partitions: 1, replicas: 1 }
transformer: { httpPort: ${port[transformer]}, replicas: 1 }
writer: { httpPort: ${port[writer]}, replicas: 1, drainTimeoutSeconds: 20 }
reconciler: { httpPort: ${port[reconciler]}, history: false, schedule: { enabled: true, intervalSeconds: 30, mode: count, sampleSize: 100 } }
connect:
  restPort: ${port[connect]}
  heapMaxMiB: 512
  groupId: $prefix-connect
  storageTopics: { config: $prefix-connect-configs, offset: $prefix-connect-offsets, status: $prefix-connect-status, replicationFactor: 1 }
EOF
"$HELM_BIN" template pg2ddb "$CHART" -f "$WORK/values.yaml" --set-file mapping.content="$WORK/mapping.yaml" >"$WORK/render.yaml" 2>"$WORK/render.err" ||
  { nok "helm template (podman values)"; cat "$WORK/render.err"; exit 0; }
node "$HERE/podman-manifests.mjs" --root "$ROOT" --render "$WORK/render.yaml" --out "$WORK/manifests" --connect-url "http://127.0.0.1:${port[connect]}" >/dev/null
ok "chart rendered for podman: $(ls "$WORK/manifests" | tr '\n' ' ')"

# The CLI as the operator would run it (the same image as the connector-apply Job).
cli_env_file=$(mktemp)
chmod 600 "$cli_env_file"
cat >"$cli_env_file" <<EOF
PG2DDB_TOPIC_PREFIX=$prefix
PG2DDB_KAFKA_BROKERS=$kafka
PG2DDB_DYNAMO_ENDPOINT=$dynamo
PG2DDB_CONNECT_URL=http://127.0.0.1:${port[connect]}
PG2DDB_PG_HOST=127.0.0.1
PG2DDB_PG_PORT=$pg_port
PG2DDB_PG_USER=$PG2DDB_PG_USER
PG2DDB_PG_PASSWORD=$PG2DDB_PG_PASSWORD
PG2DDB_PG_DATABASE=$PG2DDB_PG_DATABASE
AWS_REGION=us-east-1
AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID
AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY
EOF
cli() {
  podman run --rm --network host --read-only --tmpfs /tmp --env-file "$cli_env_file" \
    -v "$WORK/mapping.yaml:/m/mapping.yaml:ro,Z" "pg2ddb-cli:$VERSION" "$@"
}
if cli init --mapping /m/mapping.yaml >"$WORK/init.log" 2>&1; then ok "pg2ddb-cli init: $(tail -n 1 "$WORK/init.log")"; else nok "cli init"; cat "$WORK/init.log"; exit 0; fi

wait_http() { # url seconds
  local deadline=$((SECONDS + $2))
  until curl -fs -o /dev/null "$1"; do ((SECONDS > deadline)) && return 1; sleep 1; done
}
ctr() { podman ps -a --format '{{.Names}}' | grep -E "^pg2ddb-$1-pod-[0-9]+-$1\$" | head -n 1; }

# ------------------------------------------------------------------ Kafka Connect + Debezium, the connector
t0=$SECONDS
podman kube play "$WORK/manifests/connect.yaml" >"$WORK/play-connect.log" 2>&1 || { nok "kube play connect"; cat "$WORK/play-connect.log"; exit 0; }
if wait_http "http://127.0.0.1:${port[connect]}/health" 240; then
  ok "Kafka Connect + Debezium container healthy in $((SECONDS - t0)) s (GET /health)"
else
  nok "Connect container not healthy"; podman logs "$(ctr connect)" 2>&1 | tail -n 30; exit 0
fi
podman kube play "$WORK/manifests/connector-apply.yaml" >"$WORK/play-apply.log" 2>&1 || { nok "kube play connector-apply"; cat "$WORK/play-apply.log"; exit 0; }
apply_ctr=$(podman ps -a --format '{{.Names}}' | grep -E '^pg2ddb-connector-apply-connector-apply$|connector-apply$' | head -n 1)
deadline=$((SECONDS + 240))
while [[ "$(podman inspect "$apply_ctr" --format '{{.State.Status}}' 2>/dev/null)" == running ]] && ((SECONDS < deadline)); do sleep 1; done
apply_exit=$(podman inspect "$apply_ctr" --format '{{.State.ExitCode}}' 2>/dev/null)
if [[ "$apply_exit" == 0 ]]; then
  ok "connector-apply Job's pod (pg2ddb-cli): $(podman logs "$apply_ctr" 2>&1 | tail -n 1)"
else
  nok "connector-apply exit $apply_exit"; podman logs "$apply_ctr" 2>&1 | tail -n 20; exit 0
fi
stored_password=$(curl -fs "http://127.0.0.1:${port[connect]}/connectors/pg2ddb-$prefix/config" | node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0,"utf8"))["database.password"])')
if [[ "$stored_password" == '${env:PG2DDB_DEBEZIUM_PASSWORD}' ]]; then
  ok "the connector's stored config holds \${env:PG2DDB_DEBEZIUM_PASSWORD}, not the password"
else
  nok "connector password stored as '${stored_password:0:3}...'"
fi

# ------------------------------------------------------------------ the services
for c in transformer writer reconciler; do
  podman kube play "$WORK/manifests/$c.yaml" >"$WORK/play-$c.log" 2>&1 || { nok "kube play $c"; cat "$WORK/play-$c.log"; }
done
for c in transformer writer reconciler; do
  t0=$SECONDS
  if wait_http "http://127.0.0.1:${port[$c]}/health/ready" 120; then
    ok "$c container ready in $((SECONDS - t0)) s: $(curl -fs "http://127.0.0.1:${port[$c]}/health/ready" | cut -c1-120)"
  else
    nok "$c not ready"; podman logs "$(ctr "$c")" 2>&1 | tail -n 20
  fi
done

count_items() {
  (cd "$ROOT" && AWS_REGION=us-east-1 node -e '
    const { DynamoDBClient, ScanCommand } = require("@aws-sdk/client-dynamodb");
    const client = new DynamoDBClient({ endpoint: process.argv[1], region: "us-east-1" });
    (async () => { let n = 0, key; do { const r = await client.send(new ScanCommand({ TableName: process.argv[2], Select: "COUNT", ExclusiveStartKey: key })); n += r.Count; key = r.LastEvaluatedKey; } while (key); process.stdout.write(String(n)); })();
  ' "$dynamo" "$table")
}
wait_items() { # expected seconds
  local deadline=$((SECONDS + $2)) n=0
  while ((SECONDS < deadline)); do
    n=$(count_items 2>/dev/null || echo 0)
    [[ "$n" == "$1" ]] && { echo "$n"; return 0; }
    sleep 2
  done
  echo "$n"; return 1
}
t0=$SECONDS
if n=$(wait_items "$ROWS" 300); then
  ok "payments synced through the containers: $ROWS rows = $n items in $((SECONDS - t0)) s"
else
  nok "sync: $ROWS rows but $n items after $((SECONDS - t0)) s"
  for c in transformer writer connect; do podman logs "$(ctr "$c")" 2>&1 | tail -n 8; done
fi

# ------------------------------------------------------------------ SIGTERM mid-stream loses nothing
( for i in $(seq 0 9); do insert_rows $((ROWS + 1 + i * MORE_ROWS / 10)) $((MORE_ROWS / 10)); sleep 0.5; done ) &
inserter=$!
sleep 2
for c in writer transformer; do
  name=$(ctr "$c"); t0=$SECONDS
  podman stop -t 35 "$name" >/dev/null 2>&1
  code=$(podman inspect "$name" --format '{{.State.ExitCode}}')
  if [[ "$code" == 0 ]]; then ok "podman stop $c mid-stream: exited 0 after $((SECONDS - t0)) s (SIGTERM, drained)"; else nok "podman stop $c: exit code $code"; fi
done
wait "$inserter"
for c in writer transformer; do podman start "$(ctr "$c")" >/dev/null 2>&1; done
total=$((ROWS + MORE_ROWS))
t0=$SECONDS
if n=$(wait_items "$total" 300); then
  ok "nothing lost across the stops: $total rows = $n items ($((SECONDS - t0)) s after the restart)"
else
  nok "after the stops: $total rows but $n items"
fi
dlq=$(cd "$ROOT" && node -e '
  const { Kafka, logLevel } = require("kafkajs");
  const admin = new Kafka({ brokers: [process.argv[1]], logLevel: logLevel.NOTHING }).admin();
  (async () => { await admin.connect(); const topics = await admin.listTopics();
    let n = 0; if (topics.includes(process.argv[2])) for (const p of await admin.fetchTopicOffsets(process.argv[2])) n += Number(p.high) - Number(p.low);
    process.stdout.write(String(n)); await admin.disconnect(); })();' "$kafka" "$prefix.dlq")
[[ "$dlq" == 0 ]] && ok "DLQ $prefix.dlq is empty" || nok "DLQ holds $dlq messages"

# ------------------------------------------------------------------ non-root, read-only root filesystem
for c in transformer writer reconciler connect; do
  name=$(ctr "$c")
  facts=$(podman inspect "$name" --format '{{.Config.User}} {{.HostConfig.ReadonlyRootfs}}')
  uid=$(podman exec "$name" id -u 2>/dev/null)
  if [[ "$c" == connect ]]; then
    write=$(podman exec "$name" java -XshowSettings:none -version >/dev/null 2>&1; podman exec "$name" sh -c 'touch /opt/x' 2>&1 | grep -o 'Read-only file system' | head -n 1)
  else
    write=$(podman exec "$name" node -e 'try { require("fs").writeFileSync("/app/x", "") ; console.log("written") } catch (e) { console.log(e.code) }' 2>&1)
  fi
  if [[ "$facts" == "1000:1000 true" && "$uid" == 1000 ]] && [[ "$write" == EROFS || "$write" == "Read-only file system" ]]; then
    ok "$c runs as uid $uid (image user $(cut -d' ' -f1 <<<"$facts")), root filesystem read-only (a write fails: $write)"
  else
    nok "$c: user/readonly '$facts', host uid '$uid', write '$write'"
  fi
done
note "image sizes: ${sizes%; }"
echo "  (podman proof complete)"
