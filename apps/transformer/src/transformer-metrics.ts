import { Counter, type Registry } from 'prom-client';

/** The transformer's Prometheus metrics. */
export class TransformerMetrics {
  readonly events: Counter<'outcome'>;
  readonly commands: Counter<'op'>;

  constructor(registry: Registry) {
    this.events = new Counter({
      name: 'pg2ddb_transformer_events_total',
      help: 'Debezium events by outcome: mapped, skipped, dead_lettered',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.commands = new Counter({
      name: 'pg2ddb_transformer_commands_total',
      help: 'Write commands emitted, by operation',
      labelNames: ['op'],
      registers: [registry],
    });
  }
}
