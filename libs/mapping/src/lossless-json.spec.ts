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
