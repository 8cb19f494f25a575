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
});
