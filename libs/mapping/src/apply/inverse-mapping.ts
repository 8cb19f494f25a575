import { RESERVED_ATTRIBUTES, type AttributeMap, type AttributeValue } from '@pg2ddb/contracts';

import { decodeAttribute } from '../values/attribute-decoder';
import { declaredColumns } from '../definition/column-declarations';
import type { EncodeOptions } from '../values/attribute-encoder';
import type { CompiledEntity, CompiledKeyPart, CompiledMapping } from '../definition/compile-mapping';
import type { ColumnType } from '../definition/column-type';
import { computeKey } from './item-builder';
import type { Placeholder } from '../definition/key-template';
import { keyTextAlphabet, placeholderLoss, readTemplate } from './key-template-reader';
import { MappingError, MappingErrorCode, valueError, type ValueLocation } from '../mapping-error';
import { toPgParam, type PgParam } from '../values/pg-param';
import type { PgValue } from '../values/pg-value';
import { MICROS_PER_DAY } from '../values/temporal-format';
import { typeFamily } from '../types/type-registry';

/** Where one column's value comes from when an item becomes a row. */
export type InverseSource =
  | { readonly kind: 'attribute'; readonly attribute: string; readonly options: EncodeOptions }
  | { readonly kind: 'key'; readonly part: CompiledKeyPart; readonly placeholder: Placeholder }
  /** Not in the item: inserted as this literal (null: the column's own DEFAULT), left alone on update. */
  | { readonly kind: 'default'; readonly literal: string | null };

export interface InverseColumn {
  readonly column: string;
  readonly type?: ColumnType;
  readonly source: InverseSource;
}

/** One entity on the way back, with the verdict `validate` prints. */
export interface InverseEntity {
  readonly entity: CompiledEntity;
  /** True when every item of the entity becomes exactly the row it came from. */
  readonly invertible: boolean;
  /** Why it is not invertible (empty when it is). */
  readonly reasons: readonly string[];
  /** Invertible, but worth knowing (sets lose order, no declared type, ...). */
  readonly warnings: readonly string[];
  readonly columns: readonly InverseColumn[];
}

/** The inverse of a compiled mapping: which entity an item belongs to and how it becomes a row. */
export interface InverseMapping {
  readonly compiled: CompiledMapping;
  readonly entities: readonly InverseEntity[];
  entity(name: string): InverseEntity | undefined;
  /** The entity of an item: by its entity-type attribute, else the one entity whose key templates read its key. */
  entityOfItem(item: AttributeMap): InverseEntity | undefined;
}

/** An item as a row of its entity's table. */
export interface InvertedRow {
  readonly entity: InverseEntity;
  /** Every column the item determines, normalised. */
  readonly values: ReadonlyMap<string, PgValue>;
  /** Columns to write on insert and on update, as Postgres parameters. */
  readonly params: Readonly<Record<string, PgParam>>;
  /** Columns the item does not carry, written only when the row is inserted. */
  readonly insertDefaults: Readonly<Record<string, string>>;
  /** The primary key columns, as Postgres parameters (also in `params`). */
  readonly primaryKey: Readonly<Record<string, PgParam>>;
  /** Item attributes the mapping does not know: they have no column on the way back. */
  readonly unknownAttributes: readonly string[];
}

/**
 * Derives the way back from the same compiled mapping: for each entity, where every declared
 * column comes from (its attribute, or its placeholder in the item key, or an `inverse.defaults`
 * literal) and whether that is exact. Pure; see docs/rollback.md.
 */
export function compileInverse(compiled: CompiledMapping): InverseMapping {
  const entities = compiled.entities.map((entity) => invertEntity(compiled, entity));
  const byName = new Map(entities.map((e) => [e.entity.name, e]));
  const typeAttribute = compiled.entities[0]?.entityType.attribute;
  const byType = new Map<string, InverseEntity[]>();
  for (const e of entities) {
    if (e.entity.mode === 'embedded') continue;
    byType.set(e.entity.entityType.value, [...(byType.get(e.entity.entityType.value) ?? []), e]);
  }
  return {
    compiled,
    entities,
    entity: (name) => byName.get(name),
    entityOfItem: (item) => {
      const typeValue = typeAttribute ? item[typeAttribute] : undefined;
      const candidates = typeValue && 'S' in typeValue ? byType.get(typeValue.S) : undefined;
      if (candidates?.length === 1) return candidates[0];
      const readable = (candidates ?? entities.filter((e) => e.entity.mode === 'item')).filter((e) => keyReads(e.entity, item));
      return readable.length === 1 ? readable[0] : undefined;
    },
  };
}

function keyReads(entity: CompiledEntity, item: AttributeMap): boolean {
  return entity.key.every((part) => {
    const text = keyAttributeText(item[part.attribute.name]);
    return text !== undefined && (part.attribute.type !== 'S' || readTemplate(part.template, text) !== undefined);
  });
}

function keyAttributeText(value: AttributeValue | undefined): string | undefined {
  if (!value) return undefined;
  if ('S' in value) return value.S;
  if ('N' in value) return value.N;
  if ('B' in value) return value.B;
  return undefined;
}

function invertEntity(compiled: CompiledMapping, entity: CompiledEntity): InverseEntity {
  const reasons: string[] = [];
  const warnings: string[] = [];
  const definition = compiled.mapping.entities.find((e) => e.name === entity.name);
  const defaults = definition?.inverse?.defaults ?? {};
  const byColumn = new Map(entity.attributes.map((a) => [a.column, a]));
  const columns: InverseColumn[] = [];
  if (entity.mode === 'embedded') {
    reasons.push(`its rows live as entries of the "${entity.embedded!.attribute}" map inside ${entity.embedded!.parent} items; the way back does not split embedded children into rows`);
  }
  // Every declared column, not only those the forward path reads: an excluded column is not read
  // (attributes.exclude), but a row written back still needs a value for it.
  const declared = definition ? [...declaredColumns(definition).keys()] : [];
  for (const column of [...new Set([...declared, ...entity.columns])]) {
    const type = entity.columnTypes.get(column);
    const typed = type ? { type } : {};
    const attribute = byColumn.get(column);
    if (!type) warnings.push(`column "${column}" has no declared type: the attribute's own form decides the value`);
    if (attribute) {
      columns.push({ column, ...typed, source: { kind: 'attribute', attribute: attribute.attribute, options: attribute.options } });
      if (type?.array && attribute.options.arrays === 'set') warnings.push(`column "${column}" is stored as a set: element order and duplicates do not come back, and an empty array comes back NULL`);
      if (type?.family === 'json' && !type.array && attribute.options.nulls === 'null') {
        warnings.push(`column "${column}" (json) with nulls: null: a JSON null and an SQL NULL are both stored as NULL and come back as SQL NULL`);
      }
      const lossy = type ? typeFamily(type).inverseWarning : undefined;
      if (lossy) warnings.push(`column "${column}" (${type!.family}) ${lossy}`);
      continue;
    }
    const fromKey = entity.mode === 'item' ? keySource(entity, column, type) : undefined;
    if (fromKey && 'problem' in fromKey) reasons.push(fromKey.problem);
    else if (fromKey) {
      columns.push({ column, ...typed, source: fromKey.source });
      if (fromKey.warning) warnings.push(fromKey.warning);
    } else if (Object.prototype.hasOwnProperty.call(defaults, column)) {
      columns.push({ column, ...typed, source: { kind: 'default', literal: defaults[column] ?? null } });
    } else if (entity.mode === 'item') {
      reasons.push(`column "${column}" is not in the item (excluded from the attributes, not in the key) and has no inverse default; declare inverse.defaults.${column} (null: the column's own DEFAULT)`);
    }
  }
  return { entity, invertible: reasons.length === 0, reasons, warnings, columns };
}

type KeySource = { source: InverseSource; warning?: string } | { problem: string };

function keySource(entity: CompiledEntity, column: string, type: ColumnType | undefined): KeySource | undefined {
  for (const part of entity.key) {
    const index = part.template.parts.findIndex((p) => 'column' in p && p.column === column);
    if (index === -1) continue;
    const placeholder = part.template.parts[index] as Placeholder;
    const where = `column "${column}" is not an attribute and its placeholder in ${part.label} (${JSON.stringify(part.template.source)})`;
    const loss = placeholderLoss(placeholder, type);
    if (loss) return { problem: `${where} cannot be read back: ${loss}` };
    const next = part.template.parts[index + 1];
    if (next && !('literal' in next)) return { problem: `${where} cannot be read back: it touches the next placeholder with no literal between them` };
    const source: InverseSource = { kind: 'key', part, placeholder };
    if (next && 'literal' in next && index + 1 < part.template.parts.length - 1) {
      const alphabet = keyTextAlphabet(type);
      if (!alphabet || alphabet.test(next.literal[0]!)) {
        return { source, warning: `${where} is read up to the next ${JSON.stringify(next.literal)}; an item whose value contains it is dead-lettered (its key does not re-render)` };
      }
    }
    return { source };
  }
  return undefined;
}

/**
 * An item as a row of its entity's table, exact to the declared types; the row's key is rendered
 * again and must equal the item's. Throws `MAPPING_ITEM_UNMAPPED` when no entity claims the item
 * and `MAPPING_ITEM_INVALID` when it cannot become a row exactly.
 */
export function itemToRow(inverse: InverseMapping, item: AttributeMap): InvertedRow {
  const entity = inverse.entityOfItem(item);
  if (!entity) {
    const typeAttribute = inverse.compiled.entities[0]?.entityType.attribute ?? '_type';
    throw new MappingError(
      MappingErrorCode.ItemUnmapped,
      `no entity of the mapping claims the item with key ${describeKey(inverse, item)} (entity type attribute "${typeAttribute}" ${item[typeAttribute] ? `is ${JSON.stringify(item[typeAttribute])}` : 'is absent'})`,
      { key: describeKey(inverse, item) },
    );
  }
  return entityItemToRow(entity, item);
}

/** `itemToRow` for an item whose entity is known. */
export function entityItemToRow(entity: InverseEntity, item: AttributeMap): InvertedRow {
  const name = entity.entity.name;
  if (!entity.invertible) {
    throw new MappingError(MappingErrorCode.ItemInvalid, `entity "${name}" is not invertible: ${entity.reasons.join('; ')}`, { entity: name });
  }
  const values = new Map<string, PgValue>();
  const params: Record<string, PgParam> = {};
  const insertDefaults: Record<string, string> = {};
  const read = new Map<CompiledKeyPart, Map<Placeholder, string>>();
  for (const { column, type, source } of entity.columns) {
    const where: ValueLocation = { entity: name, column };
    let value: PgValue;
    if (source.kind === 'default') {
      if (source.literal !== null) insertDefaults[column] = source.literal;
      continue;
    } else if (source.kind === 'attribute') {
      value = decodeAttribute(item[source.attribute], type, source.options, where);
    } else {
      value = placeholderValue(readKeyPart(entity, source.part, item, read).get(source.placeholder)!, source.placeholder, type, where);
    }
    values.set(column, value);
    params[column] = toPgParam(value, type);
  }
  const rendered = computeKey(entity.entity, values);
  const expected = entity.entity.key.map((part) => JSON.stringify(item[part.attribute.name] ?? null)).join(' ');
  const actual = rendered.ok ? entity.entity.key.map((part) => JSON.stringify(rendered.key[part.attribute.name])).join(' ') : undefined;
  if (actual !== expected) {
    const why = rendered.ok ? `renders back as ${actual}` : `cannot render back: column "${rendered.column}" is ${rendered.reason === 'null' ? 'NULL' : rendered.reason}`;
    throw new MappingError(MappingErrorCode.ItemInvalid, `entity "${name}": the item's key ${expected} ${why}; the row would not map to this item`, { entity: name });
  }
  const primaryKey: Record<string, PgParam> = {};
  for (const column of entity.entity.primaryKey) primaryKey[column] = params[column] ?? null;
  return { entity, values, params, insertDefaults, primaryKey, unknownAttributes: unknownAttributes(entity, item) };
}

function readKeyPart(entity: InverseEntity, part: CompiledKeyPart, item: AttributeMap, cache: Map<CompiledKeyPart, Map<Placeholder, string>>): Map<Placeholder, string> {
  const cached = cache.get(part);
  if (cached) return cached;
  const text = keyAttributeText(item[part.attribute.name]);
  const parsed = text === undefined ? undefined : part.attribute.type === 'S' ? readTemplate(part.template, text) : new Map([[part.template.placeholders[0]!, text]]);
  if (!parsed) {
    throw new MappingError(
      MappingErrorCode.ItemInvalid,
      `entity "${entity.entity.name}": key attribute "${part.attribute.name}" ${text === undefined ? 'is missing' : `${JSON.stringify(text)} does not match template ${JSON.stringify(part.template.source)}`}`,
      { entity: entity.entity.name, attribute: part.attribute.name },
    );
  }
  cache.set(part, parsed);
  return parsed;
}

const LEADING_ZEROS = /^0+(?=\d)/;

/** A placeholder's text back to the column's value (`pad` zeros stripped, `iso` of a date back to the day). */
function placeholderValue(text: string, placeholder: Placeholder, type: ColumnType | undefined, where: ValueLocation): PgValue {
  const formatter = placeholder.formatter;
  const options: EncodeOptions = { nulls: 'omit', json: 'string', arrays: 'list' };
  if (formatter?.name === 'pad') return decodeAttribute({ N: text.replace(LEADING_ZEROS, '') }, type, options, where);
  if (formatter?.name === 'iso' && type?.family === 'date') {
    const instant = decodeAttribute({ S: text }, { declared: 'timestamp', family: 'timestamp', array: false }, options, where);
    if (instant.kind !== 'timestamp') return instant;
    if (instant.micros % MICROS_PER_DAY !== 0n) return valueError(MappingErrorCode.ItemInvalid, where, `${JSON.stringify(text)} is not midnight, so not a date`, text);
    return { kind: 'date', days: Number(instant.micros / MICROS_PER_DAY) };
  }
  switch (type ? typeFamily(type).form : undefined) {
    case 'N':
      return decodeAttribute({ N: text }, type, options, where);
    case 'BOOL':
      if (text !== 'true' && text !== 'false') return valueError(MappingErrorCode.ItemInvalid, where, `${JSON.stringify(text)} is not a boolean`, text);
      return { kind: 'boolean', value: text === 'true' };
    case 'B':
      return decodeAttribute({ B: text }, type, options, where);
    default:
      return decodeAttribute({ S: text }, type, options, where);
  }
}

function unknownAttributes(entity: InverseEntity, item: AttributeMap): string[] {
  const e = entity.entity;
  const known = new Set<string>([RESERVED_ATTRIBUTES.version, e.entityType.attribute, ...e.key.map((p) => p.attribute.name)]);
  for (const column of entity.columns) if (column.source.kind === 'attribute') known.add(column.source.attribute);
  for (const gsi of e.gsis) for (const part of gsi.parts) known.add(part.attribute.name);
  if (e.ttl) known.add(e.ttl.attribute);
  return Object.keys(item).filter((name) => !known.has(name));
}

function describeKey(inverse: InverseMapping, item: AttributeMap): string {
  const table = inverse.compiled.table;
  const names = [table.partitionKey.name, ...(table.sortKey ? [table.sortKey.name] : [])];
  return names.map((n) => `${n}=${keyAttributeText(item[n]) ?? '?'}`).join(' ');
}
