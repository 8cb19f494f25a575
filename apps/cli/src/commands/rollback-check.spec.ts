import type { FullReconciliation } from '@pg2ddb/postgres';

import type { WayBackState } from '../direction/way-back-state';
import { withLsn } from '../direction/switch-direction';
import type { PipelineState } from '@pg2ddb/ops';
import { judgeRollback } from './rollback-check.command';

const at = Date.parse('2026-01-01T12:00:00Z');
const state: PipelineState = {
  at,
  connector: { name: 'pg2ddb-p', state: 'STOPPED', tasks: [] },
  entities: [{ entity: 'Order', source: 'public.orders', rows: 10, items: 10, transformerLag: 0 }],
  writerLag: 0,
  deadLetters: 0,
  errors: [],
};
const drained: WayBackState = {
  directions: [{ entity: 'Order', direction: 'ddb-to-pg', since: {}, switchedAt: new Date(at) }],
  streamArn: 'arn:stream',
  sourceStarted: true,
  streamCaughtUp: true,
  pgWriterLag: 0,
  deadLetters: 0,
  errors: [],
};
const clean: FullReconciliation = { entity: 'Order', runId: '0123456789abcdef', status: 'succeeded', finishedAt: new Date(at - 60000), checked: 10, missing: 0, unexpected: 0, mismatch: 0, consistencyRate: 1 };
const limits = { maxLag: 5, maxReconcileAgeMs: 3600000 };
const failing = (wayBack: WayBackState, pipeline: PipelineState, runs: FullReconciliation[]) =>
  judgeRollback(wayBack, pipeline, runs, limits)
    .filter((c) => !c.ok)
    .map((c) => `${c.criterion}${c.entity ? ` (${c.entity})` : ''}: ${c.detail}`);

describe('judgeRollback', () => {
  it('says GO when the way back runs, has drained, and the data reconciles', () => {
    expect(failing(drained, state, [clean])).toEqual([]);
  });

  it('names every failing criterion', () => {
    expect(
      failing(
        { ...drained, directions: [], streamCaughtUp: false, pgWriterLag: 7, deadLetters: 2 },
        { ...state, entities: [{ ...state.entities[0]!, items: 11 }] },
        [{ ...clean, mismatch: 1 }],
      ),
    ).toEqual([
      'way back running (Order): direction pg-to-ddb',
      'stream read to its end: records beyond the checkpoints',
      'lag under threshold: pg-writer 7 message(s) behind (max 5)',
      'DLQ empty: 2 dead letter(s) awaiting replay',
      'rows = items (Order): 10 rows / 11 items',
      'full reconciliation clean (Order): run 01234567 succeeded, 10 checked, missing 0, unexpected 0, mismatch 1, 1 min ago',
    ]);
    expect(failing({ ...drained, sourceStarted: false }, state, [])).toEqual([
      'stream read to its end: the DynamoDB source never started',
      'full reconciliation clean (Order): never fully reconciled (pg2ddb reconcile --mode full)',
    ]);
  });
});

describe('withLsn', () => {
  it('moves every lsn position of a Debezium offset and keeps the rest', () => {
    expect(withLsn({ lsn: 10, lsn_proc: 10, lsn_commit: 9, txId: 5, ts_usec: 1 }, 42n)).toEqual({ lsn: 42, lsn_proc: 42, lsn_commit: 42, txId: 5, ts_usec: 1 });
  });
});
