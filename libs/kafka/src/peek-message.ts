import type { Kafka } from 'kafkajs';

/**
 * Reads the one message at `offset` of a topic partition and resolves its timestamp (ms) and
 * value, or undefined when the offset holds nothing within the timeout or no longer exists (a
 * consumer seeking below the log start is reset to the earliest message: that one is not it). Uses a throw-away
 * consumer group that is deleted afterwards, so no service's committed offsets are touched.
 */
export async function peekMessage(
  kafka: Kafka,
  topic: string,
  partition: number,
  offset: string,
  timeoutMs = 5000,
): Promise<{ timestamp: number; value: Buffer | null } | undefined> {
  const groupId = `pg2ddb-peek-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200, sessionTimeout: 10000, rebalanceTimeout: 10000 });
  let found: { timestamp: number; value: Buffer | null } | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const done = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      void consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition: p, message }) => {
          if (p !== partition || found) return;
          if (message.offset !== offset) {
            // Retention removed it: the log starts after it.
            if (BigInt(message.offset) > BigInt(offset)) {
              clearTimeout(timer);
              resolve();
            }
            return;
          }
          found = { timestamp: Number(message.timestamp), value: message.value };
          clearTimeout(timer);
          resolve();
        },
      });
    });
    consumer.seek({ topic, partition, offset });
    await done;
  } finally {
    await consumer.disconnect().catch(() => undefined);
    const admin = kafka.admin();
    await admin
      .connect()
      .then(() => admin.deleteGroups([groupId]))
      .catch(() => undefined)
      .finally(() => admin.disconnect().catch(() => undefined));
  }
  return found;
}
