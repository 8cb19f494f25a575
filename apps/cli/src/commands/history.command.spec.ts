import type { RunHistoryEntry } from '@pg2ddb/postgres';

import { describeEntry } from './history.command';

const entry = (over: Partial<RunHistoryEntry>): RunHistoryEntry => ({
  id: 'x',
  kind: 'replay',
  topicPrefix: 'demo',
  entity: null,
  startedAt: new Date('2026-12-04T10:00:00Z'),
  finishedAt: new Date('2026-12-04T10:00:01Z'),
  status: 'succeeded',
  summary: {},
  error: null,
  ...over,
});

describe('describeEntry', () => {
  it('sums up a reconciliation from its counts', () => {
    expect(describeEntry(entry({ kind: 'reconcile', summary: { mode: 'full', checked: 10, missing: 1, unexpected: 0, mismatch: 2, inFlight: 3 } }))).toBe(
      'full: checked 10, missing 1, unexpected 0, mismatch 2, in flight 3',
    );
  });

  it('names an operation by its arguments, its verdict and its exit code, or its error', () => {
    expect(describeEntry(entry({ kind: 'cutover-check', summary: { args: [], exitCode: 1, report: { go: false } } }))).toBe('NO-GO exit 1');
    expect(describeEntry(entry({ kind: 'snapshot', summary: { args: ['Payment'], exitCode: 0 } }))).toBe('Payment exit 0');
    expect(describeEntry(entry({ kind: 'load', status: 'failed', summary: { args: ['apply'] }, error: 'connector FAILED' }))).toBe('apply connector FAILED');
  });
});
