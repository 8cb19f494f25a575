import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createKafka } from '@pg2ddb/kafka';
import { runReconciliation } from '@pg2ddb/reconcile';
import type { CompiledEntity, CompiledMapping } from '@pg2ddb/mapping';
import type { Pool } from 'pg';
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
