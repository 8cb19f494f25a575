import { Counter, Histogram, type Registry } from 'prom-client';

/** The writer's Prometheus metrics. */
export class WriterMetrics {
  readonly commands: Counter<'outcome'>;
  readonly batchSeconds: Histogram;

  constructor(registry: Registry) {
    this.commands = new Counter({
      name: 'pg2ddb_writer_commands_total',
      help: 'Write commands by outcome: applied, stale (a newer version was already there), coalesced, dead_lettered',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.batchSeconds = new Histogram({
      name: 'pg2ddb_writer_batch_seconds',
      help: 'Time to apply one partition batch to DynamoDB',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
  }
}
