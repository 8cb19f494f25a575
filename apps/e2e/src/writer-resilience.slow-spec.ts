import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeNumber } from '@pg2ddb/sync';
import { DynamoFaultProxy, eventually, PrivateDynamoEmulator, readStackEnv, TestPipeline, type PipelineOptions } from '@pg2ddb/testing';

// The writer under failure, on the real stack: a crash (kill -9) mid-load, the DynamoDB emulator
// frozen for 30 s mid-load, and throttling injected at the HTTP layer. Each time the table must
// end up equal to the source, with nothing lost and nothing stale.
const examples = join(__dirname, '../../../examples/payments');
const seed = (rows: number) => readFileSync(join(examples, 'seed.sql'), 'utf8').replaceAll('{{rows}}', String(rows));

/** Every payment row as `SK → status|amount`, computed in SQL the way the mapping builds the key. */
async function sourceState(pipeline: TestPipeline): Promise<Map<string, string>> {
  const rows = (await pipeline.query(
    `SELECT 'CUSTOMER#' || customerid || '|PAYMENT#' || to_char(paymentdate AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '#' || paymentid AS key,
            paymentstatus || '|' || paymentamount::text AS state
       FROM payments`,
  )) as Array<{ key: string; state: string }>;
  return new Map(rows.map((row) => [row.key, normalizeState(row.state)]));
}

/** Every item of the table in the same form. */
async function tableState(pipeline: TestPipeline): Promise<Map<string, string>> {
  const items = await pipeline.items();
  return new Map(
    items.map((item) => [
      `${(item.PK as { S: string }).S}|${(item.SK as { S: string }).S}`,
      normalizeState(`${(item.PaymentStatus as { S: string }).S}|${(item.PaymentAmount as { N: string }).N}`),
    ]),
  );
}

function normalizeState(state: string): string {
  const [status, amount] = state.split('|') as [string, string];
  return `${status}|${normalizeNumber(amount)}`;
}

async function expectTableEqualsSource(pipeline: TestPipeline, timeoutMs = 120_000): Promise<void> {
  await eventually(async () => expect(await tableState(pipeline)).toEqual(await sourceState(pipeline)), { timeoutMs, intervalMs: 1000 });
}

async function metrics(pipeline: TestPipeline): Promise<string> {
  return (await fetch(`${pipeline.serviceUrl('writer')}/metrics`)).text();
}

function metric(text: string, name: string): number {
  const escaped = name.replace(/[{}"=]/g, (c) => `\\${c}`);
  const match = new RegExp(`^${escaped} (\\S+)$`, 'm').exec(text);
  // A series the writer does not export is a wrong name or a metric that vanished, never a zero.
  if (!match) throw new Error(`the writer's /metrics has no series ${name}`);
  return Number(match[1]);
}

async function waitForApplied(pipeline: TestPipeline, atLeast: number): Promise<void> {
  await eventually(async () => expect(metric(await metrics(pipeline), 'pg2ddb_writer_commands_total{outcome="applied"}')).toBeGreaterThanOrEqual(atLeast), {
    timeoutMs: 120_000,
    intervalMs: 100,
  });
}

/** Inserts, updates and deletes while the pipeline runs, so the failure hits streaming changes too. */
async function churn(pipeline: TestPipeline): Promise<void> {
  await pipeline.query(`UPDATE payments SET paymentstatus = 'REFUNDED', paymentamount = paymentamount + 1 WHERE paymentid % 7 = 0`);
  await pipeline.query(`DELETE FROM payments WHERE paymentid % 11 = 0`);
  await pipeline.query(
    `INSERT INTO payments (paymentid, customerid, loanid, paymentamount, paymentdate, paymentmethod, paymentstatus, createddate)
     SELECT 900000 + i, i % 50, i, i * 1.5, '2025-01-01'::timestamptz + i * interval '1 minute', 'CARD', 'PENDING', now()
       FROM generate_series(1, 300) AS i`,
  );
}

const baseOptions = (rows: number): PipelineOptions => ({
  mapping: readFileSync(join(examples, 'mapping.yaml'), 'utf8'),
  schemaSql: `${readFileSync(join(examples, 'schema.sql'), 'utf8')}\n${seed(rows)}`,
});

describe('writer resilience on the real stack', () => {
  it('recovers from kill -9 mid-load: the table equals the source after a restart', async () => {
    const pipeline = await TestPipeline.start(baseOptions(8000));
    try {
      await waitForApplied(pipeline, 1000);
      await pipeline.killService('writer');
      await churn(pipeline);
      await pipeline.startService('writer');
      await expectTableEqualsSource(pipeline);
      expect((await sourceState(pipeline)).size).toBe(8000 - Math.floor(8000 / 11) + 300);
    } finally {
      await pipeline.stop();
    }
  });

  it('waits out DynamoDB being down for 30 s mid-load: no crash, no loss, resumes by itself', async () => {
    // The emulator keeps its tables in memory, so the outage is a freeze (SIGSTOP: every request
    // hangs until the writer's request timeout) rather than a kill and restart. A hung request
    // costs a whole request timeout before it is retried, so the writer runs with a 2 s timeout
    // (the default 15 s would use up the 30 s outage on two attempts and never exhaust a batch's
    // retries inside it, which is what backpressure reports).
    const dynamo = await PrivateDynamoEmulator.start();
    const pipeline = await TestPipeline.start({
      ...baseOptions(6000),
      dynamoEndpoint: dynamo.endpoint,
      serviceEnv: { writer: { PG2DDB_DYNAMO_REQUEST_TIMEOUT_MS: '2000' } },
    });
    try {
      await waitForApplied(pipeline, 500);
      dynamo.freeze();
      const downAt = Date.now();
      await churn(pipeline);
      await eventually(async () => expect(metric(await metrics(pipeline), 'pg2ddb_writer_backpressure')).toBe(1), { timeoutMs: 30_000 });
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 30_000 - (Date.now() - downAt))));
      // Still alive and serving health while DynamoDB is gone.
      expect((await fetch(`${pipeline.serviceUrl('writer')}/health/live`)).status).toBe(200);
      const during = await metrics(pipeline);
      expect(metric(during, 'pg2ddb_writer_retries_total{operation="BatchGetItem",reason="error"}')).toBeGreaterThan(0);
      dynamo.thaw();
      await expectTableEqualsSource(pipeline, 180_000);
      expect(metric(await metrics(pipeline), 'pg2ddb_writer_backpressure')).toBe(0);
      expect(metric(await metrics(pipeline), 'pg2ddb_writer_commands_total{outcome="dead_lettered"}')).toBe(0);
    } finally {
      // Thawed first: tearing the pipeline down deletes its table, which a frozen emulator never answers.
      dynamo.thaw();
      await pipeline.stop();
      await dynamo.destroy();
    }
  }, 300_000);

  it('retries throttling and unprocessed items with backoff, visible in metrics, and loses nothing', async () => {
    const stackEndpoint = readStackEnv().PG2DDB_DYNAMO_ENDPOINT as string;
    const proxy = await DynamoFaultProxy.start(stackEndpoint);
    proxy.faults = { throttle: 0.3, unprocessed: 0.4, operations: ['BatchGetItem', 'BatchWriteItem'] };
    const pipeline = await TestPipeline.start({
      ...baseOptions(3000),
      // Only the writer goes through the proxy; the SDK's own retries are off so each throttle reaches the writer's.
      serviceEnv: { writer: { PG2DDB_DYNAMO_ENDPOINT: proxy.endpoint, PG2DDB_DYNAMO_SDK_MAX_ATTEMPTS: '1' } },
    });
    try {
      await churn(pipeline);
      await expectTableEqualsSource(pipeline);
      const text = await metrics(pipeline);
      expect(proxy.counts.throttled).toBeGreaterThan(0);
      expect(proxy.counts.unprocessedItems).toBeGreaterThan(0);
      expect(metric(text, 'pg2ddb_writer_retries_total{operation="BatchWriteItem",reason="throttled"}')).toBeGreaterThan(0);
      expect(metric(text, 'pg2ddb_writer_retries_total{operation="BatchWriteItem",reason="unprocessed"}')).toBeGreaterThan(0);
      expect(metric(text, 'pg2ddb_writer_throttles_total{operation="BatchWriteItem"}')).toBeGreaterThan(0);
      // Backoff was slept before the retries: the delay histogram has observations and a positive sum.
      expect(metric(text, 'pg2ddb_writer_retry_delay_seconds_count{operation="BatchWriteItem"}')).toBeGreaterThan(0);
      expect(metric(text, 'pg2ddb_writer_retry_delay_seconds_sum{operation="BatchWriteItem"}')).toBeGreaterThan(0);
      expect(metric(text, 'pg2ddb_writer_commands_total{outcome="dead_lettered"}')).toBe(0);
    } finally {
      await pipeline.stop();
      await proxy.stop();
    }
  });
});
