import type { AttributeMap, AttributeValue } from '@pg2ddb/contracts';

import { encodeAttribute } from '../values/attribute-encoder';
import type { CompiledEntity, CompiledKeyPart } from '../definition/compile-mapping';
import { addDuration } from '../values/iso-duration';
import { renderTemplate } from '../definition/key-template';
import { MappingError, MappingErrorCode, valueError } from '../mapping-error';
import type { PgRow, PgValue } from '../values/pg-value';
import { MICROS_PER_SECOND, daysToMicros, floorDiv } from '../values/temporal-format';

/** The result of rendering a key: the key, or the column that kept it from rendering. */
export type KeyResult =
  | { readonly ok: true; readonly key: AttributeMap; readonly identity: string }
  | { readonly ok: false; readonly column: string; readonly reason: 'null' | 'unavailable' | 'absent'; readonly part: CompiledKeyPart };

/** An entity's attributes for one row, split the way an update needs them. */
export interface BuiltAttributes {
  /** Non-key attributes with a known value. */
  readonly set: AttributeMap;
  /** Attributes known to be absent (NULL with `nulls: omit`, sparse GSI, no TTL). */
  readonly remove: readonly string[];
  /** Columns holding the unavailable-value placeholder: their attributes stay as they are. */
  readonly unavailable: readonly string[];
}

/**
 * Renders the entity's item key (for an embedded child: the parent's key) from a row. Does not
 * throw for a NULL/absent/unavailable column: the caller words that error for its situation.
 */
export function computeKey(entity: CompiledEntity, row: PgRow): KeyResult {
  const keyRow = entity.embedded ? parentView(row, entity.embedded.columnMap) : row;
  const key: AttributeMap = {};
  let identity = '';
  for (const part of entity.key) {
    const value = renderKeyPart(entity, part, keyRow);
    if ('reason' in value) return { ok: false, column: childColumn(entity, value.column), reason: value.reason, part };
    if (value.empty) {
      throw new MappingError(
        MappingErrorCode.EmptyKey,
        `entity "${entity.name}": key attribute "${part.attribute.name}" would be empty (template ${JSON.stringify(part.template.source)})`,
        { entity: entity.name, attribute: part.attribute.name },
      );
    }
    key[part.attribute.name] = value.value;
    // Self-delimiting (type, length, text), so equal identities mean equal keys; cheaper than JSON.
    const text = keyText(value.value);
    identity += `${part.attribute.type}${text.length}:${text}`;
  }
  return { ok: true, key, identity };
}

function keyText(value: AttributeValue): string {
  if ('S' in value) return value.S;
  if ('N' in value) return value.N;
  if ('B' in value) return value.B;
  return JSON.stringify(value);
}

/** `computeKey` for a row that must have its key: NULL or unavailable key columns throw. */
export function requireKey(entity: CompiledEntity, row: PgRow): { key: AttributeMap; identity: string } {
  const result = computeKey(entity, row);
  if (result.ok) return result;
  const template = JSON.stringify(result.part.template.source);
  if (result.reason === 'unavailable') {
    throw new MappingError(
      MappingErrorCode.KeyValueUnavailable,
      `entity "${entity.name}": key attribute "${result.part.attribute.name}" needs column "${result.column}", which holds Debezium's unavailable-value placeholder (unchanged TOAST value); set REPLICA IDENTITY FULL on ${entity.schema}.${entity.table} or keep large columns out of key templates`,
      { entity: entity.name, column: result.column },
    );
  }
  throw new MappingError(
    MappingErrorCode.EmptyKey,
    `entity "${entity.name}": cannot build key attribute "${result.part.attribute.name}": column "${result.column}" is NULL (template ${template})`,
    { entity: entity.name, column: result.column, attribute: result.part.attribute.name },
  );
}

/** The map key of an embedded child (`items.<childKey>`). */
export function childKeyOf(entity: CompiledEntity, row: PgRow): string {
  const embedded = entity.embedded!;
  const site = { entity: entity.name, attribute: `${embedded.attribute}.<child key>` };
  const result = renderTemplate(embedded.childKey, row, site);
  if (!result.ok || result.text === '') {
    const why = result.ok ? 'would be empty' : `needs column "${result.column}", which is ${result.reason === 'null' ? 'NULL' : result.reason}`;
    throw new MappingError(
      result.ok || result.reason !== 'unavailable' ? MappingErrorCode.EmptyKey : MappingErrorCode.KeyValueUnavailable,
      `entity "${entity.name}": child key (template ${JSON.stringify(embedded.childKey.source)}) ${why}`,
      { entity: entity.name },
    );
  }
  return result.text;
}

/** The non-key attributes of a row: data columns, entity type, GSI keys and TTL. */
export function buildAttributes(entity: CompiledEntity, row: PgRow, options: { entityType: boolean }): BuiltAttributes {
  const set: AttributeMap = {};
  const remove: string[] = [];
  const unavailable: string[] = [];
  for (const { column, attribute, options: encode } of entity.attributes) {
    const value = row.get(column);
    if (value === undefined) continue;
    if (value.kind === 'unavailable') {
      unavailable.push(column);
      continue;
    }
    const encoded = encodeAttribute(value, encode, { entity: entity.name, column });
    if (encoded === undefined) remove.push(attribute);
    else set[attribute] = encoded;
  }
  if (options.entityType) set[entity.entityType.attribute] = { S: entity.entityType.value };

  for (const gsi of entity.gsis) {
    const rendered: Array<[string, AttributeValue]> = [];
    let sparse = false;
    let unknown = false;
    for (const part of gsi.parts) {
      const value = renderKeyPart(entity, part, row);
      if ('reason' in value) {
        if (value.reason === 'null') sparse = true;
        else unknown = true;
      } else if (value.empty) {
        sparse = true;
      } else {
        rendered.push([part.attribute.name, value.value]);
      }
    }
    // A NULL column or empty key keeps the item out of the index, whatever else is unknown.
    const state = sparse ? 'sparse' : unknown ? 'untouched' : 'set';
    // Sparse: leave the item out of the index by omitting every attribute of that GSI.
    if (state === 'set') for (const [name, value] of rendered) set[name] = value;
    else if (state === 'sparse') for (const part of gsi.parts) remove.push(part.attribute.name);
  }

  if (entity.ttl) {
    const value = row.get(entity.ttl.column);
    if (value && value.kind !== 'unavailable') {
      const seconds = expirySeconds(entity, value);
      if (seconds === undefined) remove.push(entity.ttl.attribute);
      else set[entity.ttl.attribute] = { N: seconds };
    }
  }
  return { set, remove, unavailable };
}

type RenderedPart = { value: AttributeValue; empty: false } | { empty: true } | { column: string; reason: 'null' | 'unavailable' | 'absent' };

function renderKeyPart(entity: CompiledEntity, part: CompiledKeyPart, row: PgRow): RenderedPart {
  const site = { entity: entity.name, attribute: part.attribute.name };
  if (part.attribute.type !== 'S') {
    // Validation guarantees a single bare placeholder for N and B key attributes.
    const column = part.template.columns[0]!;
    const value = row.get(column);
    if (value === undefined || value.kind === 'null' || value.kind === 'unavailable') {
      return { column, reason: value === undefined ? 'absent' : value.kind === 'null' ? 'null' : 'unavailable' };
    }
    const wanted = part.attribute.type === 'N' ? 'number' : 'bytes';
    if (value.kind !== wanted) {
      valueError(MappingErrorCode.TemplateValueInvalid, { entity: entity.name, column }, `a ${value.kind} value cannot be key attribute "${part.attribute.name}" of type ${part.attribute.type}`);
    }
    if (value.kind === 'number') return { value: { N: value.text }, empty: false };
    if (value.kind === 'bytes' && value.base64 !== '') return { value: { B: value.base64 }, empty: false };
    return { empty: true };
  }
  const result = renderTemplate(part.template, row, site);
  if (!result.ok) return { column: result.column, reason: result.reason };
  if (result.text === '') return { empty: true };
  const bytes = Buffer.byteLength(result.text, 'utf8');
  if (bytes > part.maxBytes) {
    throw new MappingError(
      MappingErrorCode.KeyTooLong,
      `entity "${entity.name}": key attribute "${part.attribute.name}" would be ${bytes} bytes; DynamoDB allows ${part.maxBytes} (template ${JSON.stringify(part.template.source)})`,
      { entity: entity.name, attribute: part.attribute.name, bytes },
    );
  }
  return { value: { S: result.text }, empty: false };
}

const INTEGER = /^-?\d+$/;

/** TTL: the column's instant plus the offset, in whole epoch seconds; undefined for NULL or infinity. */
function expirySeconds(entity: CompiledEntity, value: PgValue): string | undefined {
  const ttl = entity.ttl!;
  let micros: bigint;
  if (value.kind === 'timestamp') micros = value.micros;
  else if (value.kind === 'date') micros = daysToMicros(value.days);
  else if (value.kind === 'number' && INTEGER.test(value.text)) micros = BigInt(value.text) * MICROS_PER_SECOND;
  else if (value.kind === 'null' || value.kind === 'infinity') return undefined;
  else {
    return valueError(MappingErrorCode.ValueInvalid, { entity: entity.name, column: ttl.column }, `a ${value.kind} value cannot start a TTL; use a date, timestamp or integer epoch-seconds column`);
  }
  return floorDiv(addDuration(micros, ttl.offset), MICROS_PER_SECOND).toString();
}

function parentView(row: PgRow, columnMap: ReadonlyMap<string, string>): PgRow {
  const view = new Map<string, PgValue>();
  for (const [parentColumn, childColumn] of columnMap) {
    const value = row.get(childColumn);
    if (value !== undefined) view.set(parentColumn, value);
  }
  return view;
}

function childColumn(entity: CompiledEntity, column: string): string {
  return entity.embedded?.columnMap.get(column) ?? column;
}
