import type { AttributeValue } from '@pg2ddb/contracts';

import type { EncodeOptions } from './attribute-encoder';
import { attributeToJson } from './attribute-json';
import type { ColumnType } from '../definition/column-type';
import { MappingErrorCode, valueError, type ValueLocation } from '../mapping-error';
import { NULL_VALUE, type PgValue } from './pg-value';
import { typeFamily } from '../types/type-registry';
import { formOf, numberText } from '../types/value-text';

/**
 * The way back: the inverse of `encodeAttribute`. A DynamoDB value (wire form) becomes the
 * normalised Postgres value of a column of the declared type, so that encoding it again gives the
 * same attribute. Undefined `value` (attribute absent) is NULL. Throws `MAPPING_ITEM_INVALID` for a
 * value the column cannot hold exactly (an `S` where an integer is declared, a fraction in an
 * integer column, text that is not a timestamp). Without a declared type the attribute's own form
 * decides (S → text, N → number, M/L → json). Each family's rule is in the type registry (../types).
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
  return typeFamily(type).fromAttribute(value, type, options, where);
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
  const inner: EncodeOptions = { ...options, nulls: 'null', arrays: 'list' };
  // A list inside the list is the next dimension of a multi-dimensional array (unless the elements are json).
  const nests = type.family !== 'json';
  return {
    kind: 'array',
    // Inside a list a NULL keeps its position (the encoder writes `{NULL: true}` there).
    items: items.map((item, index) =>
      'NULL' in item ? NULL_VALUE : nests && 'L' in item ? decodeArray(item, type, inner, at(index)) : decodeAttribute(item, element, inner, at(index)),
    ),
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

