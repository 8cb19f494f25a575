import type { DriftEvent, DriftSummary } from './drift-event';
import { validateDriftMessage } from './drift-schema';

const event: DriftEvent = {
  v: 1,
  type: 'drift',
  kind: 'mismatch',
  entity: 'Payment',
  sourceKey: { paymentid: '7' },
  table: 'Payments',
  key: { PK: { S: 'CUSTOMER#1' }, SK: { S: 'PAYMENT#2024-01-01T00:00:00.000000Z#7' } },
  attributes: [
    { name: 'PaymentAmount', expected: { N: '10.5' }, actual: { N: '99' } },
    { name: 'GSI1PK', expected: { S: 'STATUS#PAID' }, actual: null },
    { name: 'Tags', expected: { SS: ['a'] }, actual: { L: [{ S: 'a' }, { M: { x: { NULL: true } } }] } },
  ],
  expectedVersion: null,
  actualVersion: '0000000001a2b3c40000000001a2b3c51',
  runId: '1b4e28ba-2fa1-11d2-883f-0016d3cca427',
  mode: 'full',
  detectedAt: '2026-11-22T01:00:00.000Z',
};

const summary: DriftSummary = {
  v: 1,
  type: 'summary',
  runId: '1b4e28ba-2fa1-11d2-883f-0016d3cca427',
  mode: 'sample',
  table: 'Payments',
  entity: 'Payment',
  startedAt: '2026-11-22T01:00:00.000Z',
  finishedAt: '2026-11-22T01:00:02.500Z',
  counts: { checked: 100, matched: 99, missing: 1, unexpected: 0, mismatch: 0, inFlight: 0, repaired: 0 },
  consistencyRate: 0.99,
  durationMs: 2500,
};

describe('drift topic JSON schemas (v1)', () => {
  it('accepts a drift event and a summary', () => {
    expect(validateDriftMessage(event)).toEqual({ ok: true, value: event });
    expect(validateDriftMessage(summary)).toEqual({ ok: true, value: summary });
    expect(validateDriftMessage({ ...event, kind: 'missing', attributes: [], mode: undefined }).ok).toBe(true);
  });

  it.each([
    ['an unknown kind', { ...event, kind: 'stale' }, '/kind'],
    ['an attribute value with two types', { ...event, attributes: [{ name: 'a', expected: { S: 'x', N: '1' }, actual: null }] }, '/attributes/0/expected'],
    ['a number that is not one', { ...event, key: { PK: { N: 'ten' } } }, '/key/PK'],
    ['a missing run id', { ...event, runId: undefined }, 'runId'],
    ['a bad timestamp', { ...event, detectedAt: 'yesterday' }, '/detectedAt'],
    ['a summary rate above 1', { ...summary, consistencyRate: 1.5 }, '/consistencyRate'],
    ['a summary with negative counts', { ...summary, counts: { ...summary.counts, missing: -1 } }, '/counts/missing'],
    ['an unknown field', { ...summary, extra: 1 }, 'additional'],
  ])('rejects %s', (_name, message, where) => {
    const result = validateDriftMessage(JSON.parse(JSON.stringify(message)));
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.problems.join('\n')).toContain(where);
  });

  it('rejects a message of another type', () => {
    expect(validateDriftMessage({ type: 'put' })).toEqual({ ok: false, problems: ['type must be "drift" or "summary", got "put"'] });
  });
});
