import { JsonNumber, JsonSyntaxError, parseJsonLossless, parseJsonNodes } from './lossless-json';

describe('parseJsonNodes', () => {
  it('keeps numbers as text and any key', () => {
    const node = parseJsonNodes('{"n":12345678901234567890123.4500,"__proto__":{"x":[1e400,-0]},"s":"\\ud83d\\ude00"}');
    expect(node).toEqual(
      new Map<string, unknown>([
        ['n', new JsonNumber('12345678901234567890123.4500')],
        ['__proto__', new Map([['x', [new JsonNumber('1e400'), new JsonNumber('-0')]]])],
        ['s', '😀'],
      ]),
    );
  });

  it.each([
    ['{"a":1,}', 'expected a property name at position 7'],
    ['[1 2]', 'expected "]" at position 3'],
    ['"abc', 'unterminated string at position 0'],
    ['01', 'unexpected text after the JSON value at position 1'],
    ['', 'unexpected end of JSON at position 0'],
  ])('refuses %j', (text, message) => {
    expect(() => parseJsonNodes(text)).toThrow(new JsonSyntaxError(message.replace(/ at position \d+$/, ''), Number(/\d+$/.exec(message)![0])));
  });
});

describe('parseJsonLossless', () => {
  it('turns unsafe integers into bigint and leaves the rest to JS numbers', () => {
    const value = parseJsonLossless('{"big":9223372036854775807,"small":42,"float":0.1,"exp":1e21,"list":[-9007199254740993]}');
    expect(value).toEqual({ big: 9223372036854775807n, small: 42, float: 0.1, exp: 1e21, list: [-9007199254740993n] });
  });

  it('keeps a "__proto__" key as data', () => {
    const value = parseJsonLossless('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('parseJsonLossless fast path', () => {
  it('gives the same result as the exact parser when no number can exceed 2^53', () => {
    const text = '{"a":[1,-2.5,3e2,999999999999999],"__proto__":{"x":true},"s":"TXN-1","n":null}';
    const value = parseJsonLossless(text) as Record<string, unknown>;
    expect(value).toEqual(JSON.parse(text));
    expect(Object.prototype.hasOwnProperty.call(value, '__proto__')).toBe(true);
  });

  it('still keeps 16+ digit integers exact, also next to digits inside strings', () => {
    expect(parseJsonLossless('{"id":9007199254740993,"ref":"0000000000000000"}')).toEqual({ id: 9007199254740993n, ref: '0000000000000000' });
    expect(parseJsonLossless('{"ref":"0000000000000000","small":1}')).toEqual({ ref: '0000000000000000', small: 1 });
  });
});

describe('parseJsonLossless fast path edge cases', () => {
  it('marks only numbers outside strings, with escapes and exponents handled', () => {
    const text = '{"s":"say \\"12345678901234567890\\"","e":1.2345678901234567e5,"n":-12345678901234567890,"a":[1234567890123456789]}';
    expect(parseJsonLossless(text)).toEqual({ s: 'say "12345678901234567890"', e: 123456.78901234567, n: -12345678901234567890n, a: [1234567890123456789n] });
  });

  it('leaves text with a NUL escape and malformed text to the exact parser', () => {
    expect(parseJsonLossless('{"a":"\\u0000x","b":12345678901234567890}')).toEqual({ a: '\u0000x', b: 12345678901234567890n });
    expect(() => parseJsonLossless('{"a":12345678901234567890,')).toThrow(JsonSyntaxError);
  });
});

describe('parseJsonLossless digit runs that only look like numbers', () => {
  it.each([
    ['a run inside a string after a colon', '{"s":"card:4111111111111111111","n":12345678901234567890}', { s: 'card:4111111111111111111', n: 12345678901234567890n }],
    ['a run inside a string after a space or comma', '{"s":"no 4111111111111111111, 9999999999999999999","n":1}', { s: 'no 4111111111111111111, 9999999999999999999', n: 1 }],
    ['a run inside a string after a bracket', '{"s":"[12345678901234567890]"}', { s: '[12345678901234567890]' }],
    ['a key made of digits', '{"12345678901234567890":12345678901234567890}', { '12345678901234567890': 12345678901234567890n }],
    ['consecutive big integers in an array', '[12345678901234567890,-12345678901234567891, 9007199254740993]', [12345678901234567890n, -12345678901234567891n, 9007199254740993n]],
    ['a big integer alone', '12345678901234567890', 12345678901234567890n],
    ['long fractions and exponents (doubles either way)', '[1.12345678901234567890,12345678901234567890.5,1e-12345678901234567,12345678901234567890e2]', [1.1234567890123457, 12345678901234567000, 0, 1.2345678901234568e21]],
  ])('%s', (_name, text, expected) => {
    expect(parseJsonLossless(text)).toEqual(expected);
  });
});
