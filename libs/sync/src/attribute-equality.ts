import type { AttributeValue } from '@pg2ddb/contracts';

/**
 * Type-aware equality of two DynamoDB values in the contract's JSON form, the way DynamoDB itself
 * sees them: numbers by value (`"1.50"` equals `"1.5"`, exactly, never through a JS float), sets as
 * sets (DynamoDB keeps no order), lists in order, maps by key recursively, binaries by their bytes
 * (two base64 spellings of the same bytes are equal). Different types are never equal.
 */
export function attributeValuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  if ('S' in a) return 'S' in b && a.S === b.S;
  // Equal text is the common case: only different spellings need normalising.
  if ('N' in a) return 'N' in b && (a.N === b.N || normalizeNumber(a.N) === normalizeNumber(b.N));
  if ('B' in a) return 'B' in b && (a.B === b.B || normalizeBinary(a.B) === normalizeBinary(b.B));
  if ('BOOL' in a) return 'BOOL' in b && a.BOOL === b.BOOL;
  if ('NULL' in a) return 'NULL' in b;
  if ('SS' in a) return 'SS' in b && sameSet(a.SS, b.SS, (value) => value);
  if ('NS' in a) return 'NS' in b && sameSet(a.NS, b.NS, normalizeNumber);
  if ('BS' in a) return 'BS' in b && sameSet(a.BS, b.BS, normalizeBinary);
  if ('L' in a) return 'L' in b && a.L.length === b.L.length && a.L.every((item, index) => attributeValuesEqual(item, b.L[index] as AttributeValue));
  if ('M' in a) {
    if (!('M' in b)) return false;
    const names = Object.keys(a.M);
    if (names.length !== Object.keys(b.M).length) return false;
    return names.every((name) => Object.prototype.hasOwnProperty.call(b.M, name) && attributeValuesEqual(a.M[name] as AttributeValue, b.M[name] as AttributeValue));
  }
  return false;
}

/**
 * The canonical text of a DynamoDB number: plain notation, no leading zeros, no trailing fraction
 * zeros, `-0` → `0`. Works on the digits (no float), so 38-digit numbers compare exactly. Text that
 * is not a number is returned unchanged (then it only equals itself).
 */
export function normalizeNumber(text: string): string {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return text;
  const negative = match[1] === '-';
  const intPart = match[2] ?? '';
  const fracPart = match[3] ?? '';
  const exponent = Number(match[4] ?? '0');
  // All digits with the decimal point after `point` digits.
  const digits = intPart + fracPart;
  let point = intPart.length + exponent;
  const firstNonZero = digits.search(/[1-9]/);
  if (firstNonZero < 0) return '0';
  const significant = digits.slice(firstNonZero).replace(/0+$/, '');
  point -= firstNonZero;
  let result: string;
  if (point <= 0) {
    result = `0.${'0'.repeat(-point)}${significant}`;
  } else if (point >= significant.length) {
    result = significant + '0'.repeat(point - significant.length);
  } else {
    result = `${significant.slice(0, point)}.${significant.slice(point)}`;
  }
  return negative ? `-${result}` : result;
}

function normalizeBinary(base64: string): string {
  return Buffer.from(base64, 'base64').toString('base64');
}

function sameSet(a: readonly string[], b: readonly string[], normalize: (value: string) => string): boolean {
  const left = new Set(a.map(normalize));
  const right = new Set(b.map(normalize));
  if (left.size !== right.size) return false;
  for (const value of left) if (!right.has(value)) return false;
  return true;
}
