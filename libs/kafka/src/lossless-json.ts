import { parse } from 'lossless-json';

/**
 * Parses Debezium's JSON without losing integer precision: an integer beyond 2^53 (a bigint
 * column, a large LSN) becomes a `bigint`; every other number stays a JS number. `JSON.parse`
 * would silently round the former.
 */
export function parseJsonLossless(text: string): unknown {
  return parse(text, undefined, parseNumber);
}

function parseNumber(digits: string): number | bigint {
  if (/^-?\d+$/.test(digits)) {
    const value = Number(digits);
    return Number.isSafeInteger(value) ? value : BigInt(digits);
  }
  return Number(digits);
}
