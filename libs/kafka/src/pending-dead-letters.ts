import { topicNames } from '@pg2ddb/contracts';
import type { Kafka, Producer } from 'kafkajs';
import { ensureTopics } from './kafka-client';
import { readTopicRange } from './read-topic-range';

/** The consumer group `pg2ddb dlq replay` commits to: every letter before its offsets was handled. */
export function dlqReplayGroup(prefix: string): string {
  return `${prefix}.dlq-replay`;
}

/**
 * The compacted topic that marks single letters as replayed (`partition/offset` keys). A filtered
 * replay (`--code`, `--stage`) re-sends only some letters: the group's offsets can then only move
 * up to the first letter it left out, and the letters after it that it did send are marked here.
 */
export function replayMarkersTopic(prefix: string): string {
  return `${topicNames(prefix).dlq}-replayed`;
}

/** `partition/offset` of a DLQ letter, the key of its replay marker. */
export function letterPosition(partition: number, offset: string): string {
  return `${partition}/${offset}`;
}

/** The positions of the letters marked replayed. */
export async function readReplayMarkers(kafka: Kafka, prefix: string): Promise<Set<string>> {
  const { records } = await readTopicRange(kafka, replayMarkersTopic(prefix));
  return new Set(records.map((record) => String(record.message.key)));
}

/** Marks letters replayed (acknowledged by all in-sync replicas before it resolves). */
export async function markReplayed(kafka: Kafka, producer: Producer, prefix: string, positions: string[]): Promise<void> {
  if (positions.length === 0) return;
  const topic = replayMarkersTopic(prefix);
  await ensureTopics(kafka, [topic], { numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }, { name: 'retention.ms', value: '-1' }] });
  for (let start = 0; start < positions.length; start += 1000) {
    const messages = positions.slice(start, start + 1000).map((position) => ({ key: position, value: new Date().toISOString() }));
    await producer.send({ topic, acks: -1, messages });
  }
}

/**
 * Dead letters not yet re-submitted by `pg2ddb dlq replay`: the DLQ's messages after the replay
 * group's committed offsets (all of them when nothing was ever replayed) that no replay marker
 * covers. The DLQ topic itself is append-only, so this — not its size — is what "the DLQ is empty"
 * means for an operator.
 */
export async function pendingDeadLetters(kafka: Kafka, prefix: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  let committed = new Map<number, string>();
  try {
    const topic = topicNames(prefix).dlq;
    if (!(await admin.listTopics()).includes(topic)) return 0;
    const [offsets] = await admin.fetchOffsets({ groupId: dlqReplayGroup(prefix), topics: [topic] });
    committed = new Map((offsets?.partitions ?? []).filter((p) => BigInt(p.offset) >= 0n).map((p) => [p.partition, p.offset]));
  } finally {
    await admin.disconnect();
  }
  const { records } = await readTopicRange(kafka, topicNames(prefix).dlq, { fromOffsets: committed });
  const markers = await readReplayMarkers(kafka, prefix);
  return records.filter((record) => !markers.has(letterPosition(record.partition, record.message.offset))).length;
}
