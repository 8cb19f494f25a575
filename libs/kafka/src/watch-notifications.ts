import type { Kafka } from 'kafkajs';

/** A Debezium notification (`notification.enabled.channels=sink`), e.g. incremental snapshot progress. */
export interface DebeziumNotification {
  id: string;
  aggregateType: string;
  type: string;
  additionalData: Record<string, string>;
  timestamp: number;
}

/**
 * Follows a Debezium notification topic from its current end (so only notifications sent after
 * the call count) and hands each one to `onNotification` until it returns true or `stop()` is
 * called. Resolves once the consumer is positioned, with a `done` promise and a `stop` function.
 * Uses a throw-away consumer group that is deleted when it stops.
 */
export async function watchNotifications(
  kafka: Kafka,
  topic: string,
  onNotification: (notification: DebeziumNotification) => boolean | void,
): Promise<{ done: Promise<void>; stop: () => Promise<void> }> {
  const admin = kafka.admin();
  await admin.connect();
  let start = new Map<number, bigint>();
  try {
    if (!(await admin.listTopics()).includes(topic)) await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    start = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]));
  } finally {
    await admin.disconnect();
  }
  const groupId = `pg2ddb-notify-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 250 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await consumer.disconnect().catch(() => undefined);
    const cleanup = kafka.admin();
    await cleanup
      .connect()
      .then(() => cleanup.deleteGroups([groupId]))
      .catch(() => undefined)
      .finally(() => cleanup.disconnect().catch(() => undefined));
    finish();
  };
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }) => {
      if (stopped || BigInt(message.offset) < (start.get(partition) ?? 0n) || !message.value) return;
      let parsed: { payload?: Record<string, unknown> } & Record<string, unknown>;
      try {
        parsed = JSON.parse(message.value.toString('utf8'));
      } catch {
        return;
      }
      const body = (parsed.payload ?? parsed) as Record<string, unknown>;
      const notification: DebeziumNotification = {
        id: String(body.id ?? ''),
        aggregateType: String(body.aggregate_type ?? ''),
        type: String(body.type ?? ''),
        additionalData: (body.additional_data as Record<string, string> | undefined) ?? {},
        timestamp: Number(body.timestamp ?? message.timestamp),
      };
      if (onNotification(notification) === true) void stop();
    },
  });
  return { done, stop };
}
