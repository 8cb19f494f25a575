import type { AttributeMap, AttributeValue } from '@pg2ddb/contracts';

import { encodeAttribute } from '../values/attribute-encoder';
import { entityItemToRow, type InverseEntity } from './inverse-mapping';
import type { PgValue } from '../values/pg-value';
import { decodePostgresValue } from '../values/postgres-decoder';

/** One column where the row in PostgreSQL differs from what the item says it should hold. */
export interface ColumnDifference {
  column: string;
  /** From the item (DynamoDB is the truth on the way back). */
  expected: AttributeValue | null;
  /** From the row. */
  actual: AttributeValue | null;
}

/**
 * The reconciler's way-back comparison, pure: the row an item becomes (inverse mapping) against the
 * row PostgreSQL holds (every value as its text output), column by column through the same
 * canonical form the forward path uses (so `10.50` equals `10.5`, jsonb key order and set order
 * do not count). Columns the item does not carry (inverse defaults) are not compared.
 */
export function compareItemWithRow(entity: InverseEntity, item: AttributeMap, row: Readonly<Record<string, string | null>>): ColumnDifference[] {
  const expected = entityItemToRow(entity, item).values;
  const differences: ColumnDifference[] = [];
  for (const { column, type, source } of entity.columns) {
    if (source.kind === 'default') continue;
    const options = source.kind === 'attribute' ? source.options : { nulls: 'null' as const, json: 'map' as const, arrays: 'list' as const };
    const where = { entity: entity.entity.name, column };
    const canonical = (value: PgValue) => normalise(encodeAttribute(value, { ...options, nulls: 'null' }, where) ?? null);
    const want = canonical(expected.get(column) ?? { kind: 'null' });
    const have = canonical(decodePostgresValue(row[column] ?? null, type, where));
    if (JSON.stringify(want) !== JSON.stringify(have)) differences.push({ column, expected: want, actual: have });
  }
  return differences;
}

function normalise(value: AttributeValue | null): AttributeValue | null {
  if (value === null) return null;
  if ('SS' in value) return { SS: [...value.SS].sort() };
  if ('NS' in value) return { NS: [...value.NS].sort() };
  if ('BS' in value) return { BS: [...value.BS].sort() };
  if ('M' in value) return { M: Object.fromEntries(Object.keys(value.M).sort().map((k) => [k, normalise(value.M[k]!)!])) };
  if ('L' in value) return { L: value.L.map((v) => normalise(v)!) };
  return value;
}
