import type { AttributeValue } from '@pg2ddb/contracts';

import { describeRaw, normalizeDecimal } from '../values/decimal-number';
import { canonicalInterval } from '../values/iso-duration';
import { MappingErrorCode, valueError, type ValueLocation } from '../mapping-error';
import type { PgValue } from '../values/pg-value';
import { formatTime, parseDate, parseTime, parseTimestamp } from '../values/temporal-format';
import type { ColumnType } from './type-family';

/*
 * The text decoders the type families share: Postgres text (and Debezium's string forms) to
 * `PgValue`, and the way back's helpers for attribute forms. Pure.
 */

/** A timestamp or timestamptz in ISO-8601 or Postgres text (or `infinity`), to epoch µs. */
export function timestampFromText(text: string, where: ValueLocation): PgValue {
  if (text === 'infinity' || text === '-infinity') return { kind: 'infinity', negative: text === '-infinity' };
  const parsed = parseTimestamp(text);
  if (!parsed.ok) return valueError(MappingErrorCode.ValueInvalid, where, parsed.problem, text);
  return { kind: 'timestamp', micros: parsed.value };
}

/** A date as `YYYY-MM-DD` (or `infinity`). */
export function dateFromText(text: string, where: ValueLocation): PgValue {
  if (text === 'infinity' || text === '-infinity') return { kind: 'infinity', negative: text === '-infinity' };
  const parsed = parseDate(text);
  if (!parsed.ok) return valueError(MappingErrorCode.ValueInvalid, where, parsed.problem, text);
  return { kind: 'date', days: parsed.value };
}

/** A time of day without time zone; `code` is the error code a bad value gets. */
export function timeFromText(text: string, where: ValueLocation, code: MappingErrorCode = MappingErrorCode.ValueInvalid): PgValue {
  const parsed = parseTime(text);
  if (!parsed.ok || parsed.value.zoned) return valueError(code, where, `${JSON.stringify(text)} is not a time of day`, text);
  return { kind: 'time', micros: parsed.value.micros };
}

/** A time with time zone, shifted to UTC: canonical `HH:MM:SS.ffffffZ`. */
export function timetzFromText(text: string, where: ValueLocation): PgValue {
  const parsed = parseTime(text);
  if (!parsed.ok || !parsed.value.zoned) {
    return valueError(MappingErrorCode.ValueInvalid, where, `${JSON.stringify(text)} is not a time with time zone`, text);
  }
  return { kind: 'text', text: `${formatTime(parsed.value.micros)}Z` };
}

/** An interval in ISO-8601 form, canonicalised to `P<y>Y<m>M<d>DT<h>H<m>M<s>S`. */
export function intervalFromText(text: string, where: ValueLocation): PgValue {
  const canonical = canonicalInterval(text);
  if (canonical === undefined) {
    return valueError(
      MappingErrorCode.ValueInvalid,
      where,
      `${JSON.stringify(text)} is not an ISO-8601 interval (read intervals with IntervalStyle = iso_8601)`,
      text,
    );
  }
  return { kind: 'text', text: canonical };
}

/**
 * A double-quoted element of Postgres's array or hstore text starting at `at` (`\` escapes the
 * next character): its text and the index after the closing quote; undefined when it never closes.
 */
export function readQuoted(text: string, at: number): { value: string; end: number } | undefined {
  let value = '';
  let index = at + 1;
  while (index < text.length && text[index] !== '"') {
    if (text[index] === '\\') index++;
    value += text[index] ?? '';
    index++;
  }
  return text[index] === '"' ? { value, end: index + 1 } : undefined;
}

/** The value as a string, or a `MAPPING_VALUE_INVALID` naming the declared type. */
export function expectPgString(raw: unknown, where: ValueLocation, type: ColumnType): string {
  if (typeof raw === 'string') return raw;
  const hint = raw instanceof Date ? ' (JS Date keeps only milliseconds: read this column as text)' : '';
  return valueError(MappingErrorCode.ValueInvalid, where, `expected ${type.declared} as text, got ${describeRaw(raw)}${hint}`);
}

/** A Debezium string field, or a `MAPPING_VALUE_INVALID`. */
export function expectDebeziumString(raw: unknown, where: ValueLocation): string {
  if (typeof raw === 'string') return raw;
  return valueError(MappingErrorCode.ValueInvalid, where, `expected text, got ${describeRaw(raw)}`);
}

/** The attribute's form, `S`, `N`, `M`, ... */
export function formOf(value: AttributeValue): string {
  return Object.keys(value)[0] ?? '?';
}

/** The way back: an attribute of the wrong form for the declared column. */
export function wrongForm(value: AttributeValue, type: ColumnType, wanted: string, where: ValueLocation): never {
  return valueError(MappingErrorCode.ItemInvalid, where, `attribute is ${formOf(value)}; a ${type.declared} column needs ${wanted}`);
}

/** The way back: an `N` as canonical number text, or `MAPPING_ITEM_INVALID`. */
export function numberText(text: string, where: ValueLocation): string {
  const result = normalizeDecimal(text);
  if (!result.ok) return valueError(MappingErrorCode.ItemInvalid, where, result.problem, text);
  return result.canonical;
}

/** The Postgres decoders throw `MAPPING_VALUE_INVALID`; on the way back the item is what is invalid. */
export function reword(decode: () => PgValue, where: ValueLocation, text: string): PgValue {
  try {
    return decode();
  } catch (error) {
    const problem = error instanceof Error ? error.message.replace(/^entity "[^"]*", column "[^"]*"(, at [^:]*)?: /, '') : String(error);
    return valueError(MappingErrorCode.ItemInvalid, where, problem, text);
  }
}

/** The way back for a family stored as `S` and read with a text decoder. */
export function fromTextAttribute(decode: (text: string, where: ValueLocation) => PgValue) {
  return (value: AttributeValue, type: ColumnType, _options: unknown, where: ValueLocation): PgValue =>
    'S' in value ? reword(() => decode(value.S, where), where, value.S) : wrongForm(value, type, 'S', where);
}
