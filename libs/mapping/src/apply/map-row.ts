import { RESERVED_ATTRIBUTES, type AttributeMap, type AttributeValue } from '@pg2ddb/contracts';

import type { CompiledEntity } from '../definition/compile-mapping';
import { parseColumnType, type ColumnType } from '../definition/column-type';
import { buildAttributes, childKeyOf, requireKey } from './item-builder';
import { MappingError, MappingErrorCode } from '../mapping-error';
import type { PgRow, PgValue } from '../values/pg-value';
import { decodePostgresValue } from '../values/postgres-decoder';
import { decodeColumn } from '../values/unrepresentable-value';

/** What one source row becomes in DynamoDB. */
export type MappedRow =
  | {
      readonly kind: 'item';
      readonly entity: string;
      readonly key: AttributeMap;
      /** The whole item, key attributes included (`_ver` only when a version was given). */
      readonly item: AttributeMap;
    }
  | {
      readonly kind: 'embedded';
      readonly entity: string;
      readonly parentEntity: string;
      /** The parent item's key. */
      readonly key: AttributeMap;
      readonly attribute: string;
      readonly childKey: string;
      /** `<attribute>.<childKey>`, as in the update command's `set`/`remove`. */
      readonly path: string;
      readonly value: AttributeValue;
    };

export interface MapRowOptions {
  /** Column → Postgres type name (`numeric`, `timestamptz`, `_int4`), overriding the declared types. */
  columnTypes?: Readonly<Record<string, string>>;
  /** Source version to store in `_ver` (omitted otherwise: a row read from Postgres has none). */
  version?: string;
}

/**
 * Maps a row read directly from Postgres (the reconciler's path) to the item or embedded entry
 * the transformer would have written for it, with the same conversions. The row must hold every
 * declared column (`entity.columns`); see docs/type-mapping.md for how to read each type exactly.
 */
export function mapRow(entity: CompiledEntity, row: Readonly<Record<string, unknown>>, options: MapRowOptions = {}): MappedRow {
  const values = new Map<string, PgValue>();
  for (const column of entity.columns) {
    if (!Object.prototype.hasOwnProperty.call(row, column)) {
      throw new MappingError(
        MappingErrorCode.RowIncomplete,
        `entity "${entity.name}": the row has no column "${column}" (select every declared column: ${entity.columns.join(', ')})`,
        { entity: entity.name, column },
      );
    }
    const value = row[column];
    values.set(column, decodeColumn(entity, column, value, () => decodePostgresValue(value, typeFor(entity, column, options.columnTypes), { entity: entity.name, column })));
  }
  return mapPgRow(entity, values, options.version);
}

/** Maps an already normalised row (both paths end here). */
export function mapPgRow(entity: CompiledEntity, row: PgRow, version?: string): MappedRow {
  const versioned = (map: AttributeMap): AttributeMap => (version === undefined ? map : { ...map, [RESERVED_ATTRIBUTES.version]: { S: version } });
  const { key } = requireKey(entity, row);
  if (entity.embedded) {
    const childKey = childKeyOf(entity, row);
    const { set } = buildAttributes(entity, row, { entityType: false });
    return {
      kind: 'embedded',
      entity: entity.name,
      parentEntity: entity.embedded.parent,
      key,
      attribute: entity.embedded.attribute,
      childKey,
      path: `${entity.embedded.attribute}.${childKey}`,
      value: { M: versioned(set) },
    };
  }
  const { set } = buildAttributes(entity, row, { entityType: true });
  return { kind: 'item', entity: entity.name, key, item: versioned({ ...key, ...set }) };
}

const typeCache = new Map<string, ColumnType | undefined>();

function typeFor(entity: CompiledEntity, column: string, overrides: MapRowOptions['columnTypes']): ColumnType | undefined {
  const name = overrides?.[column];
  if (name === undefined) return entity.columnTypes.get(column);
  if (!typeCache.has(name)) typeCache.set(name, parseColumnType(name));
  const type = typeCache.get(name);
  if (!type) {
    throw new MappingError(MappingErrorCode.UnsupportedType, `entity "${entity.name}", column "${column}": unknown Postgres type "${name}"`, {
      entity: entity.name,
      column,
    });
  }
  return type;
}
