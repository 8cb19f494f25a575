import type { DeadLetter } from '@pg2ddb/contracts';
import { REPLAYED_FROM_HEADER, replayTarget } from './dead-letter-replay';

const letter = (stage: DeadLetter['stage'], topic: string, value: string | null = '{"v":1}'): DeadLetter => ({
  v: 1,
  stage,
  code: 'X',
  message: 'm',
  original: { topic, partition: 2, offset: '7', key: 'k', value, encoding: 'utf8', headers: { h: '1' }, timestamp: '0' },
  failedAt: '2026-01-01T00:00:00.000Z',
});

describe('replayTarget', () => {
  it('sends a writer letter back to <prefix>.writes with its key, value and headers, marked as replayed', () => {
    const target = replayTarget(letter('writer', 'p.writes'), 'p', { partition: 0, offset: '12' });
    expect(target).toEqual({
      topic: 'p.writes',
      message: { key: Buffer.from('k'), value: Buffer.from('{"v":1}'), headers: { h: '1', [REPLAYED_FROM_HEADER]: 'p.dlq/0/12' } },
    });
  });

  it('sends a transformer letter back to the change topic it came from', () => {
    const target = replayTarget(letter('transformer', 'p.public.payments'), 'p', { partition: 1, offset: '3' });
    expect('topic' in target && target.topic).toBe('p.public.payments');
  });

  it('decodes base64 originals to the same bytes', () => {
    const base64 = { ...letter('writer', 'p.writes'), original: { ...letter('writer', 'p.writes').original, value: Buffer.from([0xff, 0x00]).toString('base64'), encoding: 'base64' as const } };
    const target = replayTarget(base64, 'p', { partition: 0, offset: '1' });
    expect('message' in target && target.message.value).toEqual(Buffer.from([0xff, 0x00]));
  });

  it('refuses letters it cannot replay, saying why', () => {
    expect(replayTarget(letter('reconciler', 'p.drift'), 'p', { partition: 0, offset: '1' })).toEqual({
      unsupported: 'letters of stage "reconciler" are not replayable (only writer and transformer letters are)',
    });
    expect(replayTarget(letter('writer', 'p.writes', null), 'p', { partition: 0, offset: '1' })).toEqual({ unsupported: 'the original message had no value' });
  });

  it('still targets a redacted letter whose value is gone (not JSON): the caller re-reads the original', () => {
    const redacted = { ...letter('transformer', 'p.public.payments', null) };
    redacted.original = { ...redacted.original, redacted: { valueBytes: 12, rest: 'at p.public.payments/2/7' } };
    const target = replayTarget(redacted, 'p', { partition: 0, offset: '1' });
    expect('topic' in target && target.topic).toBe('p.public.payments');
    expect('message' in target && target.message.key).toEqual(Buffer.from('k'));
  });
});
