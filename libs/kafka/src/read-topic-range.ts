import type { Kafka, KafkaMessage } from 'kafkajs';

/** One message of a topic with where it sits. */
export interface TopicRecord {
  partition: number;
  message: KafkaMessage;
}

/**
 * Reads a topic from the given offsets (default: each partition's start) up to the high watermarks
 * as they were when the call began, then stops: a bounded snapshot of the topic, for tools like
 * `pg2ddb dlq`. Uses a throw-away consumer group that commits nothing and is deleted afterwards.
 * Resolves an empty list for a missing or empty topic.
 */
export async function readTopicRange(
  kafka: Kafka,
  topic: string,
  options: { fromOffsets?: ReadonlyMap<number, string>; timeoutMs?: number } = {},
): Promise<{ records: TopicRecord[]; ends: Map<number, string> }> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `pg2ddb-read-${topic}-${process.pid}-${Date.now()}`;
  try {
    if (!(await admin.listTopics()).includes(topic)) return { records: [], ends: new Map() };
    const offsets = await admin.fetchTopicOffsets(topic);
    const ends = new Map(offsets.map((entry) => [entry.partition, entry.high]));
    const starts = new Map(
      offsets.map((entry) => {
        const requested = options.fromOffsets?.get(entry.partition);
        const from = requested !== undefined && BigInt(requested) > BigInt(entry.low) ? requested : entry.low;
        return [entry.partition, from];
      }),
    );
    const pending = new Set(offsets.filter((entry) => BigInt(entry.high) > BigInt(starts.get(entry.partition) as string)).map((entry) => entry.partition));
    const records: TopicRecord[] = [];
    if (pending.size === 0) return { records, ends };

    const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
    await consumer.connect();
    try {
      let finish: () => void = () => undefined;
      const done = new Promise<void>((resolve) => (finish = resolve));
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          const end = BigInt(ends.get(partition) as string);
          if (BigInt(message.offset) < end) records.push({ partition, message });
          if (BigInt(message.offset) >= end - 1n) {
            pending.delete(partition);
            consumer.pause([{ topic, partitions: [partition] }]);
            if (pending.size === 0) finish();
          }
        },
      });
      for (const [partition, offset] of starts) consumer.seek({ topic, partition, offset });
      const timeoutMs = options.timeoutMs ?? 60_000;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
      const outcome = await Promise.race([done.then(() => 'done' as const), timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') throw new Error(`reading ${topic} did not reach its end within ${timeoutMs} ms (partitions left: ${[...pending].join(', ')})`);
    } finally {
      await consumer.disconnect();
    }
    records.sort((a, b) => a.partition - b.partition || (BigInt(a.message.offset) < BigInt(b.message.offset) ? -1 : 1));
    return { records, ends };
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
