import type { ColumnType } from './column-type';
import { decimalTextOrThrow, describeRaw, floatOrThrow, integerOrThrow } from './decimal-number';
import { canonicalInterval } from './iso-duration';
import { MappingErrorCode, valueError, type ValueLocation } from './mapping-error';
import { NULL_VALUE, type PgValue } from './pg-value';
import { formatTime, parseDate, parseTime, parseTimestamp } from './temporal-format';

/**
 * The reconciler's path: a value read straight from Postgres with `pg`, normalised to `PgValue`.
 * Exactness needs text for a few types (see docs/type-mapping.md): numeric and int8 as text (the
 * `pg` default), timestamps/dates/times as text (`pg.types.setTypeParser` returning the string, or
 * `::text`), intervals with `IntervalStyle = iso_8601`, json/jsonb as text, money as `::numeric`.
 */
export function decodePostgresValue(raw: unknown, type: ColumnType | undefined, where: ValueLocation): PgValue {
  if (raw === null || raw === undefined) return NULL_VALUE;
  if (!type) return inferValue(raw, where);
  if (type.array) return decodeArray(raw, type, where);
  switch (type.family) {
    case 'integer':
      return { kind: 'number', text: integerOrThrow(raw, where) };
    case 'numeric':
      return { kind: 'number', text: decimalTextOrThrow(raw, where) };
    case 'float':
      return { kind: 'number', text: floatOrThrow(raw, where) };
    case 'boolean':
      return decodeBoolean(raw, where);
    case 'text':
    case 'uuid':
    case 'enum':
      return { kind: 'text', text: expectString(raw, where, type) };
    case 'json':
      return { kind: 'json', text: typeof raw === 'string' ? raw : JSON.stringify(raw) };
    case 'bytes':
      return decodeBytes(raw, where);
    case 'date':
      return dateFromText(expectString(raw, where, type), where);
    case 'time':
      return timeFromText(expectString(raw, where, type), where);
    case 'timetz':
      return timetzFromText(expectString(raw, where, type), where);
    case 'timestamp':
    case 'timestamptz':
      return timestampFromText(expectString(raw, where, type), where);
    case 'interval':
      return intervalFromText(expectString(raw, where, type), where);
  }
}

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

function timeFromText(text: string, where: ValueLocation): PgValue {
  const parsed = parseTime(text);
  if (!parsed.ok || parsed.value.zoned) {
    return valueError(MappingErrorCode.ValueInvalid, where, `${JSON.stringify(text)} is not a time of day`, text);
  }
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

function expectString(raw: unknown, where: ValueLocation, type: ColumnType): string {
  if (typeof raw === 'string') return raw;
  const hint = raw instanceof Date ? ' (JS Date keeps only milliseconds: read this column as text)' : '';
  return valueError(MappingErrorCode.ValueInvalid, where, `expected ${type.declared} as text, got ${describeRaw(raw)}${hint}`);
}

function decodeBoolean(raw: unknown, where: ValueLocation): PgValue {
  if (typeof raw === 'boolean') return { kind: 'boolean', value: raw };
  if (raw === 't' || raw === 'true') return { kind: 'boolean', value: true };
  if (raw === 'f' || raw === 'false') return { kind: 'boolean', value: false };
  return valueError(MappingErrorCode.ValueInvalid, where, `${describeRaw(raw)} is not a boolean`);
}

function decodeBytes(raw: unknown, where: ValueLocation): PgValue {
  if (raw instanceof Uint8Array) return { kind: 'bytes', base64: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64') };
  if (typeof raw === 'string' && raw.startsWith('\\x')) return { kind: 'bytes', base64: Buffer.from(raw.slice(2), 'hex').toString('base64') };
  return valueError(MappingErrorCode.ValueInvalid, where, `expected bytea as a Buffer or \\x hex text, got ${describeRaw(raw)}`);
}

function decodeArray(raw: unknown, type: ColumnType, where: ValueLocation): PgValue {
  const elements = typeof raw === 'string' ? parseArrayLiteral(raw, where) : raw;
  if (!Array.isArray(elements)) return valueError(MappingErrorCode.ValueInvalid, where, `expected an array, got ${describeRaw(raw)}`);
  const element: ColumnType = { ...type, array: false };
  return {
    kind: 'array',
    items: elements.map((item: unknown, index) => decodePostgresValue(item, element, { ...where, path: `${where.path ?? '$'}[${index}]` })),
  };
}

/** Parses a one-dimensional Postgres array literal (`{1,NULL,"a b","x\"y"}`) into strings and nulls. */
export function parseArrayLiteral(text: string, where: ValueLocation): Array<string | null> {
  const invalid = () => valueError(MappingErrorCode.ValueInvalid, where, `${JSON.stringify(text)} is not a one-dimensional array literal`, text);
  if (!text.startsWith('{') || !text.endsWith('}')) return invalid();
  const items: Array<string | null> = [];
  const body = text.slice(1, -1);
  if (body === '') return items;
  let i = 0;
  while (i <= body.length) {
    if (body[i] === '"') {
      let value = '';
      i++;
      while (i < body.length && body[i] !== '"') {
        if (body[i] === '\\') i++;
        value += body[i] ?? '';
        i++;
      }
      if (body[i] !== '"') return invalid();
      items.push(value);
      i++;
    } else {
      let end = body.indexOf(',', i);
      if (end === -1) end = body.length;
      const token = body.slice(i, end).trim();
      if (token.startsWith('{')) return invalid();
      items.push(token === 'NULL' ? null : token);
      i = end;
    }
    if (i < body.length && body[i] !== ',') return invalid();
    i++;
  }
  return items;
}

function inferValue(raw: unknown, where: ValueLocation): PgValue {
  if (typeof raw === 'string') return { kind: 'text', text: raw };
  if (typeof raw === 'boolean') return { kind: 'boolean', value: raw };
  if (typeof raw === 'number') return { kind: 'number', text: floatOrThrow(raw, where) };
  if (typeof raw === 'bigint') return { kind: 'number', text: integerOrThrow(raw, where) };
  if (raw instanceof Uint8Array) return decodeBytes(raw, where);
  if (Array.isArray(raw)) {
    return { kind: 'array', items: raw.map((item, index) => inferValue(item ?? null, { ...where, path: `${where.path ?? '$'}[${index}]` })) };
  }
  if (raw === null) return NULL_VALUE;
  if (raw instanceof Date) {
    return valueError(MappingErrorCode.ValueInvalid, where, 'a JS Date keeps only milliseconds: declare the column type and read it as text');
  }
  return { kind: 'json', text: JSON.stringify(raw) };
}
