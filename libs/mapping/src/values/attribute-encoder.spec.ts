import { encodeAttribute, jsonTextToAttributeExact, type EncodeOptions } from './attribute-encoder';

const options: EncodeOptions = { nulls: 'omit', json: 'map', arrays: 'list' } as EncodeOptions;
const where = { entity: 'E', column: 'doc' };
const encode = (text: string) => encodeAttribute({ kind: 'json', text }, options, where);

describe('jsonb as a native attribute: JSON.parse when exact, the exact parser otherwise', () => {
  it.each([
    '{"a":1,"b":[true,false,null,"x"],"c":{"d":-0,"e":1.50,"f":1e21,"g":0.0000001,"h":-12.5e-3}}',
    '{"__proto__":{"polluted":true},"10":"ten","2":"two","z":1}',
    '{"dup":1,"dup":2,"order":[3,2,1]}',
    '[1,"two",{"three":3.000}]',
    '"just a string"',
    '12345',
    'null',
    '{"price":123456789012345,"tiny":1e-99,"huge":9.99999999999999e99}',
    // beyond what a double holds exactly: the exact parser
    '{"big":12345678901234567890,"digits":0.1000000000000000055511151231257827,"exp":1e100}',
    '{"s":"a run in a string 1234567890123456789 stays a string","n":1}',
    '{"unicode":"é 😀 \\u0041 \\ud83d\\ude00","escaped":"quote \\" backslash \\\\"}',
  ])('%s gives the exact path\'s attribute', (text) => {
    expect(encode(text)).toEqual(jsonTextToAttributeExact(text, where));
  });

  it('keeps "__proto__" as data', () => {
    const attribute = encode('{"__proto__":{"x":1}}') as { M: Record<string, unknown> };
    expect(Object.keys(attribute.M)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it.each([
    ['a number outside DynamoDB\'s range', '{"n":1e-131}'],
    ['malformed JSON', '{"n":1,'],
    ['a number with too many digits', '{"n":123456789012345678901234567890123456789}'],
  ])('leaves %s to the exact path and its error', (_name, text) => {
    expect(() => encode(text)).toThrow();
    expect(() => encode(text)).toThrow(expect.objectContaining({ message: (() => { try { jsonTextToAttributeExact(text, where); return ''; } catch (error) { return (error as Error).message; } })() }));
  });

  it('agrees with the exact path on 5,000 generated documents', () => {
    let seed = 3;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const number = () => {
      const digits = String(next()).slice(0, 1 + (next() % 10));
      const fraction = next() % 3 === 0 ? `.${String(next()).slice(0, 1 + (next() % 8))}` : '';
      const exponent = next() % 5 === 0 ? `e${next() % 2 ? '-' : ''}${next() % 40}` : '';
      return `${next() % 4 === 0 ? '-' : ''}${digits}${fraction}${exponent}`;
    };
    const value = (depth: number): string => {
      const kind = next() % (depth > 2 ? 4 : 6);
      if (kind === 0) return number();
      if (kind === 1) return JSON.stringify(`s${next() % 1000}`);
      if (kind === 2) return ['true', 'false', 'null'][next() % 3] as string;
      if (kind === 3) return number();
      if (kind === 4) return `[${Array.from({ length: next() % 4 }, () => value(depth + 1)).join(',')}]`;
      return `{${Array.from({ length: next() % 4 }, (_unused, index) => `"k${index}${next() % 3}":${value(depth + 1)}`).join(',')}}`;
    };
    for (let index = 0; index < 5000; index++) {
      const text = value(0);
      let expected: unknown;
      try {
        expected = jsonTextToAttributeExact(text, where);
      } catch (error) {
        expect(() => encode(text)).toThrow((error as Error).message);
        continue;
      }
      expect(encode(text)).toEqual(expected);
    }
  });
});
