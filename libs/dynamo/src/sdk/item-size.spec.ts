import { itemSize, MAX_ITEM_BYTES, significantDigits, valueSize } from './item-size';

describe('itemSize', () => {
  it('counts names and values by DynamoDB rules', () => {
    // "PK"(2) + "USER#1"(6) + "n"(1) + 12345 (3 digits pairs: ceil(5/2)=3, +1) + "é"(2) + BOOL(1)
    expect(itemSize({ PK: { S: 'USER#1' }, n: { N: '12345' }, é: { BOOL: true } })).toBe(2 + 6 + 1 + 4 + 2 + 1);
  });

  it('trims leading and trailing zeros of numbers', () => {
    expect(significantDigits('0.00012300')).toBe(3);
    expect(significantDigits('-1000')).toBe(1);
    expect(significantDigits('1E+3')).toBe(1);
    expect(valueSize({ N: '0' })).toBe(1);
  });

  it('counts raw bytes of binary and the overhead of lists, maps and sets', () => {
    expect(valueSize({ B: Buffer.from('hello').toString('base64') })).toBe(5);
    expect(valueSize({ L: [] })).toBe(3);
    expect(valueSize({ L: [{ S: 'ab' }, { NULL: true }] })).toBe(3 + (1 + 2) + (1 + 1));
    expect(valueSize({ M: { k: { S: 'v' } } })).toBe(3 + 1 + 1 + 1);
    expect(valueSize({ SS: ['a', 'bc'] })).toBe(3);
    expect(MAX_ITEM_BYTES).toBe(409600);
  });
});
