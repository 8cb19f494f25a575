import { integerOrThrow } from '../values/decimal-number';
import { MappingErrorCode, valueError, type ValueLocation } from '../mapping-error';
import type { PgValue } from '../values/pg-value';
import { formatPgTimestamp } from '../values/temporal-format';
import { PLAIN_FAMILY, type TypeFamily } from './type-family';
import {
  dateFromText,
  expectDebeziumString,
  expectPgString,
  fromTextAttribute,
  intervalFromText,
  timeFromText,
  timestampFromText,
  timetzFromText,
  wrongForm,
} from './value-text';

/*
 * Dates, times, timestamps and intervals. The Debezium decoders follow the shipped
 * time.precision.mode=adaptive_time_microseconds and interval.handling.mode=string (and accept the
 * other modes' named schemas too); see docs/type-mapping.md for the forms and the sentinels.
 */

const DATE_KEY_TEXT = /^[0-9\-+infty]$/;
const TIMESTAMP_KEY_TEXT = /^[0-9\-+:.TZinfty]$/;
const TIME_KEY_TEXT = /^[0-9:.Z]$/;
/** timestamp and timestamptz: `S`, a point in time (range-checked, a TTL source), never empty. */
const INSTANT = { form: 'S', checks: ['date-range'], keyNeverEmpty: true, keyAlphabet: TIMESTAMP_KEY_TEXT, ttlSource: true, temporal: true, group: 'timestamp' } as const;
/** time and timetz: `S`, never empty, not a point in time. */
const TIME_OF_DAY = { ...PLAIN_FAMILY, form: 'S', keyNeverEmpty: true, keyAlphabet: TIME_KEY_TEXT } as const;

/** date: `S` `YYYY-MM-DD`. */
export const DATE_FAMILY: TypeFamily = {
  name: 'date',
  aliases: ['date'],
  form: 'S',
  fromPostgres: (raw, type, where) => dateFromText(expectPgString(raw, where, type), where),
  debeziumNames: {
    'io.debezium.time.Date': (raw, _schema, where) => dateFromDays(raw, where),
    'org.apache.kafka.connect.data.Date': (raw, _schema, where) => dateFromDays(raw, where),
  },
  fromAttribute: fromTextAttribute(dateFromText),
  checks: ['date-range'],
  keyNeverEmpty: true,
  keyAlphabet: DATE_KEY_TEXT,
  ttlSource: true,
  temporal: true,
};

/** time: `S` `HH:MM:SS.ffffff`. */
export const TIME_FAMILY: TypeFamily = {
  name: 'time',
  aliases: ['time', 'time without time zone'],
  ...TIME_OF_DAY,
  fromPostgres: (raw, type, where) => timeFromText(expectPgString(raw, where, type), where),
  debeziumNames: {
    'io.debezium.time.Time': (raw, _schema, where) => ({ kind: 'time', micros: int64(raw, where) * 1000n }),
    'org.apache.kafka.connect.data.Time': (raw, _schema, where) => ({ kind: 'time', micros: int64(raw, where) * 1000n }),
    'io.debezium.time.MicroTime': (raw, _schema, where) => ({ kind: 'time', micros: int64(raw, where) }),
    'io.debezium.time.NanoTime': (raw, _schema, where) => ({ kind: 'time', micros: nanosToMicros(int64(raw, where), where) }),
  },
  fromAttribute: (value, type, _options, where) => ('S' in value ? timeFromText(value.S, where, MappingErrorCode.ItemInvalid) : wrongForm(value, type, 'S', where)),
};

/** time with time zone: `S` `HH:MM:SS.ffffffZ`, shifted to UTC. */
export const TIMETZ_FAMILY: TypeFamily = {
  name: 'timetz',
  aliases: ['timetz', 'time with time zone'],
  ...TIME_OF_DAY,
  fromPostgres: (raw, type, where) => timetzFromText(expectPgString(raw, where, type), where),
  debeziumNames: { 'io.debezium.time.ZonedTime': (raw, _schema, where) => timetzFromText(expectDebeziumString(raw, where), where) },
  fromAttribute: fromTextAttribute(timetzFromText),
  // Normalised to `HH:MM:SS.ffffffZ`; Postgres reads `Z` too, `+00` is plainer.
  toParam: (value) => (value.kind === 'text' && value.text.endsWith('Z') ? `${value.text.slice(0, -1)}+00` : undefined),
  inverseWarning: 'comes back shifted to UTC (+00)',
};

/** timestamp (wall clock, written as UTC): `S` `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
export const TIMESTAMP_FAMILY: TypeFamily = {
  name: 'timestamp',
  aliases: ['timestamp', 'timestamp without time zone'],
  ...INSTANT,
  fromPostgres: (raw, type, where) => timestampFromText(expectPgString(raw, where, type), where),
  debeziumNames: {
    'io.debezium.time.Timestamp': (raw, _schema, where) => timestampFromInt(raw, 1000n, where),
    'org.apache.kafka.connect.data.Timestamp': (raw, _schema, where) => timestampFromInt(raw, 1000n, where),
    'io.debezium.time.MicroTimestamp': (raw, _schema, where) => timestampFromInt(raw, 1n, where),
    'io.debezium.time.NanoTimestamp': (raw, _schema, where) => timestampFromInt(raw, 0n, where),
  },
  fromAttribute: fromTextAttribute(timestampFromText),
};

/** timestamp with time zone (an instant): `S` `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
export const TIMESTAMPTZ_FAMILY: TypeFamily = {
  name: 'timestamptz',
  aliases: ['timestamptz', 'timestamp with time zone'],
  ...INSTANT,
  fromPostgres: TIMESTAMP_FAMILY.fromPostgres,
  debeziumNames: { 'io.debezium.time.ZonedTimestamp': (raw, _schema, where) => timestampFromText(expectDebeziumString(raw, where), where) },
  fromAttribute: TIMESTAMP_FAMILY.fromAttribute,
  toParam: (value) => (value.kind === 'timestamp' ? formatPgTimestamp(value.micros, '+00') : undefined),
};

/** interval: `S` in canonical ISO-8601 (read with IntervalStyle = iso_8601). */
export const INTERVAL_FAMILY: TypeFamily = {
  name: 'interval',
  aliases: ['interval'],
  form: 'S',
  fromPostgres: (raw, type, where) => intervalFromText(expectPgString(raw, where, type), where),
  debeziumNames: { 'io.debezium.time.Interval': (raw, _schema, where) => intervalFromText(expectDebeziumString(raw, where), where) },
  fromAttribute: fromTextAttribute(intervalFromText),
  checks: [],
  keyNeverEmpty: true,
  ttlSource: false,
  temporal: false,
};

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
