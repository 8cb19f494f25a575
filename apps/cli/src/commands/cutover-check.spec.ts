import type { FullReconciliation } from '@pg2ddb/postgres';
import type { PipelineState } from '@pg2ddb/ops';
import { judgeCutover } from './cutover-check.command';

const at = Date.parse('2026-01-01T12:00:00Z');
const ready: PipelineState = {
  at,
  connector: { name: 'pg2ddb-p', state: 'RUNNING', tasks: ['RUNNING'] },
  entities: [{ entity: 'Order', source: 'public.orders', rows: 10, items: 10, transformerLag: 3 }],
  writerLag: 2,
  deadLetters: 0,
  errors: [],
};
const clean: FullReconciliation = {
  entity: 'Order',
  runId: '0123456789abcdef',
  status: 'succeeded',
  finishedAt: new Date(at - 60000),
  checked: 10,
  missing: 0,
  unexpected: 0,
  mismatch: 0,
  consistencyRate: 1,
};
const limits = { maxLag: 5, maxReconcileAgeMs: 3600000 };
const failing = (state: PipelineState, runs: FullReconciliation[]) => judgeCutover(state, runs, limits).filter((c) => !c.ok).map((c) => `${c.criterion}: ${c.detail}`);

describe('judgeCutover', () => {
  it('says GO when every criterion holds', () => {
    expect(failing(ready, [clean])).toEqual([]);
  });

  it('names each criterion that fails', () => {
    const state: PipelineState = {
      ...ready,
      connector: { name: 'pg2ddb-p', state: 'PAUSED', tasks: ['PAUSED'] },
      entities: [{ ...ready.entities[0]!, items: 9, transformerLag: 10 }],
      deadLetters: 2,
    };
    expect(failing(state, [{ ...clean, missing: 1 }])).toEqual([
      'connector running: pg2ddb-p: PAUSED (PAUSED)',
      'initial load complete: 9 items / 10 rows',
      'lag under threshold: 12 message(s) behind (max 5)',
      "DLQ empty: 2 dead letter(s) awaiting replay ('pg2ddb dlq list')",
      'full reconciliation clean: run 01234567 succeeded, 10 checked, missing 1, unexpected 0, mismatch 0, 1 min ago',
    ]);
  });

  it('needs a recent, successful full run per entity', () => {
    expect(failing(ready, [])).toEqual(['full reconciliation clean: never fully reconciled (pg2ddb reconcile --mode full)']);
    expect(failing(ready, [{ ...clean, finishedAt: new Date(at - 2 * 3600000) }])[0]).toMatch(/120 min ago \(too old\)$/);
    expect(failing(ready, [{ ...clean, status: 'failed' }])).toHaveLength(1);
    expect(failing({ ...ready, writerLag: -1 }, [clean])).toEqual(['lag under threshold: lag unknown']);
  });
});
