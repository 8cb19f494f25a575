import { parseColumnType, type ColumnType } from './column-type';
import type { EncodeOptions } from '../values/attribute-encoder';
import type { EntityDefinition, EntityOptions, Mapping } from './mapping-definition';

/** One declared column: its parsed type (when given and known) and per-column options. */
export interface DeclaredColumn {
  name: string;
  /** The type text as written, when one was given. */
  typeName?: string;
  /** Undefined when no type was declared, or when the name is unknown (a validation issue). */
  type?: ColumnType;
  json?: EncodeOptions['json'];
  arrays?: EncodeOptions['arrays'];
  unrepresentable?: 'dead-letter' | 'string' | 'null';
}

/** The entity's declared columns in file order (list or map form). */
export function declaredColumns(entity: EntityDefinition): Map<string, DeclaredColumn> {
  const columns = new Map<string, DeclaredColumn>();
  if (Array.isArray(entity.columns)) {
    for (const name of entity.columns) columns.set(name, { name });
    return columns;
  }
  for (const [name, declaration] of Object.entries(entity.columns)) {
    const typeName = typeof declaration === 'string' ? declaration : (declaration?.type ?? undefined);
    const column: DeclaredColumn = { name };
    if (typeName) {
      column.typeName = typeName;
      const type = parseColumnType(typeName);
      if (type) column.type = type;
    }
    if (declaration && typeof declaration === 'object') {
      if (declaration.json) column.json = declaration.json;
      if (declaration.arrays) column.arrays = declaration.arrays;
      if (declaration.unrepresentable) column.unrepresentable = declaration.unrepresentable;
    }
    columns.set(name, column);
  }
  return columns;
}

/** Entity options over mapping defaults over the built-in defaults (omit, map, list). */
export function entityOptions(mapping: Mapping, entity: EntityDefinition): EncodeOptions {
  const pick = (key: keyof EntityOptions) => (key in entity ? entity[key] : mapping.defaults?.[key]);
  const nulls = pick('nulls');
  return {
    // YAML's bare `null` means the `null` mode.
    nulls: nulls === undefined ? 'omit' : nulls === null ? 'null' : (nulls as EncodeOptions['nulls']),
    json: (pick('json') as EncodeOptions['json'] | undefined) ?? 'map',
    arrays: (pick('arrays') as EncodeOptions['arrays'] | undefined) ?? 'list',
  };
}

/** The entity's source as `schema.table` (schema defaults to `public`). */
export function sourceName(entity: EntityDefinition): string {
  return `${entity.source.schema ?? 'public'}.${entity.source.table}`;
}

/** Data attributes: column → attribute name, after include/exclude/rename. */
export function attributeColumns(entity: EntityDefinition, columns: Map<string, DeclaredColumn>): Array<{ column: string; attribute: string }> {
  const include = entity.attributes?.include ? new Set(entity.attributes.include) : undefined;
  const exclude = new Set(entity.attributes?.exclude ?? []);
  const rename = entity.attributes?.rename ?? {};
  const result: Array<{ column: string; attribute: string }> = [];
  for (const column of columns.keys()) {
    if ((include && !include.has(column)) || exclude.has(column)) continue;
    result.push({ column, attribute: Object.prototype.hasOwnProperty.call(rename, column) ? rename[column]! : column });
  }
  return result;
}

/** Default entity type attribute name. */
export const DEFAULT_ENTITY_TYPE_ATTRIBUTE = '_type';
