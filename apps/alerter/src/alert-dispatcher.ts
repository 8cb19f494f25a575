import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { alertStatus, DriftAlertPlanner, type Alert } from '@pg2ddb/alerting';
import { errorMessage } from '@pg2ddb/errors';
import { Registry } from 'prom-client';

import type { AlerterConfig } from './alerter-config';
import { AlerterMetrics } from './alerter-metrics';
import type { AlertTarget } from './targets/alert-target';
import { ALERT_TARGETS, ALERTER_CONFIG } from './tokens';

/**
 * Holds the drift planner and an outbox per target. Alerts are queued, then flushed to every
 * target; a target that fails keeps its queue and `flush` throws, so the Kafka batch is retried
 * (its offsets stay uncommitted) and nothing planned is lost. Firing alerts are re-sent on a timer
 * so Alertmanager keeps them open until a clean run resolves them.
 */
@Injectable()
export class AlertDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly planner: DriftAlertPlanner;
  private readonly logger = new Logger(AlertDispatcher.name);
  private readonly metrics: AlerterMetrics;
  private readonly outbox = new Map<string, Alert[]>();
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    @Inject(ALERTER_CONFIG) private readonly config: AlerterConfig,
    @Inject(ALERT_TARGETS) private readonly targets: AlertTarget[],
    @Inject(Registry) registry: Registry,
  ) {
    this.metrics = new AlerterMetrics(registry);
    this.planner = new DriftAlertPlanner({ topicPrefix: config.PG2DDB_TOPIC_PREFIX, ttlSeconds: config.PG2DDB_ALERT_TTL_SECONDS, severity: config.PG2DDB_ALERT_SEVERITY });
    for (const target of targets) this.outbox.set(target.name, []);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.enqueue(this.planner.active(new Date()));
      this.flush().catch((error: unknown) => this.logger.warn(`re-sending firing alerts failed: ${errorMessage(error)}`));
    }, this.config.PG2DDB_ALERT_RESEND_SECONDS * 1000);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Counts a message of the drift topic. */
  countMessage(outcome: 'accepted' | 'invalid'): void {
    this.metrics.messages.inc({ outcome });
  }

  /** Queues alerts for every target (sent by the next `flush`). */
  enqueue(alerts: Alert[]): void {
    if (alerts.length === 0) return;
    for (const queue of this.outbox.values()) queue.push(...alerts);
  }

  /** Sends every queued alert; throws when a target failed (its queue is kept for the next try). */
  flush(): Promise<void> {
    // One flush at a time: the timer and the Kafka handler share the outbox.
    const run = this.flushing.then(() => this.flushNow());
    this.flushing = run.catch(() => undefined);
    return run;
  }

  private async flushNow(): Promise<void> {
    const failures: string[] = [];
    const now = new Date();
    for (const target of this.targets) {
      const queue = this.outbox.get(target.name)!;
      if (queue.length === 0) continue;
      const batch = queue.splice(0, queue.length);
      try {
        await target.send(batch, now);
        for (const alert of batch) this.metrics.sent.inc({ target: target.name, status: alertStatus(alert, now) });
      } catch (error) {
        queue.unshift(...batch);
        this.metrics.failures.inc({ target: target.name });
        failures.push(errorMessage(error));
      }
    }
    this.metrics.firing.set(this.planner.active(now).length);
    if (failures.length > 0) throw new Error(failures.join('; '));
  }
}
