import type { AttributeMap, AttributeValue } from '@pg2ddb/contracts';

import { attributeValuesEqual, normalizeNumber } from './attribute-equality';
import { diffItems } from './diff-items';

describe('normalizeNumber', () => {
  it.each([
    ['1.50', '1.5'],
    ['1234.50', '1234.5'],
    ['001', '1'],
    ['-0', '0'],
    ['0.000', '0'],
    ['1E+3', '1000'],
    ['1.20E-7', '0.00000012'],
    ['-12.3400e1', '-123.4'],
    ['12345678901234567890123456789012345678', '12345678901234567890123456789012345678'],
    ['0.1', '0.1'],
  ])('%s → %s', (input, output) => expect(normalizeNumber(input)).toBe(output));

  it('keeps 38 significant digits exact (no float rounding)', () => {
    expect(normalizeNumber('9999999999999999999999999999999999999.9')).not.toBe(normalizeNumber('10000000000000000000000000000000000000'));
  });
});

describe('attributeValuesEqual', () => {
  const cases: Array<[string, AttributeValue, AttributeValue, boolean]> = [
    ['numbers by value', { N: '1.50' }, { N: '1.5' }, true],
    ['different numbers', { N: '1.51' }, { N: '1.5' }, false],
    ['a number is not its string', { N: '1' }, { S: '1' }, false],
    ['strings exactly', { S: 'a' }, { S: 'a ' }, false],
    ['binaries by bytes', { B: 'AQI=' }, { B: 'AQI' }, true],
    ['different bytes', { B: 'AQI=' }, { B: 'AQM=' }, false],
    ['string sets ignore order', { SS: ['a', 'b'] }, { SS: ['b', 'a'] }, true],
    ['number sets by value', { NS: ['1.0', '2'] }, { NS: ['2.00', '1'] }, true],
    ['sets of different members', { SS: ['a', 'b'] }, { SS: ['a', 'c'] }, false],
    ['a set is not a list', { SS: ['a'] }, { L: [{ S: 'a' }] }, false],
    ['lists keep order', { L: [{ S: 'a' }, { S: 'b' }] }, { L: [{ S: 'b' }, { S: 'a' }] }, false],
    ['lists of equal numbers', { L: [{ N: '1.0' }] }, { L: [{ N: '1' }] }, true],
    ['maps recursively', { M: { a: { M: { b: { N: '2.0' } } } } }, { M: { a: { M: { b: { N: '2' } } } } }, true],
    ['maps with an extra key', { M: { a: { NULL: true } } }, { M: { a: { NULL: true }, b: { BOOL: false } } }, false],
    ['booleans', { BOOL: true }, { BOOL: false }, false],
    ['nulls', { NULL: true }, { NULL: true }, true],
  ];
  it.each(cases)('%s', (_name, a, b, equal) => {
    expect(attributeValuesEqual(a, b)).toBe(equal);
    expect(attributeValuesEqual(b, a)).toBe(equal);
  });
});

describe('diffItems', () => {
  const key: AttributeMap = { PK: { S: 'CUSTOMER#1' }, SK: { S: 'PAYMENT#1' } };
  const expected: AttributeMap = { ...key, Amount: { N: '10.5' }, Status: { S: 'PAID' }, GSI1PK: { S: 'STATUS#PAID' } };

  it('finds no drift when only `_ver` and number spelling differ', () => {
    expect(diffItems(expected, { ...expected, Amount: { N: '10.50' }, _ver: { S: 'abc' } })).toBeUndefined();
  });

  it('reports a missing item with every expected attribute', () => {
    const diff = diffItems(expected, undefined);
    expect(diff?.kind).toBe('missing');
    expect(diff?.attributes.map((a) => a.name)).toEqual(['Amount', 'GSI1PK', 'PK', 'SK', 'Status']);
    expect(diff?.attributes.every((a) => a.actual === null)).toBe(true);
  });

  it('reports an unexpected item with its attributes and version', () => {
    const diff = diffItems(undefined, { ...key, X: { S: 'x' }, _ver: { S: 'v1' } });
    expect(diff).toEqual({
      kind: 'unexpected',
      attributes: [
        { name: 'PK', expected: null, actual: key.PK },
        { name: 'SK', expected: null, actual: key.SK },
        { name: 'X', expected: null, actual: { S: 'x' } },
      ],
      expectedVersion: null,
      actualVersion: 'v1',
    });
  });

  it('reports changed, absent and extra attributes as a mismatch', () => {
    const { GSI1PK: _gone, ...withoutGsi } = expected;
    const diff = diffItems(expected, { ...withoutGsi, Status: { S: 'LOST' }, Extra: { BOOL: true }, _ver: { S: 'v2' } });
    expect(diff).toEqual({
      kind: 'mismatch',
      attributes: [
        { name: 'Extra', expected: null, actual: { BOOL: true } },
        { name: 'GSI1PK', expected: { S: 'STATUS#PAID' }, actual: null },
        { name: 'Status', expected: { S: 'PAID' }, actual: { S: 'LOST' } },
      ],
      expectedVersion: null,
      actualVersion: 'v2',
    });
  });

  it('leaves ignored attributes out', () => {
    expect(diffItems(expected, { ...expected, Status: { S: 'X' } }, { ignore: ['Status'] })).toBeUndefined();
  });

  it('returns nothing when both sides are absent', () => {
    expect(diffItems(undefined, undefined)).toBeUndefined();
  });
});
