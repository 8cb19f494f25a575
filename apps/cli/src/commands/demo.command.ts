import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { createDynamoClient, ensureTable } from '@pg2ddb/dynamo';
import { changeTopic, topicNames } from '@pg2ddb/contracts';
import { applyPostgresConnector, createKafka, defaultHeartbeatTable, defaultSignalTable, defaultSlotName, rewindConsumerGroup } from '@pg2ddb/kafka';
import type { CompiledMapping } from '@pg2ddb/mapping';
import { prepareConnectorSource } from '@pg2ddb/postgres';
import { repoRoot, startServiceProcess, type ServiceProcess } from '@pg2ddb/service';
import { cliEnv } from '../cli-env';
import { numberOption } from '../framework/cli-args';
import type { CliCommand } from '../framework/cli-command';
import { settings } from '../cli-settings';
import { createDemoPool, seedDemoData } from '../demo-data';
import { entityCounts } from '../entity-counts';
import { loadMappingFile } from '../load-mapping-file';
import { formatDuration, formatProgress, inSync } from '../sync-progress';

export interface DemoOptions {
  rows: number;
  /** Leave the stack running after Ctrl-C (services are always stopped). */
  keepStack: boolean;
  /** Seconds between live changes once in sync; 0 turns the live workload off. */
  liveEvery: number;
  /** Exit once the initial load is in sync (for scripts and CI) instead of streaming on. */
  exitWhenInSync: boolean;
}

/**
 * The main job on the embedded default: stack → demo schema and data → DynamoDB table →
 * connector → the three services and the status page → progress until the initial load is in sync → keep streaming
 * (with a small live workload that measures commit-to-item latency) until Ctrl-C.
 */
export async function demoCommand(options: DemoOptions, print: (line: string) => void): Promise<number> {
  const root = repoRoot();
  const started = Date.now();
  const step = (text: string) => print(`[${formatDuration(Date.now() - started).padStart(6)}] ${text}`);

  step('starting the local stack (PostgreSQL, the DynamoDB emulator, Kafka, Kafka Connect + Debezium)');
  const stack = spawnSync('bash', [join(root, 'infra/local/stack.sh'), 'start'], { stdio: 'inherit' });
  if (stack.status !== 0) {
    print('the local stack did not start; the messages above say why');
    return 1;
  }
  const env: Record<string, string | undefined> = { ...cliEnv({ localStack: true }).env, PG2DDB_TOPIC_PREFIX: process.env.PG2DDB_TOPIC_PREFIX ?? 'pg2ddb' };
  const mappingPath = join(root, 'examples/payments/mapping.yaml');
  const mapping = loadMappingFile(mappingPath);
  const pg = createDemoPool(settings.postgres(env));
  const dynamo = createDynamoClient(settings.dynamo(env));
  const services: ServiceProcess[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    step('stopping the services');
    await Promise.all(services.map((service) => service.stop()));
    await pg.end().catch(() => undefined);
    dynamo.destroy();
    if (!options.keepStack) {
      step('stopping the local stack');
      spawnSync('bash', [join(root, 'infra/local/stack.sh'), 'stop'], { stdio: 'inherit' });
    }
    step('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    await seedDemoData(pg, options.rows, step);
    const table = await ensureTable(dynamo, mapping.table);
    step(`DynamoDB table ${mapping.table.name} ${table.created ? 'created' : 'already there'}`);
    if (table.created) await replayIntoNewTable(env, mapping, step);
    // Counted before the connector and services start: a load that finishes before the first
    // progress count (a small table on a fast box) still loaded something.
    const nothingToLoad = !table.created && inSync(await entityCounts(mapping, pg, dynamo));
    const connectorSettings = settings.connector(env, mapping);
    // Debezium's heartbeat action query writes to its table: it must exist before the connector
    // starts; the connector's own role gets its publication and grants (docs/security.md).
    const { topicPrefix, tables } = connectorSettings;
    await prepareConnectorSource(pg, {
      adminUser: settings.postgres(env).user,
      connectorUser: connectorSettings.database.user,
      publication: connectorSettings.publicationName ?? connectorSettings.slotName ?? defaultSlotName(topicPrefix),
      tables,
      signalTable: connectorSettings.signalTable ?? defaultSignalTable(topicPrefix, tables),
      heartbeatTable: connectorSettings.heartbeatTable ?? defaultHeartbeatTable(topicPrefix, tables),
    });
    const connector = await applyPostgresConnector({
      connectUrl: settings.connectUrl(env),
      connectAuth: settings.connectAuth(env),
      templatePath: join(root, 'infra/debezium/postgres-connector.json'),
      settings: connectorSettings,
    });
    step(`connector ${connector.connector.name} ${connector.created ? 'created' : 'already registered'} and RUNNING`);

    const logDir = join(env.PG2DDB_STACK_DIR ?? join(root, '.stack'), 'logs');
    mkdirSync(logDir, { recursive: true });
    const serviceEnv = { ...stringsOnly(env), PG2DDB_MAPPING_FILE: mappingPath, PG2DDB_LOG_FORMAT: 'pretty' };
    for (const name of ['transformer', 'writer', 'reconciler'] as const) {
      services.push(await startServiceProcess(name, serviceEnv, join(logDir, `${name}.log`)));
    }
    // The pipeline first: the status page starts once they are up, not competing for the CPU.
    await Promise.all(services.map((service) => service.ready()));
    // The status page reads the writer's /metrics for its commit→visible lag plot. Its buttons need
    // an admin token: the operator's PG2DDB_STATUS_ADMIN_TOKEN, or one made for this run.
    const writer = services.find((service) => service.name === 'writer');
    const adminToken = env.PG2DDB_STATUS_ADMIN_TOKEN || randomBytes(16).toString('hex');
    const statusPage = await startServiceProcess(
      'status',
      { ...serviceEnv, PG2DDB_STATUS_ADMIN_TOKEN: adminToken, ...(writer ? { PG2DDB_STATUS_WRITER_METRICS_URLS: `http://127.0.0.1:${writer.httpPort}/metrics` } : {}) },
      join(logDir, 'status.log'),
    );
    services.push(statusPage);
    step(`services ready (${services.filter((s) => s !== statusPage).map((s) => `${s.name} :${s.httpPort}`).join(', ')}); logs in ${logDir}`);
    // Not awaited: the load's progress starts now and the page's URL follows once it answers.
    const statusReady = statusPage.ready(120000).then(
      () =>
        step(
          `status page: http://127.0.0.1:${statusPage.httpPort}/ (admin token for its buttons: ${env.PG2DDB_STATUS_ADMIN_TOKEN ? 'the one in PG2DDB_STATUS_ADMIN_TOKEN' : `${adminToken}, made for this run`})`,
        ),
      (error: unknown) => step(`the status page did not start: ${(error as Error).message}`),
    );

    const loadStarted = Date.now();
    let before = await entityCounts(mapping, pg, dynamo);
    let beforeAt = Date.now();
    let countMs = beforeAt - loadStarted;
    while (!inSync(before)) {
      // Counting items is a full Scan, and a local emulator's Scan slows with the table's size
      // (moto: with its square): pause three times as long as the last count took, so progress
      // never costs more than a quarter of the emulator's time.
      await sleep(Math.min(10_000, Math.max(1000, 3 * countMs)));
      const countStarted = Date.now();
      const now = await entityCounts(mapping, pg, dynamo);
      countMs = Date.now() - countStarted;
      for (const line of formatProgress(now, before, Date.now() - beforeAt)) step(line);
      before = now;
      beforeAt = Date.now();
      const dead = services.find((service) => service.exited());
      if (dead) throw new Error(`${dead.name} stopped unexpectedly; see ${dead.logFile}`);
    }
    const summary = before.map((count) => `${count.entity}: ${count.rows.toLocaleString('en-US')} rows in PostgreSQL = ${count.items.toLocaleString('en-US')} items in DynamoDB`);
    // A resumed demo whose table already holds every row loaded nothing: say so, not "complete in 0.4s".
    step(nothingToLoad ? `already in sync, nothing to load — ${summary.join('; ')}` : `initial load complete in ${formatDuration(Date.now() - loadStarted)} — ${summary.join('; ')}`);
    if (options.exitWhenInSync) {
      await statusReady;
      await stopAll(0);
      return 0;
    }
    step('streaming changes; Ctrl-C stops everything');
    await liveWorkload(options.liveEvery, pg, dynamo, mapping.table.name, step, () => stopping);
    return 0;
  } catch (error) {
    print(`demo failed: ${(error as Error).message}`);
    await stopAll(1);
    return 1;
  }
}

/**
 * A table created anew behind committed consumer offsets (the local emulator keeps its tables in
 * memory, so every stack restart loses them; Kafka keeps every event) would stay empty: rewind the services' groups so they replay the topics.
 */
async function replayIntoNewTable(env: Record<string, string | undefined>, mapping: CompiledMapping, step: (text: string) => void): Promise<void> {
  const { PG2DDB_KAFKA_BROKERS, PG2DDB_TOPIC_PREFIX: prefix } = settings.kafka(env);
  const kafka = createKafka({ brokers: PG2DDB_KAFKA_BROKERS, clientId: 'pg2ddb-cli' });
  const sources = mapping.sourceTables().map(({ schema, table }) => changeTopic(prefix, schema, table));
  const rewound = [
    ...(await rewindConsumerGroup(kafka, `${prefix}.transformer`, sources)),
    ...(await rewindConsumerGroup(kafka, `${prefix}.writer`, [topicNames(prefix).writes])),
  ];
  if (rewound.length > 0) step(`the table is new but Kafka already holds its history: replaying ${rewound.join(', ')}`);
}

/**
 * A trickle of real changes once in sync: insert a payment and time how long until its item is
 * readable in DynamoDB, and update another one's status.
 */
async function liveWorkload(
  everySeconds: number,
  pg: ReturnType<typeof createDemoPool>,
  dynamo: ReturnType<typeof createDynamoClient>,
  table: string,
  step: (text: string) => void,
  stopped: () => boolean,
): Promise<void> {
  if (everySeconds <= 0) {
    await new Promise<never>(() => undefined);
    return;
  }
  const latencies: number[] = [];
  for (let round = 1; !stopped(); round++) {
    await sleep(everySeconds * 1000);
    if (stopped()) return;
    const { rows } = await pg.query<{ customerid: number; paymentid: number }>(
      `INSERT INTO payments (customerid, loanid, paymentamount, paymentdate, paymentmethod, paymentstatus, transactionreference)
       VALUES (1 + floor(random() * 2000)::int, 10000 + floor(random() * 5000)::int, round((10 + random() * 5000)::numeric, 2),
               now(), 'CARD', 'PENDING', 'LIVE-' || floor(random() * 1e9)::text)
       RETURNING customerid, paymentid`,
    );
    const committedAt = Date.now();
    await pg.query(`UPDATE payments SET paymentstatus = 'COMPLETED', processeddate = now(), updateddate = now()
                    WHERE paymentid = (SELECT paymentid FROM payments WHERE paymentstatus = 'PENDING' ORDER BY random() LIMIT 1)`);
    const inserted = rows[0];
    if (!inserted) continue;
    // The customer's partition holds the new payment once the pipeline has carried it over.
    const query = new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'PK = :pk',
      FilterExpression: 'PaymentId = :id',
      ExpressionAttributeValues: { ':pk': { S: `CUSTOMER#${inserted.customerid}` }, ':id': { N: String(inserted.paymentid) } },
      ConsistentRead: true,
    });
    while (!stopped() && Date.now() - committedAt < 30000) {
      const found = await dynamo.send(query);
      if ((found.Count ?? 0) > 0) break;
      await sleep(20);
    }
    latencies.push(Date.now() - committedAt);
    if (round % 5 === 0) {
      const sorted = [...latencies].sort((a, b) => a - b);
      const p50 = sorted[Math.floor(sorted.length / 2)] ?? 0;
      step(`streaming: ${round} live inserts + updates so far; commit→item visible last ${latencies.at(-1)}ms, p50 ${p50}ms`);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function stringsOnly(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** `pg2ddb demo`: the main job on the embedded stack. */
export const demoCliCommand: CliCommand = {
  name: 'demo',
  localStack: true,
  summary: 'run the payments demo on the embedded stack until Ctrl-C',
  usage: `usage: pg2ddb demo [--rows N] [--live-every S] [--exit-when-in-sync] [--keep-stack]

  --rows N                demo payments to load on first run (default 10000)
  --live-every S          seconds between live changes once in sync (default 2; 0 = off)
  --exit-when-in-sync     stop everything once the initial load is in sync
  --keep-stack            leave the stack running on exit`,
  options: {
    rows: { type: 'string', default: '10000' },
    'live-every': { type: 'string', default: '2' },
    'exit-when-in-sync': { type: 'boolean', default: false },
    'keep-stack': { type: 'boolean', default: false },
  },
  run: ({ values, print }) =>
    demoCommand(
      {
        rows: numberOption(values, 'rows', 10000, { min: 1, integer: true }),
        liveEvery: numberOption(values, 'live-every', 2, { min: 0 }),
        exitWhenInSync: values['exit-when-in-sync'] === true,
        keepStack: values['keep-stack'] === true,
      },
      print,
    ),
};

/** `pg2ddb seed-demo`: the payments demo table and its rows, without the rest of the demo. */
export const seedDemoCliCommand: CliCommand = {
  name: 'seed-demo',
  uses: ['postgres'],
  summary: 'create the payments demo table and load it if it is empty',
  usage: `usage: pg2ddb seed-demo [--rows N]

  --rows N                payments to load when the table is empty (default 10000)`,
  options: { rows: { type: 'string', default: '10000' } },
  async run({ values, env, print }) {
    const pool = createDemoPool(settings.postgres(env));
    try {
      await seedDemoData(pool, numberOption(values, 'rows', 10000, { min: 1, integer: true }), print);
    } finally {
      await pool.end();
    }
    return 0;
  },
};
