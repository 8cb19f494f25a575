import type { Kafka } from 'kafkajs';

/**
 * Moves an (inactive) consumer group back to the start of the given topics, so its service
 * replays them. Used when the DynamoDB table had to be created anew behind committed offsets;
 * the writer's version guard makes the replay converge. Returns the topics that were rewound.
 */
export async function rewindConsumerGroup(kafka: Kafka, groupId: string, topics: string[]): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const rewound: string[] = [];
    for (const topic of topics.filter((candidate) => existing.has(candidate))) {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      if (!committed || committed.partitions.every((partition) => partition.offset === '-1')) continue;
      await admin.resetOffsets({ groupId, topic, earliest: true });
      rewound.push(topic);
    }
    return rewound;
  } finally {
    await admin.disconnect();
  }
}
