import { changeTopic } from '@pg2ddb/contracts';
import { createKafka } from '@pg2ddb/kafka';
import { eventually, PrivateConnectWorker, readStackEnv, TestPipeline } from '@pg2ddb/testing';
import type { Consumer } from 'kafkajs';

// Defect 12: the Kafka Connect worker dies (SIGKILL) during the initial snapshot. Debezium takes a
// new snapshot at a later position when it comes back; rows deleted, or moved to another DynamoDB
// key, between the two snapshots are not in the second one. Without a sweep their items from the
// first snapshot stay in DynamoDB for good. The completed snapshot must remove them, with nobody
// running `reconcile --repair`.
const ROWS = 6000;
const DELETED = 100;
const REKEYED = 100;

const MAPPING = `
version: 1
table: { name: placeholder, partitionKey: { name: PK, type: S }, sortKey: { name: SK, type: S } }
entities:
  - name: Account
    source: { table: accounts }
    primaryKey: [id]
    columns: { id: integer, region: text, name: text, pad: text }
    key: { pk: "REGION#{region}", sk: "ACCOUNT#{id}" }
    attributes: { exclude: [pad] }
`;

// Wide rows (an unmapped 1 KB column) so the snapshot lasts long enough to be interrupted.
const SCHEMA = `
CREATE TABLE accounts (id integer PRIMARY KEY, region text NOT NULL, name text NOT NULL, pad text NOT NULL);
INSERT INTO accounts SELECT g, 'r' || (g % 7), 'account ' || g, repeat(md5(g::text), 32) FROM generate_series(1, ${ROWS}) AS g;
`;

describe('an initial snapshot interrupted by a Kafka Connect crash', () => {
  let worker: PrivateConnectWorker;
  let pipeline: TestPipeline;
  let consumer: Consumer | undefined;
  const reads: number[] = [];
  let snapshotLast = 0;

  beforeAll(async () => {
    worker = await PrivateConnectWorker.start(readStackEnv().PG2DDB_KAFKA_BROKERS as string);
  }, 180000);

  afterAll(async () => {
    await consumer?.disconnect();
    await pipeline?.stop();
    await worker?.destroy();
  });

  it('leaves no item of a row deleted or re-keyed between the abandoned and the completed snapshot', async () => {
    pipeline = await TestPipeline.start({
      mapping: MAPPING,
      connectUrl: worker.url,
      schemaSql: SCHEMA,
      // Count the snapshot's reads as Debezium produces them, to crash the worker mid-snapshot.
      whileConnectorStarts: async ({ names, env }) => {
        const kafka = createKafka({ brokers: (env.PG2DDB_KAFKA_BROKERS as string).split(','), clientId: `${names.id}-reads` });
        consumer = kafka.consumer({ groupId: `${names.id}-reads` });
        await consumer.connect();
        const topic = changeTopic(names.prefix, names.schema, 'accounts');
        const admin = kafka.admin();
        await admin.connect();
        // Debezium creates the topic with its first event.
        await eventually(async () => expect(await admin.listTopics()).toContain(topic), { timeoutMs: 120000, intervalMs: 5 });
        await admin.disconnect();
        await consumer.subscribe({ topic, fromBeginning: true });
        await consumer.run({
          eachMessage: async ({ message }) => {
            if (!message.value) return;
            const payload = JSON.parse(message.value.toString()).payload as { op: string; source: { snapshot: string }; after: { id: number } };
            if (payload.op !== 'r') return;
            reads.push(payload.after.id);
            if (payload.source.snapshot === 'last' || payload.source.snapshot === 'last_in_data_collection') snapshotLast++;
          },
        });
        await eventually(() => expect(reads.length).toBeGreaterThanOrEqual(400), { timeoutMs: 120000, intervalMs: 5 });
        await worker.pause();
      },
    });
    const readAtKill = reads.length;
    // The first snapshot was cut short: it never reached the table's last row.
    expect(readAtKill).toBeLessThan(ROWS);
    await worker.kill();
    expect(snapshotLast).toBe(0);

    // Rows the abandoned snapshot had read: some deleted, some moved to another partition key.
    const readIds = [...new Set(reads)].sort((a, b) => a - b);
    const deleted = readIds.slice(0, DELETED);
    const rekeyed = readIds.slice(DELETED, DELETED + REKEYED);
    expect(rekeyed).toHaveLength(REKEYED);
    await pipeline.query('DELETE FROM accounts WHERE id = ANY($1)', [deleted]);
    await pipeline.query(`UPDATE accounts SET region = 'moved' WHERE id = ANY($1)`, [rekeyed]);

    await worker.resume();
    // A new snapshot, read to its end.
    await eventually(() => expect(snapshotLast).toBeGreaterThanOrEqual(1), { timeoutMs: 180000, intervalMs: 500 });
    const remaining = ROWS - DELETED;
    const expected = new Set((await pipeline.query('SELECT region, id FROM accounts')).map((row) => keyOf(row as { region: string; id: number })));
    expect(expected.size).toBe(remaining);

    // DynamoDB converges to exactly the rows PostgreSQL holds: no ghost of a deleted row, no item
    // left at a moved row's old key. No operator command runs in between.
    await eventually(
      async () => {
        const items = await pipeline.items();
        const actual = new Set(items.map((item) => `${(item.PK as { S: string }).S}|${(item.SK as { S: string }).S}`));
        const extra = [...actual].filter((key) => !expected.has(key));
        const missing = [...expected].filter((key) => !actual.has(key));
        expect({ extra: extra.length, missing: missing.length }).toEqual({ extra: 0, missing: 0 });
      },
      { timeoutMs: 240000, intervalMs: 3000 },
    );
    const moved = await pipeline.item({ PK: { S: 'REGION#moved' }, SK: { S: `ACCOUNT#${rekeyed[0]}` } });
    expect(moved).toBeDefined();
    process.stdout.write(`interrupted snapshot: ${readAtKill} of ${ROWS} rows read before SIGKILL; ${DELETED} deleted and ${REKEYED} re-keyed before the restart\n`);
  }, 600000);
});

function keyOf(row: { region: string; id: number }): string {
  return `REGION#${row.region}|ACCOUNT#${row.id}`;
}
