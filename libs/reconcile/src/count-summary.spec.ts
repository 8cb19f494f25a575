import { countSummary } from './count-summary';

const at = new Date('2026-01-01T00:00:00.000Z');
const base = { runId: 'r1', table: 'T', entity: 'Payment', startedAt: at, finishedAt: at };

describe('countSummary', () => {
  it('reports missing items and the consistency rate', () => {
    const summary = countSummary({ ...base, rows: 10, items: 8 });
    expect(summary.counts).toEqual({ checked: 10, matched: 8, missing: 2, unexpected: 0, mismatch: 0, inFlight: 0 });
    expect(summary.consistencyRate).toBeCloseTo(0.8);
    expect(summary).toMatchObject({ v: 1, type: 'summary', mode: 'count', entity: 'Payment', startedAt: '2026-01-01T00:00:00.000Z' });
  });

  it('reports extra items as unexpected', () => {
    expect(countSummary({ ...base, rows: 3, items: 4 }).counts).toMatchObject({ checked: 4, missing: 0, unexpected: 1 });
  });

  it('treats two empty stores as consistent', () => {
    expect(countSummary({ ...base, rows: 0, items: 0 }).consistencyRate).toBe(1);
  });
});
