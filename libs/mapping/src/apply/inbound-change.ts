import type { AttributeMap, DdbChangeEvent } from '@pg2ddb/contracts';

import { itemToRow, type InverseMapping } from './inverse-mapping';
import type { PgParam } from '../values/pg-param';

/** A DynamoDB change planned as a PostgreSQL row change (what the PostgreSQL writer applies). */
export interface PlannedInboundChange {
  readonly entity: string;
  readonly itemKey: string;
  readonly version: string;
  readonly op: 'put' | 'delete';
  readonly row: { readonly rowKey: string; readonly params: Readonly<Record<string, PgParam>>; readonly insertDefaults: Readonly<Record<string, string>> };
  readonly image?: AttributeMap;
  /** Attributes of the item no column holds (reported, not written). */
  readonly unknownAttributes: readonly string[];
}

/**
 * The way back for one change: the item (a put's new image, a delete's old image) through the
 * inverse mapping. Throws a `MappingError` for an item that cannot become a row (dead-lettered).
 */
export function planInboundChange(inverse: InverseMapping, event: DdbChangeEvent, itemKey: string): PlannedInboundChange {
  const image = event.op === 'put' ? event.item! : event.oldItem!;
  const row = itemToRow(inverse, image);
  const entity = row.entity.entity;
  return {
    entity: entity.name,
    itemKey,
    version: event.version,
    op: event.op,
    row: { rowKey: rowKeyOf(entity.primaryKey, row.primaryKey), params: row.params, insertDefaults: row.insertDefaults },
    ...(event.op === 'put' ? { image } : {}),
    unknownAttributes: row.unknownAttributes,
  };
}

/** A row's identity: JSON of its primary key values in primary-key order (what a delete binds). */
export function rowKeyOf(primaryKey: readonly string[], values: Readonly<Record<string, PgParam>>): string {
  return JSON.stringify(primaryKey.map((column) => values[column] ?? null));
}
