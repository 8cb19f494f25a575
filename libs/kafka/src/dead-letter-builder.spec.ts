import { buildDeadLetter } from './dead-letter-builder';

describe('buildDeadLetter', () => {
  it('keeps the original message, its coordinates and the reason', () => {
    const letter = buildDeadLetter(
      'transformer',
      { code: 'MAPPING_NUMBER_OUT_OF_RANGE', message: 'too precise', details: { column: 'amount' } },
      {
        topic: 'p.public.payments',
        partition: 2,
        message: { key: Buffer.from('{"id":1}'), value: Buffer.from('{"x":1}'), offset: '17', timestamp: '1700000000000', attributes: 0, headers: { h: Buffer.from('v') } },
      },
      new Date('2026-01-02T03:04:05.000Z'),
    );
    expect(letter).toEqual({
      v: 1,
      stage: 'transformer',
      code: 'MAPPING_NUMBER_OUT_OF_RANGE',
      message: 'too precise',
      original: {
        topic: 'p.public.payments', partition: 2, offset: '17', key: '{"id":1}', value: '{"x":1}', encoding: 'utf8', headers: { h: 'v' }, timestamp: '1700000000000',
      },
      details: { column: 'amount' },
      failedAt: '2026-01-02T03:04:05.000Z',
    });
  });

  it('base64-encodes bytes that are not UTF-8 and keeps null values', () => {
    const letter = buildDeadLetter('writer', { code: 'X', message: 'y' }, {
      topic: 't', partition: 0, message: { key: null, value: Buffer.from([0xff, 0xfe]), offset: '0', timestamp: '0', attributes: 0, headers: {} },
    });
    expect(letter.original.value).toBe('//4=');
    expect(letter.original.key).toBeNull();
    expect(letter.original.encoding).toBe('base64');
  });

  it('cuts an original too large to carry, says where the whole message is, and stays within the budget', () => {
    const value = Buffer.from(JSON.stringify({ payload: { after: { body: '"quoted" '.repeat(200_000) } } }));
    const letter = buildDeadLetter(
      'transformer',
      { code: 'TRANSFORMER_ITEM_TOO_LARGE', message: 'r'.repeat(10_000), details: { blob: 'x'.repeat(20_000) } },
      { topic: 'p.public.docs', partition: 1, message: { key: Buffer.from('{"id":1}'), value, offset: '99', timestamp: '0', attributes: 0, headers: {} } },
    );
    expect(letter.original.truncated).toEqual({
      valueBytes: value.length,
      keptChars: letter.original.value?.length,
      rest: "the whole message is at p.public.docs/1/99 (topic/partition/offset) while that topic's retention keeps it",
    });
    expect(value.toString('utf8').startsWith(letter.original.value ?? 'missing')).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(letter.original.value))).toBeLessThanOrEqual(768 * 1024);
    expect(Buffer.byteLength(JSON.stringify(letter))).toBeLessThan(1024 * 1024 - 64 * 1024);
    expect(letter.message).toHaveLength(4096 + '… (cut at 4096 characters)'.length);
    expect(letter.details).toEqual({ truncated: true, preview: expect.stringMatching(/^\{"blob":"x+$/) });
    expect(letter.original.key).toBe('{"id":1}');
  });
});
