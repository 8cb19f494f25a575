/**
 * What our event format costs Kafka Connect and Kafka (issue 16, lever 1), measured before any
 * transformer exists for a leaner one: the same payments changes captured twice by one connector,
 * once as shipped (JsonConverter, `schemas.enable=true`: every event carries its Connect schema)
 * and once with `value.converter.schemas.enable=false` (payload only), nothing consuming. Reports
 * bytes per event and the CPU µs per change of the Connect worker and the Kafka broker (/proc).
 *
 *   node -r @swc-node/register bench/event-format.bench.ts [--changes N] [--rate R] [--rounds K]
 *
 * Needs the local stack. Writes bench/results/event-format.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { changeTopic } from '@pg2ddb/contracts';
import { connectorName, createKafka } from '@pg2ddb/kafka';
import { quoteIdent } from '@pg2ddb/postgres';
import { stackDir, TestPipeline } from '@pg2ddb/testing';
import type { Admin } from 'kafkajs';
import { parseFlags } from './support/bench-args';
import { useLocalStack } from './support/local-stack-env';
import { machineInfo } from './support/machine-info';
import { cpuSnapshot, type ProcessGroup } from './support/process-cpu';
import { writeResults } from './support/results-file';

const root = join(__dirname, '..');
const HELP = `usage: node -r @swc-node/register bench/event-format.bench.ts [--changes 10000] [--rate 1000] [--rounds 2]
  Each round captures --changes single-row changes (inserts, then updates of them) at --rate per second with
  the shipped format, then with schemas.enable=false, and reports Connect + Kafka CPU per change and bytes per event.`;

interface Flags extends Record<string, number | string | boolean> {
  changes: number;
  rate: number;
  rounds: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const flags = parseFlags<Flags>(process.argv.slice(2), { changes: 10_000, rate: 1000, rounds: 2 }, HELP);
  const env = useLocalStack();
  const pipeline = await TestPipeline.start({
    mapping: readFileSync(join(root, 'examples/payments/mapping.yaml'), 'utf8'),
    schemaSql: readFileSync(join(root, 'examples/payments/schema.sql'), 'utf8'),
    services: [],
  });
  const kafka = createKafka({ brokers: (env.PG2DDB_KAFKA_BROKERS ?? '').split(','), clientId: 'pg2ddb-bench-event-format' });
  const admin = kafka.admin();
  await admin.connect();
  const topic = changeTopic(pipeline.names.prefix, pipeline.names.schema, 'payments');
  const connectUrl = pipeline.connectUrl;
  const name = connectorName(pipeline.names.prefix);
  const pidOf = (file: string): number => Number(readFileSync(join(stackDir(), file), 'utf8').trim()) || -1;
  const groups: ProcessGroup[] = [
    { name: 'connect', roots: [pidOf('connect.pid')] },
    { name: 'kafka', roots: [pidOf('kafka.pid')] },
  ];
  const table = `${quoteIdent(pipeline.names.schema)}.payments`;
  const results: Array<Record<string, unknown>> = [];
  let nextId = 1;
  try {
    for (let round = 1; round <= flags.rounds; round++) {
      for (const schemas of [true, false]) {
        await setSchemasEnabled(connectUrl, name, schemas);
        const before = await end(admin, topic);
        const cpuBefore = cpuSnapshot(groups);
        const started = Date.now();
        const first = nextId;
        nextId += await drive(pipeline, table, first, flags.changes, flags.rate);
        for (;;) {
          if ((await end(admin, topic)) - before >= flags.changes) break;
          if (Date.now() - started > 600_000) throw new Error('the connector did not capture every change within 10 minutes');
          await sleep(100);
        }
        const cpuAfter = cpuSnapshot(groups);
        const bytes = await meanValueBytes(kafka, topic, before, 200);
        const perChange = (group: string): number => Math.round((((cpuAfter.groups[group] ?? 0) - (cpuBefore.groups[group] ?? 0)) * 1e6) / flags.changes);
        const row = { round, format: schemas ? 'schemas.enable=true (shipped)' : 'schemas.enable=false', valueBytesMean: bytes, connectMicrosecondsPerChange: perChange('connect'), kafkaMicrosecondsPerChange: perChange('kafka'), seconds: (Date.now() - started) / 1000 };
        results.push(row);
        process.stdout.write(`${JSON.stringify(row)}\n`);
      }
    }
  } finally {
    await setSchemasEnabled(connectUrl, name, true).catch(() => undefined);
    await admin.disconnect();
    await pipeline.stop();
  }
  const document = { benchmark: 'event-format', measuredAt: new Date().toISOString(), machine: machineInfo(), config: flags, results, method: HELP };
  writeResults(join(root, 'bench/results/event-format.json'), document);
}

/** Turns the connector's value schemas on or off (the task restarts with the new converter). */
async function setSchemasEnabled(connectUrl: string, name: string, enabled: boolean): Promise<void> {
  const config = (await (await fetch(`${connectUrl}/connectors/${name}/config`)).json()) as Record<string, string>;
  if (config['value.converter.schemas.enable'] === String(enabled)) return;
  config['value.converter.schemas.enable'] = String(enabled);
  const response = await fetch(`${connectUrl}/connectors/${name}/config`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(config) });
  if (!response.ok) throw new Error(`PUT ${name} config: ${response.status} ${await response.text()}`);
  for (let waited = 0; waited < 60_000; waited += 500) {
    await sleep(500);
    const status = (await (await fetch(`${connectUrl}/connectors/${name}/status`)).json()) as { connector?: { state?: string }; tasks?: Array<{ state?: string }> };
    if (status.connector?.state === 'RUNNING' && (status.tasks ?? []).length > 0 && status.tasks?.every((task) => task.state === 'RUNNING')) {
      await sleep(2000); // the task restarted: let it settle before measuring
      return;
    }
  }
  throw new Error(`connector ${name} did not come back RUNNING`);
}

/** Half inserts, half updates of those rows, each its own transaction, at `rate` per second; returns the rows inserted. */
async function drive(pipeline: TestPipeline, table: string, firstId: number, changes: number, rate: number): Promise<number> {
  const inserts = Math.ceil(changes / 2);
  const started = performance.now();
  let issued = 0;
  const one = async (index: number): Promise<void> => {
    const id = firstId + (index % inserts);
    if (index < inserts) {
      await pipeline.query(
        `INSERT INTO ${table} (paymentid, customerid, loanid, paymentamount, paymentdate, paymentmethod, paymentstatus, transactionreference, createddate)
         VALUES ($1, $2, $3, 12.34, now(), 'CARD', 'PENDING', $4, now())`,
        [id, 1 + (id % 2000), 10_000 + (id % 5000), `REF-${id}`],
      );
    } else {
      await pipeline.query(`UPDATE ${table} SET paymentstatus = 'PAID', updateddate = now() WHERE paymentid = $1`, [id]);
    }
  };
  const worker = async (): Promise<void> => {
    while (issued < changes) {
      const index = issued++;
      const wait = started + (index * 1000) / rate - performance.now();
      if (wait > 1) await sleep(wait);
      await one(index);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return inserts;
}

async function end(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic).catch(() => []);
  return offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
}

/** Mean size of the values of up to `count` messages from offset `from` of partition 0. */
async function meanValueBytes(kafka: ReturnType<typeof createKafka>, topic: string, from: number, count: number): Promise<number> {
  const consumer = kafka.consumer({ groupId: `pg2ddb-bench-format-${Date.now()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  let total = 0;
  let seen = 0;
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: false });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 30_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          if (seen >= count || !message.value) return;
          total += message.value.length;
          if (++seen >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
      consumer.seek({ topic, partition: 0, offset: String(from) });
    });
  } finally {
    await consumer.disconnect();
  }
  return seen === 0 ? 0 : Math.round(total / seen);
}

main().catch((error: unknown) => {
  process.stderr.write(`event-format bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
