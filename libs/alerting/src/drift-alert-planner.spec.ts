import type { DriftEvent, DriftSummary } from '@pg2ddb/contracts';

import { alertStatus } from './alert';
import { DriftAlertPlanner } from './drift-alert-planner';
import { webhookPayload } from './webhook-payload';

const T0 = new Date('2026-12-01T10:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

function summary(runId: string, finishedMinute: number, counts: Partial<DriftSummary['counts']>, entity = 'Payment'): DriftSummary {
  const full = { checked: 100, missing: 0, unexpected: 0, mismatch: 0, inFlight: 0, ...counts };
  return {
    v: 1,
    type: 'summary',
    runId,
    mode: 'full',
    table: 'pay',
    entity,
    startedAt: at(finishedMinute - 1).toISOString(),
    finishedAt: at(finishedMinute).toISOString(),
    counts: full,
    consistencyRate: (full.checked - full.missing - full.unexpected - full.mismatch) / full.checked,
  };
}

function drift(runId: string, minute: number, kind: DriftEvent['kind'], id: number, entity = 'Payment'): DriftEvent {
  return {
    v: 1,
    type: 'drift',
    kind,
    entity,
    sourceKey: { id },
    table: 'pay',
    key: { PK: { S: `PAY#${id}` } },
    attributes: [],
    expectedVersion: null,
    actualVersion: null,
    runId,
    mode: 'full',
    detectedAt: at(minute).toISOString(),
  };
}

const planner = () => new DriftAlertPlanner({ topicPrefix: 'demo', ttlSeconds: 600, sampleKeys: 2 });

describe('DriftAlertPlanner', () => {
  it('raises one alert per entity and kind with drift when the run summary arrives, quoting a few keys', () => {
    const p = planner();
    expect(p.accept(drift('r1', 1, 'missing', 1), at(1))).toEqual([]);
    expect(p.accept(drift('r1', 1, 'missing', 2), at(1))).toEqual([]);
    expect(p.accept(drift('r1', 1, 'missing', 3), at(1))).toEqual([]);
    expect(p.accept(drift('r1', 1, 'mismatch', 4), at(1))).toEqual([]);
    // First summary since start: the clean kind (unexpected) is resolved too, in case it was open.
    const alerts = p.accept(summary('r1', 1, { missing: 3, mismatch: 1, inFlight: 5 }), at(1));
    const byKind = Object.fromEntries(alerts.map((a) => [a.labels.kind, a]));
    expect(Object.keys(byKind).sort()).toEqual(['mismatch', 'missing', 'unexpected']);
    expect(byKind.missing!.labels).toEqual({ alertname: 'Pg2ddbDriftFound', topic_prefix: 'demo', table: 'pay', entity: 'Payment', kind: 'missing', severity: 'warning' });
    expect(byKind.missing!.annotations).toMatchObject({ run_id: 'r1', count: '3', checked: '100', sample_keys: '{"id":1}\n{"id":2}' });
    expect(byKind.missing!.annotations.summary).toBe('DynamoDB drifted from PostgreSQL: 3 missing item(s) of Payment');
    expect(byKind.mismatch!.annotations).toMatchObject({ count: '1', sample_keys: '{"id":4}' });
    expect(alertStatus(byKind.missing!, at(1))).toBe('firing');
    expect(byKind.missing!.endsAt).toBe(at(11).toISOString());
    expect(alertStatus(byKind.unexpected!, at(1))).toBe('resolved');
    expect(byKind.unexpected!.onlyIfOpen).toBe(true);
    expect(byKind.missing!.onlyIfOpen).toBeUndefined();
  });

  it('keeps startsAt while drift persists, re-sends firing alerts with a later endsAt, and resolves them on a clean run', () => {
    const p = planner();
    p.accept(summary('r1', 1, { missing: 2 }), at(1));
    const second = p.accept(summary('r2', 5, { missing: 1 }), at(5));
    expect(second).toHaveLength(1);
    expect(second[0]).toMatchObject({ startsAt: at(1).toISOString(), endsAt: at(15).toISOString() });
    expect(second[0]!.annotations).toMatchObject({ run_id: 'r2', count: '1' });

    const resent = p.active(at(8));
    expect(resent.map((a) => [a.labels.kind, a.endsAt])).toEqual([['missing', at(18).toISOString()]]);

    const clean = p.accept(summary('r3', 9, {}), at(9));
    expect(clean).toHaveLength(1);
    expect(clean[0]!.labels.kind).toBe('missing');
    expect(clean[0]!.endsAt).toBe(at(9).toISOString());
    expect(clean[0]!.annotations.resolved_by_run).toBe('r3');
    // This process raised it: resolved unconditionally.
    expect(clean[0]!.onlyIfOpen).toBeUndefined();
    expect(p.active(at(10))).toEqual([]);
    // Nothing open any more: a further clean run sends nothing.
    expect(p.accept(summary('r4', 12, {}), at(12))).toEqual([]);
  });

  it('ignores a summary older than one already applied, and events of a run already summarised', () => {
    const p = planner();
    p.accept(summary('r2', 5, { unexpected: 4 }), at(5));
    expect(p.accept(summary('r1', 3, {}), at(6))).toEqual([]);
    expect(p.active(at(6)).map((a) => a.labels.kind)).toEqual(['unexpected']);
    expect(p.accept(drift('r2', 5, 'unexpected', 9), at(6))).toEqual([]);
    const next = p.accept(summary('r3', 8, { unexpected: 1 }), at(8));
    expect(next[0]!.annotations.sample_keys).toBeUndefined();
  });

  it('keeps entities apart', () => {
    const p = planner();
    p.accept(summary('r1', 1, { missing: 1 }, 'Payment'), at(1));
    p.accept(summary('r1', 1, { mismatch: 2 }, 'Customer'), at(1));
    p.accept(summary('r2', 2, {}, 'Customer'), at(2));
    expect(p.active(at(3)).map((a) => `${a.labels.entity}/${a.labels.kind}`)).toEqual(['Payment/missing']);
  });

  it('drops the oldest pending run when too many wait for their summary', () => {
    const p = new DriftAlertPlanner({ topicPrefix: 'demo', ttlSeconds: 60, maxPendingRuns: 2 });
    p.accept(drift('r1', 1, 'missing', 1, 'A'), at(1));
    p.accept(drift('r1', 1, 'missing', 2, 'B'), at(1));
    p.accept(drift('r1', 1, 'missing', 3, 'C'), at(1));
    const a = p.accept({ ...summary('r1', 1, { missing: 1 }, 'A') }, at(1)).find((x) => x.labels.kind === 'missing');
    const c = p.accept({ ...summary('r1', 1, { missing: 1 }, 'C') }, at(1)).find((x) => x.labels.kind === 'missing');
    expect(a!.annotations.sample_keys).toBeUndefined();
    expect(c!.annotations.sample_keys).toBe('{"id":3}');
  });
});

describe('webhookPayload', () => {
  it('spells out each alert status', () => {
    const p = planner();
    p.accept(summary('r1', 1, { missing: 1 }), at(1));
    const payload = webhookPayload(p.accept(summary('r2', 2, {}), at(2)).concat(p.active(at(2))), at(2));
    expect(payload.version).toBe('pg2ddb.alerts.v1');
    expect(payload.alerts.map((a) => a.status)).toEqual(['resolved']);
    expect(webhookPayload([{ labels: {}, annotations: {}, startsAt: 'x', endsAt: at(1).toISOString(), onlyIfOpen: true }], at(2)).alerts[0]).toEqual({
      labels: {},
      annotations: {},
      startsAt: 'x',
      endsAt: at(1).toISOString(),
      status: 'resolved',
    });
  });
});
