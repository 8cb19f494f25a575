import type { ColumnType } from '../definition/column-type';
import type { PgValue } from './pg-value';
import { formatPgDate, formatPgTimestamp, formatTime } from './temporal-format';
import { typeFamily } from '../types/type-registry';

/** A query parameter in Postgres's text input form (`pg` turns a JS array into an array literal). */
export type PgParam = string | null | PgParam[];

/**
 * The way back: a normalised value as the text Postgres parses into the declared type exactly.
 * Timestamps are written with an explicit `+00` (timestamptz) or none (timestamp), years outside
 * 1–9999 with Postgres's own ` BC` / five-digit forms, bytea as `\x` hex, intervals in ISO-8601.
 * A family whose text differs says so in the registry (`toParam`). The writer binds it as a
 * parameter and lets the column's type do the parsing, so no value ever passes through a JS
 * number or Date.
 */
export function toPgParam(value: PgValue, type: ColumnType | undefined): PgParam {
  if (value.kind === 'array') {
    const element: ColumnType | undefined = type ? { ...type, array: false } : undefined;
    return value.items.map((item) => toPgParam(item, element));
  }
  const own = type && !type.array ? typeFamily(type).toParam?.(value) : undefined;
  if (own !== undefined) return own;
  switch (value.kind) {
    case 'null':
      return null;
    case 'unavailable':
      throw new Error('bug: the unavailable-value placeholder has no Postgres form');
    case 'text':
    case 'number':
    case 'json':
      return value.text;
    case 'boolean':
      return value.value ? 'true' : 'false';
    case 'bytes':
      return `\\x${Buffer.from(value.base64, 'base64').toString('hex')}`;
    case 'infinity':
      return value.negative ? '-infinity' : 'infinity';
    case 'date':
      return formatPgDate(value.days);
    case 'time':
      return formatTime(value.micros);
    case 'timestamp':
      return formatPgTimestamp(value.micros, '');
  }
}
