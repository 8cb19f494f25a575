import { toSdkItem } from '@pg2ddb/dynamo';
import type { AttributeMap } from '@pg2ddb/contracts';
import type { Admin, Kafka } from 'kafkajs';
import { percentile } from './bench-stats';
import type { StartOffsets } from './latency-hops';
import { sdkKeyText, type ProbeTimes } from './streaming-lag';

/** p50 / p99 of one hop, ms. */
export interface HopFigure {
  p50: number;
  p99: number;
}

/**
 * Where the commit → visible time of a phase's probes went, hop by hop: source commit
 * (`source.ts_ms`) → Debezium read it (`payload.ts_ms`) → in the change topic (its Kafka timestamp,
 * Connect's producer) → transformed (the write command's Kafka timestamp) → visible (the probe's
 * read) — the last hop is the writer's fetch, guard and write plus the read loop's resolution.
 * `commitToVisible` is the same probes' end-to-end figure, from the moment the commit returned.
 */
export interface ProbeHops {
  matched: number;
  commitToDebezium: HopFigure;
  debeziumToChangeTopic: HopFigure;
  changeTopicToTransformed: HopFigure;
  transformedToVisible: HopFigure;
  commitToVisible: HopFigure;
  /** Bytes of the probes' change-event values (key excluded), mean. */
  changeEventBytesMean: number;
}

/**
 * Reads a phase's change events and write commands back from Kafka (from the offsets noted before
 * the phase to the end offsets now) and splits each probe's latency at the timestamps the stages
 * left behind. One clock: every process runs on this machine. A change event is matched to its
 * probe by `paymentid` (after, or before for a delete), a write command by its DynamoDB key; the
 * first match after the phase's start wins.
 */
export async function probeHops(
  kafka: Kafka,
  admin: Admin,
  topics: { change: string; writes: string },
  from: { change: StartOffsets; writes: StartOffsets },
  probes: readonly ProbeTimes[],
): Promise<ProbeHops> {
  const ids = new Set(probes.map((probe) => probe.id));
  const keys = new Set(probes.map((probe) => probe.keyText));
  const [changes, writes] = await Promise.all([
    readRange(kafka, admin, topics.change, from.change, (value) => {
      const payload = (value as { payload?: { after?: { paymentid?: unknown }; before?: { paymentid?: unknown } } } | null)?.payload;
      const id = Number(payload?.after?.paymentid ?? payload?.before?.paymentid);
      return ids.has(id) ? String(id) : undefined;
    }),
    readRange(kafka, admin, topics.writes, from.writes, (value) => {
      const key = (value as { key?: AttributeMap } | null)?.key;
      if (!key) return undefined;
      const text = sdkKeyText(toSdkItem(key), Object.keys(key)); // the probes' key text: the same mapping, the same order
      return keys.has(text) ? text : undefined;
    }),
  ]);
  const hops = { commitToDebezium: [] as number[], debeziumToChangeTopic: [] as number[], changeTopicToTransformed: [] as number[], transformedToVisible: [] as number[], commitToVisible: [] as number[] };
  let bytes = 0;
  for (const probe of probes) {
    const change = changes.get(String(probe.id));
    const write = writes.get(probe.keyText);
    if (!change || !write) continue;
    const payload = (change.value as { payload?: { ts_ms?: number; source?: { ts_ms?: number } } }).payload;
    const committed = Number(payload?.source?.ts_ms);
    const read = Number(payload?.ts_ms);
    hops.commitToDebezium.push(read - committed);
    hops.debeziumToChangeTopic.push(change.timestampMs - read);
    hops.changeTopicToTransformed.push(write.timestampMs - change.timestampMs);
    hops.transformedToVisible.push(probe.visibleMs - write.timestampMs);
    hops.commitToVisible.push(probe.visibleMs - probe.committedMs);
    bytes += change.bytes;
  }
  const figure = (values: number[]): HopFigure => {
    const sorted = [...values].sort((a, b) => a - b);
    return { p50: Math.round(percentile(sorted, 50)), p99: Math.round(percentile(sorted, 99)) };
  };
  const matched = hops.commitToDebezium.length;
  return {
    matched,
    commitToDebezium: figure(hops.commitToDebezium),
    debeziumToChangeTopic: figure(hops.debeziumToChangeTopic),
    changeTopicToTransformed: figure(hops.changeTopicToTransformed),
    transformedToVisible: figure(hops.transformedToVisible),
    commitToVisible: figure(hops.commitToVisible),
    changeEventBytesMean: matched === 0 ? 0 : Math.round(bytes / matched),
  };
}

interface Found {
  timestampMs: number;
  value: unknown;
  bytes: number;
}

/** Every message of `topic` from `from` to the end offsets at the call, the first per match key. */
async function readRange(kafka: Kafka, admin: Admin, topic: string, from: StartOffsets, matchKey: (value: unknown) => string | undefined): Promise<Map<string, Found>> {
  const found = new Map<string, Found>();
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => [partition, BigInt(high)]));
  const remaining = new Set(from.filter(({ partition, offset }) => BigInt(offset) < (ends.get(partition) ?? 0n)).map(({ partition }) => partition));
  if (remaining.size === 0) return found;
  const consumer = kafka.consumer({ groupId: `pg2ddb-bench-hops-${Date.now()}-${Math.random().toString(36).slice(2)}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: false });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 120_000); // report what arrived rather than fail the run
      void consumer.run({
        eachBatch: async ({ batch }) => {
          for (const message of batch.messages) {
            if (message.value) {
              const value = JSON.parse(message.value.toString('utf8')) as unknown;
              const key = matchKey(value);
              if (key !== undefined && !found.has(key)) found.set(key, { timestampMs: Number(message.timestamp), value, bytes: message.value.length });
            }
            if (BigInt(message.offset) + 1n >= (ends.get(batch.partition) ?? 0n)) remaining.delete(batch.partition);
          }
          if (remaining.size === 0) {
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
