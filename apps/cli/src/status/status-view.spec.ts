import type { PipelineState } from '@pg2ddb/ops';
import { terminalStyle } from '../framework/terminal-style';
import { loadRates } from '@pg2ddb/ops';
import { renderStatus, renderStatusText } from './status-view';

const base: PipelineState = {
  at: Date.parse('2026-01-01T12:00:10Z'),
  connector: { name: 'pg2ddb-p', state: 'RUNNING', tasks: ['RUNNING'] },
  entities: [{ entity: 'Payment', source: 'public.payments', rows: 10000, items: 6000, transformerLag: 120 }],
  writerLag: 40,
  lastAppliedAt: Date.parse('2026-01-01T12:00:08Z'),
  deadLetters: 1,
  errors: [],
};
const before: PipelineState = { ...base, at: Date.parse('2026-01-01T12:00:00Z'), entities: [{ ...base.entities[0]!, items: 4000 }] };

describe('status view', () => {
  it('derives rows/s and ETA from the previous refresh', () => {
    expect(loadRates(base, before).get('Payment')).toEqual({ rate: 200, etaMs: 20000 });
    expect(loadRates(base, undefined).get('Payment')).toEqual({});
  });

  it('draws a progress bar on a terminal and plain text when piped', () => {
    const tty = renderStatus(base, before, { tty: true, interval: 30 });
    expect(tty[0]).toBe('[2026-01-01 12:00:10] connector pg2ddb-p: RUNNING (tasks RUNNING)  — refresh every 30s');
    expect(tty[2]).toMatch(/^ {2}Payment\s+\[#{12}\.{8}\] 60\.0%\s+6,000 \/ 10,000\s+200\s+20\.0s\s+120\s+never reconciled$/);
    expect(tty[3]).toBe('  writer lag 40  ·  last applied event age 2.0s  ·  dead letters 1');
    const piped = renderStatus(base, undefined, { tty: false });
    expect(piped[2]).toMatch(/^ {2}Payment\s+60\.0%\s+6,000 \/ 10,000\s+-\s+-\s+120\s+never reconciled$/);
  });

  it('shows the last reconciliation and unknown values', () => {
    const state: PipelineState = {
      ...base,
      entities: [
        {
          ...base.entities[0]!,
          items: 10000,
          transformerLag: -1,
          lastReconciliation: {
            runId: 'r',
            topicPrefix: 'p',
            tableName: 't',
            entity: 'Payment',
            mode: 'full',
            startedAt: new Date(base.at - 70000),
            finishedAt: new Date(base.at - 65000),
            checked: 10000,
            matched: 9998,
            missing: 2,
            unexpected: 0,
            mismatch: 0,
            inFlight: 0,
            consistencyRate: 0.9998,
            repaired: 0,
            status: 'succeeded',
            error: null,
          },
        },
      ],
      errors: ['dead letters: boom'],
    };
    const lines = renderStatus(state, undefined, { tty: false });
    expect(lines[2]).toMatch(/done\s+\?\s+full succeeded 99\.98% \(missing 2, unexpected 0, mismatch 0\) 1m05s ago$/);
    expect(lines.at(-1)).toBe('  ! dead letters: boom');
  });

  it('prints key=value lines for grep and awk under --output text', () => {
    expect(renderStatusText(base, before)).toEqual([
      'at=2026-01-01T12:00:10.000Z connector=pg2ddb-p state=RUNNING tasks=RUNNING',
      'at=2026-01-01T12:00:10.000Z entity=Payment source=public.payments rows=10000 items=6000 load_pct=60 rows_per_s=200 eta_s=20 transformer_lag=120 reconciled=never',
      'at=2026-01-01T12:00:10.000Z writer_lag=40 last_applied_age_s=2 dead_letters=1',
    ]);
    expect(renderStatusText({ ...base, errors: ['dead letters: boom'] }, undefined).at(-1)).toBe('at=2026-01-01T12:00:10.000Z error="dead letters: boom"');
  });

  it('colours the connector state only when the style allows it', () => {
    expect(renderStatus(base, undefined, { tty: true, style: terminalStyle(true, {}) })[0]).toContain('\x1b[32mRUNNING\x1b[0m');
    expect(renderStatus(base, undefined, { tty: true, style: terminalStyle(true, { NO_COLOR: '1' }) })[0]).not.toContain('\x1b[');
  });
});
