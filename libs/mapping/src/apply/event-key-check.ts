import type { DebeziumEnvelope } from '@pg2ddb/contracts';

import { parseJsonLossless } from '../values/lossless-json';
import { MappingError, MappingErrorCode } from '../mapping-error';

/**
 * Checks that a change event's Kafka key names the same row as its value: every field of the
 * key (Debezium keys by primary key) must be in the value's row — `before` for a delete, `after`
 * otherwise — with the same value. Kafka orders and compacts by the key, so a message whose key
 * and value disagree would be applied out of order with the row it claims to be, and applied
 * as-is it creates an item for a row that does not exist. Throws `MappingError`
 * `MAPPING_KEY_MISMATCH` (or `MAPPING_KEY_MISSING` for a change event without a key); logical
 * messages and truncates, which Debezium sends without a key, are not checked.
 */
export function checkEventKey(key: Buffer | string | null | undefined, envelope: DebeziumEnvelope): void {
  const { op } = envelope.payload;
  if (op !== 'c' && op !== 'r' && op !== 'u' && op !== 'd') return;
  const source = `${envelope.payload.source.schema}.${envelope.payload.source.table}`;
  if (key === null || key === undefined || key.length === 0) {
    throw new MappingError(MappingErrorCode.KeyMissing, `the ${op} event for ${source} has no Kafka key; Debezium keys every change by the row's primary key`, { source });
  }
  const fields = keyFields(key, source);
  const side = op === 'd' ? 'before' : 'after';
  const row = envelope.payload[side];
  if (!row || typeof row !== 'object') return; // mapChange reports the missing row with its own code
  for (const [column, keyValue] of Object.entries(fields)) {
    const present = Object.prototype.hasOwnProperty.call(row, column);
    const rowValue = present ? row[column] : undefined;
    if (present && canonical(rowValue) === canonical(keyValue)) continue;
    throw new MappingError(
      MappingErrorCode.KeyMismatch,
      `the Kafka key of the ${op} event for ${source} does not match its value: key ${column}=${canonical(keyValue)}, "${side}" ${present ? `${column}=${canonical(rowValue)}` : `has no column "${column}"`}`,
      { source, column, key: canonical(keyValue), value: present ? canonical(rowValue) : null },
    );
  }
}

function keyFields(key: Buffer | string, source: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parseJsonLossless(typeof key === 'string' ? key : key.toString('utf8'));
  } catch (error) {
    throw new MappingError(MappingErrorCode.KeyMismatch, `the Kafka key of an event for ${source} is not JSON: ${(error as Error).message}`, { source });
  }
  // The JsonConverter with schemas.enable=true wraps the key struct as {schema, payload}.
  const struct = isObject(parsed) && 'payload' in parsed && 'schema' in parsed ? parsed['payload'] : parsed;
  if (!isObject(struct) || Object.keys(struct).length === 0) {
    throw new MappingError(MappingErrorCode.KeyMismatch, `the Kafka key of an event for ${source} is not a primary key struct`, { source });
  }
  return struct;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// Key and value come from the same converter, so equal values have equal JSON; bigints (int64
// beyond 2^53, from the lossless parser) print as their digits.
function canonical(value: unknown): string {
  if (typeof value === 'bigint' || typeof value === 'number') return String(value);
  return JSON.stringify(value, (_name, inner: unknown) => (typeof inner === 'bigint' ? inner.toString() : inner)) ?? 'undefined';
}
