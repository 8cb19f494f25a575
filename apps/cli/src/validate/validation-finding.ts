import type { SampleKey } from '@pg2ddb/postgres';

export type Severity = 'error' | 'warning';

/** One problem `validate` found, precise enough to act on: what, where, how many, an example. */
export interface ValidationFinding {
  /** Stable check id, e.g. `key-null`, `item-too-large`, `gsi-status`. */
  check: string;
  severity: Severity;
  /** Mapped entity, or undefined for table-wide / infrastructure checks. */
  entity?: string;
  column?: string;
  /** Rows affected (source checks). */
  rows?: number;
  /** Primary keys of up to three affected rows. */
  sampleKeys?: SampleKey[];
  message: string;
}

/** One line of the checklist: a check run for an entity (or globally) and what it found. */
export interface ChecklistEntry {
  area: 'source' | 'schema' | 'replication' | 'dynamodb' | 'kafka' | 'connect';
  check: string;
  title: string;
  entity?: string;
  status: 'ok' | 'warn' | 'fail' | 'unreachable' | 'skipped';
  detail: string;
}

/** `paymentid=17`, `order_id=3,line=2`. */
export function formatKey(key: SampleKey): string {
  return Object.entries(key)
    .map(([column, value]) => `${column}=${value ?? 'NULL'}`)
    .join(',');
}
