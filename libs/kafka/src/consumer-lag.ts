import type { Kafka } from 'kafkajs';

/**
 * Messages a consumer group still has to read, summed over the partitions of the given topics
 * (a partition the group never committed counts from its low watermark). Missing topics count 0.
 */
export async function consumerLag(kafka: Kafka, groupId: string, topics: string[]): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const present = topics.filter((topic) => existing.has(topic));
    if (present.length === 0) return 0;
    const committed = await admin.fetchOffsets({ groupId, topics: present });
    let lag = 0n;
    for (const { topic, partitions } of committed) {
      const ends = await admin.fetchTopicOffsets(topic);
      for (const end of ends) {
        const offset = partitions.find((partition) => partition.partition === end.partition)?.offset ?? '-1';
        const from = BigInt(offset) < 0n ? BigInt(end.low) : BigInt(offset);
        lag += BigInt(end.high) > from ? BigInt(end.high) - from : 0n;
      }
    }
    return Number(lag);
  } finally {
    await admin.disconnect();
  }
}

/** Messages currently held by a topic (high minus low watermark over its partitions); 0 if absent. */
export async function topicSize(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) return 0;
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, partition) => sum + Number(BigInt(partition.high) - BigInt(partition.low)), 0);
  } finally {
    await admin.disconnect();
  }
}
