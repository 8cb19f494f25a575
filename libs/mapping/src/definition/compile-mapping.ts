import type { KeyAttribute, TableSpec } from '@pg2ddb/contracts';

import type { EncodeOptions } from '../values/attribute-encoder';
import {
  DEFAULT_ENTITY_TYPE_ATTRIBUTE,
  attributeColumns,
  declaredColumns,
  entityOptions,
} from './column-declarations';
import type { ColumnType } from './column-type';
import { parseDuration, type Duration } from '../values/iso-duration';
import { parseTemplate, type KeyTemplate } from './key-template';
import { assertValidMapping } from './load-mapping';
import type { EntityDefinition, Mapping } from './mapping-definition';

/** One key attribute and the template that renders it. */
export interface CompiledKeyPart {
  readonly attribute: KeyAttribute;
  readonly template: KeyTemplate;
  /** `key.pk`, `gsis.GSI1.sk`: names the template in messages. */
  readonly label: string;
  /** DynamoDB's size limit for this key attribute, in UTF-8 bytes. */
  readonly maxBytes: number;
}

export interface CompiledGsi {
  readonly name: string;
  /** The parts this entity renders (a part that is a table key attribute is implied). */
  readonly parts: readonly CompiledKeyPart[];
}

export interface CompiledAttribute {
  readonly column: string;
  readonly attribute: string;
  readonly options: EncodeOptions;
}

/** An entity ready to map rows: templates parsed, options resolved, nothing left to look up. */
export interface CompiledEntity {
  readonly name: string;
  readonly schema: string;
  readonly table: string;
  readonly primaryKey: readonly string[];
  /**
   * The columns read, in file order: what the reconciler selects and the transformer decodes. A
   * column left out by `attributes.include/exclude` and used by no key, GSI or TTL is not read at
   * all, so its values (and its absence after a DROP COLUMN) cannot fail a row.
   */
  readonly columns: readonly string[];
  /** Columns with an `unrepresentable` policy other than the default (dead-letter the row). */
  readonly unrepresentable: ReadonlyMap<string, 'string' | 'null'>;
  /** Declared column types (columns declared without a type are absent). */
  readonly columnTypes: ReadonlyMap<string, ColumnType>;
  readonly mode: 'item' | 'embedded';
  /** The item key (embedded: the parent's key, rendered over `embedded.columnMap`). */
  readonly key: readonly CompiledKeyPart[];
  /** This entity's columns the key depends on. */
  readonly keyColumns: readonly string[];
  /** True when the key depends only on primary key columns (so an update cannot move the item). */
  readonly keyUsesOnlyPrimaryKey: boolean;
  readonly gsis: readonly CompiledGsi[];
  readonly attributes: readonly CompiledAttribute[];
  readonly entityType: { readonly attribute: string; readonly value: string };
  readonly ttl?: { readonly column: string; readonly attribute: string; readonly offset: Duration };
  /** Upserts become `update` commands, because embedded children live in this entity's items. */
  readonly upsertAsUpdate: boolean;
  readonly embedded?: {
    readonly parent: string;
    readonly attribute: string;
    readonly childKey: KeyTemplate;
    /** Parent column → this entity's column. */
    readonly columnMap: ReadonlyMap<string, string>;
  };
}

/** A validated mapping, compiled once at start-up and shared by every event. */
export interface CompiledMapping {
  readonly mapping: Mapping;
  readonly table: TableSpec;
  readonly entities: readonly CompiledEntity[];
  /** The entity mapping a source table, if any. */
  entityFor(schema: string, table: string): CompiledEntity | undefined;
  /** The entity with this name, if any. */
  entity(name: string): CompiledEntity | undefined;
  /** Every mapped source table, for subscribing to Debezium topics. */
  sourceTables(): Array<{ schema: string; table: string }>;
}

const PARTITION_KEY_BYTES = 2048;
const SORT_KEY_BYTES = 1024;

/**
 * Validates (schema and semantics) and compiles a mapping. Throws `MappingConfigError` listing
 * every problem; `fileName` names the mapping in those messages.
 */
export function compileMapping(mapping: Mapping, fileName = 'mapping'): CompiledMapping {
  assertValidMapping(mapping, fileName);
  const table: TableSpec = {
    name: mapping.table.name,
    partitionKey: mapping.table.partitionKey,
    ...(mapping.table.sortKey ? { sortKey: mapping.table.sortKey } : {}),
    gsis: (mapping.table.gsis ?? []).map((gsi) => ({
      name: gsi.name,
      partitionKey: gsi.partitionKey,
      ...(gsi.sortKey ? { sortKey: gsi.sortKey } : {}),
      projection: gsi.projection ?? 'ALL',
    })),
    ...(mapping.table.ttlAttribute ? { ttlAttribute: mapping.table.ttlAttribute } : {}),
  };
  const definitions = new Map(mapping.entities.map((e) => [e.name, e]));
  const hasChildren = new Set(mapping.entities.filter((e) => e.parent?.mode === 'embedded').map((e) => e.parent!.entity));
  const entities = mapping.entities.map((entity) => compileEntity(mapping, table, entity, definitions, hasChildren.has(entity.name)));
  const bySource = new Map(entities.map((e) => [`${e.schema}\u0000${e.table}`, e]));
  const byName = new Map(entities.map((e) => [e.name, e]));
  return {
    mapping,
    table,
    entities,
    entityFor: (schema, tableName) => bySource.get(`${schema}\u0000${tableName}`),
    entity: (name) => byName.get(name),
    sourceTables: () => entities.map((e) => ({ schema: e.schema, table: e.table })),
  };
}

function template(source: string): KeyTemplate {
  const parsed = parseTemplate(source);
  if (!parsed.ok) throw new Error(`bug: template ${source} passed validation but does not parse`);
  return parsed.template;
}

function itemKey(mapping: Mapping, entity: EntityDefinition): CompiledKeyPart[] {
  const parts: CompiledKeyPart[] = [
    { attribute: mapping.table.partitionKey, template: template(entity.key!.pk), label: 'key.pk', maxBytes: PARTITION_KEY_BYTES },
  ];
  if (mapping.table.sortKey) {
    parts.push({ attribute: mapping.table.sortKey, template: template(entity.key!.sk!), label: 'key.sk', maxBytes: SORT_KEY_BYTES });
  }
  return parts;
}

function compileEntity(
  mapping: Mapping,
  table: TableSpec,
  entity: EntityDefinition,
  definitions: Map<string, EntityDefinition>,
  hasEmbeddedChildren: boolean,
): CompiledEntity {
  const declared = declaredColumns(entity);
  const options = entityOptions(mapping, entity);
  const columnTypes = new Map<string, ColumnType>();
  for (const column of declared.values()) if (column.type) columnTypes.set(column.name, column.type);

  let key: CompiledKeyPart[];
  let keyColumns: string[];
  let embedded: CompiledEntity['embedded'];
  if (entity.parent?.mode === 'embedded') {
    key = itemKey(mapping, definitions.get(entity.parent.entity)!);
    const columnMap = new Map(Object.entries(entity.parent.keyColumns ?? {}));
    const childKey = template(entity.parent.childKey ?? entity.primaryKey.map((c) => `{${c}}`).join('#'));
    keyColumns = [...new Set([...key.flatMap((p) => p.template.columns.map((c) => columnMap.get(c)!)), ...childKey.columns])];
    embedded = { parent: entity.parent.entity, attribute: entity.parent.attribute!, childKey, columnMap };
  } else {
    key = itemKey(mapping, entity);
    keyColumns = [...new Set(key.flatMap((p) => p.template.columns))];
  }

  const tableKeys = new Set([table.partitionKey.name, table.sortKey?.name]);
  const gsis: CompiledGsi[] = Object.entries(entity.gsis ?? {}).map(([name, templates]) => {
    const gsi = table.gsis.find((g) => g.name === name)!;
    const parts: CompiledKeyPart[] = [];
    if (!tableKeys.has(gsi.partitionKey.name)) {
      parts.push({ attribute: gsi.partitionKey, template: template(templates.pk!), label: `gsis.${name}.pk`, maxBytes: PARTITION_KEY_BYTES });
    }
    if (gsi.sortKey && !tableKeys.has(gsi.sortKey.name)) {
      parts.push({ attribute: gsi.sortKey, template: template(templates.sk!), label: `gsis.${name}.sk`, maxBytes: SORT_KEY_BYTES });
    }
    return { name, parts };
  });

  const attributes = attributeColumns(entity, declared).map(({ column, attribute }) => {
    const perColumn = declared.get(column)!;
    return {
      column,
      attribute,
      options: { nulls: options.nulls, json: perColumn.json ?? options.json, arrays: perColumn.arrays ?? options.arrays },
    };
  });

  const primaryKey = new Set(entity.primaryKey);
  const needed = new Set<string>([
    ...attributes.map((a) => a.column),
    ...keyColumns,
    ...entity.primaryKey,
    ...gsis.flatMap((g) => g.parts.flatMap((p) => p.template.columns)),
    ...(entity.ttl ? [entity.ttl.column] : []),
  ]);
  const unrepresentable = new Map<string, 'string' | 'null'>();
  for (const column of declared.values()) {
    if (column.unrepresentable === 'string' || column.unrepresentable === 'null') unrepresentable.set(column.name, column.unrepresentable);
  }
  return {
    name: entity.name,
    schema: entity.source.schema ?? 'public',
    table: entity.source.table,
    primaryKey: entity.primaryKey,
    columns: [...declared.keys()].filter((column) => needed.has(column)),
    unrepresentable,
    columnTypes,
    mode: entity.parent?.mode === 'embedded' ? 'embedded' : 'item',
    key,
    keyColumns,
    keyUsesOnlyPrimaryKey: keyColumns.every((c) => primaryKey.has(c)),
    gsis,
    attributes,
    entityType: { attribute: mapping.entityTypeAttribute ?? DEFAULT_ENTITY_TYPE_ATTRIBUTE, value: entity.entityType ?? entity.name },
    ...(entity.ttl
      ? { ttl: { column: entity.ttl.column, attribute: mapping.table.ttlAttribute!, offset: parseDuration(entity.ttl.offset ?? 'P0D')! } }
      : {}),
    upsertAsUpdate: hasEmbeddedChildren,
    ...(embedded ? { embedded } : {}),
  };
}
