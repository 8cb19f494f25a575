import { parseJsonLossless } from './lossless-json';

describe('parseJsonLossless', () => {
  it('keeps integers beyond 2^53 exact as bigint and leaves the rest as numbers', () => {
    expect(parseJsonLossless('{"big":9223372036854775807,"neg":-9223372036854775808,"small":42,"f":1.5e3}')).toEqual({
      big: 9223372036854775807n,
      neg: -9223372036854775808n,
      small: 42,
      f: 1500,
    });
  });

  it('rejects malformed JSON with the position', () => {
    expect(() => parseJsonLossless('{"a":')).toThrow(/position 5/);
  });
});
