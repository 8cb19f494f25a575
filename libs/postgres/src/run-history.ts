import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

import { migratePg2ddbSchema } from './migrate-pg2ddb-schema';
import { createPg2ddbDataSource } from './pg2ddb-data-source';
import type { PgConnection } from './pg-pool';
import { toReconciliationRun, type ReconciliationRun } from './reconciliation-runs';
import { RunHistoryEntity, type OperationKind, type RunHistoryRecord, type RunStatus } from './run-history.entity';

/** One entry of the history: an operation, or one entity's reconciliation run. */
export interface RunHistoryEntry {
  id: string;
  kind: OperationKind | 'reconcile';
  topicPrefix: string;
  entity: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  status: RunStatus;
  summary: Record<string, unknown>;
  error: string | null;
}

export interface ListRunHistoryOptions {
  topicPrefix: string;
  /** Newest entries first, at most this many (default 50). */
  limit?: number;
  /** Only these kinds (default all). */
  kinds?: Array<RunHistoryEntry['kind']>;
}

/**
 * Writes and reads the operations history through the TypeORM entities of the `pg2ddb` schema.
 * `open` applies pending migrations first, so the first operation of a deployment creates it.
 */
export class RunHistory {
  private constructor(private readonly dataSource: DataSource) {}

  /** Migrates the `pg2ddb` schema (serialised by an advisory lock) and connects. */
  static async open(pool: Pool, connection: PgConnection): Promise<RunHistory> {
    await migratePg2ddbSchema(pool, connection);
    const dataSource = createPg2ddbDataSource(connection, 'pg2ddb-history');
    await dataSource.initialize();
    return new RunHistory(dataSource);
  }

  /** Records that an operation started (status `running`); resolves its id. */
  async started(run: { kind: OperationKind; topicPrefix: string; entity?: string; startedAt?: Date; summary?: Record<string, unknown> }): Promise<string> {
    const id = randomUUID();
    await this.dataSource.getRepository(RunHistoryEntity).insert({
      id,
      kind: run.kind,
      topicPrefix: run.topicPrefix,
      entity: run.entity ?? null,
      startedAt: run.startedAt ?? new Date(),
      finishedAt: null,
      status: 'running',
      // A jsonb column: TypeORM's deep-partial type cannot express an open record, the value is plain JSON.
      summary: (run.summary ?? {}) as QueryDeepPartialEntity<Record<string, unknown>>,
      error: null,
    });
    return id;
  }

  /** Records how an operation ended. */
  async finished(id: string, outcome: { status: Exclude<RunStatus, 'running'>; summary?: Record<string, unknown>; error?: string; finishedAt?: Date }): Promise<void> {
    await this.dataSource.getRepository(RunHistoryEntity).update(
      { id },
      {
        status: outcome.status,
        finishedAt: outcome.finishedAt ?? new Date(),
        error: outcome.error ?? null,
        ...(outcome.summary ? { summary: outcome.summary as QueryDeepPartialEntity<Record<string, unknown>> } : {}),
      },
    );
  }

  /** The history of one deployment, newest first: operations and reconciliation runs together. */
  async list(options: ListRunHistoryOptions): Promise<RunHistoryEntry[]> {
    return readHistory(this.dataSource, options);
  }

  async close(): Promise<void> {
    await this.dataSource.destroy();
  }
}

/**
 * The run history of one deployment (topic prefix), newest first: loads, snapshots, DLQ replays,
 * cut-over checks and each entity's reconciliation runs, read through the TypeORM entities.
 * Read-only (never migrates): empty when the pg2ddb schema does not exist yet. What
 * `pg2ddb history` and the status page show.
 */
export async function listRunHistory(connection: PgConnection, options: ListRunHistoryOptions): Promise<RunHistoryEntry[]> {
  const dataSource = createPg2ddbDataSource(connection, 'pg2ddb-history');
  await dataSource.initialize();
  try {
    return await readHistory(dataSource, options);
  } finally {
    await dataSource.destroy();
  }
}

async function readHistory(dataSource: DataSource, options: ListRunHistoryOptions): Promise<RunHistoryEntry[]> {
  const limit = options.limit ?? 50;
  const wants = (kind: RunHistoryEntry['kind']) => !options.kinds || options.kinds.length === 0 || options.kinds.includes(kind);
  const runner = dataSource.createQueryRunner();
  let hasOperations: boolean;
  let hasReconciliations: boolean;
  try {
    [hasOperations, hasReconciliations] = [await runner.hasTable('pg2ddb.run_history'), await runner.hasTable('pg2ddb.reconciliation_runs')];
  } finally {
    await runner.release();
  }
  const entries: RunHistoryEntry[] = [];
  const operationKinds = (['load', 'snapshot', 'replay', 'cutover-check'] as const).filter(wants);
  if (hasOperations && operationKinds.length > 0) {
    const rows = await dataSource.getRepository(RunHistoryEntity).find({
      where: operationKinds.map((kind) => ({ topicPrefix: options.topicPrefix, kind })),
      order: { startedAt: 'DESC' },
      take: limit,
    });
    entries.push(...rows.map(fromOperation));
  }
  if (hasReconciliations && wants('reconcile')) {
    const rows: Array<Record<string, unknown>> = await dataSource.query(
      'SELECT * FROM pg2ddb.reconciliation_runs WHERE topic_prefix = $1 ORDER BY started_at DESC LIMIT $2',
      [options.topicPrefix, limit],
    );
    entries.push(...rows.map(toReconciliationRun).map(fromReconciliation));
  }
  return entries.sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime()).slice(0, limit);
}

function fromOperation(row: RunHistoryRecord): RunHistoryEntry {
  return { ...row };
}

function fromReconciliation(run: ReconciliationRun): RunHistoryEntry {
  const { runId, mode, tableName, checked, matched, missing, unexpected, mismatch, inFlight, repaired, consistencyRate } = run;
  return {
    id: `${runId}/${run.entity}`,
    kind: 'reconcile',
    topicPrefix: run.topicPrefix,
    entity: run.entity,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    status: run.status,
    summary: { runId, mode, table: tableName, checked, matched, missing, unexpected, mismatch, inFlight, repaired, consistencyRate },
    error: run.error,
  };
}
