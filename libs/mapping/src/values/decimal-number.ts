import { MappingErrorCode, valueError, type ValueLocation } from '../mapping-error';

/** DynamoDB keeps at most 38 significant digits. */
export const MAX_SIGNIFICANT_DIGITS = 38;
/** DynamoDB's range is 1E-130 .. 9.99…E+125 in magnitude: the exponent of the leading digit. */
const MAX_EXPONENT = 125;
const MIN_EXPONENT = -130;

const DECIMAL_PATTERN = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const INTEGER_PATTERN = /^[+-]?\d+$/;
/** Already the canonical form: no sign but `-`, no leading zeros, no trailing fractional zeros, no `-0`. */
const CANONICAL_PATTERN = /^(?:0|-?[1-9]\d*)(?:\.\d*[1-9])?$|^-0\.\d*[1-9]$/;
const NOT_A_NUMBER = new Set(['NaN', 'NAN', 'Infinity', '-Infinity', '+Infinity', 'POSITIVE_INFINITY', 'NEGATIVE_INFINITY', 'infinity', '-infinity']);

export type DecimalResult =
  | { ok: true; canonical: string }
  | { ok: false; code: MappingErrorCode; problem: string };

/**
 * The canonical DynamoDB `N` text of a decimal: plain notation (no exponent), no leading zeros, no
 * trailing fractional zeros, `-0` → `0`. That is the form DynamoDB itself returns, so the
 * reconciler can compare strings. Never rounds: too many digits or too large/small is an error.
 */
export function normalizeDecimal(text: string): DecimalResult {
  // Most values already are canonical (integers, amounts like 12.5): at most 38 characters means
  // fewer than 38 significant digits and a magnitude well inside DynamoDB's range.
  if (text.length <= MAX_SIGNIFICANT_DIGITS && CANONICAL_PATTERN.test(text)) return { ok: true, canonical: text };
  return normalizeDecimalExact(text);
}

/** `normalizeDecimal` without its shortcut for canonical text (the reference it is tested against). */
export function normalizeDecimalExact(text: string): DecimalResult {
  if (NOT_A_NUMBER.has(text)) {
    return { ok: false, code: MappingErrorCode.NotANumber, problem: `${JSON.stringify(text)} is not a number DynamoDB can store` };
  }
  const match = DECIMAL_PATTERN.exec(text);
  const whole = match?.[2] ?? '';
  const fraction = match?.[3] ?? '';
  if (!match || (whole === '' && fraction === '')) {
    return { ok: false, code: MappingErrorCode.ValueInvalid, problem: `${JSON.stringify(text)} is not a decimal number` };
  }
  let digits = whole + fraction;
  // Number() of a huge exponent gives ±Infinity, which still fails the range check below.
  let exponent = (match[4] ? Number(match[4]) : 0) - fraction.length;
  let start = 0;
  while (start < digits.length && digits.charCodeAt(start) === 48) start++;
  let end = digits.length;
  while (end > start && digits.charCodeAt(end - 1) === 48) {
    end--;
    exponent++;
  }
  digits = digits.slice(start, end);
  if (digits === '') return { ok: true, canonical: '0' };
  if (digits.length > MAX_SIGNIFICANT_DIGITS) {
    return {
      ok: false,
      code: MappingErrorCode.NumberOutOfRange,
      problem: `${text} has ${digits.length} significant digits; DynamoDB numbers hold at most ${MAX_SIGNIFICANT_DIGITS}`,
    };
  }
  const leading = exponent + digits.length - 1;
  if (leading > MAX_EXPONENT || leading < MIN_EXPONENT) {
    return {
      ok: false,
      code: MappingErrorCode.NumberOutOfRange,
      problem: `${text} is outside DynamoDB's number range (magnitude 1E-130 to 9.9999999999999999999999999999999999999E+125)`,
    };
  }
  let plain: string;
  if (exponent >= 0) {
    plain = digits + '0'.repeat(exponent);
  } else {
    const point = digits.length + exponent;
    plain = point > 0 ? `${digits.slice(0, point)}.${digits.slice(point)}` : `0.${'0'.repeat(-point)}${digits}`;
  }
  return { ok: true, canonical: match[1] === '-' ? `-${plain}` : plain };
}

/** `normalizeDecimal` that throws a `MappingError` naming entity, column and value. */
export function decimalOrThrow(text: string, where: ValueLocation): string {
  const result = normalizeDecimal(text);
  if (!result.ok) valueError(result.code, where, result.problem, text);
  return result.canonical;
}

/**
 * An integer column value (int2/int4/int8) as exact digits. Accepts a JS number only while it is a
 * safe integer: a larger one was already rounded by `JSON.parse`, and we refuse to store a guess.
 */
export function integerOrThrow(raw: unknown, where: ValueLocation): string {
  if (typeof raw === 'bigint') return decimalOrThrow(raw.toString(), where);
  if (typeof raw === 'number') {
    if (!Number.isInteger(raw)) valueError(MappingErrorCode.ValueInvalid, where, `${raw} is not an integer`, raw);
    if (!Number.isSafeInteger(raw)) {
      valueError(
        MappingErrorCode.NumberImprecise,
        where,
        `integer ${raw} is beyond 2^53 and was already rounded by the JSON parser; parse events with a lossless JSON parser (parseJsonLossless) or pass bigint or digit strings`,
        raw,
      );
    }
    return decimalOrThrow(String(raw), where);
  }
  if (typeof raw === 'string' && INTEGER_PATTERN.test(raw)) return decimalOrThrow(raw, where);
  return valueError(MappingErrorCode.ValueInvalid, where, `${describeRaw(raw)} is not an integer`, raw);
}

/** A float4/float8 value: a JS number (shortest round-trip text) or its text; NaN/Infinity refused. */
export function floatOrThrow(raw: unknown, where: ValueLocation): string {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) valueError(MappingErrorCode.NotANumber, where, `${raw} is not a number DynamoDB can store`, String(raw));
    return decimalOrThrow(String(raw), where);
  }
  if (typeof raw === 'bigint') return decimalOrThrow(raw.toString(), where);
  if (typeof raw === 'string') return decimalOrThrow(raw, where);
  return valueError(MappingErrorCode.ValueInvalid, where, `${describeRaw(raw)} is not a number`, raw);
}

/** A numeric/decimal/money value that arrives as text (decimal.handling.mode=string). */
export function decimalTextOrThrow(raw: unknown, where: ValueLocation): string {
  if (typeof raw === 'string') return decimalOrThrow(raw, where);
  if (typeof raw === 'bigint') return decimalOrThrow(raw.toString(), where);
  if (typeof raw === 'number') {
    // A JS number is exact only as an integer below 2^53; anything else may already be rounded.
    if (Number.isSafeInteger(raw)) return decimalOrThrow(String(raw), where);
    if (!Number.isFinite(raw)) valueError(MappingErrorCode.NotANumber, where, `${raw} is not a number DynamoDB can store`, String(raw));
    valueError(
      MappingErrorCode.NumberImprecise,
      where,
      `numeric value ${raw} arrived as a JS number and may have been rounded; numeric columns must arrive as decimal text`,
      raw,
    );
  }
  return valueError(MappingErrorCode.ValueInvalid, where, `${describeRaw(raw)} is not a decimal number`, raw);
}

/** A short description of an unexpected raw value's JS type for messages. */
export function describeRaw(raw: unknown): string {
  if (raw === null) return 'null';
  if (Array.isArray(raw)) return 'an array';
  if (typeof raw === 'string') return JSON.stringify(raw.length > 60 ? `${raw.slice(0, 57)}...` : raw);
  if (typeof raw === 'object') return 'an object';
  return `${typeof raw} ${String(raw)}`;
}
