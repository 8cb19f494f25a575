import { Counter, Gauge, type Registry } from 'prom-client';

/** The alerter's Prometheus metrics. */
export class AlerterMetrics {
  readonly messages: Counter<'outcome'>;
  readonly sent: Counter<'target' | 'status'>;
  readonly failures: Counter<'target'>;
  readonly firing: Gauge;

  constructor(registry: Registry) {
    this.messages = new Counter({
      name: 'pg2ddb_alerter_messages_total',
      help: 'Drift-topic messages by outcome: accepted, invalid (not a v1 drift event or summary; logged and skipped)',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.sent = new Counter({ name: 'pg2ddb_alerter_alerts_sent_total', help: 'Alerts accepted by a target, by status', labelNames: ['target', 'status'], registers: [registry] });
    this.failures = new Counter({ name: 'pg2ddb_alerter_send_failures_total', help: 'Failed sends (retried)', labelNames: ['target'], registers: [registry] });
    this.firing = new Gauge({ name: 'pg2ddb_alerter_firing_alerts', help: 'Drift alerts this alerter keeps firing', registers: [registry] });
  }
}
