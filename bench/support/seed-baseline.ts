import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  PutItemCommand,
  type AttributeValue,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import type { PoolClient } from 'pg';

/**
 * The seed material's loader, reproduced step for step in TypeScript: `PaymentBatchMigrator.cs`
 * (/work/shared/seeds/000_*.txt, "Batch Migration Engine"). Per batch it
 *   1. fetches 25 rows: `... WHERE paymentdate >= @startDate AND paymentdate <= @endDate
 *      ORDER BY paymentid OFFSET @offset LIMIT 25` on one connection,
 *   2. turns each into its item (CustomerId N, PaymentDateId S = "<date to the second>#<id>", the
 *      columns as strings/numbers, a TTL of now + 7 years),
 *   3. writes them with one BatchWriteItem into "Payments" (unprocessed items resubmitted once),
 *   4. saves its progress (PutItem into PaymentMigrationState),
 *   5. sleeps 100 ms after every 10th batch ("rate limiting to avoid throttling"),
 * strictly one batch after another (its PARALLEL_BATCHES = 4 is declared but never used). It first
 * counts the rows with the same filter; the options' default date range is DateTime.MinValue to
 * DateTime.MaxValue, i.e. every row.
 */
export interface SeedBaselineOptions {
  /** One connection in the benchmark's schema (the seed uses a single NpgsqlConnection). */
  client: PoolClient;
  dynamo: DynamoDBClient;
  /** Prefix of the two scratch tables (payments-shaped and state), removed afterwards. */
  tablePrefix: string;
  /** Evenly spread slices of the OFFSET range to run (the cost of a page grows with its offset). */
  slices: number;
  /** Wall time per slice. */
  sliceSeconds: number;
}

export interface SeedSlice {
  startOffset: number;
  rows: number;
  batches: number;
  seconds: number;
  rowsPerSecond: number;
  /** Mean ms per batch in each step. */
  msPerBatch: { fetch: number; transform: number; batchWrite: number; saveState: number; rateLimitSleep: number };
}

export interface SeedBaselineResult {
  totalRows: number;
  countSeconds: number;
  slices: SeedSlice[];
  measuredRows: number;
  measuredSeconds: number;
  /** measuredRows / measuredSeconds: the rate over the slices, which sample the whole OFFSET range evenly. */
  rowsPerSecond: number;
  /** totalRows at that rate: what the full migration would take (an extrapolation from the slices). */
  estimatedFullRunSeconds: number;
  method: string;
}

const BATCH_SIZE = 25;
const MIN_DATE = '0001-01-01T00:00:00Z';
const MAX_DATE = '9999-12-31T23:59:59.999999Z';

/** Runs the seed's loader on `slices` evenly spread OFFSET ranges for `sliceSeconds` each. */
export async function measureSeedBaseline(options: SeedBaselineOptions): Promise<SeedBaselineResult> {
  const { client, dynamo } = options;
  const paymentsTable = `${options.tablePrefix}-seed-payments`;
  const stateTable = `${options.tablePrefix}-seed-state`;
  await dynamo.send(
    new CreateTableCommand({
      TableName: paymentsTable,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'CustomerId', AttributeType: 'N' },
        { AttributeName: 'PaymentDateId', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'CustomerId', KeyType: 'HASH' },
        { AttributeName: 'PaymentDateId', KeyType: 'RANGE' },
      ],
    }),
  );
  await dynamo.send(
    new CreateTableCommand({
      TableName: stateTable,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'MigrationId', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'MigrationId', KeyType: 'HASH' }],
    }),
  );
  try {
    const countStarted = Date.now();
    // GetTotalPaymentCountAsync
    const count = await client.query<{ count: string }>('SELECT COUNT(*) AS count FROM payments WHERE paymentdate >= $1 AND paymentdate <= $2', [MIN_DATE, MAX_DATE]);
    const totalRows = Number(count.rows[0]?.count ?? 0);
    const countSeconds = (Date.now() - countStarted) / 1000;
    const migrationId = `bench-${Date.now()}`;
    const slices: SeedSlice[] = [];
    for (let slice = 0; slice < options.slices; slice++) {
      // Each slice is the seed's own resume: it starts from a saved LastProcessedOffset.
      const startOffset = Math.floor((totalRows * slice) / options.slices / BATCH_SIZE) * BATCH_SIZE;
      slices.push(await runSlice(client, dynamo, { paymentsTable, stateTable, migrationId, startOffset, totalRows, seconds: options.sliceSeconds }));
    }
    const measuredRows = slices.reduce((sum, slice) => sum + slice.rows, 0);
    const measuredSeconds = slices.reduce((sum, slice) => sum + slice.seconds, 0);
    const rowsPerSecond = measuredRows / measuredSeconds;
    return {
      totalRows,
      countSeconds: round(countSeconds, 2),
      slices,
      measuredRows,
      measuredSeconds: round(measuredSeconds, 2),
      rowsPerSecond: Math.round(rowsPerSecond),
      estimatedFullRunSeconds: Math.round(totalRows / rowsPerSecond),
      method:
        `PaymentBatchMigrator.cs reproduced: OFFSET/LIMIT ${BATCH_SIZE} ordered by paymentid with its date filter, one BatchWriteItem per page ` +
        `(unprocessed resubmitted once), PutItem of the migration state per page, 100 ms sleep every 10th page, strictly sequential; ` +
        `run on ${options.slices} slices of ${options.sliceSeconds} s starting at evenly spread offsets (the wall time is capped; a page's cost grows with its offset), ` +
        `into a scratch table keyed CustomerId (N) / PaymentDateId (S) as in the seed`,
    };
  } finally {
    await dynamo.send(new DeleteTableCommand({ TableName: paymentsTable })).catch(() => undefined);
    await dynamo.send(new DeleteTableCommand({ TableName: stateTable })).catch(() => undefined);
  }
}

interface SliceSettings {
  paymentsTable: string;
  stateTable: string;
  migrationId: string;
  startOffset: number;
  totalRows: number;
  seconds: number;
}

async function runSlice(client: PoolClient, dynamo: DynamoDBClient, settings: SliceSettings): Promise<SeedSlice> {
  const spent = { fetch: 0, transform: 0, batchWrite: 0, saveState: 0, rateLimitSleep: 0 };
  const started = performance.now();
  const deadline = started + settings.seconds * 1000;
  let processed = settings.startOffset;
  let batchNumber = 0;
  let rows = 0;
  let mark = started;
  const lap = (step: keyof typeof spent): void => {
    const now = performance.now();
    spent[step] += now - mark;
    mark = now;
  };
  while (processed < settings.totalRows && performance.now() < deadline) {
    batchNumber++;
    mark = performance.now();
    // FetchPaymentBatchAsync
    const page = await client.query<PaymentRow>(
      `SELECT paymentid, customerid, loanid, paymentamount, paymentdate,
              paymentmethod, paymentstatus, transactionreference, processeddate,
              createddate, updateddate
         FROM payments
        WHERE paymentdate >= $1 AND paymentdate <= $2
        ORDER BY paymentid
       OFFSET $3 LIMIT $4`,
      [MIN_DATE, MAX_DATE, processed, BATCH_SIZE],
    );
    lap('fetch');
    if (page.rows.length === 0) break;
    const items = page.rows.map(transformPaymentToDynamoItem);
    lap('transform');
    // WriteBatchToDynamoAsync
    const response = await dynamo.send(new BatchWriteItemCommand({ RequestItems: { [settings.paymentsTable]: items.map((item): WriteRequest => ({ PutRequest: { Item: item } })) } }));
    const unprocessed = response.UnprocessedItems?.[settings.paymentsTable];
    if (unprocessed && unprocessed.length > 0) await dynamo.send(new BatchWriteItemCommand({ RequestItems: response.UnprocessedItems }));
    lap('batchWrite');
    processed += page.rows.length;
    rows += page.rows.length;
    // SaveMigrationStateAsync
    await dynamo.send(
      new PutItemCommand({
        TableName: settings.stateTable,
        Item: {
          MigrationId: { S: settings.migrationId },
          LastProcessedOffset: { N: String(processed) },
          ErrorCount: { N: '0' },
          LastUpdated: { S: secondsIso(new Date()) },
          Status: { S: 'InProgress' },
        },
      }),
    );
    lap('saveState');
    if (batchNumber % 10 === 0) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      lap('rateLimitSleep');
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const per = (ms: number): number => (batchNumber === 0 ? 0 : round(ms / batchNumber, 2));
  return {
    startOffset: settings.startOffset,
    rows,
    batches: batchNumber,
    seconds: round(seconds, 2),
    rowsPerSecond: Math.round(rows / seconds),
    msPerBatch: { fetch: per(spent.fetch), transform: per(spent.transform), batchWrite: per(spent.batchWrite), saveState: per(spent.saveState), rateLimitSleep: per(spent.rateLimitSleep) },
  };
}

interface PaymentRow {
  paymentid: number;
  customerid: number;
  loanid: number;
  paymentamount: string;
  paymentdate: Date;
  paymentmethod: string;
  paymentstatus: string;
  transactionreference: string | null;
  processeddate: Date | null;
  createddate: Date;
  updateddate: Date | null;
}

/** TransformPaymentToDynamoItem: the seed's item, formats included ("yyyy-MM-ddTHH:mm:ssZ", "F2"). */
function transformPaymentToDynamoItem(payment: PaymentRow): Record<string, AttributeValue> {
  const paymentDateId = `${secondsIso(payment.paymentdate)}#${payment.paymentid}`;
  const ttl = Math.floor(Date.now() / 1000) + 7 * 365.25 * 24 * 3600;
  return {
    CustomerId: { N: String(payment.customerid) },
    PaymentDateId: { S: paymentDateId },
    PaymentId: { N: String(payment.paymentid) },
    LoanId: { N: String(payment.loanid) },
    PaymentAmount: { N: Number(payment.paymentamount).toFixed(2) },
    PaymentDate: { S: secondsIso(payment.paymentdate) },
    PaymentMethod: { S: payment.paymentmethod },
    PaymentStatus: { S: payment.paymentstatus },
    TransactionReference: { S: payment.transactionreference ?? '' },
    ProcessedDate: { S: payment.processeddate ? secondsIso(payment.processeddate) : '' },
    CreatedDate: { S: secondsIso(payment.createddate) },
    UpdatedDate: { S: payment.updateddate ? secondsIso(payment.updateddate) : '' },
    TTL: { N: String(Math.floor(ttl)) },
  };
}

function secondsIso(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
