import { BatchWriteItemCommand, DeleteTableCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { topicNames, writeCommandKey, type PutCommand, type TableSpec } from '@pg2ddb/contracts';
import { buildGuardedPut, createDynamoClient, ensureTable, tombstoneTableName } from '@pg2ddb/dynamo';
import { consumerLag, createKafka, ensureTopics } from '@pg2ddb/kafka';
import { loadMapping } from '@pg2ddb/mapping';
import { repoRoot, startServiceProcess } from '@pg2ddb/service';
import { randomId } from '@pg2ddb/testing';
import { parseFlags } from './support/bench-args';
import { useLocalStack } from './support/local-stack-env';
import { machineInfo } from './support/machine-info';
import { writeResults } from './support/results-file';

// The writer alone against the DynamoDB emulator: its sustained items/s with the version guard on, next
// to the raw ingest ceiling of the emulator itself — a tight loop of plain BatchWriteItem calls
// of the same items, measured in the same run on the same machine — and the ratio of the two.
const HELP = `usage: node -r @swc-node/register bench/writer.bench.ts [--items N] [--ceiling-concurrency C] [--partitions P] [--out FILE]
  --items                 write commands (payments-shaped items, ~600 bytes)    default 30000
  --ceiling-concurrency   BatchWriteItem calls in flight for the ceiling loop   default 8
  --partitions            partitions of the bench's <prefix>.writes topic       default 6
  --out                   results file                                          default bench/results/writer.json`;

const flags = parseFlags(process.argv.slice(2), { items: 30000, 'ceiling-concurrency': 8, partitions: 6, out: join(repoRoot(), 'bench/results/writer.json') }, HELP);

const spec = (name: string): TableSpec => ({
  name,
  partitionKey: { name: 'PK', type: 'S' },
  sortKey: { name: 'SK', type: 'S' },
  gsis: [
    { name: 'PaymentStatusIndex', partitionKey: { name: 'GSI1PK', type: 'S' }, sortKey: { name: 'GSI1SK', type: 'S' }, projection: 'ALL' },
    { name: 'LoanPaymentIndex', partitionKey: { name: 'GSI2PK', type: 'S' }, sortKey: { name: 'GSI2SK', type: 'S' }, projection: 'ALL' },
  ],
});

/** A payments item as the example mapping writes it, as a put command. */
function command(table: string, i: number): PutCommand {
  const at = new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString().replace('Z', '000Z');
  const key = { PK: { S: `CUSTOMER#${i % 2000}` }, SK: { S: `PAYMENT#${at}#${i}` } };
  return {
    v: 1,
    op: 'put',
    table,
    key,
    entity: 'Payment',
    version: (0x1000000 + i).toString(16).padStart(16, '0') + '0'.repeat(17),
    source: { topic: 'bench', partition: 0, offset: String(i), schema: 'public', table: 'payments', lsn: null, txId: null, snapshot: true, committedAtMs: Date.now() },
    item: {
      ...key,
      PaymentId: { N: String(i) },
      CustomerId: { N: String(i % 2000) },
      LoanId: { N: String(i % 5000) },
      PaymentAmount: { N: (((i * 37) % 100000) / 100).toFixed(2) },
      PaymentDate: { S: at },
      PaymentMethod: { S: ['CARD', 'ACH', 'WIRE'][i % 3] as string },
      PaymentStatus: { S: ['COMPLETED', 'PENDING', 'FAILED'][i % 3] as string },
      TransactionReference: { S: `TXN-${i.toString(36).toUpperCase()}-${'X'.repeat(24)}` },
      CreatedDate: { S: at },
      _type: { S: 'Payment' },
      GSI1PK: { S: `STATUS#${['COMPLETED', 'PENDING', 'FAILED'][i % 3]}` },
      GSI1SK: { S: `${at}#${i}` },
      GSI2PK: { S: `LOAN#${i % 5000}` },
      GSI2SK: { S: `${at}#${i}` },
      ExpiresAt: { N: String(1930048496 + i) },
    },
  };
}

/** The raw ceiling: plain BatchWriteItem of the same items, no reads, no conditions, `concurrency` calls in flight. */
async function ceiling(client: DynamoDBClient, commands: readonly PutCommand[], concurrency: number): Promise<{ items: number; seconds: number; itemsPerSecond: number }> {
  const table = commands[0]?.table as string;
  const requests: WriteRequest[] = commands.map((c) => ({ PutRequest: { Item: buildGuardedPut(c).Item } }));
  const chunks: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += 25) chunks.push(requests.slice(i, i + 25));
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < chunks.length) {
        let pending: Record<string, WriteRequest[]> | undefined = { [table]: chunks[next++] as WriteRequest[] };
        while (pending && Object.keys(pending).length > 0) pending = (await client.send(new BatchWriteItemCommand({ RequestItems: pending }))).UnprocessedItems;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { items: commands.length, seconds: round(seconds), itemsPerSecond: Math.round(commands.length / seconds) };
}

async function appliedCount(url: string): Promise<number> {
  try {
    const text = await (await fetch(`${url}/metrics`)).text();
    return Number(/^pg2ddb_writer_commands_total\{outcome="applied"\} (\S+)$/m.exec(text)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function previousRuns(path: string): Array<{ ratio: number } & Record<string, unknown>> {
  try {
    const previous = JSON.parse(readFileSync(path, 'utf8')) as { runs?: Array<{ ratio: number } & Record<string, unknown>> };
    return Array.isArray(previous.runs) ? previous.runs : [];
  } catch {
    return [];
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

async function main(): Promise<void> {
  const env = useLocalStack();
  const client = createDynamoClient({ endpoint: env.PG2DDB_DYNAMO_ENDPOINT, region: env.AWS_REGION ?? 'us-east-1' });
  const id = randomId('wbench');
  const ceilingTable = `${id}-ceiling`;
  const writerTable = `${id}-writer`;
  const kafka = createKafka({ brokers: (env.PG2DDB_KAFKA_BROKERS as string).split(','), clientId: id });
  const topics = topicNames(id);
  try {
    await ensureTable(client, spec(ceilingTable));
    await ensureTable(client, spec(writerTable));
    const count = flags.items;
    process.stderr.write(`ceiling: ${count} items with plain BatchWriteItem, ${flags['ceiling-concurrency']} calls in flight…\n`);
    const raw = await ceiling(client, Array.from({ length: count }, (_, i) => command(ceilingTable, i)), flags['ceiling-concurrency']);
    process.stderr.write(`ceiling: ${raw.itemsPerSecond} items/s\n`);

    // The whole backlog is in Kafka before the writer starts, so it runs flat out (sustained).
    await ensureTopics(kafka, [topics.writes], flags.partitions);
    await ensureTopics(kafka, [topics.dlq]);
    const producer = kafka.producer();
    await producer.connect();
    for (let start = 0; start < count; start += 2000) {
      const batch = Array.from({ length: Math.min(2000, count - start) }, (_, k) => command(writerTable, start + k));
      await producer.send({ topic: topics.writes, messages: batch.map((c) => ({ key: writeCommandKey(c), value: JSON.stringify(c) })) });
    }
    await producer.disconnect();
    process.stderr.write(`writer: ${count} commands queued on ${topics.writes}; starting the writer…\n`);

    // The writer writes only to its mapping's table: the example mapping, renamed to the bench's table.
    const mapping = loadMapping(readFileSync(join(repoRoot(), 'examples/payments/mapping.yaml'), 'utf8'), 'payments mapping');
    mapping.table.name = writerTable;
    const mappingFile = join(repoRoot(), '.stack', `${id}-mapping.json`);
    writeFileSync(mappingFile, JSON.stringify(mapping));
    const writer = await startServiceProcess(
      'writer',
      { ...env, PG2DDB_TOPIC_PREFIX: id, PG2DDB_LOG_FORMAT: 'json', PG2DDB_MAPPING_FILE: mappingFile },
      join(repoRoot(), '.stack', `${id}-writer.log`),
    );
    try {
      let first: bigint | undefined;
      let firstCount = 0;
      let last = process.hrtime.bigint();
      let applied = 0;
      const deadline = Date.now() + 15 * 60_000;
      while (applied < count && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const now = process.hrtime.bigint();
        const seen = await appliedCount(`http://127.0.0.1:${writer.httpPort}`);
        if (first === undefined && seen > 0) {
          first = now;
          firstCount = seen;
        }
        if (seen > applied) last = now;
        applied = seen;
      }
      if (applied < count) throw new Error(`the writer applied ${applied} of ${count} commands before the deadline; see ${writer.logFile}`);
      const seconds = Number(last - (first as bigint)) / 1e9;
      const itemsPerSecond = Math.round((count - firstCount) / seconds);
      const lag = await consumerLag(kafka, `${id}.writer`, [topics.writes]);
      const run = {
        date: new Date().toISOString(),
        loadAverage1m: machineInfo().loadAverage1m,
        ceiling: raw.itemsPerSecond,
        writer: itemsPerSecond,
        ratio: round(itemsPerSecond / raw.itemsPerSecond),
        writerSeconds: round(seconds),
        consumerLagAfter: lag,
      };
      // Keep the last five runs and their median, so one noisy run on a shared machine shows as such.
      const runs = [...previousRuns(flags.out), run].slice(-5);
      const median = [...runs].sort((a, b) => a.ratio - b.ratio)[Math.floor(runs.length / 2)];
      writeResults(flags.out, {
        what: "pg2ddb writer vs the DynamoDB emulator's raw ingest ceiling, same items, same run",
        machine: machineInfo(),
        items: count,
        itemBytesApprox: JSON.stringify(command(writerTable, 1).item).length,
        ceilingMethod: `plain BatchWriteItem, 25 items a call, ${flags['ceiling-concurrency']} calls in flight, no reads, no conditions`,
        writerMethod:
          'writer service consuming a full backlog from <prefix>.writes (items/s from the first to the last applied item, metrics polled every 100 ms): consistent BatchGetItem of _ver + tombstones, then BatchWriteItem of the newer commands',
        writerConfig: { partitions: flags.partitions, concurrencyPerPartitionBatch: Number(process.env.PG2DDB_WRITER_CONCURRENCY ?? 8), partitionsConcurrently: Number(process.env.PG2DDB_WRITER_PARTITIONS_CONCURRENTLY ?? 4) },
        unit: 'items/s; ratio = writer / ceiling of the same run',
        runs,
        median,
        target: 0.7,
      });
      process.stdout.write(`${JSON.stringify({ ceiling: raw.itemsPerSecond, writer: itemsPerSecond, ratio: run.ratio, medianOfLastRuns: median }, null, 2)}\n`);
    } finally {
      await writer.stop();
    }
  } finally {
    for (const table of [ceilingTable, writerTable, tombstoneTableName(writerTable)]) {
      await client.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
    }
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topics.writes, topics.dlq] }).catch(() => undefined);
    await admin.deleteGroups([`${id}.writer`]).catch(() => undefined);
    await admin.disconnect();
    client.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`writer bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
