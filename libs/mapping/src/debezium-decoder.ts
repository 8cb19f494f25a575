import { UNAVAILABLE_VALUE_PLACEHOLDER, type ConnectSchema } from '@pg2ddb/contracts';

import type { ColumnType } from './column-type';
import { decimalOrThrow, decimalTextOrThrow, describeRaw, floatOrThrow, integerOrThrow } from './decimal-number';
import { MappingErrorCode, valueError, type ValueLocation } from './mapping-error';
import { NULL_VALUE, UNAVAILABLE_VALUE, type PgValue } from './pg-value';
import { intervalFromText, timestampFromText, timetzFromText } from './postgres-decoder';

/**
 * The transformer's path: one Debezium field (JsonConverter, schemas.enable=true) normalised to
 * `PgValue`, decided by the field's Connect schema (`type`, `name`, `parameters`). The declared
 * column type only settles what the schema cannot say: with `decimal.handling.mode=string` a
 * numeric column is a plain, unnamed `string` field, indistinguishable from text.
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
  switch (schema.name) {
    case 'io.debezium.time.Date':
    case 'org.apache.kafka.connect.data.Date':
      return dateFromDays(raw, where);
    case 'io.debezium.time.Time':
    case 'org.apache.kafka.connect.data.Time':
      return { kind: 'time', micros: int64(raw, where) * 1000n };
    case 'io.debezium.time.MicroTime':
      return { kind: 'time', micros: int64(raw, where) };
    case 'io.debezium.time.NanoTime':
      return { kind: 'time', micros: nanosToMicros(int64(raw, where), where) };
    case 'io.debezium.time.Timestamp':
    case 'org.apache.kafka.connect.data.Timestamp':
      return timestampFromInt(raw, 1000n, where);
    case 'io.debezium.time.MicroTimestamp':
      return timestampFromInt(raw, 1n, where);
    case 'io.debezium.time.NanoTimestamp':
      return timestampFromInt(raw, 0n, where);
    case 'io.debezium.time.ZonedTimestamp':
      return timestampFromText(expectString(raw, where), where);
    case 'io.debezium.time.ZonedTime':
      return timetzFromText(expectString(raw, where), where);
    case 'io.debezium.time.Interval':
      return intervalFromText(expectString(raw, where), where);
    case 'io.debezium.data.Json':
      return { kind: 'json', text: expectString(raw, where) };
    case 'org.apache.kafka.connect.data.Decimal':
      return { kind: 'number', text: decimalOrThrow(`${unscaled(raw, where)}e-${schema.parameters?.scale ?? '0'}`, where) };
    case 'io.debezium.data.VariableScaleDecimal':
      return variableScaleDecimal(raw, where);
    default:
      return decodeByType(raw, schema, declared, where);
  }
}

const SOURCE_TYPE_PARAMETER = '__debezium.source.column.type';
const NUMERIC_SOURCE_TYPES = new Set(['NUMERIC', 'DECIMAL', 'MONEY']);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeByType(raw: unknown, schema: ConnectSchema, declared: ColumnType | undefined, where: ValueLocation): PgValue {
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
    case 'string': {
      const text = expectString(raw, where);
      const sourceType = schema.parameters?.[SOURCE_TYPE_PARAMETER]?.toUpperCase();
      const family = declared && !declared.array ? declared.family : undefined;
      if (family === 'numeric' || (sourceType !== undefined && NUMERIC_SOURCE_TYPES.has(sourceType))) {
        return { kind: 'number', text: decimalTextOrThrow(text, where) };
      }
      if (family === 'json') return { kind: 'json', text };
      return { kind: 'text', text };
    }
    case 'bytes': {
      const base64 = expectString(raw, where);
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

function expectString(raw: unknown, where: ValueLocation): string {
  if (typeof raw === 'string') return raw;
  return valueError(MappingErrorCode.ValueInvalid, where, `expected text, got ${describeRaw(raw)}`);
}

/** An int64 as bigint, exact: JS numbers only while safe, otherwise bigint or digit text. */
function int64(raw: unknown, where: ValueLocation): bigint {
  return BigInt(integerOrThrow(raw, where));
}

// How the Postgres JDBC driver (and so Debezium) encodes timestamp 'infinity' / '-infinity'.
const POSITIVE_INFINITY_TIMESTAMP = 9223372036825200000n;
const NEGATIVE_INFINITY_TIMESTAMP = -9223372036832400000n;
// Debezium's LocalDate stand-ins for date 'infinity' / '-infinity' (-5877611-06-21 / -22), and int32's ends.
const POSITIVE_INFINITY_DAYS = new Set([-2147472692, 2147483647]);
const NEGATIVE_INFINITY_DAYS = new Set([-2147472691, -2147483648]);

// PostgreSQL's earliest timestamp, 4714-11-24 00:00:00 BC, in microseconds since 1970.
const EARLIEST_TIMESTAMP_MICROS = -210866803200000000n;

function timestampFromInt(raw: unknown, microsPerUnit: bigint, where: ValueLocation): PgValue {
  const value = infinityAware(raw, where);
  const micros = microsPerUnit === 0n ? nanosToMicros(value, where) : value * microsPerUnit;
  // The markers are in microseconds; `timestamp(0-3)` sends them in milliseconds.
  if (micros === POSITIVE_INFINITY_TIMESTAMP || micros === NEGATIVE_INFINITY_TIMESTAMP) {
    return { kind: 'infinity', negative: micros < 0n };
  }
  if (micros < EARLIEST_TIMESTAMP_MICROS) {
    // Debezium overflows int64 for timestamps past 294247 AD and sends a large negative number.
    return valueError(
      MappingErrorCode.ValueInvalid,
      where,
      `timestamp ${value} is before PostgreSQL's earliest timestamp (4714 BC): Debezium overflowed a timestamp after 294247 AD`,
      value,
    );
  }
  return { kind: 'timestamp', micros };
}

function infinityAware(raw: unknown, where: ValueLocation): bigint {
  // The microsecond sentinels are beyond 2^53; accept them even when JSON.parse has already rounded them.
  if (typeof raw === 'number' && raw === Number(POSITIVE_INFINITY_TIMESTAMP)) return POSITIVE_INFINITY_TIMESTAMP;
  if (typeof raw === 'number' && raw === Number(NEGATIVE_INFINITY_TIMESTAMP)) return NEGATIVE_INFINITY_TIMESTAMP;
  return int64(raw, where);
}

function dateFromDays(raw: unknown, where: ValueLocation): PgValue {
  const days = Number(int64(raw, where));
  if (POSITIVE_INFINITY_DAYS.has(days)) return { kind: 'infinity', negative: false };
  if (NEGATIVE_INFINITY_DAYS.has(days)) return { kind: 'infinity', negative: true };
  return { kind: 'date', days };
}

function nanosToMicros(nanos: bigint, where: ValueLocation): bigint {
  if (nanos % 1000n !== 0n) valueError(MappingErrorCode.ValueInvalid, where, 'sub-microsecond precision cannot come from Postgres', nanos);
  return nanos / 1000n;
}

/** Decodes a base64 two's-complement big-endian integer (Connect's Decimal encoding). */
function unscaled(raw: unknown, where: ValueLocation): string {
  const bytes = Buffer.from(expectString(raw, where), 'base64');
  if (bytes.length === 0) return '0';
  let value = BigInt(`0x${bytes.toString('hex')}`);
  if (bytes[0]! & 0x80) value -= 1n << BigInt(bytes.length * 8);
  return value.toString();
}

function variableScaleDecimal(raw: unknown, where: ValueLocation): PgValue {
  const struct = raw as { scale?: unknown; value?: unknown };
  if (typeof struct !== 'object' || typeof struct.scale !== 'number') {
    return valueError(MappingErrorCode.ValueInvalid, where, 'VariableScaleDecimal needs {scale, value}', raw);
  }
  return { kind: 'number', text: decimalOrThrow(`${unscaled(struct.value, where)}e-${struct.scale}`, where) };
}
