import { UNAVAILABLE_VALUE_PLACEHOLDER, type ConnectSchema } from '@pg2ddb/contracts';

import type { ColumnType } from '../definition/column-type';
import { describeRaw, floatOrThrow, integerOrThrow } from './decimal-number';
import { MappingErrorCode, valueError, type ValueLocation } from '../mapping-error';
import { NULL_VALUE, UNAVAILABLE_VALUE, type PgValue } from './pg-value';
import { debeziumNamedDecoder, familyOfSourceType, typeFamily } from '../types/type-registry';
import { expectDebeziumString } from '../types/value-text';

/**
 * The transformer's path: one Debezium field (JsonConverter, schemas.enable=true) normalised to
 * `PgValue`, decided by the field's Connect schema: a named schema (`io.debezium.time.Date`, …)
 * by the family that owns the name, otherwise by its `type`. The column's family (declared, or
 * from the source type parameter) only settles what the schema cannot say: with
 * `decimal.handling.mode=string` a numeric column is a plain, unnamed `string` field,
 * indistinguishable from text. Each family's part is in the type registry (../types).
 */
export function decodeDebeziumValue(
  raw: unknown,
  schema: ConnectSchema | undefined,
  declared: ColumnType | undefined,
  where: ValueLocation,
): PgValue {
  if (raw === null || raw === undefined) return NULL_VALUE;
  if (!schema) {
    return valueError(MappingErrorCode.SchemaMissing, where, 'the event schema has no field for this column');
  }
  if (isPlaceholder(raw, schema)) return UNAVAILABLE_VALUE;
  const named = schema.name === undefined ? undefined : debeziumNamedDecoder(schema.name);
  return named ? named(raw, schema, where) : decodeByType(raw, schema, declared, where);
}

const SOURCE_TYPE_PARAMETER = '__debezium.source.column.type';
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeByType(raw: unknown, schema: ConnectSchema, declared: ColumnType | undefined, where: ValueLocation): PgValue {
  if (schema.type !== 'array') {
    // The family that may read what the schema cannot say: the source type's, else the declared one's.
    const sourceType = schema.parameters?.[SOURCE_TYPE_PARAMETER];
    const bySource = sourceType === undefined ? undefined : familyOfSourceType(sourceType.toUpperCase());
    const own = bySource?.fromDebezium?.(raw, schema, where) ?? (declared && !declared.array ? typeFamily(declared).fromDebezium?.(raw, schema, where) : undefined);
    if (own) return own;
  }
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
      return { kind: 'number', text: integerOrThrow(raw, where) };
    // The JsonConverter names FLOAT32/FLOAT64 `float` and `double` in the event schema.
    case 'float':
    case 'double':
    case 'float32':
    case 'float64':
      return { kind: 'number', text: floatOrThrow(raw, where) };
    case 'boolean':
      if (typeof raw !== 'boolean') return valueError(MappingErrorCode.ValueInvalid, where, `${describeRaw(raw)} is not a boolean`);
      return { kind: 'boolean', value: raw };
    case 'string':
      return { kind: 'text', text: expectDebeziumString(raw, where) };
    case 'bytes': {
      const base64 = expectDebeziumString(raw, where);
      if (!BASE64.test(base64)) return valueError(MappingErrorCode.ValueInvalid, where, 'bytes value is not base64', base64);
      return { kind: 'bytes', base64 };
    }
    case 'array': {
      if (!Array.isArray(raw)) return valueError(MappingErrorCode.ValueInvalid, where, `expected an array, got ${describeRaw(raw)}`);
      const element = declared ? { ...declared, array: false } : undefined;
      return {
        kind: 'array',
        items: raw.map((item: unknown, index) =>
          decodeDebeziumValue(item, schema.items, element, { ...where, path: `${where.path ?? '$'}[${index}]` }),
        ),
      };
    }
    case 'map':
      // hstore (hstore.handling.mode=map): a string → string map, stored like a json object.
      return { kind: 'json', text: JSON.stringify(raw) };
    default:
      return valueError(
        MappingErrorCode.UnsupportedType,
        where,
        `Connect type ${schema.type}${schema.name ? ` (${schema.name})` : ''} has no DynamoDB mapping; exclude the column`,
      );
  }
}

const PLACEHOLDER_BASE64 = Buffer.from(UNAVAILABLE_VALUE_PLACEHOLDER).toString('base64');
const PLACEHOLDER_CODES = [...UNAVAILABLE_VALUE_PLACEHOLDER].map((c) => c.charCodeAt(0));

/**
 * Debezium's unchanged-TOAST marker in each shape it takes: the string itself, its bytes for
 * bytea, a one-element array for text arrays, and the marker's byte values for integer arrays.
 */
function isPlaceholder(raw: unknown, schema: ConnectSchema): boolean {
  if (typeof raw === 'string') return raw === (schema.type === 'bytes' ? PLACEHOLDER_BASE64 : UNAVAILABLE_VALUE_PLACEHOLDER);
  if (!Array.isArray(raw) || schema.type !== 'array') return false;
  if (raw.length === 1 && raw[0] === UNAVAILABLE_VALUE_PLACEHOLDER) return true;
  return raw.length === PLACEHOLDER_CODES.length && raw.every((item, i) => Number(item) === PLACEHOLDER_CODES[i]);
}
