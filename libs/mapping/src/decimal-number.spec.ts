import { canonicalNumber } from './canonical-number';
import { integerOrThrow, normalizeDecimal } from './decimal-number';

describe('normalizeDecimal', () => {
  it.each([
    ['0', '0'],
    ['-0', '0'],
    ['+5', '5'],
    ['007.2500', '7.25'],
    ['.5', '0.5'],
    ['5.', '5'],
    ['1E+3', '1000'],
    ['1.20E-7', '0.00000012'],
    ['-12.5e2', '-1250'],
    ['0e999999999999', '0'],
    ['0.000', '0'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeDecimal(input)).toEqual({ ok: true, canonical: expected });
  });

  it.each([
    ['', 'MAPPING_VALUE_INVALID', '"" is not a decimal number'],
    ['1,5', 'MAPPING_VALUE_INVALID', '"1,5" is not a decimal number'],
    ['Infinity', 'MAPPING_NOT_A_NUMBER', '"Infinity" is not a number DynamoDB can store'],
    ['1e99999999999999999999', 'MAPPING_NUMBER_OUT_OF_RANGE', "1e99999999999999999999 is outside DynamoDB's number range (magnitude 1E-130 to 9.9999999999999999999999999999999999999E+125)"],
  ])('refuses %j', (input, code, problem) => {
    expect(normalizeDecimal(input)).toEqual({ ok: false, code, problem });
  });

  it('is what canonicalNumber exposes, throwing MappingError', () => {
    expect(canonicalNumber('1.500')).toBe('1.5');
    expect(() => canonicalNumber('NaN')).toThrow(expect.objectContaining({ code: 'MAPPING_NOT_A_NUMBER', message: '"NaN" is not a number DynamoDB can store' }));
  });
});

describe('integerOrThrow', () => {
  const where = { entity: 'E', column: 'c' };
  it('keeps int64 exact from bigint, digit text and safe numbers', () => {
    expect(integerOrThrow(9223372036854775807n, where)).toBe('9223372036854775807');
    expect(integerOrThrow('-9223372036854775808', where)).toBe('-9223372036854775808');
    expect(integerOrThrow(Number.MAX_SAFE_INTEGER, where)).toBe('9007199254740991');
  });

  it('refuses non-integers', () => {
    expect(() => integerOrThrow(1.5, where)).toThrow('entity "E", column "c": 1.5 is not an integer');
    expect(() => integerOrThrow('12a', where)).toThrow('entity "E", column "c": "12a" is not an integer');
  });
});
