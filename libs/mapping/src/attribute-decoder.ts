import type { AttributeValue } from '@pg2ddb/contracts';

import type { EncodeOptions } from './attribute-encoder';
import type { ColumnType } from './column-type';
import { normalizeDecimal } from './decimal-number';
import { MappingErrorCode, valueError, type ValueLocation } from './mapping-error';
import { NULL_VALUE, type PgValue } from './pg-value';
import { dateFromText, intervalFromText, timestampFromText, timetzFromText } from './postgres-decoder';
import { parseTime } from './temporal-format';

const INTEGER = /^-?\d+$/;

/**
 * The way back: the inverse of `encodeAttribute`. A DynamoDB value (wire form) becomes the
 * normalised Postgres value of a column of the declared type, so that encoding it again gives the
 * same attribute. Undefined `value` (attribute absent) is NULL. Throws `MAPPING_ITEM_INVALID` for a
 * value the column cannot hold exactly (an `S` where an integer is declared, a fraction in an
 * integer column, text that is not a timestamp). Without a declared type the attribute's own form
 * decides (S → text, N → number, M/L → json).
 */
export function decodeAttribute(value: AttributeValue | undefined, type: ColumnType | undefined, options: EncodeOptions, where: ValueLocation): PgValue {
  if (value === undefined) return NULL_VALUE;
  if ('NULL' in value) {
    // With `nulls: omit` a NULL column leaves no attribute, so a stored NULL is JSON's null.
    if (type?.family === 'json' && !type.array && options.nulls === 'omit') return { kind: 'json', text: 'null' };
    return NULL_VALUE;
  }
  if (!type) return inferValue(value, options, where);
  if (type.array) return decodeArray(value, type, options, where);
  const fail = (wanted: string): never =>
    valueError(MappingErrorCode.ItemInvalid, where, `attribute is ${formOf(value)}; a ${type.declared} column needs ${wanted}`);
  switch (type.family) {
    case 'integer': {
      if (!('N' in value)) return fail('N');
      if (!INTEGER.test(value.N)) return valueError(MappingErrorCode.ItemInvalid, where, `${value.N} is not an integer; a ${type.declared} column needs one`, value.N);
      return { kind: 'number', text: value.N };
    }
    case 'numeric':
    case 'float': {
      if (!('N' in value)) return fail('N');
      return { kind: 'number', text: numberText(value.N, where) };
    }
    case 'boolean':
      return 'BOOL' in value ? { kind: 'boolean', value: value.BOOL } : fail('BOOL');
    case 'text':
    case 'uuid':
    case 'enum':
      return 'S' in value ? { kind: 'text', text: value.S } : fail('S');
    case 'json':
      if (options.json === 'string') return 'S' in value ? { kind: 'json', text: value.S } : fail('S (json: string)');
      return { kind: 'json', text: attributeToJson(value, where) };
    case 'bytes':
      return 'B' in value ? { kind: 'bytes', base64: value.B } : fail('B');
    case 'date':
      return 'S' in value ? reword(() => dateFromText(value.S, where), where, value.S) : fail('S');
    case 'time':
      return 'S' in value ? timeFromText(value.S, where) : fail('S');
    case 'timetz':
      return 'S' in value ? reword(() => timetzFromText(value.S, where), where, value.S) : fail('S');
    case 'timestamp':
    case 'timestamptz':
      return 'S' in value ? reword(() => timestampFromText(value.S, where), where, value.S) : fail('S');
    case 'interval':
      return 'S' in value ? reword(() => intervalFromText(value.S, where), where, value.S) : fail('S');
  }
}

/** The attribute's form, `S`, `N`, `M`, ... */
export function formOf(value: AttributeValue): string {
  return Object.keys(value)[0] ?? '?';
}

function numberText(text: string, where: ValueLocation): string {
  const result = normalizeDecimal(text);
  if (!result.ok) return valueError(MappingErrorCode.ItemInvalid, where, result.problem, text);
  return result.canonical;
}

function timeFromText(text: string, where: ValueLocation): PgValue {
  const parsed = parseTime(text);
  if (!parsed.ok || parsed.value.zoned) return valueError(MappingErrorCode.ItemInvalid, where, `${JSON.stringify(text)} is not a time of day`, text);
  return { kind: 'time', micros: parsed.value.micros };
}

/** The Postgres decoders throw `MAPPING_VALUE_INVALID`; on the way back the item is what is invalid. */
function reword(decode: () => PgValue, where: ValueLocation, text: string): PgValue {
  try {
    return decode();
  } catch (error) {
    const problem = error instanceof Error ? error.message.replace(/^entity "[^"]*", column "[^"]*"(, at [^:]*)?: /, '') : String(error);
    return valueError(MappingErrorCode.ItemInvalid, where, problem, text);
  }
}

function decodeArray(value: AttributeValue, type: ColumnType, options: EncodeOptions, where: ValueLocation): PgValue {
  const element: ColumnType = { ...type, array: false };
  const at = (index: number): ValueLocation => ({ ...where, path: `${where.path ?? '$'}[${index}]` });
  let items: AttributeValue[];
  if ('L' in value) items = value.L;
  else if ('SS' in value) items = value.SS.map((S) => ({ S }));
  else if ('NS' in value) items = value.NS.map((N) => ({ N }));
  else if ('BS' in value) items = value.BS.map((B) => ({ B }));
  else return valueError(MappingErrorCode.ItemInvalid, where, `attribute is ${formOf(value)}; a ${type.declared} column needs L, SS, NS or BS`);
  return {
    kind: 'array',
    // Inside a list a NULL keeps its position (the encoder writes `{NULL: true}` there).
    items: items.map((item, index) => ('NULL' in item ? NULL_VALUE : decodeAttribute(item, element, { ...options, nulls: 'null', arrays: 'list' }, at(index)))),
  };
}

function inferValue(value: AttributeValue, options: EncodeOptions, where: ValueLocation): PgValue {
  if ('S' in value) return { kind: 'text', text: value.S };
  if ('N' in value) return { kind: 'number', text: numberText(value.N, where) };
  if ('BOOL' in value) return { kind: 'boolean', value: value.BOOL };
  if ('B' in value) return { kind: 'bytes', base64: value.B };
  if ('M' in value || 'L' in value) return { kind: 'json', text: attributeToJson(value, where) };
  const set = 'SS' in value ? value.SS.map((S) => ({ S })) : 'NS' in value ? value.NS.map((N) => ({ N })) : 'BS' in value ? value.BS.map((B) => ({ B })) : [];
  return { kind: 'array', items: set.map((item) => inferValue(item, options, where)) };
}

/**
 * JSON text of a map/list attribute (json: map). Numbers are written with their exact digits, never
 * through a double; a set (which json: map never produces) is refused.
 */
export function attributeToJson(value: AttributeValue, where: ValueLocation): string {
  if ('NULL' in value) return 'null';
  if ('S' in value) return JSON.stringify(value.S);
  if ('N' in value) return numberText(value.N, where);
  if ('BOOL' in value) return value.BOOL ? 'true' : 'false';
  if ('L' in value) return `[${value.L.map((item, index) => attributeToJson(item, { ...where, path: `${where.path ?? '$'}[${index}]` })).join(',')}]`;
  if ('M' in value) {
    const entries = Object.keys(value.M).map((key) => `${JSON.stringify(key)}:${attributeToJson(value.M[key] as AttributeValue, { ...where, path: `${where.path ?? '$'}.${key}` })}`);
    return `{${entries.join(',')}}`;
  }
  return valueError(MappingErrorCode.ItemInvalid, where, `a ${formOf(value)} attribute has no JSON form`);
}
