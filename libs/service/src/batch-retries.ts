import { Gauge, type Registry } from 'prom-client';
import type { Readiness } from './readiness';

/**
 * `pg2ddb_batch_consecutive_retries{service,topic,partition}`: how many times in a row the
 * current batch of a partition has failed. Back-pressure (DynamoDB down) and a batch that can
 * never succeed look the same from outside — only lag grows — so this says which partition is
 * stuck and for how long. Also a readiness check, `batch-progress`, that fails while a batch has
 * failed `threshold` times in a row. Returns the callback for `KafkaBatchServer.onBatchRetries`.
 */
export function watchBatchRetries(
  registry: Registry,
  readiness: Readiness,
  service: string,
  threshold: number,
): (topic: string, partition: number, consecutive: number) => void {
  const gauge = new Gauge({
    name: 'pg2ddb_batch_consecutive_retries',
    help: 'Consecutive failed attempts of the batch a partition is on (0 once it succeeds)',
    labelNames: ['service', 'topic', 'partition'],
    registers: [registry],
  });
  const current = new Map<string, number>();
  readiness.add({ name: 'batch-progress', check: () => [...current.values()].every((count) => count < threshold) });
  return (topic, partition, consecutive) => {
    current.set(`${topic}/${partition}`, consecutive);
    gauge.set({ service, topic, partition: String(partition) }, consecutive);
  };
}
