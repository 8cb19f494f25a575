import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { toSdkItem } from '@pg2ddb/dynamo';
import { createKafka } from '@pg2ddb/kafka';
import { createPgPool, sampleQuery, sourceColumnTypes } from '@pg2ddb/postgres';
import { runReconciliation, type ReconcileContext } from '@pg2ddb/reconcile';
import { eventually, pgConnection, TestPipeline } from '@pg2ddb/testing';
import type { Kafka, Producer } from 'kafkajs';

// The reconciler must not load the primary: a repair takes row locks only (never a table lock), a
// repair that cannot get them gives up within its lock_timeout instead of queueing, and the
// default `sample` mode reads random pages instead of scanning and sorting the whole table.
const examples = join(__dirname, '../../../examples/payments');
const ROWS = 20;

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms))]);
}

describe('reconciler load on the source', () => {
  let pipeline: TestPipeline;
  let kafka: Kafka;
  let producer: Producer;

  beforeAll(async () => {
    pipeline = await TestPipeline.start({
      mapping: readFileSync(join(examples, 'mapping.yaml'), 'utf8'),
      schemaSql: `${readFileSync(join(examples, 'schema.sql'), 'utf8')}\n${readFileSync(join(examples, 'seed.sql'), 'utf8').replaceAll('{{rows}}', String(ROWS))}`,
    });
    kafka = createKafka({ brokers: pipeline.env.PG2DDB_KAFKA_BROKERS!.split(','), clientId: `${pipeline.names.id}-load` });
    producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    await eventually(async () => expect(await pipeline.items()).toHaveLength(ROWS), { timeoutMs: 60_000 });
  });

  afterAll(async () => {
    await producer?.disconnect();
    await pipeline?.stop();
  });

  const context = (): ReconcileContext => ({ pg: pipeline.pg, dynamo: pipeline.dynamo, kafka, producer, mapping: pipeline.mapping, topicPrefix: pipeline.names.prefix });

  it('deletes an unexpected item while a long transaction holds other rows of the table: row locks, no table lock', async () => {
    const extra = { PK: { S: 'CUSTOMER#999999' }, SK: { S: 'PAYMENT#2030-01-01T00:00:00.000000Z#999999' }, _type: { S: 'Payment' }, PaymentId: { N: '999999' } };
    await pipeline.dynamo.send(new PutItemCommand({ TableName: pipeline.names.table, Item: toSdkItem(extra) }));
    // A long transaction of the application: an uncommitted update of another row. A repair that
    // took LOCK TABLE ... IN SHARE MODE gave up here (and, without its lock_timeout, queued every
    // writer of the table behind it).
    await withOpenUpdate('(SELECT min(paymentid) FROM payments)', async () => {
      const started = Date.now();
      const report = await within(runReconciliation(context(), { mode: 'full', repair: true, confirmTimeoutMs: 30_000, publish: false }), 60_000);
      expect(report.entities[0]?.repair).toMatchObject({ deleted: 1, put: 0 });
      expect(Date.now() - started).toBeLessThan(45_000);
    });
    await eventually(async () => expect(await pipeline.items()).toHaveLength(ROWS), { timeoutMs: 60_000 });
  });

  it('gives a repair up within its lock timeout while a long transaction holds the row it re-reads, and repairs once it is gone', async () => {
    // A stale item: the repair must re-read (and lock) its row, which the transaction holds.
    const [row] = (await pipeline.query('SELECT paymentid FROM payments ORDER BY paymentid DESC LIMIT 1')) as Array<{ paymentid: number }>;
    const item = (await pipeline.items()).find((candidate) => candidate.PaymentId && 'N' in candidate.PaymentId && candidate.PaymentId.N === String(row!.paymentid))!;
    await pipeline.dynamo.send(new PutItemCommand({ TableName: pipeline.names.table, Item: toSdkItem({ ...item, PaymentStatus: { S: 'STALE' } }) }));
    await withOpenUpdate(String(row!.paymentid), async () => {
      const started = Date.now();
      await expect(within(runReconciliation(context(), { mode: 'full', repair: true, confirmTimeoutMs: 30_000, publish: false }), 60_000)).rejects.toThrow(
        /repair of .*payments gave up: its locks were held by another transaction \(lock_timeout 2000 ms/,
      );
      expect(Date.now() - started).toBeLessThan(45_000);
    });
    const report = await runReconciliation(context(), { mode: 'full', repair: true, confirmTimeoutMs: 30_000, publish: false });
    expect(report.entities[0]?.repair).toMatchObject({ put: 1, deleted: 0 });
    await eventually(async () => expect((await pipeline.item({ PK: item.PK!, SK: item.SK! }))?.PaymentStatus).toEqual(item.PaymentStatus), { timeoutMs: 60_000 });
  });

  /** Runs `body` while another session holds an uncommitted update of the payment(s) `where` names. */
  async function withOpenUpdate(where: string, body: () => Promise<void>): Promise<void> {
    const other = createPgPool(pgConnection(pipeline.env), { options: `-c search_path=${pipeline.names.schema}` });
    const client = await other.connect();
    try {
      await client.query('BEGIN');
      await client.query(`UPDATE payments SET paymentstatus = paymentstatus WHERE paymentid = ${where}`);
      await body();
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
      await other.end();
    }
  }

  it('keeps a full run within its rate limit', async () => {
    const started = Date.now();
    const report = await runReconciliation(context(), { mode: 'full', confirmTimeoutMs: 30_000, publish: false, maxRowsPerSecond: 5 });
    expect(report.entities[0]?.summary.counts).toMatchObject({ checked: ROWS, matched: ROWS });
    // 20 items at 5 per second: at least 4 s, however fast the stores answer.
    expect(Date.now() - started).toBeGreaterThanOrEqual(3900);
  });

  it('samples a large table by pages, without a sort of the whole table', async () => {
    const entity = pipeline.mapping.entities[0]!;
    const types = await sourceColumnTypes(pipeline.pg, entity.schema, entity.table);
    const source = { schema: entity.schema, table: entity.table, columns: entity.columns, primaryKey: entity.primaryKey, types };
    const plan = ((await pipeline.query(`EXPLAIN ${sampleQuery(source, 100, 5_000_000).replace('$1', '100')}`)) as Array<{ 'QUERY PLAN': string }>).map((row) => row['QUERY PLAN']).join('\n');
    expect(plan).toMatch(/Sample Scan on payments/);
    expect(plan).not.toMatch(/Sort/);
  });
});
