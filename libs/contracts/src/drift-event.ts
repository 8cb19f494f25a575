import type { AttributeMap, AttributeValue } from './attribute-value';

/** One difference found by the reconciler between the mapped Postgres row and the DynamoDB item. */
export interface DriftEvent {
  v: 1;
  type: 'drift';
  kind: 'missing' | 'unexpected' | 'mismatch';
  entity: string;
  /** Postgres primary key of the row (absent for `unexpected`). */
  sourceKey: Record<string, unknown> | null;
  table: string;
  key: AttributeMap;
  attributes: Array<{ name: string; expected: AttributeValue | null; actual: AttributeValue | null }>;
  expectedVersion: string | null;
  actualVersion: string | null;
  runId: string;
  detectedAt: string;
}

/** One per reconciliation run, after its drift events. */
export interface DriftSummary {
  v: 1;
  type: 'summary';
  runId: string;
  /** `count` compares row and item counts per entity; `full` compares every item. */
  mode: 'count' | 'full';
  table: string;
  /** The entity the counts are for (one summary per entity and run). */
  entity: string;
  startedAt: string;
  finishedAt: string;
  counts: { checked: number; missing: number; unexpected: number; mismatch: number; inFlight: number };
  /** consistent / checked, between 0 and 1. */
  consistencyRate: number;
}
