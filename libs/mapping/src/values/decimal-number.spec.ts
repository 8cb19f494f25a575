import { integerOrThrow, normalizeDecimal, normalizeDecimalExact } from './decimal-number';

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

describe('normalizeDecimal on text that is already canonical', () => {
  it('answers exactly as the full normalisation, canonical or not', () => {
    const fixed = ['0', '7', '-7', '10', '1000', '12.5', '-12.5', '0.5', '-0.5', '0.05', '-0.001', '-0', '00', '01', '1.0', '1.50', '+1', '-0.0', '0.', '.5', '1e3', '-', '1.', '', '0.000000000000000000000000000000000001', '99999999999999999999999999999999999999', '999999999999999999999999999999999999999'];
    const generated: string[] = [];
    const chars = '0123456789.-+e';
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let index = 0; index < 20_000; index++) {
      let text = '';
      const length = 1 + (next() % 42);
      for (let at = 0; at < length; at++) text += chars[next() % (at === 0 || next() % 4 ? 10 : chars.length)];
      generated.push(text, `-${text}`, `${text}.${text}`);
    }
    for (const text of [...fixed, ...generated]) expect(normalizeDecimal(text)).toEqual(normalizeDecimalExact(text));
  });
});
