import type { AttributeValue } from '@pg2ddb/contracts';

import { MappingErrorCode, valueError, type ValueLocation } from '../mapping-error';
import { formOf, numberText } from '../types/value-text';

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
