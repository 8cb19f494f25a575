// Checks that the chart's KafkaConnector (Strimzi mode) carries exactly the config that
// `pg2ddb connector render` (the same code as `pg2ddb connector apply`) produces for the same
// values: both come from infra/debezium/postgres-connector.json, and this keeps them one source.
//   node same-connector-config.mjs --root REPO --render RENDERED.yaml --values VALUES.yaml
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';

const { values: args } = parseArgs({ options: { root: { type: 'string' }, render: { type: 'string' }, values: { type: 'string' } } });
const require = createRequire(join(args.root, 'package.json'));
const YAML = require('yaml');

const merge = (base, over) => {
  if (over === undefined) return base;
  if (base && over && typeof base === 'object' && typeof over === 'object' && !Array.isArray(base) && !Array.isArray(over)) {
    const out = { ...base };
    for (const [key, value] of Object.entries(over)) out[key] = merge(base[key], value);
    return out;
  }
  return over;
};
const defaults = YAML.parse(readFileSync(join(args.root, 'infra/helm/pg2ddb/values.yaml'), 'utf8'));
const v = merge(defaults, YAML.parse(readFileSync(args.values, 'utf8')));

const docs = YAML.parseAllDocuments(readFileSync(args.render, 'utf8')).map((d) => d.toJS());
const connector = docs.find((d) => d?.kind === 'KafkaConnector');
if (!connector) throw new Error(`no KafkaConnector in ${args.render}`);
const fromChart = {
  name: connector.metadata.name,
  config: { ...connector.spec.config, 'connector.class': connector.spec.class, 'tasks.max': String(connector.spec.tasksMax) },
};

const mappingFile = v.mapping.content ? null : join(args.root, 'examples/payments/mapping.yaml');
if (!mappingFile) throw new Error('this check reads the default mapping (examples/payments/mapping.yaml)');
const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  PG2DDB_STACK_DIR: join(args.root, 'tmp/k8s-test/no-stack'),
  PG2DDB_TOPIC_PREFIX: String(v.topicPrefix),
  PG2DDB_PG_HOST: String(v.postgres.host),
  PG2DDB_PG_PORT: String(v.postgres.port),
  PG2DDB_PG_DATABASE: String(v.postgres.database),
  PG2DDB_PG_USER: String(v.postgres.debezium.user),
  PG2DDB_CONNECTOR_DB_PASSWORD: '${env:PG2DDB_DEBEZIUM_PASSWORD}',
  PG2DDB_SNAPSHOT_MODE: String(v.connect.connector.snapshotMode),
  PG2DDB_SNAPSHOT_CHUNK_SIZE: String(v.connect.connector.snapshotChunkSize),
  PG2DDB_CHANGE_TOPIC_PARTITIONS: String(v.topics.changes.partitions),
  PG2DDB_CHANGE_TOPIC_REPLICAS: String(v.topics.changes.replicas),
  PG2DDB_TOPIC_REPLICATION_FACTOR: String(v.topics.changes.replicas),
  PG2DDB_TOPIC_MIN_INSYNC_REPLICAS: String(v.topics.changes.minInsyncReplicas),
  PG2DDB_TOPIC_RETENTION_MS: String(v.topics.changes.retentionMs),
  PG2DDB_MAX_EVENT_BYTES: String(v.topics.changes.maxEventBytes),
  ...(v.connect.connector.heartbeatTable ? { PG2DDB_HEARTBEAT_TABLE: v.connect.connector.heartbeatTable } : {}),
  ...(v.connect.connector.slotName ? { PG2DDB_SLOT_NAME: v.connect.connector.slotName } : {}),
  ...(v.connect.connector.publicationName ? { PG2DDB_PUBLICATION_NAME: v.connect.connector.publicationName } : {}),
  ...(v.connect.connector.signalTable ? { PG2DDB_SIGNAL_TABLE: v.connect.connector.signalTable } : {}),
};
const out = execFileSync('node', ['-r', '@swc-node/register', 'apps/cli/src/main.ts', 'connector', 'render', '--mapping', mappingFile], {
  cwd: args.root,
  env,
  encoding: 'utf8',
});
const fromCli = JSON.parse(out);
if (!isDeepStrictEqual(fromChart, fromCli)) {
  const keys = new Set([...Object.keys(fromChart.config), ...Object.keys(fromCli.config)]);
  for (const key of [...keys].sort()) {
    if (fromChart.config[key] !== fromCli.config[key]) console.error(`${key}: chart=${JSON.stringify(fromChart.config[key])} cli=${JSON.stringify(fromCli.config[key])}`);
  }
  if (fromChart.name !== fromCli.name) console.error(`name: chart=${fromChart.name} cli=${fromCli.name}`);
  process.exit(1);
}
console.log(`${Object.keys(fromCli.config).length} settings identical (${fromCli.name})`);
