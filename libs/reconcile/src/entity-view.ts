import type { AttributeMap, AttributeValue, TableSpec } from '@pg2ddb/contracts';
import { mapRow, type CompiledEntity, type CompiledMapping, type MappedRow } from '@pg2ddb/mapping';
import type { KeysetSource, RawRow } from '@pg2ddb/postgres';

import type { ChildView } from './embedded-children';

/**
 * Everything the reconciler needs to know about one item-mode entity: how to read its rows, map
 * them, name their items and find a row again from an item.
 */
export interface EntityView {
  entity: CompiledEntity;
  table: TableSpec;
  source: KeysetSource;
  keyNames: readonly string[];
  /** Attributes owned by embedded child entities: left out of the item's own comparison. */
  ignore: readonly string[];
  /** The embedded child entities, compared entry by entry with their rows (see `childViews`). */
  children?: readonly ChildView[];
  /** Primary key column → the item attribute holding it (undefined when a PK column is not stored). */
  pkAttributes: ReadonlyMap<string, string> | undefined;
  columnTypes: Readonly<Record<string, string>>;
}

/** Builds the view of one entity from the compiled mapping and the table's column types. */
export function entityView(mapping: CompiledMapping, entity: CompiledEntity, types: ReadonlyMap<string, string>): EntityView {
  const keyNames = [mapping.table.partitionKey.name, ...(mapping.table.sortKey ? [mapping.table.sortKey.name] : [])];
  const ignore = mapping.entities.filter((child) => child.embedded?.parent === entity.name).map((child) => child.embedded!.attribute);
  const byColumn = new Map(entity.attributes.map((attribute) => [attribute.column, attribute.attribute]));
  const pkAttributes = entity.primaryKey.every((column) => byColumn.has(column))
    ? new Map(entity.primaryKey.map((column) => [column, byColumn.get(column)!]))
    : undefined;
  // Declared types win (they are what the transformer used); undeclared columns take the table's.
  const columnTypes: Record<string, string> = {};
  for (const column of entity.columns) {
    const type = types.get(column);
    if (!entity.columnTypes.has(column) && type) columnTypes[column] = type;
  }
  return {
    entity,
    table: mapping.table,
    keyNames,
    ignore,
    pkAttributes,
    columnTypes,
    source: { schema: entity.schema, table: entity.table, columns: entity.columns, primaryKey: entity.primaryKey, types },
  };
}

/** The item a row maps to (item-mode entities), with `_ver` when a version is given. */
export function expectedItem(view: EntityView, row: RawRow, version?: string): Extract<MappedRow, { kind: 'item' }> {
  const mapped = mapRow(view.entity, row, { columnTypes: view.columnTypes, ...(version ? { version } : {}) });
  if (mapped.kind !== 'item') throw new Error(`entity "${view.entity.name}" is embedded: its rows are compared through the parent`);
  return mapped;
}

/** The row's primary key as text values (what `readRowsByKeys` takes). */
export function sourceKeyOf(view: EntityView, row: RawRow): Record<string, string> {
  const key: Record<string, string> = {};
  for (const column of view.entity.primaryKey) key[column] = row[column] as string;
  return key;
}

/** The primary key of the row an item claims to come from, or undefined when the item does not say. */
export function sourceKeyOfItem(view: EntityView, item: AttributeMap): Record<string, string> | undefined {
  if (!view.pkAttributes) return undefined;
  const key: Record<string, string> = {};
  for (const [column, attribute] of view.pkAttributes) {
    const text = scalarText(item[attribute]);
    if (text === undefined) return undefined;
    key[column] = text;
  }
  return key;
}

/** Just the table key attributes of an item. */
export function keyOf(view: EntityView, item: AttributeMap): AttributeMap {
  const key: AttributeMap = {};
  for (const name of view.keyNames) if (item[name]) key[name] = item[name]!;
  return key;
}

/** A stable string for an item key, to match items with rows. */
export function keyIdentity(view: EntityView, key: AttributeMap): string {
  return view.keyNames.map((name) => JSON.stringify(key[name] ?? null)).join('|');
}

function scalarText(value: AttributeValue | undefined): string | undefined {
  if (!value) return undefined;
  if ('S' in value) return value.S;
  if ('N' in value) return value.N;
  if ('B' in value) return `\\x${Buffer.from(value.B, 'base64').toString('hex')}`;
  return undefined;
}
