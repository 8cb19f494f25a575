import type { AttributeMap, AttributeValue } from '@pg2ddb/contracts';

/** DynamoDB's maximum item size (400 KB), names and values included. */
export const MAX_ITEM_BYTES = 400 * 1024;

/**
 * The size DynamoDB counts for an item, by the rules of "DynamoDB item sizes and formats"
 * (developer guide, CapacityUnitCalculations): attribute names and strings in UTF-8 bytes,
 * binary in raw bytes, a number 1 byte per two significant digits plus 1, NULL and BOOL 1 byte,
 * a list or map 3 bytes plus 1 byte per element (map keys count as names), sets the sum of
 * their elements. It drives the 400 KB check and WCU/RCU estimates (1 KB / 4 KB units).
 */
export function itemSize(item: AttributeMap): number {
  let total = 0;
  for (const [name, value] of Object.entries(item)) total += utf8(name) + valueSize(value);
  return total;
}

/** Size of one attribute value without its name (see `itemSize`). */
export function valueSize(value: AttributeValue): number {
  if ('S' in value) return utf8(value.S);
  if ('N' in value) return numberSize(value.N);
  if ('B' in value) return Buffer.byteLength(value.B, 'base64');
  if ('BOOL' in value || 'NULL' in value) return 1;
  if ('SS' in value) return value.SS.reduce((sum, s) => sum + utf8(s), 0);
  if ('NS' in value) return value.NS.reduce((sum, n) => sum + numberSize(n), 0);
  if ('BS' in value) return value.BS.reduce((sum, b) => sum + Buffer.byteLength(b, 'base64'), 0);
  if ('L' in value) return 3 + value.L.reduce((sum, element) => sum + 1 + valueSize(element), 0);
  return 3 + Object.entries(value.M).reduce((sum, [key, element]) => sum + 1 + utf8(key) + valueSize(element), 0);
}

/** Significant digits of a number's text: leading and trailing zeros do not count. */
export function significantDigits(text: string): number {
  const mantissa = text.replace(/^[+-]/, '').replace(/[eE].*$/, '').replace('.', '');
  return mantissa.replace(/^0+/, '').replace(/0+$/, '').length;
}

function numberSize(text: string): number {
  return Math.ceil(significantDigits(text) / 2) + 1;
}

function utf8(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
