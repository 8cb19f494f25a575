import type { AttributeValue, DriftEvent, DriftSummary } from '@pg2ddb/contracts';

import { alertIdentity, type Alert } from './alert';

/** The drift kinds that raise alerts (`inFlight` is the pipeline catching up, not drift). */
export const DRIFT_ALERT_KINDS = ['missing', 'unexpected', 'mismatch'] as const;
export type DriftAlertKind = (typeof DRIFT_ALERT_KINDS)[number];

/** The `alertname` label of every drift alert. */
export const DRIFT_ALERT_NAME = 'Pg2ddbDriftFound';

export interface DriftAlertOptions {
  /** The deployment's topic prefix, a label of every alert (several deployments, one Alertmanager). */
  topicPrefix: string;
  /** How long a firing alert stays firing if nobody re-sends it (its `endsAt`), in seconds. */
  ttlSeconds: number;
  /** Item keys quoted per alert (default 5). */
  sampleKeys?: number;
  /** The `severity` label (default `warning`). */
  severity?: string;
  /** Runs whose drift events wait for their summary at most (default 64; the oldest is dropped). */
  maxPendingRuns?: number;
}

interface PendingRun {
  seq: number;
  samples: Record<DriftAlertKind, string[]>;
}

/**
 * Turns the drift topic's messages into alerts, one per entity and drift kind, for one run at a
 * time: drift events are held per run and entity until that entity's summary arrives, then the
 * summary's counts decide. A kind with drift fires (labels: alertname, topic_prefix, table,
 * entity, kind, severity; the run id, counts and a few item keys as annotations); a kind that was
 * firing and whose later run is clean is resolved (`endsAt` = now). A summary older than one
 * already applied for the entity changes nothing, so a late or replayed run cannot resolve newer
 * drift. After a (re)start the first summary of an entity also resolves its clean kinds, in case
 * an alert raised before the restart is still open (marked `onlyIfOpen`). Pure and synchronous: the caller sends the
 * alerts and calls `active` to re-send the firing ones before their `endsAt`.
 */
export class DriftAlertPlanner {
  private readonly pending = new Map<string, PendingRun>();
  private readonly firing = new Map<string, Alert>();
  private readonly latestFinish = new Map<string, number>();
  private seq = 0;

  constructor(private readonly options: DriftAlertOptions) {}

  /** Takes one message of `<prefix>.drift`; returns the alerts to send now (possibly none). */
  accept(message: DriftEvent | DriftSummary, now: Date): Alert[] {
    return message.type === 'drift' ? this.acceptEvent(message) : this.acceptSummary(message, now);
  }

  /** Every firing alert with `endsAt` moved to now + ttl: what to re-send periodically. */
  active(now: Date): Alert[] {
    const endsAt = this.endsAt(now);
    for (const alert of this.firing.values()) alert.endsAt = endsAt;
    return [...this.firing.values()].map((alert) => ({ ...alert, labels: { ...alert.labels }, annotations: { ...alert.annotations } }));
  }

  private acceptEvent(event: DriftEvent): Alert[] {
    const finished = this.latestFinish.get(entityKey(event.table, event.entity));
    // An event of a run whose summary was applied already (or of an older run) changes nothing.
    if (finished !== undefined && Date.parse(event.detectedAt) <= finished) return [];
    const key = runKey(event.runId, event.table, event.entity);
    let run = this.pending.get(key);
    if (!run) {
      run = { seq: this.seq++, samples: { missing: [], unexpected: [], mismatch: [] } };
      this.pending.set(key, run);
      this.evictPending();
    }
    const samples = run.samples[event.kind];
    if (samples.length < (this.options.sampleKeys ?? 5)) samples.push(describeKey(event));
    return [];
  }

  private acceptSummary(summary: DriftSummary, now: Date): Alert[] {
    const entity = entityKey(summary.table, summary.entity);
    const finishedAt = Date.parse(summary.finishedAt);
    const previous = this.latestFinish.get(entity);
    const run = this.pending.get(runKey(summary.runId, summary.table, summary.entity));
    this.pending.delete(runKey(summary.runId, summary.table, summary.entity));
    if (previous !== undefined && finishedAt <= previous) return [];
    this.latestFinish.set(entity, finishedAt);

    const alerts: Alert[] = [];
    for (const kind of DRIFT_ALERT_KINDS) {
      const labels = this.labels(summary, kind);
      const id = alertIdentity(labels);
      const open = this.firing.get(id);
      const count = summary.counts[kind];
      if (count > 0) {
        const alert: Alert = {
          labels,
          annotations: this.annotations(summary, kind, run?.samples[kind] ?? []),
          startsAt: open?.startsAt ?? summary.finishedAt,
          endsAt: this.endsAt(now),
        };
        this.firing.set(id, alert);
        alerts.push({ ...alert });
      } else if (open || previous === undefined) {
        // Clean now: resolve what this process raised, and, on an entity's first summary since
        // start, whatever an earlier process may have left open (Alertmanager ignores the rest).
        this.firing.delete(id);
        const startsAt = open?.startsAt ?? summary.startedAt;
        const resolvedAt = new Date(Math.max(now.getTime(), Date.parse(startsAt))).toISOString();
        alerts.push({
          labels,
          annotations: { ...(open?.annotations ?? {}), summary: `No ${kind} items of ${summary.entity} any more`, resolved_by_run: summary.runId },
          startsAt,
          endsAt: resolvedAt,
          ...(open ? {} : { onlyIfOpen: true as const }),
        });
      }
    }
    return alerts;
  }

  private labels(summary: DriftSummary, kind: DriftAlertKind): Record<string, string> {
    return {
      alertname: DRIFT_ALERT_NAME,
      topic_prefix: this.options.topicPrefix,
      table: summary.table,
      entity: summary.entity,
      kind,
      severity: this.options.severity ?? 'warning',
    };
  }

  private annotations(summary: DriftSummary, kind: DriftAlertKind, samples: string[]): Record<string, string> {
    const count = summary.counts[kind];
    return {
      summary: `DynamoDB drifted from PostgreSQL: ${count} ${kind} item(s) of ${summary.entity}`,
      description:
        `Reconciliation run ${summary.runId} (${summary.mode}) of ${summary.entity} checked ${summary.counts.checked} and found ` +
        `${count} ${kind} item(s) in ${summary.table}; consistency ${summary.consistencyRate}. ` +
        `The drift events are on ${this.options.topicPrefix}.drift; \`pg2ddb reconcile ${summary.entity} --mode full --repair\` re-syncs them.`,
      run_id: summary.runId,
      mode: summary.mode,
      count: String(count),
      checked: String(summary.counts.checked),
      consistency_rate: String(summary.consistencyRate),
      ...(samples.length > 0 ? { sample_keys: samples.join('\n') } : {}),
    };
  }

  private endsAt(now: Date): string {
    return new Date(now.getTime() + this.options.ttlSeconds * 1000).toISOString();
  }

  private evictPending(): void {
    const max = this.options.maxPendingRuns ?? 64;
    while (this.pending.size > max) {
      let oldest: [string, number] | undefined;
      for (const [key, run] of this.pending) if (!oldest || run.seq < oldest[1]) oldest = [key, run.seq];
      this.pending.delete(oldest![0]);
    }
  }
}

function entityKey(table: string, entity: string): string {
  return `${table}\u0000${entity}`;
}

function runKey(runId: string, table: string, entity: string): string {
  return `${runId}\u0000${table}\u0000${entity}`;
}

/** The row's primary key when known (`{"id":7}`), else the item's key (`PK=USER#7 SK=PROFILE`). */
function describeKey(event: DriftEvent): string {
  if (event.sourceKey) return JSON.stringify(event.sourceKey);
  return Object.keys(event.key)
    .sort()
    .map((name) => `${name}=${scalar(event.key[name] as AttributeValue)}`)
    .join(' ');
}

function scalar(value: AttributeValue): string {
  if ('S' in value) return value.S;
  if ('N' in value) return value.N;
  if ('B' in value) return value.B;
  return JSON.stringify(value);
}
