import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

const RATE_WINDOW_MS = 10_000;

/** The writer's Prometheus metrics (documented in docs/writer.md). */
export class WriterMetrics {
  readonly commands: Counter<'outcome'>;
  readonly itemsPerSecond: Gauge;
  readonly batchSeconds: Histogram;
  readonly batchCommands: Histogram;
  readonly requestSize: Histogram;
  readonly retries: Counter<'operation' | 'reason'>;
  readonly throttles: Counter<'operation'>;
  readonly retryDelaySeconds: Histogram<'operation'>;
  readonly deadLetters: Counter<'code'>;
  readonly lagSeconds: Histogram;
  readonly backpressure: Gauge;
  readonly versionCacheItems: Gauge;
  private readonly recent: Array<{ at: number; items: number }> = [];

  constructor(registry: Registry) {
    this.commands = new Counter({
      name: 'pg2ddb_writer_commands_total',
      help: 'Write commands by outcome: applied, stale (DynamoDB already held a newer version or delete), superseded (a newer command of the item in the same batch), dead_lettered',
      labelNames: ['outcome'],
      registers: [registry],
    });
    // Every outcome is exported from the start, so the stale-command ratio an alert computes
    // (stale / all) is defined, and 0, before the first stale command.
    for (const outcome of ['applied', 'stale', 'superseded', 'dead_lettered']) this.commands.inc({ outcome }, 0);
    this.itemsPerSecond = new Gauge({
      name: 'pg2ddb_writer_items_written_per_second',
      help: 'Commands applied to DynamoDB per second over the last 10 s (rate(pg2ddb_writer_commands_total{outcome="applied"}) says the same)',
      registers: [registry],
      collect: () => this.itemsPerSecond.set(this.currentRate()),
    });
    this.batchSeconds = new Histogram({
      name: 'pg2ddb_writer_batch_seconds',
      help: 'Time to persist one partition batch (read versions, write, dead-letter)',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    this.batchCommands = new Histogram({
      name: 'pg2ddb_writer_batch_commands',
      help: 'Write commands per partition batch taken from Kafka',
      buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000],
      registers: [registry],
    });
    this.requestSize = new Histogram({
      name: 'pg2ddb_writer_batch_write_requests',
      help: 'Put/delete requests per BatchWriteItem call (25 at most)',
      buckets: [1, 2, 5, 10, 15, 20, 25],
      registers: [registry],
    });
    this.retries = new Counter({
      name: 'pg2ddb_writer_retries_total',
      help: 'DynamoDB requests retried after backoff, by operation and reason (throttled, unprocessed, error)',
      labelNames: ['operation', 'reason'],
      registers: [registry],
    });
    this.throttles = new Counter({
      name: 'pg2ddb_writer_throttles_total',
      help: 'DynamoDB throttling answers (throttling errors and unprocessed items)',
      labelNames: ['operation'],
      registers: [registry],
    });
    this.retryDelaySeconds = new Histogram({
      name: 'pg2ddb_writer_retry_delay_seconds',
      help: 'Backoff slept before each DynamoDB retry (capped exponential with full jitter)',
      labelNames: ['operation'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    this.deadLetters = new Counter({
      name: 'pg2ddb_writer_dead_letters_total',
      help: 'Write commands sent to <prefix>.dlq, by error code',
      labelNames: ['code'],
      registers: [registry],
    });
    this.versionCacheItems = new Gauge({
      name: 'pg2ddb_writer_version_cache_items',
      help: "Stored versions the writer remembers for the partitions it owns (the version guard's read is skipped for them)",
      registers: [registry],
    });
    this.lagSeconds = new Histogram({
      name: 'pg2ddb_writer_end_to_end_lag_seconds',
      help: 'From the source commit (Debezium source.ts_ms) to DynamoDB acknowledging the write',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
      registers: [registry],
    });
    this.backpressure = new Gauge({
      name: 'pg2ddb_writer_backpressure',
      help: '1 while a batch waits for DynamoDB (throttling or unavailable) and consumption is paused, else 0',
      registers: [registry],
    });
  }

  /** Counts applied commands for the items-per-second gauge. */
  recordApplied(items: number, now = Date.now()): void {
    this.commands.inc({ outcome: 'applied' }, items);
    this.recent.push({ at: now, items });
    this.trim(now);
  }

  private currentRate(now = Date.now()): number {
    this.trim(now);
    const items = this.recent.reduce((sum, entry) => sum + entry.items, 0);
    return Math.round((items / (RATE_WINDOW_MS / 1000)) * 10) / 10;
  }

  private trim(now: number): void {
    while (this.recent.length > 0 && (this.recent[0] as { at: number }).at < now - RATE_WINDOW_MS) this.recent.shift();
  }
}
