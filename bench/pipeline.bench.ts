/**
 * End-to-end benchmark on the real local stack: PostgreSQL → Debezium (Kafka Connect) → Kafka →
 * transformer → writer → the DynamoDB emulator, with the real services as child processes (TestPipeline).
 *
 *   bash infra/local/stack.sh start          # shared stack, idempotent (never stop it for this)
 *   node -r @swc-node/register bench/pipeline.bench.ts [--rows 20000] [--label baseline] ...
 *
 * Phases, each timed from outside by Kafka end offsets, the services' /metrics and /proc:
 *   1. initial load: --rows payments (examples/payments seed) arrive through Debezium's snapshot;
 *      timed from connector registration to the last item written;
 *   2. streaming: --updates rows updated in one transaction, then --updates rows in one-row
 *      transactions;
 *   3. latency: --latency-inserts single-row inserts, one every --latency-every-ms, each timed from
 *      its commit until GetItem (strongly consistent) returns the item;
 *   4. DynamoDB ceiling: the writer's own applyBatch path on real commands, without Kafka.
 * Configuration variants go through the environment (PG2DDB_WRITER_CONCURRENCY, ...) and the
 * partition flags. Results: bench/results/pipeline.json, one entry per --label.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { changeTopic, topicNames, type AttributeMap, type WriteCommand } from '@pg2ddb/contracts';
import { countItems } from '@pg2ddb/dynamo';
import { ConnectClient, connectorName, createKafka } from '@pg2ddb/kafka';
import { createPgPool } from '@pg2ddb/postgres';
import { stackDir, TestPipeline } from '@pg2ddb/testing';
import type { Admin, Kafka } from 'kafkajs';
import { parseFlags } from './support/bench-args';
import { waitForConnector } from './support/wait-for-connector';
import { measureDynamoCeiling, type CeilingPoint } from './support/dynamo-ceiling';
import { endOffsets, latencyHops, type TimedInsert } from './support/latency-hops';
import { useLocalStack } from './support/local-stack-env';
import { machineInfo } from './support/machine-info';
import { busiest, follow, latencyReport, perSecond, phaseReport, seconds, steadyWriteRate, targetsAfter, timelineReport } from './support/phase-report';
import { PipelineWatch } from './support/pipeline-watch';
import { cpuBetween } from './support/process-cpu';
import { mergeRun } from './support/results-file';
import { SetupGate } from './support/setup-gate';

const HELP = `usage: node -r @swc-node/register bench/pipeline.bench.ts [options]
  --rows N                 payments loaded before the connector starts (default 20000)
  --updates M              rows per streaming burst (default 5000; needs rows >= 2M)
  --small-tx-connections C concurrent one-row transactions (default 4; TestPipeline's pool holds 4)
  --latency-inserts K      single-row inserts timed commit → visible (default 100)
  --latency-every-ms MS    spacing of those inserts (default 50)
  --poll-ms MS             GetItem polling interval per insert (default 10)
  --writes-partitions P    create <prefix>.writes with P partitions first (default 1 = as the services do)
  --change-partitions P    create the Debezium change topic with P partitions first (default 1)
  --connector-set K=V,..   connector settings changed after the load, before streaming (e.g. poll.interval.ms=10)
  --ceiling-levels LIST    applyBatch concurrencies for the DynamoDB ceiling, '' to skip (default 16,32,48)
  --ceiling-commands N     commands per ceiling level (default 4000)
  --label NAME             key of this run in the results file (default baseline)
  --timeout-s S            give up a phase after S seconds (default 900)
  --out FILE               results file (default bench/results/pipeline.json)
Service settings come from the environment, e.g. PG2DDB_WRITER_CONCURRENCY=64.`;

interface Flags extends Record<string, number | string | boolean> {
  rows: number;
  updates: number;
  'small-tx-connections': number;
  'latency-inserts': number;
  'latency-every-ms': number;
  'poll-ms': number;
  'writes-partitions': number;
  'change-partitions': number;
  'connector-set': string;
  'ceiling-levels': string;
  'ceiling-commands': number;
  label: string;
  'timeout-s': number;
  out: string;
}

/** Service settings a run may vary through the environment; recorded with the results. */
const SERVICE_SETTINGS: Record<string, string> = {
  PG2DDB_WRITER_CONCURRENCY: '32',
  PG2DDB_WRITER_PARTITIONS_CONCURRENTLY: '4',
  PG2DDB_WRITER_MAX_ATTEMPTS: '8',
  PG2DDB_TRANSFORMER_PARTITIONS_CONCURRENTLY: '4',
};

const root = join(__dirname, '..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));


/**
 * Changes some of the benchmark connector's settings (its own connector, never a shared one) and
 * waits until its task runs again; returns what was changed.
 */
async function changeConnector(connectUrl: string, name: string, settings: string): Promise<Record<string, string>> {
  const changes: Record<string, string> = {};
  for (const pair of settings.split(',').filter(Boolean)) {
    const [key, value] = pair.split('=');
    if (!key || value === undefined) throw new Error(`--connector-set wants key=value pairs, got ${pair}`);
    changes[key.trim()] = value.trim();
  }
  if (Object.keys(changes).length === 0) return changes;
  const response = await fetch(`${connectUrl}/connectors/${encodeURIComponent(name)}/config`);
  if (!response.ok) throw new Error(`GET config of connector ${name}: HTTP ${response.status}`);
  const config = { ...((await response.json()) as Record<string, string>), ...changes };
  const client = new ConnectClient(connectUrl);
  await client.apply({ name, config });
  await sleep(1000); // the PUT restarts the task asynchronously; do not catch the old one RUNNING
  await client.waitUntilRunning(name, 60000);
  return changes;
}

async function createTopics(admin: Admin, topics: Array<{ topic: string; partitions: number }>): Promise<void> {
  const wanted = topics.filter(({ partitions }) => partitions > 1);
  if (wanted.length === 0) return;
  await admin.createTopics({ waitForLeaders: true, topics: wanted.map(({ topic, partitions }) => ({ topic, numPartitions: partitions })) });
}

async function partitionCount(admin: Admin, topic: string): Promise<number> {
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
  return metadata.topics[0]?.partitions.length ?? 0;
}

/** Runs `tasks` with at most `width` at a time. */
async function inParallel(count: number, width: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

type Query = (sql: string, params: unknown[]) => Promise<unknown>;

/** Single-row inserts at a low, fixed rate; each timed from its commit until GetItem sees it. */
async function measureLatency(pipeline: TestPipeline, flags: Flags, query: Query, idBase: number): Promise<{ latencies: number[]; inserts: TimedInsert[] }> {
  const latencies: number[] = [];
  const inserts: TimedInsert[] = [];
  const started = Date.now();
  await Promise.all(
    Array.from({ length: flags['latency-inserts'] }, async (_unused, index) => {
      await sleep(started + index * flags['latency-every-ms'] - Date.now());
      const id = idBase + index;
      const customer = 1 + (index % 2000);
      const at = new Date(Date.UTC(2025, 5, 1, 0, 0, index)).toISOString().replace('.000Z', '.123456Z');
      await query(
        `INSERT INTO payments (paymentid, customerid, loanid, paymentamount, paymentdate, paymentmethod, paymentstatus, transactionreference, createddate)
         VALUES ($1, $2, 10001, 42.50, $3, 'CARD', 'PENDING', $4, $3)`,
        [id, customer, at, `TXN-LAT-${id}`],
      );
      const committed = process.hrtime.bigint();
      const committedMs = Date.now();
      const key: AttributeMap = { PK: { S: `CUSTOMER#${customer}` }, SK: { S: `PAYMENT#${at}#${id}` } };
      const deadline = Date.now() + flags['timeout-s'] * 1000;
      while (!(await pipeline.item(key))) {
        if (Date.now() > deadline) throw new Error(`payment ${id} never became visible`);
        await sleep(flags['poll-ms']);
      }
      latencies.push(Number(process.hrtime.bigint() - committed) / 1e6);
      inserts.push({ id, committedMs, visibleMs: Date.now() });
    }),
  );
  return { latencies, inserts };
}

/** The first `count` write commands of the pipeline's writes topic, as the writer receives them. */
async function readWriteCommands(kafka: Kafka, topic: string, group: string, count: number): Promise<WriteCommand[]> {
  const commands: WriteCommand[] = [];
  const consumer = kafka.consumer({ groupId: group });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fewer than ${count} commands in ${topic}`)), 60000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          if (commands.length >= count || !message.value) return;
          commands.push(JSON.parse(message.value.toString('utf8')) as WriteCommand);
          if (commands.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return commands;
}

interface PhaseContext {
  pipeline: TestPipeline;
  watch: PipelineWatch;
  admin: Admin;
  kafka: Kafka;
  topics: { change: string; writes: string };
  flags: Flags;
}

/** One latency run: the timed inserts, their percentiles, where the time went, and CPU. */
async function latencyPhase(context: PhaseContext, query: Query, idBase: number, name: string) {
  const { pipeline, watch, admin, kafka, topics, flags } = context;
  const base = await watch.counters();
  const from = { change: endOffsets(await admin.fetchTopicOffsets(topics.change)), writes: endOffsets(await admin.fetchTopicOffsets(topics.writes)) };
  const { latencies, inserts } = await measureLatency(pipeline, flags, query, idBase);
  const cpuCores = cpuBetween(base.cpu, (await watch.counters()).cpu);
  const hops = await latencyHops(kafka, topics, from, inserts, {
    change: (value) => numberOr((value.payload as { after?: { paymentid?: unknown } } | undefined)?.after?.paymentid),
    writes: (value) => numberOr((value as { item?: { PaymentId?: { N?: unknown } } }).item?.PaymentId?.N),
  });
  const report = { ...latencyReport(latencies), insertEveryMs: flags['latency-every-ms'], pollMs: flags['poll-ms'], hops, cpuCores };
  process.stdout.write(
    `latency commit → item visible, ${name} (${report.samples} inserts, 1 per ${flags['latency-every-ms']} ms): p50 ${report.p50Ms} ms, p95 ${report.p95Ms} ms, p99 ${report.p99Ms} ms, max ${report.maxMs} ms\n`,
  );
  process.stdout.write(
    `  median hops: commit → Debezium ${hops.commitToDebeziumMs} ms → change topic ${hops.debeziumToChangeTopicMs} ms → transformer → writes topic ${hops.changeTopicToWritesTopicMs} ms → writer → visible ${hops.writesTopicToVisibleMs} ms (${hops.matched} matched)\n`,
  );
  return report;
}

function numberOr(value: unknown): number | undefined {
  const number = Number(value);
  return value === undefined || value === null || !Number.isFinite(number) ? undefined : number;
}

async function main(): Promise<void> {
  const flags = parseFlags<Flags>(
    process.argv.slice(2),
    {
      rows: 20000,
      updates: 5000,
      'small-tx-connections': 4,
      'latency-inserts': 100,
      'latency-every-ms': 50,
      'poll-ms': 10,
      'writes-partitions': 1,
      'change-partitions': 1,
      'connector-set': '',
      'ceiling-levels': '16,32,48',
      'ceiling-commands': 4000,
      label: 'baseline',
      'timeout-s': 900,
      out: join(root, 'bench/results/pipeline.json'),
    },
    HELP,
  );
  if (flags.rows < 2 * flags.updates) throw new Error(`--rows (${flags.rows}) must be at least twice --updates (${flags.updates})`);

  const env = useLocalStack();
  const machine = machineInfo();
  const settings = Object.fromEntries(Object.entries(SERVICE_SETTINGS).map(([name, fallback]) => [name, process.env[name] ?? `${fallback} (default)`]));
  const connectUrl = env.PG2DDB_CONNECT_URL ?? '';
  const kafka = createKafka({ brokers: (env.PG2DDB_KAFKA_BROKERS ?? '').split(','), clientId: 'pg2ddb-bench' });
  const admin = kafka.admin();
  await admin.connect();
  const gate = await SetupGate.open({
    host: env.PG2DDB_PG_HOST,
    port: Number(env.PG2DDB_PG_PORT),
    user: env.PG2DDB_PG_USER,
    password: env.PG2DDB_PG_PASSWORD,
    database: env.PG2DDB_PG_DATABASE,
  });

  let starting: Promise<TestPipeline> | undefined;
  let stopping: Promise<void> | undefined;
  // Whatever happened, TestPipeline.start is let through the gate and what it set up is removed:
  // its connector, slot, schema, table and the service processes.
  const cleanup = (): Promise<void> =>
    (stopping ??= (async () => {
      await gate.release().catch(() => undefined);
      const pipeline = await starting?.catch(() => undefined);
      await pipeline?.stop().catch((error: unknown) => process.stderr.write(`cleanup: ${String(error)}\n`));
      await gate.close();
      await admin.disconnect().catch(() => undefined);
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`${signal}: removing the benchmark's connector, schema, topics' consumers and table…\n`);
      void cleanup().then(() => process.exit(130));
    });
  }

  try {
    process.stdout.write(`pipeline bench "${flags.label}": ${flags.rows} payments, ${machine.nproc} CPUs (${machine.cpuModel}), ${JSON.stringify(settings)}\n`);
    const schemaSql = `${read('examples/payments/schema.sql')}\n${read('examples/payments/seed.sql').replaceAll('{{rows}}', String(flags.rows))}${gate.sql()}`;
    const sqlStarted = Date.now();
    starting = TestPipeline.start({ mapping: read('examples/payments/mapping.yaml'), schemaSql });
    starting.catch(() => undefined); // awaited below; avoid an unhandled rejection meanwhile
    const loaded = await gate.schemaLoaded(flags['timeout-s'] * 1000);
    const prefix = loaded.schema; // TestPipeline uses one random id as schema and topic prefix
    const topics = { change: changeTopic(prefix, prefix, 'payments'), writes: topicNames(prefix).writes };
    await createTopics(admin, [
      { topic: topics.change, partitions: flags['change-partitions'] },
      { topic: topics.writes, partitions: flags['writes-partitions'] },
    ]);
    const watch = new PipelineWatch(admin, topics, stackDir());
    await gate.release();
    const releasedAt = Date.now();

    // ---- 1. initial load through the snapshot -------------------------------------------------
    const registeredAt = await waitForConnector(connectUrl, connectorName(prefix), 120000);
    const loadBase = await watch.counters();
    if (process.env.BENCH_DEBUG) process.stdout.write(`  registered ${registeredAt - releasedAt} ms after the gate; base ${JSON.stringify({ ...loadBase, cpu: undefined })}\n`);
    process.stdout.write(`  rows loaded in ${seconds(sqlStarted, loaded.atMs)} s; connector registered; snapshot running\n`);
    const loadFollow = follow(watch, targetsAfter(loadBase, flags.rows), registeredAt, flags['timeout-s'], 'load');
    loadFollow.catch(() => undefined);
    const pipeline = await starting;
    const readyAt = Date.now();
    const loadFollowed = await loadFollow;
    const itemCount = await countItems(pipeline.dynamo, pipeline.names.table);
    const load = {
      ...phaseReport(flags.rows, registeredAt, loadBase, loadFollowed),
      servicesReadySeconds: seconds(registeredAt, readyAt),
      rowsPerSecondAfterServicesReady: perSecond(flags.rows, readyAt, loadFollowed.last.atMs),
      writerSteadyRowsPerSecond: steadyWriteRate(loadFollowed.timeline, loadBase.writtenTotal, flags.rows),
      itemsInDynamo: itemCount,
      timeline: timelineReport(loadFollowed.timeline, registeredAt),
    };
    process.stdout.write(
      `load: ${flags.rows} rows in ${load.seconds} s = ${load.rowsPerSecond} rows/s (registration → last item; services ready after ${load.servicesReadySeconds} s; ${load.rowsPerSecondAfterServicesReady} rows/s from then; writer steady ${load.writerSteadyRowsPerSecond}/s); items ${itemCount}\n`,
    );
    process.stdout.write(`  cpu cores: ${busiest(load.cpuCores)}; machine ${load.cpuCores.machineBusy}, other ${load.cpuCores.other}\n`);
    if (itemCount !== flags.rows) throw new Error(`DynamoDB holds ${itemCount} items, expected ${flags.rows}`);

    const connectorChanges = await changeConnector(connectUrl, connectorName(prefix), flags['connector-set']);
    // One row through the whole path first, so a restarted connector task (or any other warm-up)
    // is not counted in the first burst.
    const canaryBase = await watch.counters();
    await pipeline.query(`UPDATE payments SET updateddate = now() WHERE paymentid = $1`, [flags.rows]);
    await follow(watch, targetsAfter(canaryBase, 1), Date.now(), flags['timeout-s'], 'canary');

    // ---- 2a. streaming: one transaction --------------------------------------------------------
    const oneTxBase = await watch.counters();
    const oneTxStart = Date.now();
    await pipeline.query(`UPDATE payments SET paymentstatus = 'BENCH-ONE-TX', updateddate = now() WHERE paymentid <= $1`, [flags.updates]);
    const oneTxCommitted = Date.now();
    const oneTxFollowed = await follow(watch, targetsAfter(oneTxBase, flags.updates), oneTxCommitted, flags['timeout-s'], 'one-tx');
    const oneTx = { ...phaseReport(flags.updates, oneTxCommitted, oneTxBase, oneTxFollowed), statementSeconds: seconds(oneTxStart, oneTxCommitted) };
    process.stdout.write(`streaming, ${flags.updates} updates in one transaction: ${oneTx.rowsPerSecond} updates/s (commit → last item ${oneTx.seconds} s); cpu ${busiest(oneTx.cpuCores)}\n`);

    // ---- 2b. streaming: one-row transactions ---------------------------------------------------
    const smallBase = await watch.counters();
    const smallStart = Date.now();
    const smallFollow = follow(watch, targetsAfter(smallBase, flags.updates), smallStart, flags['timeout-s'], 'small-tx');
    smallFollow.catch(() => undefined);
    await inParallel(flags.updates, flags['small-tx-connections'], async (index) => {
      await pipeline.query(`UPDATE payments SET paymentstatus = 'BENCH-SMALL-TX', updateddate = now() WHERE paymentid = $1`, [flags.updates + 1 + index]);
    });
    const smallCommitted = Date.now();
    const smallFollowed = await smallFollow;
    const smallTx = {
      ...phaseReport(flags.updates, smallStart, smallBase, smallFollowed),
      commitsPerSecond: perSecond(flags.updates, smallStart, smallCommitted),
      lastCommitToDoneSeconds: seconds(smallCommitted, smallFollowed.last.atMs),
    };
    process.stdout.write(
      `streaming, ${flags.updates} one-row transactions (${smallTx.commitsPerSecond} commits/s): ${smallTx.rowsPerSecond} updates/s (first commit → last item ${smallTx.seconds} s); cpu ${busiest(smallTx.cpuCores)}\n`,
    );
    const [oneTxItems, smallTxItems] = await Promise.all([
      countItems(pipeline.dynamo, pipeline.names.table, { attribute: 'PaymentStatus', value: 'BENCH-ONE-TX' }),
      countItems(pipeline.dynamo, pipeline.names.table, { attribute: 'PaymentStatus', value: 'BENCH-SMALL-TX' }),
    ]);
    if (oneTxItems !== flags.updates || smallTxItems !== flags.updates) {
      throw new Error(`updates missing in DynamoDB: one-tx ${oneTxItems}, small-tx ${smallTxItems}, expected ${flags.updates} each`);
    }

    // ---- 3. commit → visible latency -----------------------------------------------------------
    // The stack runs Postgres with synchronous_commit=off: a commit's WAL is flushed (and only then
    // decoded and sent to Debezium) by the WAL writer every wal_writer_delay (200 ms). So the inserts
    // are timed twice: as the stack is, and with synchronous_commit=on for the inserting sessions,
    // as a production database commits.
    const context = { pipeline, watch, admin, kafka, topics, flags };
    const latencyAsIs = await latencyPhase(context, (sql, params) => pipeline.query(sql, params), 10_000_000, 'stack default, synchronous_commit=off');
    const syncPool = createPgPool(
      { host: env.PG2DDB_PG_HOST ?? '', port: Number(env.PG2DDB_PG_PORT), user: env.PG2DDB_PG_USER ?? '', password: env.PG2DDB_PG_PASSWORD ?? '', database: env.PG2DDB_PG_DATABASE ?? '' },
      { options: `-c search_path=${prefix} -c synchronous_commit=on` },
    );
    const latencySync = await latencyPhase(context, (sql, params) => syncPool.query(sql, params), 10_100_000, 'synchronous_commit=on').finally(() => syncPool.end());
    const latency = { stackDefault: latencyAsIs, synchronousCommitOn: latencySync };

    // ---- 4. DynamoDB ceiling of the writer's own path ------------------------------------------
    let ceiling: CeilingPoint[] = [];
    const levels = flags['ceiling-levels'].split(',').filter(Boolean).map(Number);
    if (levels.length > 0) {
      const commands = await readWriteCommands(kafka, topics.writes, `${prefix}.bench-ceiling`, Math.min(flags['ceiling-commands'], flags.rows));
      const dynamoGroup = watch.groups().find((group) => group.name === 'dynamodb');
      ceiling = await measureDynamoCeiling(pipeline.dynamo, pipeline.mapping.table, commands, levels, dynamoGroup ?? { name: 'dynamodb', roots: [] });
      process.stdout.write(`dynamodb ceiling (applyBatch alone): ${ceiling.map((point) => `c=${point.concurrency} ${point.commandsPerSecond}/s (emulator ${point.dynamoCores}, client ${point.clientCores} cores)`).join(', ')}\n`);
    }

    const run = {
      label: flags.label,
      measuredAt: new Date().toISOString(),
      machine,
      config: {
        rows: flags.rows,
        updates: flags.updates,
        smallTxConnections: flags['small-tx-connections'],
        partitions: { change: await partitionCount(admin, topics.change), writes: await partitionCount(admin, topics.writes) },
        services: settings,
        connector: 'infra/debezium/postgres-connector.json as shipped (max.batch.size 2048, max.queue.size 8192, poll.interval.ms 100)',
        connectorChangedForStreaming: connectorChanges,
      },
      initialLoad: load,
      streamingOneTransaction: oneTx,
      streamingSmallTransactions: smallTx,
      latency,
      dynamoCeiling: ceiling,
    };
    mergeRun(flags.out, flags.label, run, {
      benchmark: 'pipeline',
      what: 'end-to-end on the local stack: Debezium snapshot load, streaming bursts, commit→visible latency, DynamoDB ceiling; see bench/README.md',
    });
    process.stdout.write(
      `pipeline "${flags.label}": load ${load.rowsPerSecond} rows/s, streaming ${oneTx.rowsPerSecond} (one tx) / ${smallTx.rowsPerSecond} (small tx) updates/s, latency p50/p95/p99 ${latencyAsIs.p50Ms}/${latencyAsIs.p95Ms}/${latencyAsIs.p99Ms} ms (synchronous_commit=on: ${latencySync.p50Ms}/${latencySync.p95Ms}/${latencySync.p99Ms}) → ${flags.out}\n`,
    );
  } finally {
    await cleanup();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`pipeline bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
