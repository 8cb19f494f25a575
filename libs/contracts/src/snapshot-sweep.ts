import type { SourceCoordinates } from './write-command';

// 33 hex characters, or 37 with the 4-digit source epoch in front (see libs/sync source-version.ts).
const VERSION = /^(?:[0-9a-f]{4})?[0-9a-f]{32}[01]$/;

/**
 * Sent by the transformer on `<prefix>.writes` when a snapshot has read a source table to its end
 * (Debezium's `last_in_data_collection` / `last` marker). Every row of the table that existed at
 * the snapshot's position was read, and its put carries a version at that position; so an item of
 * the entity whose `_ver` is still below `version` stands for no row at that position — a row
 * deleted or re-keyed after an earlier, abandoned snapshot wrote it. The writer deletes each such
 * item with a delete command at `version` (guarded and tombstoned like any delete): a change
 * streamed after the snapshot has a higher version and wins over it.
 */
export interface SnapshotSweep {
  v: 1;
  op: 'sweep';
  /** DynamoDB table name. */
  table: string;
  /** Mapping entity whose items are swept. */
  entity: string;
  /** How the entity's items are recognised (the mapping's entity-type attribute and value). */
  entityType: { attribute: string; value: string };
  /** The table's key attribute names (partition key, then sort key if any). */
  keyAttributes: string[];
  /** The snapshot's position as a delete version: items below it are deleted at it. */
  version: string;
  /** The event that closed the snapshot of the table. */
  source: SourceCoordinates;
}

/** The Kafka message key of a sweep: one per table and entity. */
export function snapshotSweepKey(sweep: Pick<SnapshotSweep, 'table' | 'entity'>): string {
  return `${sweep.table}|sweep|${sweep.entity}`;
}

/** True for a decoded `<prefix>.writes` message that is a sweep rather than a write command. */
export function isSnapshotSweep(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { op?: unknown }).op === 'sweep';
}

/** Checks the shape of a decoded sweep; returns what is wrong, or undefined when it is fine. */
export function checkSnapshotSweep(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'snapshot sweep must be a JSON object';
  const sweep = value as Partial<SnapshotSweep>;
  if (sweep.v !== 1) return `unsupported snapshot sweep version ${JSON.stringify(sweep.v)} (expected 1)`;
  if (sweep.op !== 'sweep') return `not a snapshot sweep: op ${JSON.stringify(sweep.op)}`;
  if (typeof sweep.table !== 'string' || sweep.table.length < 3) return 'table must be a DynamoDB table name';
  if (typeof sweep.entity !== 'string' || sweep.entity === '') return 'entity must be a non-empty string';
  const type = sweep.entityType;
  if (typeof type !== 'object' || type === null || typeof type.attribute !== 'string' || type.attribute === '' || typeof type.value !== 'string') {
    return 'entityType must be { attribute, value } strings';
  }
  const keys = sweep.keyAttributes;
  if (!Array.isArray(keys) || keys.length < 1 || keys.length > 2 || !keys.every((name) => typeof name === 'string' && name !== '')) {
    return 'keyAttributes must name the partition key and, if any, the sort key';
  }
  if (typeof sweep.version !== 'string' || !VERSION.test(sweep.version)) return `version ${JSON.stringify(sweep.version)} is not a source version`;
  if (typeof sweep.source !== 'object' || sweep.source === null) return 'source coordinates are missing';
  return undefined;
}
