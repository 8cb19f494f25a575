import type { ColumnType } from './column-type';
import type { PgValue } from './pg-value';
import { civilFromDays, formatTime, floorDiv, MICROS_PER_DAY } from './temporal-format';

/** A query parameter in Postgres's text input form (`pg` turns a JS array into an array literal). */
export type PgParam = string | null | PgParam[];

/**
 * The way back: a normalised value as the text Postgres parses into the declared type exactly.
 * Timestamps are written with an explicit `+00` (timestamptz) or none (timestamp), years outside
 * 1–9999 with Postgres's own ` BC` / five-digit forms, bytea as `\x` hex, intervals in ISO-8601.
 * The writer binds it as a parameter and lets the column's type do the parsing, so no value ever
 * passes through a JS number or Date.
 */
export function toPgParam(value: PgValue, type: ColumnType | undefined): PgParam {
  switch (value.kind) {
    case 'null':
      return null;
    case 'unavailable':
      throw new Error('bug: the unavailable-value placeholder has no Postgres form');
    case 'text':
      // timetz is normalised to `HH:MM:SS.ffffffZ`; Postgres reads `Z` too, `+00` is plainer.
      return type?.family === 'timetz' && value.text.endsWith('Z') ? `${value.text.slice(0, -1)}+00` : value.text;
    case 'number':
      return value.text;
    case 'boolean':
      return value.value ? 'true' : 'false';
    case 'bytes':
      return `\\x${Buffer.from(value.base64, 'base64').toString('hex')}`;
    case 'json':
      return value.text;
    case 'infinity':
      return value.negative ? '-infinity' : 'infinity';
    case 'date':
      return pgDate(value.days);
    case 'time':
      return formatTime(value.micros);
    case 'timestamp': {
      const days = floorDiv(value.micros, MICROS_PER_DAY);
      const date = pgDateParts(Number(days));
      const text = `${date.text} ${formatTime(value.micros - days * MICROS_PER_DAY)}`;
      const zone = type?.family === 'timestamptz' ? '+00' : '';
      return `${text}${zone}${date.bc ? ' BC' : ''}`;
    }
    case 'array': {
      const element: ColumnType | undefined = type ? { ...type, array: false } : undefined;
      return value.items.map((item) => toPgParam(item, element));
    }
  }
}

function pgDate(days: number): string {
  const { text, bc } = pgDateParts(days);
  return bc ? `${text} BC` : text;
}

/** Postgres has no year 0: astronomical year 0 is 1 BC, -43 is 44 BC. */
function pgDateParts(days: number): { text: string; bc: boolean } {
  const { year, month, day } = civilFromDays(days);
  const bc = year <= 0;
  const shown = bc ? 1 - year : year;
  return { text: `${String(shown).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`, bc };
}
