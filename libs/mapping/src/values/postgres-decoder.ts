import type { ColumnType } from '../definition/column-type';
import { floatOrThrow, integerOrThrow, describeRaw } from './decimal-number';
import { MappingErrorCode, valueError, type ValueLocation } from '../mapping-error';
import { NULL_VALUE, type PgValue } from './pg-value';
import { decodeBytes } from '../types/text-families';
import { typeFamily } from '../types/type-registry';
import { readQuoted } from '../types/value-text';

/**
 * The reconciler's path: a value read straight from Postgres with `pg`, normalised to `PgValue`.
 * Exactness needs text for a few types (see docs/type-mapping.md): numeric and int8 as text (the
 * `pg` default), timestamps/dates/times as text (`pg.types.setTypeParser` returning the string, or
 * `::text`), intervals with `IntervalStyle = iso_8601`, json/jsonb as text, money as `::numeric`.
 * Each family's decoder is in the type registry (../types).
 */
export function decodePostgresValue(raw: unknown, type: ColumnType | undefined, where: ValueLocation): PgValue {
  if (raw === null || raw === undefined) return NULL_VALUE;
  if (!type) return inferValue(raw, where);
  if (type.array) return decodeArray(raw, type, where);
  return typeFamily(type).fromPostgres(raw, type, where);
}

function decodeArray(raw: unknown, type: ColumnType, where: ValueLocation): PgValue {
  const elements = typeof raw === 'string' ? parseArrayLiteral(raw, where) : raw;
  if (!Array.isArray(elements)) return valueError(MappingErrorCode.ValueInvalid, where, `expected an array, got ${describeRaw(raw)}`);
  const element: ColumnType = { ...type, array: false };
  // A multi-dimensional array is an array of arrays: a nested list (a json element may be an array itself).
  const nests = element.family !== 'json';
  return {
    kind: 'array',
    items: elements.map((item: unknown, index) => {
      const at = { ...where, path: `${where.path ?? '$'}[${index}]` };
      return nests && Array.isArray(item) ? decodeArray(item, type, at) : decodePostgresValue(item, element, at);
    }),
  };
}

/** One element of a parsed array literal: its text, NULL, or (multi-dimensional) a sub-array. */
export type ArrayLiteralElement = string | null | ArrayLiteralElement[];

/**
 * Parses a Postgres array literal (`{1,NULL,"a b","x\"y"}`, `{{1,2},{3,4}}`) into strings, nulls
 * and, for more than one dimension, nested arrays.
 */
export function parseArrayLiteral(text: string, where: ValueLocation): ArrayLiteralElement[] {
  const invalid = (): never => valueError(MappingErrorCode.ValueInvalid, where, `${JSON.stringify(text)} is not an array literal`, text);
  let at = 0;
  const parseLevel = (): ArrayLiteralElement[] => {
    if (text[at] !== '{') return invalid();
    at++;
    const items: ArrayLiteralElement[] = [];
    if (text[at] === '}') {
      at++;
      return items;
    }
    for (;;) {
      if (text[at] === '{') items.push(parseLevel());
      else if (text[at] === '"') {
        const quoted = readQuoted(text, at) ?? invalid();
        items.push(quoted.value);
        at = quoted.end;
      } else {
        let end = at;
        while (end < text.length && text[end] !== ',' && text[end] !== '}') end++;
        const token = text.slice(at, end).trim();
        if (token === '' || token.includes('{') || token.includes('"')) return invalid();
        items.push(token === 'NULL' ? null : token);
        at = end;
      }
      if (text[at] === ',') at++;
      else if (text[at] === '}') {
        at++;
        return items;
      } else return invalid();
    }
  };
  const items = parseLevel();
  return at === text.length ? items : invalid();
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
