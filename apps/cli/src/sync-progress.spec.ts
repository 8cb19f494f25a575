import { formatDuration, formatProgress, inSync } from './sync-progress';

describe('sync progress', () => {
  it('shows counts, percentage, rate and ETA per entity', () => {
    const lines = formatProgress(
      [{ entity: 'Payment', rows: 10000, items: 6000 }],
      [{ entity: 'Payment', rows: 10000, items: 4000 }],
      1000,
    );
    expect(lines).toEqual(['Payment          6,000 / 10,000 items (60.0%)  2,000/s  ETA 2.0s']);
  });

  it('treats an empty table as complete and never shows a negative rate', () => {
    expect(formatProgress([{ entity: 'E', rows: 0, items: 0 }], [{ entity: 'E', rows: 0, items: 3 }], 1000)).toEqual([
      'E                0 / 0 items (100.0%)  0/s',
    ]);
  });

  it('says why a table with more items than rows will not settle by waiting', () => {
    expect(formatProgress([{ entity: 'Payment', rows: 500, items: 10007 }], [{ entity: 'Payment', rows: 500, items: 10007 }], 1000)).toEqual([
      "Payment          10,007 / 500 items (100.0%)  0/s  — 9,507 more items than rows: the table holds items of rows that no longer exist ('pg2ddb reconcile Payment --mode full --repair' removes them)",
    ]);
  });

  it('is in sync only when every entity has as many items as rows', () => {
    expect(inSync([{ entity: 'A', rows: 2, items: 2 }])).toBe(true);
    expect(inSync([{ entity: 'A', rows: 2, items: 2 }, { entity: 'B', rows: 1, items: 0 }])).toBe(false);
  });

  it('formats durations for people', () => {
    expect(formatDuration(850)).toBe('850ms');
    expect(formatDuration(4200)).toBe('4.2s');
    expect(formatDuration(185000)).toBe('3m05s');
  });
});
