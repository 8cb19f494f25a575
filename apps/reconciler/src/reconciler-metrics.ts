import type { EntityReport } from '@pg2ddb/reconcile';
import { Counter, Gauge, type Registry } from 'prom-client';

/** The reconciler's Prometheus metrics (served on /metrics by the service module). */
export class ReconcilerMetrics {
  private readonly driftItems: Counter<'entity' | 'kind'>;
  private readonly consistency: Gauge<'entity' | 'mode'>;
  private readonly duration: Gauge<'entity' | 'mode'>;
  private readonly lastRun: Gauge<'entity' | 'mode'>;
  private readonly lastDrift: Gauge<'entity' | 'kind'>;
  private readonly failures: Counter<'entity'>;
  private readonly versionsAhead: Gauge<'entity'>;

  constructor(registry: Registry) {
    this.driftItems = new Counter({
      name: 'pg2ddb_reconciler_drift_items_total',
      help: 'Confirmed drifted items, by entity and kind (missing, unexpected, mismatch, in_flight)',
      labelNames: ['entity', 'kind'],
      registers: [registry],
    });
    this.lastDrift = new Gauge({
      name: 'pg2ddb_reconciler_last_run_drift_items',
      help: 'Drifted items found by the last run, by entity and kind',
      labelNames: ['entity', 'kind'],
      registers: [registry],
    });
    this.consistency = new Gauge({
      name: 'pg2ddb_reconciler_consistency_ratio',
      help: 'Consistency rate (matched / checked) of the last run, per entity and mode (1 = in sync)',
      labelNames: ['entity', 'mode'],
      registers: [registry],
    });
    this.duration = new Gauge({
      name: 'pg2ddb_reconciler_last_run_duration_seconds',
      help: 'Duration of the last run, per entity and mode',
      labelNames: ['entity', 'mode'],
      registers: [registry],
    });
    this.lastRun = new Gauge({
      name: 'pg2ddb_reconciler_last_run_timestamp_seconds',
      help: 'When the last run of an entity finished (unix seconds)',
      labelNames: ['entity', 'mode'],
      registers: [registry],
    });
    this.versionsAhead = new Gauge({
      name: 'pg2ddb_reconciler_versions_ahead_items',
      help: 'Items of the last run whose _ver is above the source position: the source moved to a new cluster without a new PG2DDB_SOURCE_EPOCH (alert on > 0)',
      labelNames: ['entity'],
      registers: [registry],
    });
    this.failures = new Counter({ name: 'pg2ddb_reconciler_run_failures_total', help: 'Runs that failed with an error', labelNames: ['entity'], registers: [registry] });
  }

  /** Records one entity's finished run. */
  record(report: EntityReport): void {
    const { entity, mode, counts, consistencyRate, durationMs, finishedAt } = report.summary;
    const kinds = { missing: counts.missing, unexpected: counts.unexpected, mismatch: counts.mismatch, in_flight: counts.inFlight };
    for (const [kind, count] of Object.entries(kinds)) {
      this.driftItems.inc({ entity, kind }, count);
      this.lastDrift.set({ entity, kind }, count);
    }
    this.consistency.set({ entity, mode }, consistencyRate);
    this.duration.set({ entity, mode }, (durationMs ?? 0) / 1000);
    this.lastRun.set({ entity, mode }, Date.parse(finishedAt) / 1000);
    if (mode !== 'count') this.versionsAhead.set({ entity }, report.versionsAhead);
  }

  /** Counts a failed run. */
  failed(entity: string): void {
    this.failures.inc({ entity });
  }
}
