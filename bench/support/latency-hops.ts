import type { Kafka } from 'kafkajs';
import { percentile } from './bench-stats';

/** One timed insert, in epoch milliseconds on this machine's clock. */
export interface TimedInsert {
  id: number;
  /** When the INSERT's autocommit returned to the benchmark. */
  committedMs: number;
  /** When GetItem first returned the item. */
  visibleMs: number;
}

/** Where the commit → visible time of the timed inserts went, hop by hop (medians, ms). */
export interface LatencyHops {
  matched: number;
  /** Postgres commit (source.ts_ms) → Debezium processed the event (payload.ts_ms). */
  commitToDebeziumMs: number;
  /** Debezium processed → the change event's Kafka timestamp (Connect's producer). */
  debeziumToChangeTopicMs: number;
  /** Change topic → the write command's Kafka timestamp (transformer consumed, mapped, produced). */
  changeTopicToWritesTopicMs: number;
  /** Writes topic → GetItem saw the item (writer consumed and wrote; plus polling resolution). */
  writesTopicToVisibleMs: number;
  p95: { commitToDebeziumMs: number; debeziumToChangeTopicMs: number; changeTopicToWritesTopicMs: number; writesTopicToVisibleMs: number };
}

export type StartOffsets = Array<{ partition: number; offset: string }>;

/**
 * Reads the change events and write commands of the timed inserts back from Kafka (from the
 * offsets noted before the inserts) and splits each insert's latency at the timestamps the
 * stages leave behind. All processes share one clock: they run on this machine.
 */
export async function latencyHops(
  kafka: Kafka,
  topics: { change: string; writes: string },
  from: { change: StartOffsets; writes: StartOffsets },
  inserts: readonly TimedInsert[],
  idOf: { change: (value: Record<string, unknown>) => number | undefined; writes: (value: Record<string, unknown>) => number | undefined },
): Promise<LatencyHops> {
  const wanted = new Set(inserts.map((insert) => insert.id));
  const [changes, writes] = await Promise.all([
    readSince(kafka, topics.change, from.change, wanted, idOf.change),
    readSince(kafka, topics.writes, from.writes, wanted, idOf.writes),
  ]);
  const hops = { commitToDebeziumMs: [] as number[], debeziumToChangeTopicMs: [] as number[], changeTopicToWritesTopicMs: [] as number[], writesTopicToVisibleMs: [] as number[] };
  for (const insert of inserts) {
    const change = changes.get(insert.id);
    const write = writes.get(insert.id);
    if (!change || !write) continue;
    const payload = change.value.payload as { ts_ms?: number; source?: { ts_ms?: number } } | undefined;
    const committed = Number(payload?.source?.ts_ms);
    const processed = Number(payload?.ts_ms);
    hops.commitToDebeziumMs.push(processed - committed);
    hops.debeziumToChangeTopicMs.push(change.timestampMs - processed);
    hops.changeTopicToWritesTopicMs.push(write.timestampMs - change.timestampMs);
    hops.writesTopicToVisibleMs.push(insert.visibleMs - write.timestampMs);
  }
  const at = (values: number[], p: number): number => Math.round(percentile([...values].sort((a, b) => a - b), p));
  return {
    matched: hops.commitToDebeziumMs.length,
    commitToDebeziumMs: at(hops.commitToDebeziumMs, 50),
    debeziumToChangeTopicMs: at(hops.debeziumToChangeTopicMs, 50),
    changeTopicToWritesTopicMs: at(hops.changeTopicToWritesTopicMs, 50),
    writesTopicToVisibleMs: at(hops.writesTopicToVisibleMs, 50),
    p95: {
      commitToDebeziumMs: at(hops.commitToDebeziumMs, 95),
      debeziumToChangeTopicMs: at(hops.debeziumToChangeTopicMs, 95),
      changeTopicToWritesTopicMs: at(hops.changeTopicToWritesTopicMs, 95),
      writesTopicToVisibleMs: at(hops.writesTopicToVisibleMs, 95),
    },
  };
}

/** The end offsets of a topic's partitions now: where messages produced from now on start. */
export function endOffsets(partitions: Array<{ partition: number; high: string }>): StartOffsets {
  return partitions.map(({ partition, high }) => ({ partition, offset: high }));
}

async function readSince(
  kafka: Kafka,
  topic: string,
  from: StartOffsets,
  wanted: ReadonlySet<number>,
  idOf: (value: Record<string, unknown>) => number | undefined,
): Promise<Map<number, { timestampMs: number; value: Record<string, unknown> }>> {
  const found = new Map<number, { timestampMs: number; value: Record<string, unknown> }>();
  const consumer = kafka.consumer({ groupId: `pg2ddb-bench-hops-${Date.now()}-${Math.random().toString(36).slice(2)}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: false });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 30000); // report what arrived rather than fail the run
      void consumer.run({
        eachMessage: async ({ message }) => {
          if (!message.value) return;
          const value = JSON.parse(message.value.toString('utf8')) as Record<string, unknown>;
          const id = idOf(value);
          if (id === undefined || !wanted.has(id) || found.has(id)) return;
          found.set(id, { timestampMs: Number(message.timestamp), value });
          if (found.size >= wanted.size) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
      for (const { partition, offset } of from) consumer.seek({ topic, partition, offset });
    });
  } finally {
    await consumer.disconnect();
  }
  return found;
}
