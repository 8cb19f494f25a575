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
