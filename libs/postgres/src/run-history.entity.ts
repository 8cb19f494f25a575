import { EntitySchema } from 'typeorm';

/** Kinds of operation kept in `pg2ddb.run_history` (reconciliations keep their own table). */
export type OperationKind = 'load' | 'snapshot' | 'replay' | 'cutover-check';
export type RunStatus = 'running' | 'succeeded' | 'failed';

/** One row of `pg2ddb.run_history`. */
export interface RunHistoryRecord {
  id: string;
  kind: OperationKind;
  topicPrefix: string;
  entity: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  status: RunStatus;
  /** What the operation did, as its command reports it (counts, outcome, reasons). */
  summary: Record<string, unknown>;
  error: string | null;
}

/** The TypeORM entity of `pg2ddb.run_history` (table created by migration RunHistory1764800000000). */
export const RunHistoryEntity = new EntitySchema<RunHistoryRecord>({
  name: 'RunHistory',
  tableName: 'run_history',
  schema: 'pg2ddb',
  columns: {
    id: { type: 'uuid', primary: true },
    kind: { type: 'text' },
    topicPrefix: { type: 'text', name: 'topic_prefix' },
    entity: { type: 'text', nullable: true },
    startedAt: { type: 'timestamptz', name: 'started_at' },
    finishedAt: { type: 'timestamptz', name: 'finished_at', nullable: true },
    status: { type: 'text' },
    summary: { type: 'jsonb' },
    error: { type: 'text', nullable: true },
  },
});

/** One row of `pg2ddb.reconciliation_runs`, as the history reads it. */
export interface ReconciliationRunRecord {
  runId: string;
  entity: string;
  topicPrefix: string;
  tableName: string;
  mode: string;
  startedAt: Date;
  finishedAt: Date | null;
  checked: string;
  matched: string;
  missing: string;
  unexpected: string;
  mismatch: string;
  inFlight: string;
  consistencyRate: number | null;
  repaired: string;
  status: RunStatus;
  error: string | null;
}

/**
 * The TypeORM entity of `pg2ddb.reconciliation_runs` (migration ReconciliationRuns1763770000000);
 * bigint counts come back as strings, as node-postgres returns them.
 */
export const ReconciliationRunEntity = new EntitySchema<ReconciliationRunRecord>({
  name: 'ReconciliationRun',
  tableName: 'reconciliation_runs',
  schema: 'pg2ddb',
  columns: {
    runId: { type: 'uuid', primary: true, name: 'run_id' },
    entity: { type: 'text', primary: true },
    topicPrefix: { type: 'text', name: 'topic_prefix' },
    tableName: { type: 'text', name: 'table_name' },
    mode: { type: 'text' },
    startedAt: { type: 'timestamptz', name: 'started_at' },
    finishedAt: { type: 'timestamptz', name: 'finished_at', nullable: true },
    checked: { type: 'bigint' },
    matched: { type: 'bigint' },
    missing: { type: 'bigint' },
    unexpected: { type: 'bigint' },
    mismatch: { type: 'bigint' },
    inFlight: { type: 'bigint', name: 'in_flight' },
    consistencyRate: { type: 'double precision', name: 'consistency_rate', nullable: true },
    repaired: { type: 'bigint' },
    status: { type: 'text' },
    error: { type: 'text', nullable: true },
  },
});
