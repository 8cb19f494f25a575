import { BatchWriteItemCommand, DeleteTableCommand, type DynamoDBClient, type AttributeValue as SdkAttributeValue, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { ensureTable, scanEntityItems, toSdkItem } from '@pg2ddb/dynamo';
import { createKafka } from '@pg2ddb/kafka';
import { mapRow, type CompiledEntity, type CompiledMapping } from '@pg2ddb/mapping';
import { runReconciliation } from '@pg2ddb/reconcile';
import type { Pool, QueryResultRow } from 'pg';
import { profileWhile } from './in-process-profile';

/** The reconciler's full compare rate, or why it was not measured. */
export type ReconcilerFigure =
  | {
      measured: true;
      unit: 'rows/s';
      rows: number;
      seconds: number;
      rowsPerSecond: number;
      /** The run's summary counts as the reconciler reported them (checked, matched, drift …). */
      counts: Record<string, unknown>;
      method: string;
    }
  | { measured: false; note: string };

/** The compare settings bench/reconcile.bench.ts uses, so the two figures are comparable. */
const SETTINGS = { pageSize: 1000, scanSegments: 8, concurrency: 4 };

/**
 * Times the reconciler library's own full compare (`runReconciliation`, mode `full`: every row
 * mapped and looked up in DynamoDB, every item looked up in Postgres) over the benchmark's table
 * once the pipeline has caught up, publishing nothing. A compare that fails is reported as not
 * measured, with the reason: the figure is never estimated.
 */
export async function measureReconcilerFullCompare(context: {
  pool: Pool;
  dynamo: DynamoDBClient;
  mapping: CompiledMapping;
  entity: CompiledEntity;
  schema: string;
  expectedRows: number;
  /** Where to write a CPU profile of the compare (this process), if wanted. */
  profileFile?: string;
}): Promise<ReconcilerFigure> {
  const kafka = createKafka({ brokers: (process.env.PG2DDB_KAFKA_BROKERS ?? '').split(','), clientId: 'pg2ddb-bench-reconcile' });
  const producer = kafka.producer();
  await producer.connect();
  try {
    const compare = () =>
      runReconciliation(
        { pg: context.pool, dynamo: context.dynamo, kafka, producer, mapping: context.mapping, topicPrefix: context.schema, history: false },
        { mode: 'full', entities: [context.entity.name], publish: false, repair: false, ...SETTINGS },
      );
    const started = process.hrtime.bigint();
    const report = context.profileFile ? await profileWhile(context.profileFile, compare) : await compare();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const counts = report.entities[0]?.summary.counts ?? {};
    // The table's rows (what a full compare must get through); `counts` shows what it checked.
    const rows = context.expectedRows;
    return {
      measured: true,
      unit: 'rows/s',
      rows,
      seconds: Math.round(seconds * 100) / 100,
      rowsPerSecond: Math.round(rows / seconds),
      counts,
      method: `@pg2ddb/reconcile runReconciliation, mode full (rows → items and items → rows), publish off, after the pipeline caught up, ${JSON.stringify(SETTINGS)} (as bench/reconcile.bench.ts); rows = the table's rows at the time`,
    };
  } catch (error) {
    return { measured: false, note: `not measured: the reconciler's full compare failed: ${(error as Error).message.split('\n')[0]}` };
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}

/** The reconciler measured against the emulator's own raw parallel Scan of the same table. */
export type ReconcilerAtSize = ReconcilerFigure & {
  /** The raw parallel Scan (same segments, page size and concurrency as the compare, no work per item). */
  rawScan?: { items: number; seconds: number; itemsPerSecond: number };
  /** Compare rows/s ÷ raw Scan items/s at the same size: what the reconciler's own work costs. */
  ratioToRawScan?: number;
};

/**
 * The reconciler's full compare at `rows` rows, as a ratio to the emulator's raw parallel Scan of
 * the same table. Local emulators scan far slower than DynamoDB (moto sorts the whole table for
 * every page, so a full Scan costs time in proportion to the table's size squared), so an absolute
 * rows/s figure would measure the emulator; the ratio measures the reconciler. The first `rows`
 * payments are copied into a schema of their own, their items (the mapping's output) written
 * straight into a fresh table, then the table is scanned raw and compared in full.
 */
export async function measureReconcilerAtSize(context: {
  pool: Pool;
  dynamo: DynamoDBClient;
  /** The pipeline's schema, whose payments are copied. */
  sourceSchema: string;
  rows: number;
  /** The mapping for a schema of that name (table `pg2ddb-<schema>`). */
  mappingFor: (schema: string) => CompiledMapping;
  /** Rows as text (the mapping's input), in key order, from the copied schema. */
  readRows: (schema: string, limit: number) => Promise<QueryResultRow[]>;
  version: string;
  profileFile?: string;
}): Promise<ReconcilerAtSize> {
  const schema = `${context.sourceSchema}_rc`;
  const mapping = context.mappingFor(schema);
  const entity = mapping.entities[0] as CompiledEntity;
  const { ttlAttribute: _ttl, ...table } = mapping.table;
  await context.pool.query(`CREATE SCHEMA ${schema}`);
  try {
    await context.pool.query(`CREATE TABLE ${schema}.payments (LIKE ${context.sourceSchema}.payments INCLUDING ALL)`);
    await context.pool.query(`INSERT INTO ${schema}.payments SELECT * FROM ${context.sourceSchema}.payments ORDER BY paymentid LIMIT ${Math.floor(context.rows)}`);
    await ensureTable(context.dynamo, table);
    const items = (await context.readRows(schema, context.rows)).map((row) => {
      const mapped = mapRow(entity, row, { version: context.version });
      if (mapped.kind !== 'item') throw new Error('the payments entity maps to own items');
      return toSdkItem(mapped.item);
    });
    await writeAll(context.dynamo, table.name, items, 16);
    const rawStarted = process.hrtime.bigint();
    const scanned = await scanEntityItems(
      context.dynamo,
      { table: table.name, entityType: { attribute: entity.entityType.attribute, value: entity.entityType.value }, segments: SETTINGS.scanSegments, concurrency: SETTINGS.concurrency, pageSize: SETTINGS.pageSize },
      async () => undefined,
    );
    const rawSeconds = Number(process.hrtime.bigint() - rawStarted) / 1e9;
    const figure = await measureReconcilerFullCompare({ pool: context.pool, dynamo: context.dynamo, mapping, entity, schema, expectedRows: items.length, ...(context.profileFile ? { profileFile: context.profileFile } : {}) });
    const rawScan = { items: scanned, seconds: Math.round(rawSeconds * 100) / 100, itemsPerSecond: Math.round(scanned / rawSeconds) };
    if (!figure.measured) return { ...figure, rawScan };
    return { ...figure, rawScan, ratioToRawScan: Math.round((figure.rowsPerSecond / rawScan.itemsPerSecond) * 100) / 100 };
  } finally {
    await context.dynamo.send(new DeleteTableCommand({ TableName: table.name })).catch(() => undefined);
    await context.pool.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
  }
}

/** Plain BatchWriteItem of every item, `concurrency` loops, unprocessed items resent. */
async function writeAll(client: DynamoDBClient, table: string, items: ReadonlyArray<Record<string, SdkAttributeValue>>, concurrency: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const chunk = items.slice(next, next + 25);
        next += 25;
        let pending: WriteRequest[] = chunk.map((item) => ({ PutRequest: { Item: item } }));
        for (let attempt = 0; pending.length > 0; attempt++) {
          if (attempt > 20) throw new Error(`BatchWriteItem into ${table}: ${pending.length} items still unprocessed after 20 retries`);
          if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 10 * 2 ** attempt)));
          pending = (await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }))).UnprocessedItems?.[table] ?? [];
        }
      }
    }),
  );
}
