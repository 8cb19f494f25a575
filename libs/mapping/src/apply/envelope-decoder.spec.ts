import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { EnvelopeDecoder } from './envelope-decoder';
import { parseJsonLossless } from '../values/lossless-json';

const schema = (fields: string): string =>
  `{"type":"struct","fields":[{"type":"struct","fields":[${fields}],"optional":true,"name":"t.Value","field":"before"},{"type":"struct","fields":[${fields}],"optional":true,"name":"t.Value","field":"after"}],"optional":false,"name":"t.Envelope"}`;
const event = (schemaText: string, payload: string): string => `{"schema":${schemaText},"payload":${payload}}`;
const ID = '{"type":"int64","optional":false,"field":"id"}';

describe('EnvelopeDecoder', () => {
  it('decodes the captured golden events exactly as parseJsonLossless does, parsing each schema once', () => {
    const golden = join(__dirname, '..', '__fixtures__', 'golden');
    const texts = readdirSync(golden)
      .filter((name) => name.endsWith('.event.json'))
      .map((name) => readFileSync(join(golden, name), 'utf8').trim());
    const decoder = new EnvelopeDecoder();
    // Twice through, as text and as bytes: the second pass decodes every event from a cached schema.
    for (const text of [...texts, ...texts]) {
      expect(decoder.decode(text)).toEqual(parseJsonLossless(text));
      expect(decoder.decode(Buffer.from(text))).toEqual(parseJsonLossless(text));
    }
    expect(texts.length).toBeGreaterThan(10);
    expect(decoder.cachedSchemas).toBeGreaterThan(0);
    expect(decoder.cachedSchemas).toBeLessThan(texts.length);
  });

  it('keeps big integers of the payload exact and shares one frozen schema between events', () => {
    const decoder = new EnvelopeDecoder();
    const first = decoder.decode(event(schema(ID), '{"after":{"id":9223372036854775807},"op":"c","ts_ns":1795306028463271743}')) as { schema: object; payload: unknown };
    const second = decoder.decode(event(schema(ID), '{"after":{"id":1},"op":"u"}')) as { schema: object; payload: unknown };
    expect(first.payload).toEqual({ after: { id: 9223372036854775807n }, op: 'c', ts_ns: 1795306028463271743n });
    expect(second.payload).toEqual({ after: { id: 1 }, op: 'u' });
    expect(second.schema).toBe(first.schema);
    expect(Object.isFrozen(first.schema)).toBe(true);
    expect(decoder.cachedSchemas).toBe(1);
  });

  it.each([
    ['a schema parameter named "payload"', event(schema('{"type":"string","optional":true,"parameters":{"x":"1","payload":"2"},"field":"name"}'), '{"after":{"name":"a"},"op":"c"}')],
    ['whitespace in the envelope', '{"schema": {"type":"struct"}, "payload": {"op":"c"}}'],
    ['more properties after the payload', '{"schema":{"type":"struct"},"payload":{"op":"c"},"extra":[1,{"payload":2}]}'],
    ['no schema (schemas.enable=false)', '{"before":null,"after":{"id":1},"op":"c"}'],
    ['a string holding the separator', event(schema('{"type":"string","optional":true,"doc":"a,\\"payload\\":b","field":"name"}'), '{"after":{"name":",\\"payload\\":"},"op":"c"}')],
  ])('falls back to a full parse for %s, with the same result', (_name, text) => {
    const decoder = new EnvelopeDecoder();
    for (const input of [text, text, Buffer.from(text), Buffer.from(text)]) expect(decoder.decode(input)).toEqual(parseJsonLossless(text)); // again from whatever it cached
  });

  it('splits bytes exactly where the text splits, multi-byte characters included', () => {
    const decoder = new EnvelopeDecoder();
    const text = event(schema('{"type":"string","optional":true,"doc":"é → 😀","field":"name"}'), '{"after":{"name":"ünïcode 😀 \\u0041"},"op":"c"}');
    for (let round = 0; round < 2; round++) expect(decoder.decode(Buffer.from(text))).toEqual(parseJsonLossless(text));
    // Same byte length, different bytes: a different schema, not a cache hit.
    const other = text.replace('é → 😀', 'e → 😀!');
    expect(Buffer.byteLength(other)).toBe(Buffer.byteLength(text));
    expect(decoder.decode(Buffer.from(other))).toEqual(parseJsonLossless(other));
  });

  it('does not keep the message buffer it cached a schema from', () => {
    const decoder = new EnvelopeDecoder();
    const bytes = Buffer.from(event(schema(ID), '{"after":{"id":1},"op":"c"}'));
    const first = decoder.decode(bytes) as { schema: unknown };
    bytes.fill(0x20); // kafkajs may reuse or drop the fetch buffer
    const again = Buffer.from(event(schema(ID), '{"after":{"id":2},"op":"c"}'));
    const second = decoder.decode(again) as { schema: unknown; payload: unknown };
    expect(second.schema).toBe(first.schema);
    expect(second.payload).toEqual({ after: { id: 2 }, op: 'c' });
  });

  it('throws for malformed text as parseJsonLossless does', () => {
    const decoder = new EnvelopeDecoder();
    const text = event(schema(ID), '{"after":{"id":1},"op":"c"');
    expect(() => decoder.decode(text)).toThrow();
    expect(() => decoder.decode(Buffer.from(text))).toThrow();
    expect(() => decoder.decode('{"schema":{"type":"struct"},"payload":{"op":}}')).toThrow();
    expect(() => decoder.decode(Buffer.from('{"schema":{"type":"struct"},"payload":{"op":}}'))).toThrow();
  });

  it('starts its cache over when it holds maxSchemas texts', () => {
    const decoder = new EnvelopeDecoder(2);
    for (let index = 0; index < 5; index++) decoder.decode(event(`{"type":"struct","name":"v${index}"}`, '{"op":"c"}'));
    expect(decoder.cachedSchemas).toBeLessThanOrEqual(2);
    for (let index = 0; index < 5; index++) decoder.decode(Buffer.from(event(`{"type":"struct","name":"w${index}"}`, '{"op":"c"}')));
    expect(decoder.cachedSchemas).toBeLessThanOrEqual(4);
    expect(decoder.decode(event('{"type":"struct","name":"v4"}', '{"op":"r"}'))).toEqual({ schema: { type: 'struct', name: 'v4' }, payload: { op: 'r' } });
  });
});
