import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { topicNames, validateDriftMessage, type AttributeMap, type DriftEvent, type DriftSummary } from '@pg2ddb/contracts';
import { toSdkItem } from '@pg2ddb/dynamo';
import { createKafka, defaultSlotName } from '@pg2ddb/kafka';
import { latestReconciliationRuns, migratePg2ddbSchema, quoteIdent } from '@pg2ddb/postgres';
import { runReconciliation, type ReconcileContext, type ReconcileRequest } from '@pg2ddb/reconcile';
import { eventually, keyOf, pgConnection, TestPipeline } from '@pg2ddb/testing';
import type { Consumer, Kafka, Producer } from 'kafkajs';

// The reconciler on the real stack with the payments example: drift injected behind the
// pipeline's back is reported exactly (read back from <prefix>.drift), a clean pipeline reports
// nothing — also while rows change under a full run — and repair brings the next run to zero.
const examples = join(__dirname, '../../../examples/payments');
const ROWS = 40;

describe('reconciliation of the payments example', () => {
  let pipeline: TestPipeline;
  let kafka: Kafka;
  let producer: Producer;
  let consumer: Consumer;
  const driftMessages: Array<DriftEvent | DriftSummary> = [];
  const invalidMessages: string[] = [];

  beforeAll(async () => {
    pipeline = await TestPipeline.start({
      mapping: readFileSync(join(examples, 'mapping.yaml'), 'utf8'),
      schemaSql: `${readFileSync(join(examples, 'schema.sql'), 'utf8')}\n${readFileSync(join(examples, 'seed.sql'), 'utf8').replaceAll('{{rows}}', String(ROWS))}`,
    });
    kafka = createKafka({ brokers: pipeline.env.PG2DDB_KAFKA_BROKERS!.split(','), clientId: `${pipeline.names.id}-reconcile-test` });
    producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    // Every message of the drift topic is checked against the published JSON schema.
    consumer = kafka.consumer({ groupId: `${pipeline.names.id}-drift-reader` });
    await consumer.connect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: topicNames(pipeline.names.prefix).drift, numPartitions: 1 }] });
    await admin.disconnect();
    await consumer.subscribe({ topic: topicNames(pipeline.names.prefix).drift, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const parsed = validateDriftMessage(JSON.parse(message.value!.toString('utf8')));
        if (parsed.ok) driftMessages.push(parsed.value);
        else invalidMessages.push(parsed.problems.join('; '));
      },
    });
    await migratePg2ddbSchema(pipeline.pg, pgConnection(pipeline.env));
    await eventually(async () => expect((await pipeline.items()).length).toBe(ROWS), { timeoutMs: 60000 });
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
    await pipeline?.stop();
  });

  const context = (): ReconcileContext => ({
    pg: pipeline.pg,
    dynamo: pipeline.dynamo,
    kafka,
    producer,
    mapping: pipeline.mapping,
    topicPrefix: pipeline.names.prefix,
    history: true,
  });
  const reconcile = (request: Partial<ReconcileRequest> = {}) => runReconciliation(context(), { mode: 'full', confirmTimeoutMs: 60000, ...request });

  /** The drift events and the summary a run published, read back from the topic. */
  async function published(runId: string, events: number): Promise<{ drift: DriftEvent[]; summary: DriftSummary }> {
    return eventually(
      () => {
        const mine = driftMessages.filter((message) => message.runId === runId);
        const summary = mine.find((message): message is DriftSummary => message.type === 'summary');
        const drift = mine.filter((message): message is DriftEvent => message.type === 'drift');
        expect(summary).toBeDefined();
        expect(drift).toHaveLength(events);
        return { drift, summary: summary! };
      },
      { timeoutMs: 20000 },
    );
  }

  async function itemOfPayment(id: number): Promise<AttributeMap> {
    const item = (await pipeline.items()).find((candidate) => (candidate.PaymentId as { N: string }).N === String(id));
    if (!item) throw new Error(`no item for payment ${id}`);
    return item;
  }

  it('reports nothing on a clean pipeline and records the run', async () => {
    const report = await reconcile();
    const { drift, summary } = await published(report.runId, 0);
    expect(drift).toEqual([]);
    expect(summary).toMatchObject({ mode: 'full', entity: 'Payment', consistencyRate: 1, counts: { checked: ROWS, matched: ROWS, missing: 0, unexpected: 0, mismatch: 0, inFlight: 0 } });
    const runs = await latestReconciliationRuns(pipeline.pg, pipeline.names.prefix);
    expect(runs).toEqual([expect.objectContaining({ runId: report.runId, entity: 'Payment', mode: 'full', status: 'succeeded', checked: ROWS, matched: ROWS, consistencyRate: 1 })]);
    expect(invalidMessages).toEqual([]);
  });

  it('reports each injected drift exactly, then repair brings the next run to zero', async () => {
    const table = pipeline.names.table;
    // 1. An item deleted behind the pipeline's back.
    const deleted = await itemOfPayment(1);
    await pipeline.dynamo.send(new DeleteItemCommand({ TableName: table, Key: toSdkItem(keyOf(deleted)) }));
    // 2. An attribute changed.
    const changed = await itemOfPayment(2);
    await pipeline.dynamo.send(
      new UpdateItemCommand({ TableName: table, Key: toSdkItem(keyOf(changed)), UpdateExpression: 'SET PaymentAmount = :a', ExpressionAttributeValues: { ':a': { N: '0.01' } } }),
    );
    // 3. An extra item of the entity, with no row.
    const extra: AttributeMap = {
      PK: { S: 'CUSTOMER#999999' },
      SK: { S: 'PAYMENT#2030-01-01T00:00:00.000000Z#999999' },
      _type: { S: 'Payment' },
      PaymentId: { N: '999999' },
      _ver: { S: `${'0'.repeat(32)}1` },
    };
    await pipeline.dynamo.send(new PutItemCommand({ TableName: table, Item: toSdkItem(extra) }));
    // 4. A GSI key attribute missing.
    const gsi = await itemOfPayment(3);
    await pipeline.dynamo.send(new UpdateItemCommand({ TableName: table, Key: toSdkItem(keyOf(gsi)), UpdateExpression: 'REMOVE GSI2PK' }));
    // 5. A row whose item was never written: the table leaves the connector's publication while
    //    the row is inserted, so its change is never decoded (a real misconfiguration, not a mock).
    const publication = quoteIdent(defaultSlotName(pipeline.names.prefix));
    const source = `${quoteIdent(pipeline.names.schema)}.payments`;
    await pipeline.query(`ALTER PUBLICATION ${publication} DROP TABLE ${source}`);
    await pipeline.query(
      `INSERT INTO payments (paymentid, customerid, loanid, paymentamount, paymentdate, paymentmethod, paymentstatus, createddate)
       VALUES (5000, 77, 88, 12.30, '2025-05-05 05:05:05.5+00', 'WIRE', 'PENDING', '2025-05-05 05:00:00+00')`,
    );
    await pipeline.query(`ALTER PUBLICATION ${publication} ADD TABLE ${source}`);

    const report = await reconcile();
    const { drift, summary } = await published(report.runId, 5);
    expect(summary.counts).toEqual({ checked: ROWS + 2, matched: ROWS - 3, missing: 2, unexpected: 1, mismatch: 2, inFlight: 0, repaired: 0, deadLettered: 0 });
    const byKey = new Map(drift.map((event) => [JSON.stringify(event.key), event]));
    const event = (item: AttributeMap) => byKey.get(JSON.stringify(keyOf(item)));

    expect(event(deleted)).toMatchObject({ kind: 'missing', entity: 'Payment', sourceKey: { paymentid: '1' }, actualVersion: null });
    expect(event(deleted)!.attributes).toContainEqual({ name: 'PaymentAmount', expected: deleted.PaymentAmount, actual: null });

    expect(event(changed)).toMatchObject({
      kind: 'mismatch',
      sourceKey: { paymentid: '2' },
      attributes: [{ name: 'PaymentAmount', expected: changed.PaymentAmount, actual: { N: '0.01' } }],
      actualVersion: (changed._ver as { S: string }).S,
    });
    expect(event(extra)).toMatchObject({ kind: 'unexpected', sourceKey: { paymentid: '999999' }, actualVersion: (extra._ver as { S: string }).S });
    expect(event(extra)!.attributes).toEqual([
      { name: 'PK', expected: null, actual: extra.PK },
      { name: 'PaymentId', expected: null, actual: extra.PaymentId },
      { name: 'SK', expected: null, actual: extra.SK },
      { name: '_type', expected: null, actual: extra._type },
    ]);
    expect(event(gsi)).toMatchObject({ kind: 'mismatch', sourceKey: { paymentid: '3' }, attributes: [{ name: 'GSI2PK', expected: gsi.GSI2PK, actual: null }] });

    const neverWritten = { PK: { S: 'CUSTOMER#77' }, SK: { S: 'PAYMENT#2025-05-05T05:05:05.500000Z#5000' } };
    expect(byKey.get(JSON.stringify(neverWritten))).toMatchObject({ kind: 'missing', sourceKey: { paymentid: '5000' } });
    expect(byKey.get(JSON.stringify(neverWritten))!.attributes).toContainEqual({ name: 'PaymentAmount', expected: { N: '12.3' }, actual: null });
    expect(invalidMessages).toEqual([]);

    // Repair: write commands through the writer; the next run is clean.
    const repairing = await reconcile({ repair: true });
    expect(repairing.entities[0]!.repair).toMatchObject({ put: 4, deleted: 1, skipped: 0 });
    expect(repairing.entities[0]!.summary.counts.repaired).toBe(5);
    await eventually(async () => expect(await pipeline.item(keyOf(extra))).toBeUndefined(), { timeoutMs: 30000 });
    const after = await reconcile();
    const { summary: clean } = await published(after.runId, 0);
    expect(clean.counts).toMatchObject({ checked: ROWS + 1, matched: ROWS + 1, missing: 0, unexpected: 0, mismatch: 0, inFlight: 0 });

    // A change committed after the repair still wins over it (the repair's version is lower).
    await pipeline.query(`UPDATE payments SET paymentstatus = 'REFUNDED' WHERE paymentid = 5000`);
    await eventually(async () => expect(await pipeline.item(neverWritten)).toMatchObject({ PaymentStatus: { S: 'REFUNDED' }, GSI1PK: { S: 'STATUS#REFUNDED' } }));
  });

  it('reports zero drift while rows change under a full run', async () => {
    // More rows, so that a steady load (~25 writes/s) changes each one every few seconds, as real
    // traffic does; the runs overlap inserts, updates, key moves and deletes throughout.
    const extraRows = 200;
    await pipeline.query(
      `INSERT INTO payments (paymentid, customerid, loanid, paymentamount, paymentdate, paymentmethod, paymentstatus)
       SELECT 20000 + i, i % 50, i % 30, 5 + i, timestamptz '2025-01-01' + i * interval '1 minute', 'CARD', 'COMPLETED' FROM generate_series(1, ${extraRows}) AS i`,
    );
    await eventually(async () => expect(await pipeline.items()).toHaveLength(ROWS + 1 + extraRows), { timeoutMs: 60000 });
    const ids = (await pipeline.query(`SELECT paymentid FROM payments`)).map((row) => (row as { paymentid: number }).paymentid);
    let writing = true;
    let writes = 0;
    const load = (async () => {
      for (let i = 0; writing; i++) {
        const id = ids[Math.floor(Math.random() * ids.length)];
        await pipeline.query(`UPDATE payments SET paymentamount = paymentamount + 1, updateddate = now() WHERE paymentid = $1`, [id]);
        if (i % 5 === 0) await pipeline.query(`UPDATE payments SET paymentdate = paymentdate + interval '1 second' WHERE paymentid = $1`, [id]); // moves the item
        if (i % 7 === 0) {
          await pipeline.query(
            `INSERT INTO payments (paymentid, customerid, loanid, paymentamount, paymentdate, paymentmethod, paymentstatus) VALUES ($1, 1, 1, 1.5, now(), 'ACH', 'PENDING')`,
            [100000 + i],
          );
        }
        if (i % 11 === 0) await pipeline.query(`DELETE FROM payments WHERE paymentid = $1`, [100000 + i - 7]);
        writes++;
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
    })();
    try {
      // Three full runs back to back while the load goes on.
      for (let run = 0; run < 3; run++) {
        const report = await reconcile();
        const { drift, summary } = await published(report.runId, 0);
        expect(drift).toEqual([]);
        expect(summary.counts).toMatchObject({ missing: 0, unexpected: 0, mismatch: 0, inFlight: 0 });
        expect(summary.consistencyRate).toBe(1);
      }
    } finally {
      writing = false;
      await load;
    }
    expect(writes).toBeGreaterThan(20);
  });

  it('recent mode checks only the rows changed within the window', async () => {
    await pipeline.query(`UPDATE payments SET updateddate = now() - interval '2 days' WHERE updateddate IS NOT NULL`);
    await pipeline.query(`UPDATE payments SET updateddate = now(), paymentstatus = 'FAILED' WHERE paymentid IN (10, 11, 12)`);
    await eventually(async () => expect(await itemOfPayment(12)).toMatchObject({ PaymentStatus: { S: 'FAILED' } }));
    // Drift on an old row stays out of a recent run; drift on a recent row is found.
    const old = await itemOfPayment(20);
    await pipeline.dynamo.send(new DeleteItemCommand({ TableName: pipeline.names.table, Key: toSdkItem(keyOf(old)) }));
    const recentItem = await itemOfPayment(11);
    await pipeline.dynamo.send(
      new UpdateItemCommand({ TableName: pipeline.names.table, Key: toSdkItem(keyOf(recentItem)), UpdateExpression: 'SET PaymentStatus = :s', ExpressionAttributeValues: { ':s': { S: 'COMPLETED' } } }),
    );
    const report = await reconcile({ mode: 'recent', recent: { column: 'updateddate', windowSeconds: 3600 } });
    const { drift, summary } = await published(report.runId, 1);
    expect(summary).toMatchObject({ mode: 'recent', counts: { checked: 3, matched: 2, mismatch: 1, missing: 0 } });
    expect(drift[0]).toMatchObject({ kind: 'mismatch', mode: 'recent', attributes: [{ name: 'PaymentStatus', expected: { S: 'FAILED' }, actual: { S: 'COMPLETED' } }] });
    // The full run sees both.
    const full = await reconcile({ repair: true });
    expect(full.entities[0]!.summary.counts).toMatchObject({ missing: 1, mismatch: 1 });
  });
});
