import type { AttributeMap, DebeziumSource, DeleteCommand, SnapshotSweep, SourceCoordinates } from '@pg2ddb/contracts';

import { Pg2ddbError } from '@pg2ddb/errors';

import { formatVersion, parseVersion } from './source-version';

/** Debezium's `source.snapshot` values on the last row a snapshot reads from a table. */
const TABLE_COMPLETED = new Set(['last_in_data_collection', 'last']);

/** What a sweep needs to know about the entity a source table maps to. */
export interface SweepTarget {
  table: string;
  entity: string;
  entityType: { attribute: string; value: string };
  keyAttributes: string[];
}

/**
 * The sweep a snapshot read event calls for, or undefined. A blocking (initial) snapshot marks the
 * last row it reads from each table `last_in_data_collection` (`last` for the snapshot's very last
 * row); every row it read carries the snapshot's position, so the read's version (position, 0,
 * create rank) turned into the delete rank is the version of "this row was absent at the snapshot
 * point". Incremental snapshot rows (`incremental`) are chunked at many positions and never close
 * a table this way: they call for no sweep.
 */
export function completedSnapshotSweep(source: DebeziumSource, readVersion: string, target: SweepTarget, coordinates: SourceCoordinates): SnapshotSweep | undefined {
  if (typeof source.snapshot !== 'string' || !TABLE_COMPLETED.has(source.snapshot)) return undefined;
  const parts = parseVersion(readVersion);
  if (parts.changeLsn !== 0n) return undefined;
  return {
    v: 1,
    op: 'sweep',
    table: target.table,
    entity: target.entity,
    entityType: target.entityType,
    keyAttributes: target.keyAttributes,
    version: formatVersion({ ...parts, rank: 0 }),
    source: coordinates,
  };
}

/**
 * The delete commands for the items a sweep found below its version (their keys, read back from
 * DynamoDB). Each is an ordinary delete at the sweep's version: the writer's version guard keeps
 * it from touching an item a later change (or the completed snapshot itself) has written, and its
 * tombstone refuses a late replay of the abandoned snapshot's put.
 */
export function sweepDeletes(sweep: SnapshotSweep, items: readonly AttributeMap[]): DeleteCommand[] {
  return items.map((item) => {
    const key: AttributeMap = {};
    for (const name of sweep.keyAttributes) {
      const value = item[name];
      if (value === undefined) throw new Pg2ddbError('SWEEP_ITEM_KEY_MISSING', `item of entity ${sweep.entity} has no key attribute ${name}`);
      key[name] = value;
    }
    return { v: 1, op: 'delete', table: sweep.table, key, entity: sweep.entity, version: sweep.version, source: { ...sweep.source, snapshot: true } };
  });
}
