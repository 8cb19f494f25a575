import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AttributeMap } from '@pg2ddb/contracts';
import { eventually, TestPipeline, withoutVersion } from '@pg2ddb/testing';

// The walking skeleton on the seed's payments table: real PostgreSQL → Debezium (Kafka Connect) →
// Kafka → transformer → writer → the DynamoDB emulator, with the shipped example mapping and schema.
const examples = join(__dirname, '../../../examples/payments');

/** The exact item the payments mapping must produce for the row inserted below. */
function expectedPayment(overrides: AttributeMap = {}): AttributeMap {
  const at = '2024-02-29T12:34:56.123456Z';
  return {
    PK: { S: 'CUSTOMER#42' },
    SK: { S: `PAYMENT#${at}#1001` },
    PaymentId: { N: '1001' },
    CustomerId: { N: '42' },
    LoanId: { N: '7' },
    PaymentAmount: { N: '1234.5' },
    PaymentDate: { S: at },
    PaymentMethod: { S: 'CARD' },
    PaymentStatus: { S: 'PENDING' },
    TransactionReference: { S: 'TXN-1' },
    CreatedDate: { S: '2024-02-29T12:00:00.000000Z' },
    _type: { S: 'Payment' },
    GSI1PK: { S: 'STATUS#PENDING' },
    GSI1SK: { S: `${at}#1001` },
    GSI2PK: { S: 'LOAN#7' },
    GSI2SK: { S: `${at}#1001` },
    GSI3PK: { S: 'METHOD#CARD' },
    GSI3SK: { S: `${at}#1001` },
    // 7 years after 2024-02-29 clamps to 2031-02-28 (12:34:56 UTC).
    ExpiresAt: { N: '1930048496' },
    ...overrides,
  };
}

describe('payments: Postgres changes reach DynamoDB exactly', () => {
  let pipeline: TestPipeline;

  beforeAll(async () => {
    pipeline = await TestPipeline.start({
      mapping: readFileSync(join(examples, 'mapping.yaml'), 'utf8'),
      // Two rows exist before the connector starts: they arrive through the initial snapshot.
      schemaSql: `${readFileSync(join(examples, 'schema.sql'), 'utf8')}
        INSERT INTO payments (paymentid, customerid, loanid, paymentamount, paymentdate, paymentmethod, paymentstatus, createddate)
        VALUES (1, 5, 70, 10.00, '2023-06-01 08:00:00+00', 'ACH', 'COMPLETED', '2023-06-01 08:00:00+00'),
               (2, 5, 70, 20.10, '2023-06-02 08:00:00+00', 'ACH', 'FAILED', '2023-06-02 08:00:00+00');`,
    });
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  const key = (customer: number, at: string, id: number): AttributeMap => ({ PK: { S: `CUSTOMER#${customer}` }, SK: { S: `PAYMENT#${at}#${id}` } });
  const insertedKey = key(42, '2024-02-29T12:34:56.123456Z', 1001);

  it('carries the rows of the initial snapshot', async () => {
    await eventually(async () => {
      const items = await pipeline.items();
      expect(items.map((item) => item.SK).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
        { S: 'PAYMENT#2023-06-01T08:00:00.000000Z#1' },
        { S: 'PAYMENT#2023-06-02T08:00:00.000000Z#2' },
      ]);
    });
    expect(withoutVersion(await pipeline.item(key(5, '2023-06-02T08:00:00.000000Z', 2)))).toMatchObject({ PaymentAmount: { N: '20.1' }, PaymentStatus: { S: 'FAILED' } });
  });

  it('applies an insert as the exact mapped item', async () => {
    await pipeline.query(
      `INSERT INTO payments (paymentid, customerid, loanid, paymentamount, paymentdate, paymentmethod, paymentstatus, transactionreference, createddate)
       VALUES (1001, 42, 7, 1234.50, '2024-02-29 12:34:56.123456+00', 'CARD', 'PENDING', 'TXN-1', '2024-02-29 12:00:00+00')`,
    );
    await eventually(async () => expect(withoutVersion(await pipeline.item(insertedKey))).toEqual(expectedPayment()), { timeoutMs: 30000 });
  });

  it('applies an update: changed attributes, moved GSI keys, a NULL column removed', async () => {
    await pipeline.query(`UPDATE payments SET paymentstatus = 'COMPLETED', processeddate = '2024-03-01 08:00:00+00', transactionreference = NULL WHERE paymentid = 1001`);
    const { TransactionReference: _dropped, ...rest } = expectedPayment({
      PaymentStatus: { S: 'COMPLETED' },
      GSI1PK: { S: 'STATUS#COMPLETED' },
      ProcessedDate: { S: '2024-03-01T08:00:00.000000Z' },
    });
    await eventually(async () => expect(withoutVersion(await pipeline.item(insertedKey))).toEqual(rest));
  });

  it('moves the item when a key column changes (old item deleted, new one put)', async () => {
    const before = (await pipeline.item(insertedKey))?._ver;
    await pipeline.query(`UPDATE payments SET paymentdate = '2024-03-05 09:00:00+00' WHERE paymentid = 1001`);
    const movedKey = key(42, '2024-03-05T09:00:00.000000Z', 1001);
    await eventually(async () => {
      expect(await pipeline.item(insertedKey)).toBeUndefined();
      const moved = await pipeline.item(movedKey);
      expect(moved).toMatchObject({ PaymentDate: { S: '2024-03-05T09:00:00.000000Z' }, GSI2SK: { S: '2024-03-05T09:00:00.000000Z#1001' }, ExpiresAt: { N: '1930467600' } });
      // The newer change carries a higher source version.
      expect((moved?._ver as { S: string }).S > (before as { S: string }).S).toBe(true);
    });
  });

  it('follows a primary-key change (Debezium sends a delete and a create)', async () => {
    await pipeline.query(`UPDATE payments SET paymentid = 2002 WHERE paymentid = 1001`);
    await eventually(async () => {
      expect(await pipeline.item(key(42, '2024-03-05T09:00:00.000000Z', 1001))).toBeUndefined();
      expect(await pipeline.item(key(42, '2024-03-05T09:00:00.000000Z', 2002))).toMatchObject({ PaymentId: { N: '2002' }, GSI1SK: { S: '2024-03-05T09:00:00.000000Z#2002' } });
    });
  });

  it('reports health and Prometheus metrics from every service', async () => {
    for (const name of ['transformer', 'writer'] as const) {
      const live = await fetch(`${pipeline.serviceUrl(name)}/health/live`);
      expect(live.status).toBe(200);
      const ready = await fetch(`${pipeline.serviceUrl(name)}/health/ready`);
      expect(await ready.json()).toMatchObject({ status: 'ready' });
    }
    const writer = await (await fetch(`${pipeline.serviceUrl('writer')}/metrics`)).text();
    const applied = /^pg2ddb_writer_commands_total\{outcome="applied"\} (\d+)$/m.exec(writer);
    expect(Number(applied?.[1])).toBeGreaterThanOrEqual(4);
    const transformer = await (await fetch(`${pipeline.serviceUrl('transformer')}/metrics`)).text();
    expect(transformer).toMatch(/^pg2ddb_transformer_events_total\{outcome="mapped"\} [1-9]\d*$/m);
  });

  it('applies a delete', async () => {
    await pipeline.query(`DELETE FROM payments WHERE paymentid = 2002`);
    await eventually(async () => expect(await pipeline.item(key(42, '2024-03-05T09:00:00.000000Z', 2002))).toBeUndefined());
    // Only the two snapshot rows remain: nothing else was created on the way.
    expect((await pipeline.items()).map((item) => item.PaymentId)).toHaveLength(2);
  });
});
