import type { AttributeMap, AttributeValue } from './attribute-value';

/** How the reconciler compared an entity: counts only, random rows, everything, or recent rows. */
export type ReconcileMode = 'count' | 'sample' | 'full' | 'recent';

/**
 * One confirmed difference between the mapped Postgres row and the DynamoDB item (schema:
 * `libs/contracts/schemas/drift-event.v1.json`). Published on `<prefix>.drift`, keyed by the item.
 */
export interface DriftEvent {
  v: 1;
  type: 'drift';
  /** missing: the row has no item; unexpected: the item has no row; mismatch: attributes differ. */
  kind: 'missing' | 'unexpected' | 'mismatch';
  entity: string;
  /** Postgres primary key of the row (null for `unexpected` when the item does not name its row). */
  sourceKey: Record<string, unknown> | null;
  table: string;
  /** The item's DynamoDB key. */
  key: AttributeMap;
  /** Each differing attribute; `null` means absent on that side. */
  attributes: Array<{ name: string; expected: AttributeValue | null; actual: AttributeValue | null }>;
  /** Version the row implies (`_ver` a repair would write), when known. */
  expectedVersion: string | null;
  /** `_ver` stored on the item, or null. */
  actualVersion: string | null;
  runId: string;
  /** The run's mode (absent in events written before modes existed). */
  mode?: ReconcileMode;
  detectedAt: string;
}

/** One per entity and reconciliation run, after that entity's drift events. */
export interface DriftSummary {
  v: 1;
  type: 'summary';
  runId: string;
  mode: ReconcileMode;
  table: string;
  /** The entity the counts are for (one summary per entity and run). */
  entity: string;
  startedAt: string;
  finishedAt: string;
  /**
   * checked: rows and items compared; matched: found equal; missing/unexpected/mismatch: confirmed
   * drift; inFlight: candidates the pipeline had not caught up with before the confirmation timeout;
   * deadLettered: rows the mapping refuses (their changes sit in the DLQ, not in DynamoDB) — counted
   * in `checked`, never in `matched`.
   */
  counts: { checked: number; missing: number; unexpected: number; mismatch: number; inFlight: number; matched?: number; repaired?: number; deadLettered?: number };
  /** matched / checked, between 0 and 1 (1 when nothing was checked). */
  consistencyRate: number;
  /** Wall-clock duration of the entity's run in milliseconds. */
  durationMs?: number;
}
