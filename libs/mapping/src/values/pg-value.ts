import { formatDate, formatTime, formatTimestamp } from './temporal-format';

/**
 * One Postgres value, normalised. Both paths produce it — the transformer from a Debezium field
 * (`decodeDebeziumValue`) and the reconciler from a row read with `pg` (`decodePostgresValue`) —
 * and everything after it (key templates, attribute conversion, TTL) is shared, so the two can
 * never disagree about what an item should look like.
 */
export type PgValue =
  | { readonly kind: 'null' }
  /** Debezium's `__debezium_unavailable_value`: an unchanged TOASTed value it could not read. */
  | { readonly kind: 'unavailable' }
  /** text, varchar, uuid, enum, and the canonical text of interval and timetz. */
  | { readonly kind: 'text'; readonly text: string }
  /** Any number, as canonical DynamoDB `N` text (already range-checked). */
  | { readonly kind: 'number'; readonly text: string }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'bytes'; readonly base64: string }
  /** timestamp (wall clock read as UTC) and timestamptz (an instant), as epoch microseconds. */
  | { readonly kind: 'timestamp'; readonly micros: bigint }
  | { readonly kind: 'date'; readonly days: number }
  /** time without time zone, microseconds since midnight. */
  | { readonly kind: 'time'; readonly micros: bigint }
  /** Postgres's `infinity` / `-infinity` dates and timestamps. */
  | { readonly kind: 'infinity'; readonly negative: boolean }
  /** json/jsonb as its text (parsed losslessly only when converted to a map). */
  | { readonly kind: 'json'; readonly text: string }
  | { readonly kind: 'array'; readonly items: readonly PgValue[] };

export const NULL_VALUE: PgValue = Object.freeze({ kind: 'null' });
export const UNAVAILABLE_VALUE: PgValue = Object.freeze({ kind: 'unavailable' });

/** A row of normalised values by column name. */
export type PgRow = ReadonlyMap<string, PgValue>;

/**
 * The text of a scalar value in a key template or a string set: the same canonical forms as the
 * attribute values (timestamps `2024-03-01T10:00:00.123456Z`, booleans `true`/`false`, bytes as
 * base64). Undefined for NULL, unavailable, json and arrays, which have no key text.
 */
export function scalarText(value: PgValue): string | undefined {
  switch (value.kind) {
    case 'text':
    case 'number':
      return value.text;
    case 'boolean':
      return value.value ? 'true' : 'false';
    case 'bytes':
      return value.base64;
    case 'timestamp':
      return formatTimestamp(value.micros);
    case 'date':
      return formatDate(value.days);
    case 'time':
      return formatTime(value.micros);
    case 'infinity':
      return value.negative ? '-infinity' : 'infinity';
    default:
      return undefined;
  }
}
