import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { topicNames, type AttributeMap } from '@pg2ddb/contracts';
import { toSdkItem } from '@pg2ddb/dynamo';
import { topicSize, createKafka } from '@pg2ddb/kafka';
import { compileInverse, itemToRow, mapRow } from '@pg2ddb/mapping';
import { startServiceProcess, type ServiceProcess } from '@pg2ddb/service';
import { eventually, TestPipeline } from '@pg2ddb/testing';
import { runCli } from './cli-support';

// The way back on the seed's payments table, end to end on the real stack: forward sync →
// cut-over (`pg2ddb direction switch --to ddb-to-pg`) → the application writes to DynamoDB
// (puts, updates, deletes, a key change) while the DynamoDB source and the PostgreSQL writer are
// each killed with SIGKILL mid-way → rollback (`--to pg-to-ddb`) → PostgreSQL equals DynamoDB,
// checked item → row (inverse mapping) and row → item (`pg2ddb reconcile --mode full`).
const examples = join(__dirname, '../../../examples/payments');
const SEEDED = 40;

describe('payments: rollback after cut-over keeps every DynamoDB write', () => {
  let pipeline: TestPipeline;
  let env: Record<string, string>;

  beforeAll(async () => {
    pipeline = await TestPipeline.start({
      mapping: readFileSync(join(examples, 'mapping.yaml'), 'utf8'),
      schemaSql: `${readFileSync(join(examples, 'schema.sql'), 'utf8')}
        INSERT INTO payments (paymentid, customerid, loanid, paymentamount, paymentdate, paymentmethod, paymentstatus, createddate)
        SELECT i, 100 + i % 7, 900 + i % 3, 10 + i * 1.25, timestamptz '2024-01-01 08:00:00.123456+00' + i * interval '1 hour', 'ACH', 'COMPLETED', '2024-01-01 00:00:00+00'
          FROM generate_series(1, ${SEEDED}) AS i;`,
    });
    env = { PG2DDB_TOPIC_PREFIX: pipeline.names.prefix };
    await eventually(async () => expect((await pipeline.items()).length).toBe(SEEDED), { timeoutMs: 90000, intervalMs: 500 });
    // The way back's services run from the start: the DynamoDB source idles until the switch.
    wayBack['ddb-source'] = await startWayBack('ddb-source');
    wayBack['pg-writer'] = await startWayBack('pg-writer');
  }, 600000);

  afterAll(async () => {
    await Promise.all(Object.values(wayBack).map((service) => service.stop()));
    await pipeline?.stop();
  });

  const wayBack: Record<string, ServiceProcess> = {};
  const startWayBack = async (name: 'ddb-source' | 'pg-writer'): Promise<ServiceProcess> => {
    const service = await startServiceProcess(
      name,
      {
        ...pipeline.env,
        PG2DDB_MAPPING_FILE: pipeline.mappingFile,
        PG2DDB_TOPIC_PREFIX: pipeline.names.prefix,
        PG2DDB_LOG_FORMAT: 'json',
        PG2DDB_DDB_SOURCE_INITIAL_LOAD: 'none',
        PG2DDB_DDB_SOURCE_POLL_MS: '200',
      },
      join(pipeline.workDir, `${name}.log`),
    );
    // On a busy machine compiling a service on load can take minutes.
    await service.ready(240000);
    return service;
  };
  const kill = async (name: 'ddb-source' | 'pg-writer') => wayBack[name]!.kill('SIGKILL');
  const restart = async (name: 'ddb-source' | 'pg-writer') => {
    wayBack[name] = await startWayBack(name);
  };

  const entity = () => pipeline.mapping.entity('Payment')!;
  /** The item an application writes for a payment: the same shape the mapping gives (no _ver). */
  const appItem = (id: number, at: string, amount: string, status = 'PENDING', customer = 100 + (id % 7)): AttributeMap => {
    const mapped = mapRow(entity(), {
      paymentid: id,
      customerid: customer,
      loanid: 900 + (id % 3),
      paymentamount: amount,
      paymentdate: at,
      paymentmethod: 'CARD',
      paymentstatus: status,
      transactionreference: `TXN-${id}`,
      processeddate: null,
      createddate: '2024-06-01 00:00:00+00',
      updateddate: null,
    });
    if (mapped.kind !== 'item') throw new Error('payments items are whole items');
    return mapped.item;
  };
  const put = (item: AttributeMap) => pipeline.dynamo.send(new PutItemCommand({ TableName: pipeline.names.table, Item: toSdkItem(item) }));
  const remove = (key: AttributeMap) => pipeline.dynamo.send(new DeleteItemCommand({ TableName: pipeline.names.table, Key: toSdkItem(key) }));
  const keyOf = (item: AttributeMap): AttributeMap => ({ PK: item['PK']!, SK: item['SK']! });
  const rowCount = async () => Number(((await pipeline.query('SELECT count(*) AS n FROM payments')) as Array<{ n: string }>)[0]!.n);

  /** PostgreSQL equals DynamoDB, item by item through the inverse mapping, with no row left over. */
  async function expectPostgresEqualsDynamo(): Promise<void> {
    const inverse = compileInverse(pipeline.mapping);
    const items = await pipeline.items();
    const rows = (await pipeline.query(
      `SELECT paymentid::text, customerid::text, loanid::text, paymentamount::text, to_char(paymentdate AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00' AS paymentdate,
              paymentmethod, paymentstatus, transactionreference FROM payments ORDER BY payments.paymentid`,
    )) as Array<Record<string, string | null>>;
    const expected = items
      .map((item) => itemToRow(inverse, item).params)
      .map((p) => ({
        paymentid: p['paymentid'],
        customerid: p['customerid'],
        loanid: p['loanid'],
        paymentamount: Number(p['paymentamount']).toFixed(2),
        paymentdate: p['paymentdate'],
        paymentmethod: p['paymentmethod'],
        paymentstatus: p['paymentstatus'],
        transactionreference: p['transactionreference'],
      }))
      .sort((a, b) => Number(a.paymentid) - Number(b.paymentid));
    expect(rows).toEqual(expected);
  }

  it('refuses the way back before the switch: the DynamoDB source stays idle', async () => {
    await put(appItem(5000, '2024-06-01 00:00:00+00', '1.00'));
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await rowCount()).toBe(SEEDED);
    await remove(keyOf(appItem(5000, '2024-06-01 00:00:00+00', '1.00')));
    const status = runCli(['direction', 'status', '--mapping', pipeline.mappingFile, '--json'], env);
    expect(status.status).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ directions: [], sourceStarted: false });
  }, 60000);

  it('cuts over, carries DynamoDB writes back through crashes, and rolls back with PostgreSQL equal to DynamoDB', async () => {
    const cutover = runCli(['direction', 'switch', '--to', 'ddb-to-pg', '--mapping', pipeline.mappingFile, '--json'], env);
    expect(cutover.stderr).toBe('');
    expect(JSON.parse(cutover.stdout)).toMatchObject({ switched: true, evidence: { connector: 'STOPPED' } });
    expect(cutover.status).toBe(0);
    // Both ways at once is refused.
    const again = runCli(['direction', 'switch', '--to', 'ddb-to-pg', '--mapping', pipeline.mappingFile, '--json'], env);
    expect(again.status).toBe(1);
    expect(JSON.parse(again.stdout).reason).toBe('already not pg-to-ddb: Payment (ddb-to-pg)');

    // The application now writes to DynamoDB: new payments ...
    for (let id = 1001; id <= 1060; id++) await put(appItem(id, `2024-07-01 10:00:00.${String(id).padStart(6, '0')}+00`, `${id}.25`));
    // ... updates of migrated ones ...
    for (let id = 1; id <= 10; id++) {
      const at = `2024-01-01 ${String(8 + id).padStart(2, '0')}:00:00.123456+00`;
      const item = appItem(id, at, '0', 'COMPLETED', 100 + (id % 7));
      await pipeline.dynamo.send(
        new UpdateItemCommand({
          TableName: pipeline.names.table,
          Key: toSdkItem(keyOf(item)),
          // A well-behaved application keeps the status index key in step with the status.
          UpdateExpression: 'SET PaymentStatus = :s, PaymentAmount = :a, GSI1PK = :g',
          ExpressionAttributeValues: { ':s': { S: 'REFUNDED' }, ':a': { N: `${id}.5` }, ':g': { S: 'STATUS#REFUNDED' } },
        }),
      );
    }
    // The DynamoDB source is killed mid-way (no shutdown hook, no checkpoint of what it was doing).
    await kill('ddb-source');
    // ... deletes ...
    for (let id = 11; id <= 15; id++) await remove(keyOf(appItem(id, `2024-01-01 ${String(8 + id).padStart(2, '0')}:00:00.123456+00`, '0')));
    await restart('ddb-source');
    // ... and a key change: payment 16 moves to another date (delete the old item, put the new one).
    const oldAt = `2024-01-02 00:00:00.123456+00`;
    await remove(keyOf(appItem(16, oldAt, '0')));
    await put(appItem(16, '2024-08-08 08:08:08.080808+00', '16.16', 'RESCHEDULED'));
    // The PostgreSQL writer is killed mid-way while more writes arrive.
    for (let id = 1061; id <= 1090; id++) {
      await put(appItem(id, `2024-07-02 10:00:00+00`, `${id}.75`));
      if (id === 1070) await kill('pg-writer');
    }
    await restart('pg-writer');
    for (let id = 1001; id <= 1005; id++) await remove(keyOf(appItem(id, `2024-07-01 10:00:00.${String(id).padStart(6, '0')}+00`, '0')));

    const expectedCount = SEEDED - 5 + 60 + 30 - 5;
    await eventually(async () => expect(await rowCount()).toBe(expectedCount), { timeoutMs: 90000, intervalMs: 500 });
    await eventually(() => expectPostgresEqualsDynamo(), { timeoutMs: 60000, intervalMs: 1000 });
    const moved = (await pipeline.query(`SELECT paymentstatus, paymentamount::text FROM payments WHERE paymentid = 16`)) as unknown[];
    expect(moved).toEqual([{ paymentstatus: 'RESCHEDULED', paymentamount: '16.16' }]);

    // The reconciler from DynamoDB's side: a row changed behind the way back is found, column named.
    await pipeline.query(`UPDATE payments SET paymentstatus = 'TAMPERED' WHERE paymentid = 20`);
    const drifted = runCli(['reconcile', 'Payment', '--direction', 'ddb-to-pg', '--mapping', pipeline.mappingFile], env);
    expect(drifted.status).toBe(1);
    expect(drifted.stdout).toContain('drift: missing 0, unexpected 0, mismatch 1, unmapped 0');
    expect(drifted.stdout).toMatch(/mismatch {3}CUSTOMER#106 \/ PAYMENT#2024-01-02T04:00:00.123456Z#20 \(paymentstatus\)/);
    await pipeline.query(`UPDATE payments SET paymentstatus = 'COMPLETED' WHERE paymentid = 20`);
    const inSync = runCli(['reconcile', 'Payment', '--direction', 'ddb-to-pg', '--mapping', pipeline.mappingFile], env);
    expect(inSync.stdout).toContain(`Payment (ddb-to-pg): items and rows match: ${expectedCount} of ${expectedCount} items consistent`);
    expect(inSync.status).toBe(0);

    // rollback-check: NO-GO until a full reconciliation ran, GO after a clean one.
    const before = runCli(['rollback-check', '--mapping', pipeline.mappingFile, '--json'], env);
    expect(before.status).toBe(1);
    expect(JSON.parse(before.stdout).reasons).toEqual(['full reconciliation clean (Payment): never fully reconciled (pg2ddb reconcile --mode full)']);
    const clean = runCli(['reconcile', 'Payment', '--mode', 'full', '--mapping', pipeline.mappingFile, '--confirm-timeout', '10'], env);
    expect(clean.output).toMatch(/missing 0, unexpected 0, mismatch 0/);
    const go = runCli(['rollback-check', '--mapping', pipeline.mappingFile, '--json'], env);
    expect(JSON.parse(go.stdout)).toMatchObject({ go: true, reasons: [] });
    expect(go.status).toBe(0);

    // Rollback: the way back drains, the forward path resumes past the way back's own writes.
    const kafka = createKafka({ brokers: pipeline.env.PG2DDB_KAFKA_BROKERS!.split(','), clientId: `${pipeline.names.id}-test` });
    const writesBefore = await topicSize(kafka, topicNames(pipeline.names.prefix).writes);
    const rollback = runCli(['direction', 'switch', '--to', 'pg-to-ddb', '--mapping', pipeline.mappingFile, '--json', '--timeout', '90'], env);
    expect(rollback.stderr).toBe('');
    expect(JSON.parse(rollback.stdout)).toMatchObject({ switched: true, evidence: { wayBackDrained: true, connector: 'RUNNING' } });
    await expectPostgresEqualsDynamo();

    // The reconciler, row → item, agrees: no drift.
    const reconcile = runCli(['reconcile', 'Payment', '--mode', 'full', '--mapping', pipeline.mappingFile, '--confirm-timeout', '10'], env);
    expect(reconcile.output).toMatch(/missing 0, unexpected 0, mismatch 0/);
    expect(reconcile.status).toBe(0);

    // No echo: nothing the way back wrote came back as a write command ...
    await new Promise((resolve) => setTimeout(resolve, 5000));
    expect(await topicSize(kafka, topicNames(pipeline.names.prefix).writes)).toBe(writesBefore);
    // ... and PostgreSQL is the source again: a new row reaches DynamoDB.
    await pipeline.query(
      `INSERT INTO payments (paymentid, customerid, loanid, paymentamount, paymentdate, paymentmethod, paymentstatus, createddate)
       VALUES (7777, 1, 2, 7.77, '2024-09-09 09:09:09+00', 'ACH', 'PENDING', '2024-09-09 09:09:09+00')`,
    );
    await eventually(async () => expect(await pipeline.item({ PK: { S: 'CUSTOMER#1' }, SK: { S: 'PAYMENT#2024-09-09T09:09:09.000000Z#7777' } })).toBeDefined(), {
      timeoutMs: 60000,
      intervalMs: 500,
    });
    expect(await topicSize(kafka, topicNames(pipeline.names.prefix).writes)).toBe(writesBefore + 1);
  }, 600000);
});
